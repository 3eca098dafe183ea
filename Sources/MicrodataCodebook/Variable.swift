/// A variable described by `dataDscr/var`.
public struct Variable: Sendable, Hashable, Codable {
    /// Storage type of the values.
    public enum ValueType: String, Sendable, Hashable, Codable {
        case numeric, character
    }

    /// `var/@name`, as written.
    public var name: String
    /// `var/@ID`.
    public var id: String?
    /// `var/@files`: IDs of the files holding the variable.
    public var files: [String]
    /// Labels (`labl`), first one the default.
    public var labels: [LocalizedText]
    /// 1-based inclusive start byte (`location/@StartPos`).
    public var start: Int?
    /// 1-based inclusive end byte (`location/@EndPos`).
    public var end: Int?
    /// Width in bytes (`location/@width`, or `end - start + 1`).
    public var width: Int?
    /// `location/@RecSegNo`, for multi-line records.
    public var recordSegment: Int?
    /// `var/@dcml`: implied decimals for fixed-width data without an explicit point.
    public var decimals: Int
    public var type: ValueType
    /// The SPSS-style format if given (`varFormat` text or `@formatname`), e.g. `F8.2`.
    public var format: String?
    /// `var/@intrvl` (`discrete`, `contin`).
    public var interval: String?
    /// `var/@nature` (nominal, ordinal, interval, ratio).
    public var nature: String?
    /// `var/@rectype`: the record types this variable belongs to.
    public var recordTypes: [String]
    public var categories: [Category]
    /// Missing-value specification from `invalrng` and missing-flagged categories.
    public var missingValues: MissingValues
    /// `valrng` ranges.
    public var validRanges: [ValueRange]
    /// `sumStat` entries by type (`vald`, `invd`, `min`, `max`, `mean`, `stdev`, ...).
    public var summaryStatistics: [SummaryStatistic]
    /// `var/@wgt="wgt"`, or recognised as a weight by name when the codebook has no flags.
    public var isWeight: Bool
    /// `var/@wgt-var`: the weight used for this variable's statistics.
    public var weightVariable: String?
    /// `qstn/qstnLit`.
    public var questionText: String?
    /// `universe`.
    public var universe: String?
    /// `txt`: the description.
    public var description: String?
    /// `notes`.
    public var notes: [String]
    /// `codInstr`.
    public var codingInstructions: String?
    /// `concept`.
    public var concepts: [String]

    public init(
        name: String, id: String? = nil, files: [String] = [], labels: [LocalizedText] = [], start: Int? = nil,
        end: Int? = nil, width: Int? = nil, recordSegment: Int? = nil, decimals: Int = 0,
        type: ValueType = .numeric, format: String? = nil, interval: String? = nil, nature: String? = nil,
        recordTypes: [String] = [], categories: [Category] = [], missingValues: MissingValues = MissingValues(),
        validRanges: [ValueRange] = [], summaryStatistics: [SummaryStatistic] = [], isWeight: Bool = false,
        weightVariable: String? = nil, questionText: String? = nil, universe: String? = nil,
        description: String? = nil, notes: [String] = [], codingInstructions: String? = nil, concepts: [String] = []
    ) {
        self.name = name
        self.id = id
        self.files = files
        self.labels = labels
        self.start = start
        self.end = end
        self.width = width
        self.recordSegment = recordSegment
        self.decimals = decimals
        self.type = type
        self.format = format
        self.interval = interval
        self.nature = nature
        self.recordTypes = recordTypes
        self.categories = categories
        self.missingValues = missingValues
        self.validRanges = validRanges
        self.summaryStatistics = summaryStatistics
        self.isWeight = isWeight
        self.weightVariable = weightVariable
        self.questionText = questionText
        self.universe = universe
        self.description = description
        self.notes = notes
        self.codingInstructions = codingInstructions
        self.concepts = concepts
    }

    /// The first label, or `nil`.
    public var label: String? { labels.first?.text }

    /// The label in a language (`xml:lang`), falling back to the first label.
    public func label(language: String) -> String? {
        labels.first { $0.language == language }?.text ?? label
    }

    /// The category whose value equals `value` as written, or numerically for numeric variables
    /// (`"01"` matches `1`).
    public func category(for value: String) -> Category? {
        let trimmed = value.trimmingWhitespace
        if let exact = categories.first(where: { $0.value == trimmed }) { return exact }
        guard type == .numeric, let number = Double(trimmed) else { return nil }
        return categories.first { Double($0.value) == number }
    }

    /// Whether a numeric value is missing under the codebook's rules: a missing-flagged category,
    /// an `invalrng` item, or an `invalrng` range.
    public func isMissing(_ value: Double) -> Bool {
        missingValues.contains(value)
    }
}

/// Text with an optional language (`@xml:lang`, or Nesstar's `@xml-lang`) and level.
public struct LocalizedText: Sendable, Hashable, Codable {
    public var text: String
    public var language: String?
    public var level: String?

    public init(_ text: String, language: String? = nil, level: String? = nil) {
        self.text = text
        self.language = language
        self.level = level
    }
}

/// A category (`catgry`) of a variable.
public struct Category: Sendable, Hashable, Codable {
    /// `catValu`, trimmed but otherwise as written (`"01"` keeps its zero; `"Sysmiss"` is kept).
    public var value: String
    /// `labl`, if present.
    public var label: String?
    /// `@missing="Y"`.
    public var isMissing: Bool
    /// `@missType`.
    public var missingType: String?
    /// `catStat type="freq"` (unweighted first, then weighted when marked `wgtd`).
    public var frequency: Double?
    public var weightedFrequency: Double?
    /// Every `labl` with its language (FSD writes one per language); `label` is the first.
    public var labels: [LocalizedText] = []
    /// Mined from `codInstr` text ("`99999999 = N.I.U.`"), as ipumsr does, rather than read from a `catgry`.
    public var isFromCodingInstructions: Bool = false

    public init(
        value: String, label: String? = nil, isMissing: Bool = false, missingType: String? = nil,
        frequency: Double? = nil, weightedFrequency: Double? = nil, labels: [LocalizedText] = [],
        isFromCodingInstructions: Bool = false
    ) {
        self.value = value
        self.label = label
        self.isMissing = isMissing
        self.missingType = missingType
        self.frequency = frequency
        self.weightedFrequency = weightedFrequency
        self.labels = labels
        self.isFromCodingInstructions = isFromCodingInstructions
    }
}

/// A closed range, either bound optional (`range/@min`, `@max`).
///
/// A bound written with a `.` (NADA writes `9999.999`) is in the units the data are read in; one written
/// without is in stored units, so on a fixed-width field with implied decimals (`dcml` 2) the bound `-9`
/// means the raw field `-9`, read as `-0.09`. ``minIsScaled`` and ``maxIsScaled`` record which.
public struct ValueRange: Sendable, Hashable, Codable {
    public var min: Double?
    public var max: Double?
    /// The codebook wrote `min` with a decimal point: it is compared with the value as read.
    public var minIsScaled: Bool
    /// The codebook wrote `max` with a decimal point: it is compared with the value as read.
    public var maxIsScaled: Bool

    public init(min: Double? = nil, max: Double? = nil, minIsScaled: Bool = false, maxIsScaled: Bool = false) {
        self.min = min
        self.max = max
        self.minIsScaled = minIsScaled
        self.maxIsScaled = maxIsScaled
    }

    /// Whether `value` lies in the range, bounds included.
    public func contains(_ value: Double) -> Bool {
        if let min, value < min { return false }
        if let max, value > max { return false }
        return true
    }
}

/// The missing-value specification of a variable.
public struct MissingValues: Sendable, Hashable, Codable {
    /// Single codes (`invalrng/item/@VALUE` and missing-flagged categories), as written.
    public var values: [String]
    /// Ranges (`invalrng/range`).
    public var ranges: [ValueRange]

    public init(values: [String] = [], ranges: [ValueRange] = []) {
        self.values = values
        self.ranges = ranges
    }

    public var isEmpty: Bool { values.isEmpty && ranges.isEmpty }

    /// Whether a numeric value is one of the missing codes or in a missing range.
    public func contains(_ value: Double) -> Bool {
        for code in values where Double(code.trimmingWhitespace) == value { return true }
        for range in ranges where range.contains(value) { return true }
        return false
    }

    /// Whether a character value is one of the missing codes.
    public func contains(text: String) -> Bool {
        values.contains(text)
    }
}

/// A `sumStat` entry.
public struct SummaryStatistic: Sendable, Hashable, Codable {
    /// `@type`: `vald`, `invd`, `min`, `max`, `mean`, `stdev`, `medn`, `mode`, ...
    public var type: String
    public var value: Double
    /// `@wgtd="wgtd"`.
    public var isWeighted: Bool

    public init(type: String, value: Double, isWeighted: Bool = false) {
        self.type = type
        self.value = value
        self.isWeighted = isWeighted
    }
}

/// A variable group (`varGrp`).
public struct VariableGroup: Sendable, Hashable, Codable {
    public var id: String?
    public var name: String?
    public var label: String?
    /// `@type`.
    public var type: String?
    /// `@var`: member variable IDs.
    public var variableIDs: [String]
    /// `@varGrp`: child group IDs.
    public var childGroups: [String]

    public init(
        id: String? = nil, name: String? = nil, label: String? = nil, type: String? = nil,
        variableIDs: [String] = [], childGroups: [String] = []
    ) {
        self.id = id
        self.name = name
        self.label = label
        self.type = type
        self.variableIDs = variableIDs
        self.childGroups = childGroups
    }
}

extension String {
    /// The string without leading and trailing spaces, tabs and line breaks.
    package var trimmingWhitespace: String {
        var s = Substring(self)
        while let c = s.first, c.isWhitespace { s.removeFirst() }
        while let c = s.last, c.isWhitespace { s.removeLast() }
        return String(s)
    }
}
