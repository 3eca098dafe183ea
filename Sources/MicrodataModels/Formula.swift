/// A model formula in R syntax: `Y ~ X1 + factor(X2) + X1:X3 + log(X4) + I(X5 >= 3)`.
///
/// `+` adds terms, `:` interacts them, `a*b` is `a + b + a:b`, `- 1` (or `+ 0`) drops the intercept. Terms are
/// ordered as R's `terms()` orders them: by the number of variables, then as written.
public struct Formula: Sendable, Hashable {
    /// A term: one or more components multiplied together (`ell:meals`).
    public struct Term: Sendable, Hashable {
        public var components: [Expression]
        /// The label R prints (`factor(stype)`, `ell:meals`).
        public var label: String { components.map(\.deparsed).joined(separator: ":") }
        /// The term's identity: its components as written, in any order (`a:b` is `b:a`).
        var key: Set<String> { Set(components.map(\.deparsed)) }
    }

    public var response: Expression
    public var terms: [Term]
    public var intercept: Bool

    /// The data columns the formula reads.
    public var variables: [String] {
        Array(Set(response.variables + terms.flatMap { $0.components.flatMap(\.variables) }))
    }

    /// Parses `text`; errors point at the character.
    public init(_ text: String) throws {
        var parser = try ExpressionParser(text)
        let tree = try parser.parseAll()
        guard case .binary("~", let lhs, let rhs, _) = tree else {
            throw FormulaError(text: text, position: 0, message: "a formula needs a response and '~'")
        }
        response = lhs
        (terms, intercept) = try Formula.terms(rhs, text: text)
    }

    /// The terms of a right-hand side such as `factor(stype)` or `ell + meals` (for Wald tests).
    public static func terms(of text: String) throws -> [Term] {
        var parser = try ExpressionParser(text)
        let tree = try parser.parse(level: 1)
        guard parser.peek == .end else { throw parser.error("unexpected text") }
        return try terms(tree, text: text).0
    }

    static func terms(_ rhs: Expression, text: String) throws -> ([Term], Bool) {
        var intercept = true
        var terms: [Term] = []
        var order: [String] = []  // variables by first appearance: R orders each interaction's components so
        func add(_ t: Term) { if !terms.contains(where: { $0.key == t.key }) { terms.append(t) } }
        func expand(_ e: Expression) throws -> [Term] {
            switch e {
            case .binary(":", let a, let b, _):
                let l = try expand(a), r = try expand(b)
                return l.flatMap { x in r.map { y in Term(components: x.components + y.components.filter { c in !x.components.contains { $0.deparsed == c.deparsed } }) } }
            case .binary("*", let a, let b, _):
                let l = try expand(a), r = try expand(b)
                return l + r + l.flatMap { x in r.map { y in Term(components: x.components + y.components) } }
            case .parenthesised(let inner, _): return try expand(inner)
            case .binary(let op, _, _, let p) where op != "+" && op != "-":
                throw FormulaError(text: text, position: p, message: "operator '\(op)' is not supported in a formula (wrap arithmetic in I())")
            case .number(_, let p):
                throw FormulaError(text: text, position: p, message: "a number can only be 0 or 1 on its own (the intercept)")
            default: return [Term(components: [e])]
            }
        }
        func walk(_ e: Expression, sign: Bool) throws {
            switch e {
            case .binary("+", let a, let b, _):
                try walk(a, sign: sign)
                try walk(b, sign: sign)
            case .binary("-", let a, let b, _):
                try walk(a, sign: sign)
                try walk(b, sign: !sign)
            case .unary("-", let a, _): try walk(a, sign: !sign)
            case .number(let v, let p):
                guard v == 0 || v == 1 else {
                    throw FormulaError(text: text, position: p, message: "a number can only be 0 or 1 on its own (the intercept)")
                }
                intercept = sign == (v == 1)
            default:
                for t in try expand(e) {
                    for c in t.components where !order.contains(c.deparsed) { order.append(c.deparsed) }
                    if sign { add(t) } else { terms.removeAll { $0.key == t.key } }
                }
            }
        }
        try walk(rhs, sign: true)
        terms = terms.map { t in
            Term(components: t.components.sorted { order.firstIndex(of: $0.deparsed)! < order.firstIndex(of: $1.deparsed)! })
        }
        let ordered = terms.enumerated().sorted { ($0.element.components.count, $0.offset) < ($1.element.components.count, $1.offset) }
        return (ordered.map(\.element), intercept)
    }
}
