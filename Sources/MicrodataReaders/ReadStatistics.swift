/// What a read did, for the CLI summary: rows per record type, values set to missing by rule, and
/// everything skipped with the reason.
public struct ReadStatistics: Sendable, Hashable {
    /// Physical lines (or delimited records, header included) seen.
    public var lines: Int = 0
    /// Rows delivered in batches.
    public var rows: Int = 0
    /// Rows delivered per record type (`""` for a rectangular file).
    public var rowsByRecordType: [String: Int] = [:]
    /// Empty lines skipped.
    public var blankLines: Int = 0
    /// Lines skipped at the start of the file by ``ReadOptions/skip``.
    public var skippedLeadingLines: Int = 0
    /// Lines skipped because their record type is not declared in the codebook, by the code found.
    public var unknownRecordTypes: [String: Int] = [:]
    /// The first line of each unknown record type.
    public var firstUnknownRecordTypeLine: [String: Int] = [:]
    /// Lines of other record types skipped because one record type was asked for.
    public var skippedOtherRecordTypes: Int = 0
    /// Values turned into missing by the codebook's missing-value rules, per variable.
    public var missingByRule: [String: Int] = [:]
    /// Stata/SAS extended missing values met in the data, per variable and tag (`".a"`, `".z"`): always
    /// missing, including tags the file gives no label (and so the codebook does not list). Also counted in
    /// ``missingByRule``.
    public var extendedMissing: [String: [String: Int]] = [:]
    /// Missing-value tokens (`NA`, `N/A`, `NaN`, ...) read as missing in inferred numeric columns, per
    /// variable and token.
    public var nonNumericMissing: [String: [String: Int]] = [:]
    /// Whether the read stopped at the row limit before the end of the file.
    public var stoppedAtLimit = false

    public init() {}

    /// What a reader of the results must know: tokens read as missing in numeric columns, one line per
    /// variable, each starting `warning:`.
    public var warnings: [String] {
        nonNumericMissing.sorted(by: { $0.key < $1.key }).compactMap { name, tokens in
            if tokens.isEmpty { return nil }
            let counts = tokens.sorted(by: { $0.key < $1.key }).map { "\"\($0.key)\" \($0.value)" }
            return "warning: numeric column \(name): non-numeric values read as missing: "
                + counts.joined(separator: ", ") + " (--strict makes them an error)"
        }
    }

    /// ``warnings``, then a line per variable of the values set to missing by the codebook's missing-value rules
    /// (what `harmonise` prints).
    public var warningsAndRuleMissing: [String] {
        warnings + missingByRule.sorted(by: { $0.key < $1.key }).map {
            "set to missing by the codebook's missing-value rules: \($0.key) \($0.value)"
        }
    }

    /// A short human-readable summary, one item per line.
    public var summary: [String] {
        var lines = ["rows read: \(rows) (\(self.lines) lines)"]
        if rowsByRecordType.count > 1 || rowsByRecordType.keys.first.map({ !$0.isEmpty }) == true {
            for (type, n) in rowsByRecordType.sorted(by: { $0.key < $1.key }) {
                lines.append("  record type \(type): \(n) rows")
            }
        }
        for (name, n) in missingByRule.sorted(by: { $0.key < $1.key }) where n > 0 {
            lines.append("set to missing by the codebook's missing-value rules: \(name) \(n)")
        }
        for (name, tags) in extendedMissing.sorted(by: { $0.key < $1.key }) where !tags.isEmpty {
            let counts = tags.sorted(by: { $0.key < $1.key }).map { "\($0.key) \($0.value)" }.joined(separator: ", ")
            lines.append("extended missing values (always missing): \(name) \(counts)")
        }
        lines += warnings
        if skippedLeadingLines > 0 { lines.append("skipped the first \(skippedLeadingLines) lines (--skip)") }
        if blankLines > 0 { lines.append("skipped \(blankLines) blank lines") }
        for (code, n) in unknownRecordTypes.sorted(by: { $0.key < $1.key }) {
            let first = firstUnknownRecordTypeLine[code].map { ", first on line \($0)" } ?? ""
            lines.append("skipped \(n) lines of unknown record type \"\(code)\"\(first)")
        }
        if skippedOtherRecordTypes > 0 {
            lines.append("skipped \(skippedOtherRecordTypes) lines of other record types (record type filter)")
        }
        if stoppedAtLimit { lines.append("stopped at the row limit") }
        return lines
    }
}
