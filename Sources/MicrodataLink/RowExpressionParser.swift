/// Recursive-descent parser of ``RowExpression``: `or := and ('|' and)*`, `and := unary ('&' unary)*`,
/// `unary := '!' unary | comparison`, `comparison := sum (op sum | 'in' '(' literals ')')?`,
/// `sum := product (('+' | '-') product)*`, `product := signed (('*' | '/') signed)*`,
/// `signed := ('-' | '+') signed | power`, `power := operand ('^' signed)?`,
/// `operand := name | number | string | 'missing' '(' name ')' | function '(' or ')' | '(' or ')'`.
struct RowExpressionParser {
    let text: String
    let chars: [Character]
    var position = 0

    init(_ text: String) {
        self.text = text
        chars = Array(text)
    }

    mutating func parseAll() throws(RowExpressionError) -> RowExpression {
        skipSpace()
        if position == chars.count { throw error("empty expression") }
        let e = try parseOr()
        skipSpace()
        if position < chars.count { throw error("unexpected '\(chars[position])'") }
        return e
    }

    func error(_ message: String, at offset: Int? = nil) -> RowExpressionError {
        RowExpressionError(message: message, expression: text, offset: offset ?? position)
    }

    mutating func skipSpace() {
        while position < chars.count && chars[position].isWhitespace { position += 1 }
    }

    /// Consumes `token` (after spaces) if it is next.
    mutating func accept(_ token: String) -> Bool {
        skipSpace()
        let t = Array(token)
        guard position + t.count <= chars.count, Array(chars[position..<position + t.count]) == t else { return false }
        position += t.count
        return true
    }

    mutating func parseOr() throws(RowExpressionError) -> RowExpression {
        var left = try parseAnd()
        while accept("||") || accept("|") { left = .or(left, try parseAnd()) }
        return left
    }

    mutating func parseAnd() throws(RowExpressionError) -> RowExpression {
        var left = try parseUnary()
        while accept("&&") || accept("&") { left = .and(left, try parseUnary()) }
        return left
    }

    mutating func parseUnary() throws(RowExpressionError) -> RowExpression {
        skipSpace()
        if position < chars.count && chars[position] == "!" && !(position + 1 < chars.count && chars[position + 1] == "=") {
            position += 1
            return .not(try parseUnary())
        }
        return try parseComparison()
    }

    mutating func parseComparison() throws(RowExpressionError) -> RowExpression {
        let left = try parseSum()
        skipSpace()
        for op in [RowExpression.Comparison.lessOrEqual, .greaterOrEqual, .equal, .notEqual, .less, .greater]
        where accept(op.rawValue) {
            return .compare(op, left, try parseSum())
        }
        let save = position
        if let word = identifier(), word == "in" {
            guard accept("(") else { throw error("expected '(' after in") }
            var list: [RowExpression.Literal] = []
            repeat {
                skipSpace()
                let start = position
                guard case .literal(let l) = try parseOperand() else {
                    throw error("expected a number or a quoted string in the list", at: start)
                }
                list.append(l)
            } while accept(",")
            guard accept(")") else { throw error("expected ',' or ')'") }
            return .isIn(left, list)
        }
        position = save
        return left
    }

    mutating func parseSum() throws(RowExpressionError) -> RowExpression {
        var left = try parseProduct()
        while true {
            if accept("+") { left = .arithmetic(.add, left, try parseProduct()); continue }
            if accept("-") { left = .arithmetic(.subtract, left, try parseProduct()); continue }
            return left
        }
    }

    mutating func parseProduct() throws(RowExpressionError) -> RowExpression {
        var left = try parseSigned()
        while true {
            if accept("*") { left = .arithmetic(.multiply, left, try parseSigned()); continue }
            if accept("/") { left = .arithmetic(.divide, left, try parseSigned()); continue }
            return left
        }
    }

    mutating func parseSigned() throws(RowExpressionError) -> RowExpression {
        if accept("-") { return .negate(try parseSigned()) }
        if accept("+") { return try parseSigned() }
        let base = try parseOperand()
        return accept("^") ? .arithmetic(.power, base, try parseSigned()) : base
    }

    mutating func parseOperand() throws(RowExpressionError) -> RowExpression {
        skipSpace()
        guard position < chars.count else { throw error("expected a column, a number or a quoted string") }
        let c = chars[position]
        if c == "(" {
            position += 1
            let inner = try parseOr()
            guard accept(")") else { throw error("expected ')'") }
            return inner
        }
        if c == "\"" || c == "'" {
            let start = position
            position += 1
            var s = ""
            while position < chars.count && chars[position] != c {
                if chars[position] == "\\" && position + 1 < chars.count { position += 1 }
                s.append(chars[position])
                position += 1
            }
            guard position < chars.count else { throw error("unterminated string", at: start) }
            position += 1
            return .literal(.text(s))
        }
        if c.isNumber || c == "." || c == "-" || c == "+" {
            let start = position
            position += 1
            while position < chars.count
                && (chars[position].isNumber || chars[position] == "." || chars[position] == "e" || chars[position] == "E"
                    || ((chars[position] == "-" || chars[position] == "+") && (chars[position - 1] == "e" || chars[position - 1] == "E")))
            {
                position += 1
            }
            guard let x = Double(String(chars[start..<position])) else { throw error("not a number", at: start) }
            return .literal(.number(x))
        }
        let start = position
        guard let name = identifier() else { throw error("unexpected '\(c)'") }
        if name == "missing" && accept("(") {
            skipSpace()
            let at = position
            guard let v = identifier() else { throw error("expected a column name", at: at) }
            guard accept(")") else { throw error("expected ')'") }
            return .missing(v)
        }
        if let f = RowExpression.Function(rawValue: name), accept("(") {
            let inner = try parseOr()
            guard accept(")") else { throw error("expected ')'") }
            return .function(f, inner)
        }
        if name == "in" { throw error("expected a column before in", at: start) }
        return .column(name)
    }

    /// A column name: a letter or `_`, then letters, digits, `_` or `.`.
    mutating func identifier() -> String? {
        skipSpace()
        guard position < chars.count, chars[position].isLetter || chars[position] == "_" else { return nil }
        let start = position
        while position < chars.count
            && (chars[position].isLetter || chars[position].isNumber || chars[position] == "_" || chars[position] == ".")
        {
            position += 1
        }
        return String(chars[start..<position])
    }
}
