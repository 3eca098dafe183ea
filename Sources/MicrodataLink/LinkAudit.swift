import Foundation

/// Collects the audit steps of joins as each finishes, for callers whose join sources end up wrapped by
/// other sources (a missing-code filter, say). Used on the thread that reads the joins.
public final class LinkAuditLog {
    public private(set) var audit = LinkAudit()

    public init() {}

    func record(_ step: LinkAudit.Step) { audit.steps.append(step) }
}

/// What a chain of joins did, written as JSON beside the output (`<output>.link.json` by default).
public struct LinkAudit: Sendable, Hashable, Codable {
    public var steps: [Step]

    public init(steps: [Step] = []) { self.steps = steps }

    /// Row counts of one side of a join. `unmatched` = `rows` − `matched` (rows with a missing key included).
    public struct Side: Sendable, Hashable, Codable {
        public var rows = 0
        public var matched = 0
        public var unmatched = 0
        /// Rows whose key value was already seen on this side.
        public var duplicateKeys = 0
        /// Rows with a missing key value (never matched).
        public var missingKeys = 0
    }

    /// The match rate of the left rows at one level of an `--audit-by` variable.
    public struct Level: Sendable, Hashable, Codable {
        public var level: String
        public var rows: Int
        public var matched: Int
        public var rate: Double
    }

    public struct Step: Sendable, Hashable, Codable {
        public var with: String
        public var keys: [String]
        public var rightKeys: [String]
        public var how: JoinKind
        public var left = Side()
        public var right = Side()
        public var outputRows = 0
        public var matchRateBy: [String: [Level]] = [:]
        /// Right columns renamed because the name was taken: original name → output name.
        public var renamed: [String: String] = [:]
        /// Counted problems (keys that are not numbers under `--key-type number`, say).
        public var warnings: [String] = []

        public init(with: String, keys: [String], rightKeys: [String], how: JoinKind) {
            self.with = with
            self.keys = keys
            self.rightKeys = rightKeys
            self.how = how
        }
    }

    /// Lines for standard error: each step's counts, renamed columns, and every `--audit-by` level whose
    /// match rate differs from the step's overall rate by more than `flagPoints` percentage points.
    public func summary(flagPoints: Double = 5) -> [String] {
        var lines: [String] = []
        for s in steps {
            let rate = s.left.rows == 0 ? 0 : Double(s.left.matched) / Double(s.left.rows)
            lines.append(
                "link \(s.with) on \(s.keys.joined(separator: ",")) (\(s.how.rawValue)): left \(s.left.rows) rows, "
                    + "\(s.left.matched) matched (\(Self.percent(rate))), \(s.left.missingKeys) missing keys; right "
                    + "\(s.right.rows) rows, \(s.right.matched) matched, \(s.right.duplicateKeys) duplicate keys, "
                    + "\(s.right.missingKeys) missing keys; \(s.outputRows) output rows")
            for (from, to) in s.renamed.sorted(by: { $0.key < $1.key }) {
                lines.append("  note: right column \(from) is written as \(to) (the name is taken)")
            }
            for w in s.warnings { lines.append("  warning: " + w) }
            for (variable, levels) in s.matchRateBy.sorted(by: { $0.key < $1.key }) {
                for l in levels where abs(l.rate - rate) * 100 > flagPoints {
                    lines.append(
                        "  flag: \(variable) = \(l.level): match rate \(Self.percent(l.rate)) vs \(Self.percent(rate)) "
                            + "overall (\(l.matched) of \(l.rows) rows)")
                }
            }
        }
        return lines
    }

    static func percent(_ x: Double) -> String { String(format: "%.1f%%", x * 100) }

    /// The audit as pretty-printed JSON with sorted keys.
    public func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(self)
    }
}
