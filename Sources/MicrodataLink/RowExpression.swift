/// A row predicate or value in the small expression language shared by `--subpop`, `--aggregate … where`
/// and `I(…)` in model formulas.
///
/// Column names, numbers, quoted strings, `+ - * / ^` (R precedence; `-2^2` is −4), `log exp sqrt abs log10
/// log2` of one argument, `== != < <= > >=`, `& | !`, parentheses, `V in (1, 2, 3)` and `missing(V)`.
/// Arithmetic on a missing value is missing (NaN). A comparison with a missing value is unknown, and logic is three-valued as in R (`!` of
/// unknown is unknown); a row is selected only when its value is true, so a comparison with a missing value
/// never selects a row (R `subset()`).
public indirect enum RowExpression: Sendable, Hashable {
    /// A literal operand.
    public enum Literal: Sendable, Hashable {
        case number(Double)
        case text(String)
    }

    /// A comparison operator.
    public enum Comparison: String, Sendable, Hashable, CaseIterable {
        case equal = "==", notEqual = "!=", less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">="
    }

    /// An arithmetic operator.
    public enum Arithmetic: String, Sendable, Hashable, CaseIterable {
        case add = "+", subtract = "-", multiply = "*", divide = "/", power = "^"
    }

    /// A numeric function of one argument.
    public enum Function: String, Sendable, Hashable, CaseIterable {
        case log, exp, sqrt, abs, log10, log2
    }

    case column(String)
    case literal(Literal)
    case arithmetic(Arithmetic, RowExpression, RowExpression)
    /// Unary minus.
    case negate(RowExpression)
    case function(Function, RowExpression)
    case compare(Comparison, RowExpression, RowExpression)
    case and(RowExpression, RowExpression)
    case or(RowExpression, RowExpression)
    case not(RowExpression)
    /// `V in (a, b, …)`.
    case isIn(RowExpression, [Literal])
    /// `missing(V)`.
    case missing(String)

    /// Parses `text`.
    ///
    /// - Throws: ``RowExpressionError`` pointing at the character where parsing failed.
    public init(parsing text: String) throws(RowExpressionError) {
        var parser = RowExpressionParser(text)
        self = try parser.parseAll()
    }

    /// The column names the expression reads, in order of first appearance.
    public var columns: [String] {
        var out: [String] = []
        func visit(_ e: RowExpression) {
            switch e {
            case .column(let n), .missing(let n):
                if !out.contains(n) { out.append(n) }
            case .literal: break
            case .compare(_, let a, let b), .and(let a, let b), .or(let a, let b), .arithmetic(_, let a, let b):
                visit(a)
                visit(b)
            case .not(let a), .isIn(let a, _), .negate(let a), .function(_, let a): visit(a)
            }
        }
        visit(self)
        return out
    }

    /// Whether the value is logical (a comparison, `&`, `|`, `!`, `in`, `missing`) rather than a number or text.
    public var isCondition: Bool {
        switch self {
        case .compare, .and, .or, .not, .isIn, .missing: return true
        case .column, .literal, .arithmetic, .negate, .function: return false
        }
    }
}

/// A parse or evaluation error of an ``RowExpression``.
public struct RowExpressionError: Error, Hashable, CustomStringConvertible {
    public var message: String
    /// The expression text, when the error is a parse error.
    public var expression: String?
    /// The 0-based character offset of the error within `expression`.
    public var offset: Int?

    public init(message: String, expression: String? = nil, offset: Int? = nil) {
        self.message = message
        self.expression = expression
        self.offset = offset
    }

    public var description: String {
        guard let expression, let offset else { return message }
        return "\(message) at character \(offset + 1)\n  \(expression)\n  " + String(repeating: " ", count: offset) + "^"
    }
}
