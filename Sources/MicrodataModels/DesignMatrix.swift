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
    /// Row-major, `rowCount × names.count`; rows outside the domain are zero (made from the compressed rows).
    public var x: [Double] {
        var x = [Double](repeating: 0, count: y.count * columnCount)
        var columns = [Int32](repeating: 0, count: maximumEntriesPerRow)
        var values = [Double](repeating: 0, count: maximumEntriesPerRow)
        withRows { rows in
            for r in y.indices {
                let k = rows.entries(r, &columns, &values)
                for i in 0..<k { x[r * columnCount + Int(columns[i])] = values[i] }
            }
        }
        return x
    }
    private var columnCount = 0
    public var y: [Double]
    /// Rows in the estimation domain: in the requested domain and with no model variable missing.
    public var domain: [Bool]
    /// Rows of the requested domain left out because a model variable is missing (R `na.omit`).
    public var missingRows: Int
    /// The non-zero entries of `x` by row.
    var rows = MatrixRows()
    /// The most non-zero entries of a row.
    var maximumEntriesPerRow: Int { rows.maximumPerRow }

    /// Reads the rows' non-zero entries (``MatrixRows/Reader``; valid only inside `body`).
    func withRows<T>(_ body: (MatrixRows.Reader) throws -> T) rethrows -> T {
        try rows.withReader(domain: domain, body)
    }

    /// Builds the matrix of `formula` over `data`, restricted to the rows where `subset` is true.
    public init(formula: Formula, text: String, data: ModelData, subset: [Bool]? = nil) throws {
        try self.init(formula: formula, text: text, data: data, subset: subset, compressed: false)
    }

    /// `compressed`: compressed rows whatever the terms (the form any formula can take; for tests).
    init(formula: Formula, text: String, data: ModelData, subset: [Bool]?, compressed: Bool) throws {
        let n = data.rowCount
        var domain = subset ?? [Bool](repeating: true, count: n)
        let requested = domain.count(where: { $0 })
        // Evaluate the response and each distinct component once, in the language of `--subpop`.
        var y = HugePages.array(repeating: 0.0, count: n)
        let batch = data.batch
        switch try Self.values(formula.response, batch: batch, text: text) {
        case .numbers(let v): for r in 0..<n where domain[r] { if v[r].isFinite { y[r] = v[r] } else { domain[r] = false } }
        case .logicals(let v): for r in 0..<n where domain[r] { if let b = v[r] { y[r] = b ? 1 : 0 } else { domain[r] = false } }
        case .texts(let v):
            for r in 0..<n where domain[r] {
                if let d = v[r].flatMap({ Double($0) }), d.isFinite { y[r] = d } else { domain[r] = false }
            }
        }
        var values: [String: RowValues] = [:]
        for term in formula.terms {
            for c in term.components where values[c.deparsed] == nil {
                let inner = try Self.factorArgument(c) ?? Self.polynomial(c, text: text)?.0 ?? c
                let column = try Self.values(inner, batch: batch, text: text)
                switch column {
                case .numbers(let v): for r in 0..<n where domain[r] && !v[r].isFinite { domain[r] = false }
                case .texts(let v): for r in 0..<n where domain[r] && v[r] == nil { domain[r] = false }
                case .logicals(let v): for r in 0..<n where domain[r] && v[r] == nil { domain[r] = false }
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
            var categorical = true
            if case .numbers = column { categorical = false }
            guard Self.factorArgument(c) != nil || categorical else {
                coded[key] = Coded(names: [c.deparsed], levels: [], reference: 0, isFactor: false)
                continue
            }
            // Each row's code among the distinct values, then one label per value (not a String per row).
            var code = HugePages.array(repeating: Int32(-1), count: n)
            var labels: [String] = []
            switch column {
            case .numbers(let v):
                var distinct: [Double: Int32] = [:]
                var small = [Int32](repeating: -1, count: 256)  // the numbers 0...255, without hashing
                for r in 0..<n where domain[r] {
                    let x = v[r]
                    let slot = x >= 0 && x < 256 && Double(Int(x)) == x ? Int(x) : -1
                    if slot >= 0 && small[slot] >= 0 { code[r] = small[slot]; continue }
                    if let k = distinct[x] { code[r] = k; continue }
                    code[r] = Int32(labels.count)
                    distinct[x] = code[r]
                    labels.append(Self.key(x))
                    if slot >= 0 { small[slot] = code[r] }
                }
            case .texts(let v):
                var distinct: [String: Int32] = [:]
                for r in 0..<n where domain[r] {
                    let t = v[r]!
                    if let k = distinct[t] { code[r] = k; continue }
                    code[r] = Int32(labels.count)
                    distinct[t] = code[r]
                    labels.append(t)
                }
            case .logicals(let v):
                labels = ["FALSE", "TRUE"]
                for r in 0..<n where domain[r] { code[r] = v[r]! ? 1 : 0 }
                let used = Set(code.filter { $0 >= 0 })
                if !used.contains(0) { labels[0] = "" }
                if !used.contains(1) { labels[1] = "" }
            }
            let levels = Self.sortLevels(Array(Set(labels.filter { !$0.isEmpty })))
            let levelOf = labels.map { Int32(levels.firstIndex(of: $0) ?? -1) }
            code.withUnsafeMutableBufferPointer { code in
                for r in 0..<n where code[r] >= 0 { code[r] = levelOf[Int(code[r])] }
            }
            let level = code
            var reference = 0
            if case .call(_, let args, let names, let p) = c, let i = names.firstIndex(of: "ref") {
                let ref: String
                switch args[i] {
                case .string(let s, _): ref = s
                case .number(let v, _): ref = Self.key(v)
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
        if formula.intercept {
            names.append("(Intercept)")
            termOf.append("(Intercept)")
            indicator.append(false)
        }
        let labels = Set(formula.terms.map(\.key))
        // Per term: its first column and, per component, the options its columns take (level index, or −d for
        // the power d of a number).
        var termParts: [(base: Int, parts: [(key: String, options: [Int])])] = []
        for term in formula.terms {
            termParts.append((names.count, []))
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
                termParts[termParts.count - 1].parts.append((c.deparsed, options.map(\.0)))
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
                names.append(name)
                termOf.append(term.label)
                indicator.append(combo.contains { $0.1 >= 0 })
            }
        }
        let p = names.count
        let perTerm = !compressed && termParts.allSatisfy { t in
            t.parts.count == 1 && (coded[t.parts[0].key]!.isFactor || t.parts[0].options == [-1])
        }
        if perTerm {
            rows = Self.perTermRows(termParts, coded: coded.mapValues { ($0.isFactor, $0.levels.count, $0.level) },
                                    values: values, domain: domain, intercept: formula.intercept)
        } else {
            rows = Self.compressedRows(
                termParts, coded: coded.mapValues { ($0.isFactor, $0.levels.count, $0.level) }, values: values,
                domain: domain, intercept: formula.intercept, perRow: formula.terms.count + 1)
        }
        columnCount = p
        self.names = names
        self.termOf = termOf
        self.isIndicator = indicator
        self.y = y
        self.domain = domain
        missingRows = requested - domain.count(where: { $0 })
    }

    /// Factor levels and numbers of each row, a term at a time (every term one factor or one plain number).
    static func perTermRows(
        _ termParts: [(base: Int, parts: [(key: String, options: [Int])])],
        coded: [String: (isFactor: Bool, levels: Int, level: [Int32])], values: [String: RowValues], domain: [Bool],
        intercept: Bool
    ) -> MatrixRows {
        let n = domain.count
        var m = MatrixRows()
        m.intercept = intercept
        let spare = Int32(termParts.last.map { $0.base + $0.parts[0].options.count } ?? (intercept ? 1 : 0))
        m.spare = spare
        var factorLevels: [[Int32]] = [], numberValues: [[Double]] = []
        for (base, parts) in termParts {
            let (key, options) = parts[0]
            let k = coded[key]!
            m.termIsFactor.append(k.isFactor)
            m.tableStart.append(m.table.count)
            m.termColumn.append(Int32(base))
            if k.isFactor {
                var column = [Int32](repeating: -1, count: k.levels)
                for (i, level) in options.enumerated() { column[level] = Int32(base + i) }
                m.table += column
                m.paddedTable += column.map { $0 < 0 ? spare : $0 }
                factorLevels.append(k.level)
            } else if case .numbers(let x) = values[key]! {
                numberValues.append(x)
            }
        }
        let F = factorLevels.count, Q = numberValues.count
        (m.factorTerms, m.numberTerms) = (F, Q)
        m.levels = HugePages.array(count: n * F) { (out: UnsafeMutableBufferPointer<Int32>) in
            for (f, level) in factorLevels.enumerated() {
                level.withUnsafeBufferPointer { level in for r in 0..<n { out[r * F + f] = level[r] } }
            }
        }
        m.numbers = HugePages.array(count: n * Q) { (out: UnsafeMutableBufferPointer<Double>) in
            for (q, x) in numberValues.enumerated() {
                x.withUnsafeBufferPointer { x in for r in 0..<n { out[r * Q + q] = domain[r] ? x[r] : 0 } }
            }
        }
        m.maximumPerRow = (intercept ? 1 : 0) + termParts.count
        return m
    }

    /// Compressed rows for any formula: each term's non-zero columns on a row straight from its components.
    static func compressedRows(
        _ termParts: [(base: Int, parts: [(key: String, options: [Int])])],
        coded: [String: (isFactor: Bool, levels: Int, level: [Int32])], values: [String: RowValues], domain: [Bool],
        intercept: Bool, perRow: Int
    ) -> MatrixRows {
        let n = domain.count
        // Per component (flattened, component-major): the level of each row (factors), or its number.
        let keys = Array(values.keys)
        let factorKeys = keys.filter { coded[$0]!.isFactor }, numberKeys = keys.filter { !coded[$0]!.isFactor }
        var factorLevel = [Int32](repeating: -1, count: factorKeys.count * n)
        var number = [Double](repeating: 0, count: numberKeys.count * n)
        for (c, key) in factorKeys.enumerated() {
            factorLevel.withUnsafeMutableBufferPointer { f in for (r, l) in coded[key]!.level.enumerated() { f[c * n + r] = l } }
        }
        for (c, key) in numberKeys.enumerated() {
            guard case .numbers(let x) = values[key]! else { continue }
            number.withUnsafeMutableBufferPointer { v in for r in 0..<n where domain[r] { v[c * n + r] = x[r] } }
        }
        // Each term's non-zero columns on a row, straight from its components: a factor picks one option (none
        // on its reference level), a number takes every power; the first component varies fastest, so columns
        // come in ascending order, and values multiply in component order.
        var partOffset: [Int] = [], partStride: [Int] = [], partFactor: [Bool] = []
        var partTable: [[Int]] = []  // a factor's column step by level (−1: none); a number's powers
        var termBase: [Int] = [], termFirstPart: [Int] = []
        for term in termParts {
            termBase.append(term.base)
            termFirstPart.append(partOffset.count)
            var stride = 1
            for (key, options) in term.parts {
                let k = coded[key]!
                partOffset.append((k.isFactor ? factorKeys : numberKeys).firstIndex(of: key)! * n)
                partStride.append(stride)
                partFactor.append(k.isFactor)
                if k.isFactor {
                    var step = [Int](repeating: -1, count: k.levels)
                    for (i, level) in options.enumerated() { step[level] = i * stride }
                    partTable.append(step)
                } else {
                    partTable.append(options.map { -$0 })
                }
                stride *= options.count
            }
        }
        termFirstPart.append(partOffset.count)
        var starts: [Int] = [], cols: [Int32] = [], vals: [Double] = []
        starts.reserveCapacity(n + 1)
        // About one non-zero per term and row (an indicator or a number), plus the intercept.
        cols.reserveCapacity(n * perRow)
        vals.reserveCapacity(n * perRow)
        starts.append(0)
        var digits = [Int](repeating: 0, count: partOffset.count)
        factorLevel.withUnsafeBufferPointer { factorLevel in
            number.withUnsafeBufferPointer { number in
                for r in 0..<n {
                    if domain[r] {
                        if intercept {
                            cols.append(0)
                            vals.append(1)
                        }
                        terms: for t in termBase.indices {
                            var column = termBase[t]
                            var numeric = false
                            for q in termFirstPart[t]..<termFirstPart[t + 1] {
                                if partFactor[q] {
                                    let step = partTable[q][Int(factorLevel[partOffset[q] + r])]
                                    if step < 0 { continue terms }
                                    column += step
                                } else {
                                    numeric = true
                                    digits[q] = 0
                                }
                            }
                            if !numeric {
                                cols.append(Int32(column))
                                vals.append(1)
                                continue
                            }
                            // Every combination of the numbers' powers, the first component's fastest.
                            while true {
                                var v = 1.0, at = column
                                for q in termFirstPart[t]..<termFirstPart[t + 1] where !partFactor[q] {
                                    let power = partTable[q][digits[q]], x = number[partOffset[q] + r]
                                    v *= power == 1 ? x : pow(x, Double(power))
                                    at += digits[q] * partStride[q]
                                }
                                if v != 0 {
                                    cols.append(Int32(at))
                                    vals.append(v)
                                }
                                var q = termFirstPart[t]
                                while q < termFirstPart[t + 1] {
                                    if !partFactor[q] {
                                        digits[q] += 1
                                        if digits[q] < partTable[q].count { break }
                                        digits[q] = 0
                                    }
                                    q += 1
                                }
                                if q == termFirstPart[t + 1] { break }
                            }
                        }
                    }
                    starts.append(cols.count)
                }
            }
        }
        var m = MatrixRows()
        m.compressed = true
        m.maximumPerRow = zip(starts.dropFirst(), starts).map { $0 - $1 }.max() ?? 0
        (m.start, m.column, m.value) = (starts, cols, vals)
        return m
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
    static func values(_ e: Expression, batch: Batch, text: String) throws -> RowValues {
        var inner = e
        if case .call("I", let args, let names, _) = e, args.count == 1, names == [""] { inner = args[0] }
        do {
            return try RowExpression(parsing: inner.deparsed).evaluate(batch)
        } catch {
            throw FormulaError(text: text, position: e.position, message: error.message)
        }
    }

    /// The level label of a number, as R prints it (`3`, `2.5`).
    static func key(_ x: Double) -> String {
        x == x.rounded() && abs(x) < 1e15 ? String(Int64(x)) : String(x)
    }

    /// Levels in R's order: numerically when all are numbers (and FALSE before TRUE), otherwise as text.
    static func sortLevels(_ levels: [String]) -> [String] {
        if levels.allSatisfy({ Double($0) != nil }) { return levels.sorted { Double($0)! < Double($1)! } }
        return levels.sorted()
    }
}
