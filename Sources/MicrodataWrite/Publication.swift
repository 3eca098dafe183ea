/// The one publication model: titled tables of disclosure-checked values, notes and metadata. Every command
/// builds one (`tabulate`, `check`, `mobility`, `model`) and every writer (CSV, JSON, Markdown, text, HTML,
/// XLSX) renders it.
///
/// A `Publication` is built only inside this package, by the disclosure step from results that have passed
/// disclosure control (or with the bypass stamped on it), so no writer can be handed an unchecked number.
public struct Publication: Sendable, Hashable, Codable {
    public var title: String
    public var subtitle: String?
    /// Where the data came from.
    public var source: String
    public var tables: [PublishedTable]
    /// Notes shown on the notes sheet / section, numbered in order.
    public var notes: [String]
    /// Key facts about how the results were made: design, variance mode, rules, audit summary, crosswalk versions.
    public var metadata: [MetadataItem]
    /// Charts for the HTML report.
    public var charts: [Chart]
    /// Set when disclosure control was turned off: the stamp every writer puts on its output.
    public var uncheckedStamp: String?
    /// The `microdata` version that made the publication.
    public var version: String?
    /// The design and interval line, when the tables hold estimates.
    public var design: String?
    /// The disclosure rules in force, when rules ran.
    public var rules: String?
    /// The disclosure audit summary, when an audit ran.
    public var disclosure: String?
    /// How counts were perturbed (cell-key method), when they were.
    public var perturbation: PublishedPerturbation?
    /// Significant figures of the numbers in Markdown and text (``DisplayDigits``); CSV, JSON and XLSX keep
    /// full precision.
    public var digits: DisplayDigits = .standard

    package init(
        title: String, subtitle: String? = nil, source: String, tables: [PublishedTable], notes: [String] = [],
        metadata: [MetadataItem] = [], charts: [Chart] = [], uncheckedStamp: String? = nil, version: String? = nil,
        design: String? = nil, rules: String? = nil, disclosure: String? = nil, perturbation: PublishedPerturbation? = nil
    ) {
        self.perturbation = perturbation
        self.version = version
        self.design = design
        self.rules = rules
        self.disclosure = disclosure
        self.title = title
        self.subtitle = subtitle
        self.source = source
        self.tables = tables
        self.notes = notes
        self.metadata = metadata
        self.charts = charts
        self.uncheckedStamp = uncheckedStamp
    }

    /// The notes every publication carries about its shorthand markers (GSS spreadsheet guidance).
    public static let markerNotes = [
        "[c] Suppressed to protect confidentiality (disclosure control): the value is not published.",
        "[u] Low reliability: the coefficient of variation is above 20% or the estimate rests on fewer than 10 respondents; use with caution.",
        "[x] Not available: the estimate is undefined (for example, a rate with an empty base).",
        "[r] For review: a zero, or a cell holding a whole row or column (class disclosure: everyone in one class shares the other class); an output checker should decide before release.",
    ]
}

/// A named fact about a publication, such as `design` or `audit`.
public struct MetadataItem: Sendable, Hashable, Codable {
    public var key: String
    public var value: String

    public init(_ key: String, _ value: String) {
        self.key = key
        self.value = value
    }
}

/// A chart drawn in the HTML report from one of the publication's tables.
public enum Chart: Sendable, Hashable, Codable {
    /// The table as a heatmap (rows by columns), coloured by value.
    case heatmap(tableID: String)
    /// One bar per row of the table, from its first column, with CI whiskers.
    case bars(tableID: String)
    /// Lorenz curves: rows are population shares p, one curve per column (share of the total held by the
    /// bottom p), drawn from (0, 0) to (1, 1) beside the line of equality; suppressed points are left out.
    case lorenz(tableID: String)
    /// A scatter of one point per row, at columns `x` and `y` (indices into the table's columns), with the
    /// line through column `line` at each row's `x` when given (a binned scatter and its fitted line).
    case scatter(tableID: String, x: Int, y: Int, line: Int?)
    /// Each row's estimates (one per column) as points with their 95% intervals side by side, rows ordered by
    /// the published unweighted count of column `orderBy` (smallest first) when given; withheld cells not drawn.
    case intervals(tableID: String, orderBy: Int?)
}

/// One table: a title, column headings and rows of published cells (the grid the display formats show), and
/// its tidy form (``tidy(checked:)``: one record per cell, the form CSV and JSON write).
public struct PublishedTable: Sendable, Hashable, Codable {
    /// A short identifier used for sheet names and anchors, e.g. `outflow`.
    public var id: String
    public var title: String
    /// What the numbers are, e.g. "Percentage of each origin class (row percentages)".
    public var unit: String
    /// Heading over the row labels, e.g. "Origin class".
    public var rowHeading: String
    public var columns: [String]
    public var rows: [PublishedRow]
    /// Digits after the decimal point when shown as text.
    public var decimals: Int
    /// The full label of the group (`--by` value) the table is for, when the publication has several.
    public var group: String?
    /// The group variables and values the table is for: their own columns in the tidy form.
    public var groups: [GroupValue]
    /// The table's name without its group (`outflow` for `outflow-men`): the `table` column of the tidy form;
    /// `nil` uses ``id``.
    public var name: String?
    /// The columns' codes, kept beside their labels (``columns``) in the tidy form; `nil` when the labels are all.
    public var columnCodes: [String]?
    /// The tidy form, when the table has more columns than its grid shows (a table of estimates with design
    /// effects, degrees of freedom and quality flags); `nil` derives it from the grid.
    public var records: PublishedRecords?
    /// Whether the display formats show codes where the records have a `<name>_label` column beside `<name>`
    /// (`--codes`); by default they show the label. CSV and JSON keep both.
    public var showsCodes: Bool

    package init(
        id: String, title: String, unit: String, rowHeading: String, columns: [String], rows: [PublishedRow],
        decimals: Int = 1, group: String? = nil, groups: [GroupValue] = [], records: PublishedRecords? = nil,
        showsCodes: Bool = false
    ) {
        self.showsCodes = showsCodes
        self.group = group
        self.groups = groups
        self.records = records
        self.id = id
        self.title = title
        self.unit = unit
        self.rowHeading = rowHeading
        self.columns = columns
        self.rows = rows
        self.decimals = decimals
    }
}

/// A row label and its cells, one per column.
public struct PublishedRow: Sendable, Hashable, Codable {
    public var label: String
    public var cells: [PublishedCell]
    /// The row's code (a class code, say), kept beside the label in the tidy form; `nil` when the label is all.
    public var code: String?

    package init(label: String, code: String? = nil, cells: [PublishedCell]) {
        self.label = label
        self.cells = cells
        self.code = code
    }
}

/// A published value with its precision, its unweighted base and its markers.
public struct PublishedCell: Sendable, Hashable, Codable {
    /// What is shown in place of a number.
    public enum Marker: String, Sendable, Hashable, Codable {
        /// `[c]`: suppressed for confidentiality.
        case suppressed = "[c]"
        /// `[x]`: not available.
        case notAvailable = "[x]"
        /// `[u]`: withheld as unreliable (a coefficient of variation over the rules' limit).
        case unreliable = "[u]"
    }

    /// The estimate, or `nil` when a marker stands in its place.
    public var estimate: Double?
    public var standardError: Double?
    public var ciLow: Double?
    public var ciHigh: Double?
    /// Unweighted respondents behind the cell; `nil` when suppressed (a count can disclose too).
    public var unweightedCount: Int?
    public var marker: Marker?
    /// `[u]`: low reliability.
    public var lowReliability: Bool
    /// `[r]`: published, but an output checker should review it; the reason (`zero`, `class-disclosure`).
    public var review: String?
    /// Multiply imputed data: Rubin's df, the fraction of missing information and the number of imputations.
    public var imputed: ImputedPrecision?

    package init(
        estimate: Double?, standardError: Double? = nil, ciLow: Double? = nil, ciHigh: Double? = nil,
        unweightedCount: Int? = nil, marker: Marker? = nil, lowReliability: Bool = false, review: String? = nil
    ) {
        // A marked cell carries no number of any kind, whatever it was built from: no writer can leak one.
        let shown = marker == nil
        self.estimate = shown ? estimate : nil
        self.standardError = shown ? standardError : nil
        self.ciLow = shown ? ciLow : nil
        self.ciHigh = shown ? ciHigh : nil
        self.unweightedCount = shown ? unweightedCount : nil
        self.marker = marker
        self.lowReliability = shown && lowReliability
        self.review = shown ? review : nil
        imputed = nil
    }

    /// This cell with the precision of an estimate combined over imputations (dropped from a marked cell).
    package func imputed(_ precision: ImputedPrecision?) -> PublishedCell {
        var out = self
        out.imputed = marker == nil ? precision : nil
        return out
    }

    /// Encodes the numbers only of an unmarked cell (a cell marked after it was built still leaks nothing).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(marker, forKey: .marker)
        try container.encode(marker == nil && lowReliability, forKey: .lowReliability)
        guard marker == nil else { return }
        try container.encodeIfPresent(estimate, forKey: .estimate)
        try container.encodeIfPresent(standardError, forKey: .standardError)
        try container.encodeIfPresent(ciLow, forKey: .ciLow)
        try container.encodeIfPresent(ciHigh, forKey: .ciHigh)
        try container.encodeIfPresent(unweightedCount, forKey: .unweightedCount)
        try container.encodeIfPresent(review, forKey: .review)
        try container.encodeIfPresent(imputed, forKey: .imputed)
    }

    /// A suppressed cell: no number of any kind survives.
    package static let suppressed = PublishedCell(estimate: nil, marker: .suppressed)
    /// A cell with no defined value.
    package static let notAvailable = PublishedCell(estimate: nil, marker: .notAvailable)

    /// The cell as text: the marker, or the number to `decimals` places followed by ` [u]` when unreliable and
    /// ` [r]` when to be reviewed.
    public func text(decimals: Int) -> String {
        if let marker { return marker.rawValue }
        guard let estimate else { return PublishedCell.Marker.notAvailable.rawValue }
        return ([formatNumber(estimate, decimals: decimals)] + flags).joined(separator: " ")
    }

    /// The flags of a published cell: `[u]` (low reliability) and `[r]` (for review).
    public var flags: [String] {
        (lowReliability ? ["[u]"] : []) + (review != nil ? ["[r]"] : [])
    }
}

/// The precision of an estimate combined over `m` imputations by Rubin's rules.
public struct ImputedPrecision: Sendable, Hashable, Codable {
    public var degreesOfFreedom: Double
    public var fractionMissingInformation: Double
    public var imputations: Int

    public init(degreesOfFreedom: Double, fractionMissingInformation: Double, imputations: Int) {
        self.degreesOfFreedom = degreesOfFreedom
        self.fractionMissingInformation = fractionMissingInformation
        self.imputations = imputations
    }
}

/// `value` with exactly `decimals` digits after the point, without locale effects.
package func formatNumber(_ value: Double, decimals: Int) -> String {
    if !value.isFinite { return String(value) }
    var scale = 1.0
    for _ in 0..<decimals { scale *= 10 }
    let rounded = (abs(value) * scale).rounded() / scale
    let negative = value < 0 && rounded != 0
    let whole = rounded.rounded(.down)
    var text = String(Int64(whole))
    if decimals > 0 {
        var fraction = String(Int64(((rounded - whole) * scale).rounded()))
        while fraction.count < decimals { fraction = "0" + fraction }
        text += "." + fraction
    }
    return negative ? "-" + text : text
}
