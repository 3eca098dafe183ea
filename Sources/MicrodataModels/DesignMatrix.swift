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
    /// The non-zero entries of `x` by row (compressed rows): row r's are at `nzStart[r]..<nzStart[r + 1]`.
    var nzStart: [Int] = []
    var nzColumn: [Int32] = []
    var nzValue: [Double] = []

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
        struct Coded {
            var names: [String]; var levels: [String]; var reference: Int; var isFactor: Bool
            /// A factor's level index on each domain row.
            var level: [Int32] = []
        }
        var coded: [String: Coded] = [:]
        let components = Dictionary(formula.terms.flatMap(\.components).map { ($0.deparsed, $0) }) { a, _ in a }
        for (key, column) in values {
            let c = components[key]!
            let isFactor = Self.factorArgument(c) != nil
                || domain.indices.contains { domain[$0] && (Self.isText(column[$0]) || Self.isLogical(column[$0])) }
            guard isFactor else { coded[key] = Coded(names: [c.deparsed], levels: [], reference: 0, isFactor: false); continue }
            // Distinct values first, then one label each (not a String per row).
            var distinct: [Value: Int32] = [:]
            var code = [Int32](repeating: -1, count: n)
            for r in 0..<n where domain[r] {
                if let c = distinct[column[r]] { code[r] = c; continue }
                code[r] = Int32(distinct.count)
                distinct[column[r]] = code[r]
            }
            let labels = distinct.sorted { $0.value < $1.value }.map { Self.key($0.key) }
            let levels = Self.sortLevels(Array(Set(labels)))
            let levelOf = labels.map { Int32(levels.firstIndex(of: $0)!) }
            let level = code.map { $0 < 0 ? -1 : levelOf[Int($0)] }
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
            coded[key] = Coded(names: [], levels: levels, reference: reference, isFactor: true, level: level)
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
        // Per component: the level of each row (factors) or its number.
        let keys = Array(values.keys)
        let factorLevel = keys.map { coded[$0]!.level }
        let number = keys.map { k in coded[k]!.isFactor ? [] : values[k]!.map { $0.double ?? 0 } }
        let steps = generators.map { gen in gen.map { (keys.firstIndex(of: $0.0)!, $0.1) } }
        for r in 0..<n where domain[r] {
            for (j, gen) in steps.enumerated() {
                var v = 1.0
                for (c, level) in gen {
                    if level >= 0 {
                        if factorLevel[c][r] != Int32(level) { v = 0; break }
                    } else {
                        v *= level == -1 ? number[c][r] : pow(number[c][r], Double(-level))
                    }
                }
                x[r * p + j] = v
            }
        }
        nzStart.reserveCapacity(n + 1)
        nzStart.append(0)
        for r in 0..<n {
            for j in 0..<p where x[r * p + j] != 0 {
                nzColumn.append(Int32(j))
                nzValue.append(x[r * p + j])
            }
            nzStart.append(nzColumn.count)
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
enum Value: Hashable {
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
