import Foundation

/// Value-label patterns that mark a code as a missing-value sentinel (`N.I.U.`, `Missing`, `Don't know`),
/// read from `Codebooks/missing/sentinel-labels.txt`: one case-insensitive regular expression a line.
public struct SentinelLabels: Sendable {
    /// The patterns as written in the file.
    public let patterns: [String]
    private let expressions: [NSRegularExpression]

    /// The shipped patterns: `missing/sentinel-labels.txt` in ``CodebooksFolder``.
    public static func shipped() throws -> SentinelLabels {
        try SentinelLabels(contentsOf: CodebooksFolder.file("missing/sentinel-labels.txt"))
    }

    /// Reads one pattern a line; blank lines and lines starting `#` are skipped.
    ///
    /// - Throws: `CodebookError` naming the file and line of a pattern that is not a valid expression.
    public init(contentsOf url: URL) throws {
        let text = try String(contentsOf: url, encoding: .utf8)
        var patterns: [String] = []
        var expressions: [NSRegularExpression] = []
        for (n, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty || line.hasPrefix("#") { continue }
            do {
                expressions.append(try NSRegularExpression(pattern: line, options: [.caseInsensitive]))
            } catch {
                throw CodebookError(.malformed, file: url.path, line: n + 1, message: "not a regular expression: \(line)")
            }
            patterns.append(line)
        }
        self.patterns = patterns
        self.expressions = expressions
    }

    /// Whether `label` matches one of the patterns.
    public func matches(_ label: String) -> Bool {
        let range = NSRange(label.startIndex..., in: label)
        return expressions.contains { $0.firstMatch(in: label, range: range) != nil }
    }

    /// The labelled sentinel codes of a numeric variable that declares no missing values at all (no
    /// `invalrng`, no missing-flagged category): the codes a reader would take as real values.
    public func undeclaredSentinels(of variable: Variable) -> [Category] {
        guard variable.type == .numeric, variable.missingValues.values.isEmpty, variable.missingValues.ranges.isEmpty,
              !variable.categories.contains(where: \.isMissing)
        else { return [] }
        return variable.categories.filter { c in c.label.map(matches) ?? false }
    }
}
