import MicrodataCodebook
import MicrodataWeighting
import MicrodataWrite

/// Estimates that have passed disclosure control (or were let through without it, stamped), as the records of
/// the publication model: one row per estimate, numbers typed, a marker in every number of a suppressed row.
///
/// Only the disclosure layer constructs it (``DisclosureControl/check(_:)-(EstimateTable)``,
/// ``DisclosureControl/unchecked(_:)``); ``publication(title:source:version:codebook:showCodes:)`` is what writers get.
public struct CheckedEstimates: Sendable {
    /// The estimates checked (for cell-key perturbation, which needs each cell's by-values and counts).
    public let estimates: EstimateTable
    /// The published rows, verified against the mask.
    public let records: PublishedRecords
    /// The status of each row (also in the `status` column).
    public let statuses: [CellStatus]
    /// The audit that passed; `nil` only when checks were off.
    public let audit: AuditReport?
    /// Set when disclosure control was bypassed.
    public let stamp: String?
    /// The table's title when its rows are derived statistics (tests) rather than the estimates.
    var tableTitle: String? = nil
    /// How the counts were perturbed (``CellKeyPerturbation``), when they were; each row says which of its
    /// values in its `perturbed` column.
    public internal(set) var perturbation: PublishedPerturbation? = nil

    init(estimates: EstimateTable, records: PublishedRecords, statuses: [CellStatus], audit: AuditReport?, stamp: String?) {
        self.estimates = estimates
        self.records = records
        self.statuses = statuses
        self.audit = audit
        self.stamp = stamp
    }

    /// Column names.
    public var header: [String] { records.columns }
    /// Every row as CSV fields (a number in its shortest round-trip form, a marker as itself, missing empty).
    public var rows: [[String]] { records.rows.map { $0.map(\.field) } }

    /// This table with its records (and statuses) replaced, its audit, stamp, title and perturbation kept.
    func with(columns: [String]? = nil, rows: [[TableValue]], statuses: [CellStatus]? = nil) -> CheckedEstimates {
        var out = CheckedEstimates(
            estimates: estimates, records: PublishedRecords(columns: columns ?? records.columns, rows: rows),
            statuses: statuses ?? self.statuses, audit: audit, stamp: stamp)
        out.tableTitle = tableTitle
        out.perturbation = perturbation
        return out
    }

    /// The publication of these estimates: one table whose rows are the domains in codebook order, with a
    /// `<by>_label` column after each by-variable that has value labels in `codebook`. Markdown, text, HTML and
    /// XLSX show the labels (the codes with `showCodes`); CSV and JSON keep both.
    public func publication(
        title: String, source: String, version: String, codebook: Codebook? = nil, showCodes: Bool = false,
        notes: [String] = []
    ) -> Publication {
        let by = estimates.byVariables
        // Labelled key columns: each by-variable, and the level of a categorical (labelled by the row's variable:
        // several statistics may have levels of different variables).
        let levelColumn = records.columns.firstIndex(of: "level")
        let variableColumn = records.columns.firstIndex(of: "variable")
        let keyed: [(column: Int, variable: Variable?)] = by.compactMap { name in
            records.columns.firstIndex(of: name).map { ($0, codebook?.variable(named: name)) }
        } + (levelColumn.map { [($0, nil)] } ?? [])
        func variable(_ k: Int, _ row: [TableValue]) -> Variable? {
            guard keyed[k].column == levelColumn else { return keyed[k].variable }
            guard let variableColumn, case .text(let name) = row[variableColumn] else { return nil }
            return codebook?.variable(named: name)
        }
        let labelled = keyed.indices.map { k in
            records.rows.contains { variable(k, $0)?.categories.contains { $0.label != nil } ?? false }
        }
        func label(_ k: Int, _ row: [TableValue], _ code: TableValue) -> String? {
            guard labelled[k], case .text(let text) = code else { return nil }
            return variable(k, row)?.category(for: text)?.label
        }
        // Rows by statistic (in order of appearance), then in codebook order of their by-values and level (codes
        // the codebook does not list keep their order, after).
        var blocks: [[TableValue]: Int] = [:]
        let statisticColumns = ["statistic", "variable"].compactMap { records.columns.firstIndex(of: $0) }
        for row in records.rows where blocks[statisticColumns.map { row[$0] }] == nil {
            blocks[statisticColumns.map { row[$0] }] = blocks.count
        }
        func rank(_ row: [TableValue]) -> [Int] {
            [blocks[statisticColumns.map { row[$0] }] ?? 0] + keyed.indices.map { k in
                guard let v = variable(k, row), case .text(let code) = row[keyed[k].column],
                    let c = v.category(for: code), let i = v.categories.firstIndex(of: c)
                else { return Int.max }
                return i
            }
        }
        let order = records.rows.indices.sorted { a, b in
            let (ra, rb) = (rank(records.rows[a]), rank(records.rows[b]))
            return ra == rb ? a < b : ra.lexicographicallyPrecedes(rb)
        }
        let labelAfter = Dictionary(uniqueKeysWithValues: keyed.enumerated().map { ($1.column, $0) })
        var columns: [String] = []
        for (c, name) in records.columns.enumerated() {
            columns.append(name)
            if let k = labelAfter[c], labelled[k] { columns.append(name + "_label") }
        }
        var rows: [[TableValue]] = []
        var grid: [PublishedRow] = []
        for i in order {
            var values: [TableValue] = []
            var shown: [String] = []
            for (c, value) in records.rows[i].enumerated() {
                values.append(value)
                guard let k = labelAfter[c] else { continue }
                let text = label(k, records.rows[i], value)
                if labelled[k] { values.append(text.map(TableValue.text) ?? .missing) }
                if value != .missing { shown.append(showCodes ? value.field : text ?? value.field) }
            }
            rows.append(values)
            if tableTitle != nil {  // a table of tests: the statistic with its df and p-value, then any estimate
                grid.append(PublishedRow(
                    label: records.value(i, "statistic")?.field ?? "",
                    cells: Self.testColumns.map { value(i, $0) } + [cell(i)]))
            } else {
                grid.append(PublishedRow(label: shown.joined(separator: " / "), cells: [cell(i)]))
            }
        }
        let first = estimates.cells.first
        let statistic = first.map { "\($0.statistic) of \($0.variable)" } ?? "estimate"
        let table = PublishedTable(
            id: "estimates", title: tableTitle ?? (statistic.prefix(1).uppercased() + statistic.dropFirst()
                + (by.isEmpty ? "" : " by " + by.joined(separator: ", "))), unit: estimates.designLine,
            rowHeading: tableTitle != nil ? "statistic"
                : (by + (estimates.cells.contains { $0.level != nil } ? ["level"] : [])).joined(separator: " / "),
            columns: tableTitle != nil ? Self.testColumns + ["estimate"] : [statistic], rows: grid, decimals: 3,
            records: PublishedRecords(columns: columns, rows: rows), showsCodes: showCodes)
        var metadata = [MetadataItem("Design", estimates.designLine)]
        if let audit {
            metadata.append(MetadataItem("Disclosure rules", audit.rules.inForce))
            metadata.append(MetadataItem("Disclosure audit", audit.summary))
        }
        return Publication(
            title: title, source: source, tables: [table], notes: notes, metadata: metadata, uncheckedStamp: stamp,
            version: version, design: estimates.designLine, rules: audit?.rules.inForce, disclosure: audit?.summary,
            perturbation: perturbation)
    }

    /// The grid columns of a table of tests before its estimate.
    static let testColumns = ["value", "ndf", "ddf", "p_value"]

    /// Column `column` of row `i` as a grid cell: the number, the marker when withheld, else not available.
    private func value(_ i: Int, _ column: String) -> PublishedCell {
        switch records.value(i, column) {
        case .number(let x)?: return PublishedCell(estimate: x)
        case .marker(CheckedTable.marker)?: return .suppressed
        default: return .notAvailable
        }
    }

    /// Row `i` as a grid cell: the estimate with its interval and count, or the marker.
    private func cell(_ i: Int) -> PublishedCell {
        func number(_ name: String) -> Double? { records.value(i, name)?.number }
        switch records.value(i, "estimate") {
        case .marker(CheckedTable.marker)?: return .suppressed
        case .marker?: return PublishedCell(estimate: nil, marker: .unreliable)
        default: break
        }
        guard let estimate = number("estimate") else { return .notAvailable }
        return PublishedCell(
            estimate: estimate, standardError: number("se"), ciLow: number("ci_low"), ciHigh: number("ci_high"),
            unweightedCount: number("n").map { Int($0) },
            lowReliability: records.value(i, "cv_band") == .text(CVBand.unreliable.rawValue))
    }
}
