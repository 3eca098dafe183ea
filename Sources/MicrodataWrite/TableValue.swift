/// One value of a table's tidy form: a number, a text, missing, or a marker standing in for a number that is
/// not published.
///
/// JSON writes a number as a number and `missing` and every marker as `null` (the row's `status` says why);
/// CSV and the text formats show the marker.
public enum TableValue: Codable, Sendable, Hashable {
    case number(Double)
    case text(String)
    case missing
    /// A value that is not published: `[c]` (suppressed) or the rules' unreliable marker.
    case marker(String)

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .missing } else if let x = try? c.decode(Double.self) { self = .number(x) } else {
            self = .text(try c.decode(String.self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .number(let x) where x.isFinite: try c.encode(x)
        case .number, .missing, .marker: try c.encodeNil()
        case .text(let s): try c.encode(s)
        }
    }

    /// The value as a CSV field before quoting: a number in its shortest round-trip form, a marker as itself,
    /// missing as empty.
    public var field: String {
        switch self {
        case .number(let x): return csvNumber(x)
        case .text(let s), .marker(let s): return s
        case .missing: return ""
        }
    }

    /// The number, when the value is one.
    public var number: Double? {
        if case .number(let x) = self { return x }
        return nil
    }

    /// Whether a marker stands in place of the value.
    public var isMarker: Bool {
        if case .marker = self { return true }
        return false
    }
}

/// A table's tidy form: named columns and one row of values per record.
public struct PublishedRecords: Codable, Sendable, Hashable {
    public var columns: [String]
    public var rows: [[TableValue]]

    public init(columns: [String], rows: [[TableValue]]) {
        self.columns = columns
        self.rows = rows
    }

    /// The value of `column` in row `row`, or `nil` when the table has no such column.
    public func value(_ row: Int, _ column: String) -> TableValue? {
        columns.firstIndex(of: column).map { rows[row][$0] }
    }

    /// Every row as text fields (`TableValue/field`), header first.
    public var fields: [[String]] {
        [columns] + rows.map { $0.map(\.field) }
    }
}

/// The value of a group variable (`--by`) that a table is for: its own column in the tidy form.
public struct GroupValue: Codable, Sendable, Hashable {
    /// The variable, which names the column.
    public var name: String
    /// The code, as in the data.
    public var code: String
    /// The value label from the codebook, when there is one (a `<name>_label` column).
    public var label: String?

    public init(name: String, code: String, label: String? = nil) {
        self.name = name
        self.code = code
        self.label = label
    }
}
