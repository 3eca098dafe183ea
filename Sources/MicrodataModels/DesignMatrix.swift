import Foundation
import MicrodataLink
import MicrodataReaders

/// The response and model matrix of a formula on the rows of an estimation domain, with R's treatment
/// contrasts (reference = first level in sorted order, or `factor(V, ref = "L")`).
public struct DesignMatrix: Sendable {
    /// Column names as R prints them (`(Intercept)`, `factor(stype)H`, `ell:meals`).
    public var names: [String]
    /// The label of the term each column belongs to.
    public var termOf: [String]
    /// Whether a column is an indicator (a factor level, a logical, or an interaction with one).
    public var isIndicator: [Bool]
    /// Row-major, `rowCount × names.count`; rows outside the domain are zero.
    public var x: [Double]
    public var y: [Double]
    /// Rows in the estimation domain: in the requested domain and with no model variable missing.
    public var domain: [Bool]
    /// Rows of the requested domain left out because a model variable is missing (R `na.omit`).
    public var missingRows: Int

    /// Builds the matrix of `formula` over `data`, restricted to the rows where `subset` is true.
    public init(formula: Formula, text: String, data: ModelData, subset: [Bool]? = nil) throws {
        let n = data.rowCount
        var domain = subset ?? [Bool](repeating: true, count: n)
        let requested = domain.filter { $0 }.count
        // Evaluate the response and each distinct component once, in the language of `--subpop`.
        var y = [Double](repeating: 0, count: n)
        let batch = data.batch
        let response = try Self.values(formula.response, batch: batch, text: text)
        for r in 0..<n where domain[r] {
            if let v = response[r].double, v.isFinite { y[r] = v } else { domain[r] = false }
        }
        var values: [String: [Value]] = [:]
        for term in formula.terms {
            for c in term.components where values[c.deparsed] == nil {
                let inner = try Self.factorArgument(c) ?? Self.polynomial(c, text: text)?.0 ?? c
                let column = try Self.values(inner, batch: batch, text: text)
                for r in 0..<n where domain[r] {
                    if column[r] == .missing { domain[r] = false }
                    if case .number(let d) = column[r], !d.isFinite { domain[r] = false }
                }
                values[c.deparsed] = column
            }
        }
        // Each component as named columns: numeric, or the indicator of each level.
        struct Coded { var names: [String]; var levels: [String]; var reference: Int; var isFactor: Bool }
        var coded: [String: Coded] = [:]
        let components = Dictionary(formula.terms.flatMap(\.components).map { ($0.deparsed, $0) }) { a, _ in a }
        for (key, column) in values {
            let c = components[key]!
            let isFactor = Self.factorArgument(c) != nil
                || domain.indices.contains { domain[$0] && (Self.isText(column[$0]) || Self.isLogical(column[$0])) }
            guard isFactor else { coded[key] = Coded(names: [c.deparsed], levels: [], reference: 0, isFactor: false); continue }
            var seen = Set<String>()
            for r in 0..<n where domain[r] { seen.insert(Self.key(column[r])) }
            let levels = Self.sortLevels(Array(seen))
            var reference = 0
            if case .call(_, let args, let names, let p) = c, let i = names.firstIndex(of: "ref") {
                let ref: String
                switch args[i] {
                case .string(let s, _): ref = s
                case .number(let v, _): ref = Self.key(.number(v))
                default: throw FormulaError(text: text, position: p, message: "ref must be a level in quotes")
                }
                guard let k = levels.firstIndex(of: ref) else {
                    throw FormulaError(text: text, position: args[i].position,
                                       message: "ref level '\(ref)' is not among the levels \(levels.joined(separator: ", "))")
                }
                reference = k
            }
            coded[key] = Coded(names: [], levels: levels, reference: reference, isFactor: true)
        }
        var names: [String] = []
        var termOf: [String] = []
        var indicator: [Bool] = []
        // Column generators: for each model column, the (component, level index or -1 for numeric) factors.
        var generators: [[(String, Int)]] = []
        if formula.intercept {
            names.append("(Intercept)")
            termOf.append("(Intercept)")
            indicator.append(false)
            generators.append([])
        }
        let labels = Set(formula.terms.map(\.key))
        for term in formula.terms {
            var combos: [[(String, Int)]] = [[]]
            var comboNames: [String] = [""]
            for c in term.components {
                let k = coded[c.deparsed]!
                var options: [(Int, String)]
                if k.isFactor {
                    let rest = Set(term.components.map(\.deparsed).filter { $0 != c.deparsed })
                    let contrasts = rest.isEmpty ? formula.intercept : labels.contains(rest)
                    options = k.levels.indices.filter { !contrasts || $0 != k.reference }.map { ($0, c.deparsed + k.levels[$0]) }
                } else {
                    // A raw polynomial's columns are the powers 1...degree (level -d is the power d).
                    let degree = try Self.polynomial(c, text: text)?.1
                    options = degree.map { d in (1...d).map { (-$0, c.deparsed + String($0)) } } ?? [(-1, c.deparsed)]
                }
                // The first component varies fastest, as in R's model.matrix.
                var nextCombos: [[(String, Int)]] = []
                var nextNames: [String] = []
                for (o, name) in options {
                    for (i, combo) in combos.enumerated() {
                        nextCombos.append(combo + [(c.deparsed, o)])
                        nextNames.append(comboNames[i].isEmpty ? name : comboNames[i] + ":" + name)
                    }
                }
                combos = nextCombos
                comboNames = nextNames
            }
            for (combo, name) in zip(combos, comboNames) {
                generators.append(combo)
                names.append(name)
                termOf.append(term.label)
                indicator.append(combo.contains { $0.1 >= 0 })
            }
        }
        let p = names.count
        var x = [Double](repeating: 0, count: n * p)
        for r in 0..<n where domain[r] {
            for (j, gen) in generators.enumerated() {
                var v = 1.0
                for (c, level) in gen {
                    let value = values[c]![r]
                    if level >= 0 {
                        if Self.key(value) != coded[c]!.levels[level] { v = 0; break }
                    } else {
                        v *= level == -1 ? value.double! : pow(value.double!, Double(-level))
                    }
                }
                x[r * p + j] = v
            }
        }
        self.names = names
        self.termOf = termOf
        self.isIndicator = indicator
        self.x = x
        self.y = y
        self.domain = domain
        missingRows = requested - domain.filter { $0 }.count
    }

    /// `poly(V, d, raw = TRUE)`: the argument and the degree (R's orthogonal polynomials are not supported).
    static func polynomial(_ e: Expression, text: String) throws -> (Expression, Int)? {
        guard case .call("poly", let args, let names, let p) = e else { return nil }
        guard args.count == 3, names == ["", "", "raw"], case .number(let d, _) = args[1], d >= 1, d == d.rounded(),
              case .variable("TRUE", _) = args[2] else {
            throw FormulaError(text: text, position: p, message: "write poly(V, degree, raw = TRUE)")
        }
        return (args[0], Int(d))
    }

    static func factorArgument(_ e: Expression) -> Expression? {
        if case .call(let f, let args, let names, _) = e, f == "factor" || f == "as.factor", let first = args.first,
           names.first == "" {
            return first
        }
        return nil
    }

    /// The value of `e` on every row: `I(…)`, `log(V)` and plain columns are evaluated as ``RowExpression``s.
    static func values(_ e: Expression, batch: Batch, text: String) throws -> [Value] {
        var inner = e
        if case .call("I", let args, let names, _) = e, args.count == 1, names == [""] { inner = args[0] }
        let expression: RowExpression
        do {
            expression = try RowExpression(parsing: inner.deparsed)
            switch try expression.evaluate(batch) {
            case .numbers(let v): return v.map { $0.isNaN ? .missing : .number($0) }
            case .texts(let v): return v.map { $0.map { .text($0) } ?? .missing }
            case .logicals(let v): return v.map { $0.map { .logical($0) } ?? .missing }
            }
        } catch {
            throw FormulaError(text: text, position: e.position, message: error.message)
        }
    }

    static func isText(_ v: Value) -> Bool { if case .text = v { return true } else { return false } }
    static func isLogical(_ v: Value) -> Bool { if case .logical = v { return true } else { return false } }

    /// The level label of a value, as R prints it (`TRUE`, `3`, `2.5`, `H`).
    static func key(_ v: Value) -> String {
        switch v {
        case .text(let s): return s
        case .logical(let b): return b ? "TRUE" : "FALSE"
        case .number(let x): return x == x.rounded() && abs(x) < 1e15 ? String(Int64(x)) : String(x)
        case .missing: return "NA"
        }
    }

    /// Levels in R's order: numerically when all are numbers (and FALSE before TRUE), otherwise as text.
    static func sortLevels(_ levels: [String]) -> [String] {
        if levels.allSatisfy({ Double($0) != nil }) { return levels.sorted { Double($0)! < Double($1)! } }
        return levels.sorted()
    }
}

/// One value of a formula component on a row.
enum Value: Equatable {
    case number(Double), text(String), logical(Bool), missing

    var double: Double? {
        switch self {
        case .number(let v): return v.isNaN ? nil : v
        case .logical(let b): return b ? 1 : 0
        case .text(let s): return Double(s)
        case .missing: return nil
        }
    }
}
