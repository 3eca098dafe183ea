import Foundation

/// One value of a ``TableDocument`` row: a number, a label, or missing (`null`; also every suppressed value).
public enum TableValue: Codable, Sendable, Hashable {
    case number(Double)
    case text(String)
    case missing

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
        case .number, .missing: try c.encodeNil()
        case .text(let s): try c.encode(s)
        }
    }
}

/// The JSON form of a checked table (`tabulate` and `check`), described by `docs/table.schema.json`.
///
/// Numeric columns hold JSON numbers; a suppressed, withheld or empty value is `null` and the row's
/// `status` says why. The metadata (design, rules in force, audit summary, stamp, version) are keys,
/// present as `null` when they do not apply.
public struct TableDocument: Codable, Sendable, Hashable {
    /// The schema identifier: `microdata-table/1`.
    public var schema: String
    /// The `microdata` version that wrote the table.
    public var version: String
    /// `false` only when disclosure control was turned off.
    public var controlled: Bool
    /// The bypass stamp, or `nil`.
    public var stamp: String?
    /// The design and interval line, when the table holds estimates.
    public var design: String?
    /// The disclosure rules in force, or `nil` when none ran.
    public var rules: String?
    /// The audit summary, or `nil` when no audit ran.
    public var disclosure: String?
    /// Column names, in order.
    public var columns: [String]
    /// One object per row, keyed by column.
    public var rows: [[String: TableValue]]

    /// The columns written as numbers wherever they are not suppressed or empty.
    public static let numericColumns: Set<String> = [
        "estimate", "se", "ci_low", "ci_high", "deff", "df", "n", "weighted_n", "sum_w2", "kish_deff", "n_eff",
        "count", "value", "ndf", "ddf", "p_value",
    ]

    /// The document of `checked`; `numeric` names the columns whose values are numbers.
    public init(
        _ checked: CheckedTable, version: String, design: String? = nil, rules: String? = nil,
        numeric: Set<String> = TableDocument.numericColumns
    ) {
        schema = "microdata-table/1"
        self.version = version
        controlled = checked.stamp == nil
        stamp = checked.stamp
        self.design = design
        self.rules = rules ?? checked.audit?.rules.inForce
        disclosure = checked.audit?.summary
        columns = checked.header
        rows = checked.rows.map { row in
            var object: [String: TableValue] = [:]
            for (name, field) in zip(checked.header, row) {
                if field.isEmpty || field == CheckedTable.marker {
                    object[name] = .missing
                } else if numeric.contains(name) {
                    object[name] = Double(field).map(TableValue.number) ?? .missing
                } else {
                    object[name] = .text(field)
                }
            }
            return object
        }
    }

    /// Pretty-printed JSON with sorted keys; `null` for every absent metadata key.
    public func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self) + "\n"
    }

    enum CodingKeys: String, CodingKey {
        case schema, version, controlled, stamp, design, rules, disclosure, columns, rows
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(schema, forKey: .schema)
        try c.encode(version, forKey: .version)
        try c.encode(controlled, forKey: .controlled)
        try c.encode(stamp, forKey: .stamp)
        try c.encode(design, forKey: .design)
        try c.encode(rules, forKey: .rules)
        try c.encode(disclosure, forKey: .disclosure)
        try c.encode(columns, forKey: .columns)
        try c.encode(rows, forKey: .rows)
    }
}
