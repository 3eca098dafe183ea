import Foundation

/// A parsed R-style formula: its terms and their components. A component's value (`I(…)`, `log(V)`, a
/// column) is computed by ``RowExpression`` from its ``deparsed`` text, so `I()` speaks the `--subpop` language.
public indirect enum Expression: Sendable, Hashable {
    case number(Double, position: Int)
    case string(String, position: Int)
    case variable(String, position: Int)
    case unary(String, Expression, position: Int)
    case binary(String, Expression, Expression, position: Int)
    /// A function call; `names[i]` is the argument name (`""` when positional).
    case call(String, [Expression], names: [String], position: Int)
    case parenthesised(Expression, position: Int)

    /// The 0-based character offset where the expression starts.
    public var position: Int {
        switch self {
        case .number(_, let p), .string(_, let p), .variable(_, let p), .unary(_, _, let p),
             .binary(_, _, _, let p), .call(_, _, _, let p), .parenthesised(_, let p):
            return p
        }
    }

    /// The expression as R's `deparse` writes it (the basis of R's coefficient names).
    public var deparsed: String {
        switch self {
        case .number(let v, _):
            return v == v.rounded() && abs(v) < 1e15 ? String(Int64(v)) : String(v)
        case .string(let s, _): return "\"\(s)\""
        case .variable(let n, _): return n
        case .unary(let op, let e, _): return op + e.deparsed
        case .binary(let op, let a, let b, _):
            return ["/", "^", ":"].contains(op) ? a.deparsed + op + b.deparsed : "\(a.deparsed) \(op) \(b.deparsed)"
        case .call("in", let args, _, _) where args.count >= 2:
            return "\(args[0].deparsed) in (\(args.dropFirst().map(\.deparsed).joined(separator: ", ")))"
        case .call(let f, let args, let names, _):
            let parts = zip(args, names).map { $1.isEmpty ? $0.deparsed : "\($1) = \($0.deparsed)" }
            return "\(f)(\(parts.joined(separator: ", ")))"
        case .parenthesised(let e, _): return "(\(e.deparsed))"
        }
    }

    /// The variables the expression reads.
    public var variables: [String] {
        switch self {
        case .number, .string: return []
        case .variable(let n, _): return [n]
        case .unary(_, let e, _), .parenthesised(let e, _): return e.variables
        case .binary(_, let a, let b, _): return a.variables + b.variables
        case .call(_, let args, let names, _):
            return zip(args, names).filter { $1.isEmpty }.flatMap { $0.0.variables }
        }
    }
}

/// A syntax error in a formula or expression, pointing at the character.
public struct FormulaError: Error, Hashable, CustomStringConvertible {
    public var text: String
    /// The 0-based character offset of the problem.
    public var position: Int
    public var message: String

    public var description: String {
        "\(message) at character \(position + 1):\n  \(text)\n  \(String(repeating: " ", count: position))^"
    }
}

/// A recursive-descent parser of R expressions with R's operator precedence.
struct ExpressionParser {
    enum Token: Equatable {
        case number(Double), string(String), name(String), op(String), end
    }

    let text: String
    var tokens: [(Token, Int)] = []
    var index = 0

    init(_ text: String) throws {
        self.text = text
        let chars = Array(text)
        var i = 0
        let operators = [">=", "<=", "==", "!=", "&&", "||", "~", "+", "-", "*", "/", "^", ":", "<", ">", "&", "|",
                         "!", "(", ")", ",", "="]
        while i < chars.count {
            let c = chars[i]
            if c.isWhitespace { i += 1; continue }
            let start = i
            if c.isNumber || (c == "." && i + 1 < chars.count && chars[i + 1].isNumber) {
                while i < chars.count && (chars[i].isNumber || chars[i] == "." || chars[i] == "e"
                    || ((chars[i] == "-" || chars[i] == "+") && chars[i - 1] == "e")) { i += 1 }
                guard let v = Double(String(chars[start..<i])) else {
                    throw FormulaError(text: text, position: start, message: "malformed number")
                }
                tokens.append((.number(v), start))
            } else if c.isLetter || c == "." || c == "_" {
                while i < chars.count && (chars[i].isLetter || chars[i].isNumber || chars[i] == "." || chars[i] == "_") {
                    i += 1
                }
                tokens.append((.name(String(chars[start..<i])), start))
            } else if c == "`" || c == "\"" || c == "'" {
                i += 1
                while i < chars.count && chars[i] != c { i += 1 }
                guard i < chars.count else {
                    throw FormulaError(text: text, position: start, message: "unterminated \(c)")
                }
                let body = String(chars[(start + 1)..<i])
                tokens.append((c == "`" ? .name(body) : .string(body), start))
                i += 1
            } else if let op = operators.first(where: { op in
                i + op.count <= chars.count && String(chars[i..<(i + op.count)]) == op
            }) {
                tokens.append((.op(op), start))
                i += op.count
            } else {
                throw FormulaError(text: text, position: start, message: "unexpected character '\(c)'")
            }
        }
        tokens.append((.end, chars.count))
    }

    var peek: Token { tokens[index].0 }
    var here: Int { tokens[index].1 }

    mutating func expect(_ op: String) throws {
        guard peek == .op(op) else { throw error("expected '\(op)'") }
        index += 1
    }

    func error(_ message: String) -> FormulaError {
        let found: String
        switch peek {
        case .end: found = "end of text"
        case .number(let v): found = "\(v)"
        case .string(let s): found = "\"\(s)\""
        case .name(let n): found = n
        case .op(let o): found = "'\(o)'"
        }
        return FormulaError(text: text, position: here, message: "\(message), found \(found)")
    }

    /// Binary operators from loosest to tightest (R: `~`, `|`, `&`, `!`, comparisons, `+ -`, `* /`, `:`,
    /// unary minus, `^`).
    static let levels: [[String]] = [["~"], ["|", "||"], ["&", "&&"], ["==", "!=", "<", ">", "<=", ">="],
                                     ["+", "-"], ["*", "/"], [":"]]

    mutating func parseAll() throws -> Expression {
        let e = try parse(level: 0)
        guard peek == .end else { throw error("unexpected text") }
        return e
    }

    mutating func parse(level: Int) throws -> Expression {
        if level == 3, peek == .op("!") {
            let p = here
            index += 1
            return .unary("!", try parse(level: 3), position: p)
        }
        if level == Self.levels.count { return try parseUnary() }
        var left = try parse(level: level + 1)
        if level == 3, peek == .name("in"), tokens[index + 1].0 == .op("(") { left = try parseIn(left) }
        while case .op(let op) = peek, Self.levels[level].contains(op) {
            index += 1
            let right = try parse(level: level + 1)
            left = .binary(op, left, right, position: left.position)
        }
        return left
    }

    /// `V in (a, b, …)`, as `--subpop` elsewhere (`RowExpression`): the call `in(V, a, b, …)`.
    mutating func parseIn(_ operand: Expression) throws -> Expression {
        index += 2
        var items = [operand]
        while true {
            items.append(try parse(level: 4))
            if peek == .op(",") { index += 1; continue }
            break
        }
        try expect(")")
        return .call("in", items, names: Array(repeating: "", count: items.count), position: operand.position)
    }

    mutating func parseUnary() throws -> Expression {
        if case .op(let op) = peek, op == "-" || op == "+" {
            let p = here
            index += 1
            return .unary(op, try parseUnary(), position: p)
        }
        let base = try parsePrimary()
        if peek == .op("^") {
            index += 1
            return .binary("^", base, try parseUnary(), position: base.position)
        }
        return base
    }

    mutating func parsePrimary() throws -> Expression {
        let p = here
        switch peek {
        case .number(let v):
            index += 1
            return .number(v, position: p)
        case .string(let s):
            index += 1
            return .string(s, position: p)
        case .name(let n):
            index += 1
            guard peek == .op("(") else { return .variable(n, position: p) }
            index += 1
            var args: [Expression] = []
            var names: [String] = []
            if peek != .op(")") {
                while true {
                    var name = ""
                    if case .name(let a) = peek, tokens[index + 1].0 == .op("=") {
                        name = a
                        index += 2
                    }
                    args.append(try parse(level: 1))
                    names.append(name)
                    if peek == .op(",") { index += 1; continue }
                    break
                }
            }
            try expect(")")
            return .call(n, args, names: names, position: p)
        case .op("("):
            index += 1
            let e = try parse(level: 1)
            try expect(")")
            return .parenthesised(e, position: p)
        default:
            throw error("expected a variable, number or '('")
        }
    }
}
