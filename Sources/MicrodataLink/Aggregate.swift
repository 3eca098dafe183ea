import Foundation

/// One aggregate of a one-to-many right side: `NAME=FUN(VAR)[ where EXPR]`.
///
/// Missing values of `VAR` are skipped. Over no rows (no right row for the key, or none where `EXPR` is
/// true and `VAR` is present) the result is missing, except `count`, which is 0.
public struct Aggregate: Sendable, Hashable {
    public enum Function: String, Sendable, Hashable, CaseIterable {
        /// Sum, mean, minimum, maximum of a numeric variable.
        case sum, mean, min, max
        /// The number of rows with a value.
        case count
        /// The value of the first row with a value (numeric or text).
        case first
        /// 1 when any value is non-zero, else 0 (missing over no rows).
        case any
        /// 1 when every value is non-zero, else 0 (missing over no rows).
        case all
    }

    public var name: String
    public var function: Function
    public var variable: String
    public var condition: RowExpression?
    /// The text parsed, for labels (`NAME=FUN(VAR) where EXPR`).
    public var text: String?

    public init(name: String, function: Function, variable: String, condition: RowExpression? = nil) {
        self.name = name
        self.function = function
        self.variable = variable
        self.condition = condition
    }

    /// Parses `NAME=FUN(VAR)[ where EXPR]`.
    ///
    /// - Throws: ``LinkError`` saying what is expected; an ``RowExpressionError`` in the condition.
    public init(parsing text: String) throws {
        let usage = "expected NAME=FUN(VAR)[ where EXPR] with FUN one of "
            + Function.allCases.map(\.rawValue).joined(separator: ", ") + ", found '\(text)'"
        guard let eq = text.firstIndex(of: "=") else { throw LinkError("--aggregate: " + usage) }
        let name = text[..<eq].trimmingCharacters(in: .whitespaces)
        var rest = Substring(text[text.index(after: eq)...])
        var condition: RowExpression?
        if let range = rest.range(of: " where ") {
            condition = try RowExpression(parsing: String(rest[range.upperBound...]))
            rest = rest[..<range.lowerBound]
        }
        let call = rest.trimmingCharacters(in: .whitespaces)
        guard let open = call.firstIndex(of: "("), call.hasSuffix(")"),
            let function = Function(rawValue: call[..<open].trimmingCharacters(in: .whitespaces).lowercased())
        else { throw LinkError("--aggregate: " + usage) }
        let variable = call[call.index(after: open)..<call.index(before: call.endIndex)].trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty, !variable.isEmpty else { throw LinkError("--aggregate: " + usage) }
        self.init(name: name, function: function, variable: variable, condition: condition)
        self.text = text
    }
}
