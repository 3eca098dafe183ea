/// The attacker's problem for one connected group of suppressed cells: the relations that touch them with
/// the published cells moved to the right-hand side, and the a-priori bounds. Gives each cell's feasibility
/// interval, optionally with some cells known to the attacker (a coalition of singletons).
///
/// A group touching a single relation (a one-way table, or an isolated row) is solved in closed form;
/// otherwise by LP, with integrality where the measure is whole: the LP optimum is the integer optimum
/// when its vertex is integral (the exact argument), and GLPK's branch and cut decides otherwise.
struct AttackProblem {
    let component: [Int]
    let local: [Int: Int]
    let lower: [Double]
    let upper: [Double]
    let rows: [LinearProgram.Row]
    let integral: Bool

    /// - Parameter value: the published value of a cell outside `component`; `nil` for a marker (an error).
    init(
        table: ProtectionTable, component: [Int], measure: Measure, bounds: AttackerBounds, integral: Bool,
        value: (Int) -> Double?
    ) throws {
        self.component = component
        self.integral = integral
        let local = Dictionary(uniqueKeysWithValues: component.enumerated().map { ($1, $0) })
        self.local = local
        lower = component.map { bounds.lower($0, in: table) }
        upper = component.map { _ in bounds.upper }
        var touched = Set<Int>()
        for i in component { touched.formUnion(table.relationsOfCell[i]) }
        var rows: [LinearProgram.Row] = []
        for r in touched.sorted() {
            let relation = table.relations[r]
            var rhs = 0.0
            var terms: [(column: Int, coefficient: Double)] = []
            for (j, c) in [(relation.total, 1.0)] + relation.parts.map({ ($0, -1.0) }) {
                if let k = local[j] {
                    terms.append((k, c))
                } else if let v = value(j) {
                    rhs -= c * v
                } else {
                    throw DisclosureError.table(
                        source: "audit", line: nil, reason: "cell \(table.name(of: j)) is a marker but not in the suppressed set")
                }
            }
            let slack = table.slack(r, measure)
            rows.append(.init(terms: terms, lower: rhs - slack, upper: rhs + slack))
        }
        self.rows = rows
    }

    /// `[lower, upper]` of every cell (only `targets` are solved; the others get their a-priori bounds),
    /// with the cells in `known` fixed at `truth`.
    func intervals(
        known: [Int] = [], truth: (Int) -> Double, targets: Set<Int>? = nil, solver: any LinearProgramSolver,
        exact: Bool
    ) throws -> [(Double, Double)] {
        let attack = try AttackModel(self, known: known, truth: truth, solver: solver, exact: exact)
        return try component.indices.map { k in
            if let targets, !targets.contains(component[k]) { return (attack.lower[k], attack.upper[k]) }
            return try attack.interval(k)
        }
    }

    /// The sums behind the closed form of a single relation, for bounds `lo`, `hi`.
    struct RelationSums {
        var coefficient: [Double]
        var minSum: Double
        var maxSum: Double
    }

    func relationSums(_ lo: [Double], _ hi: [Double]) -> RelationSums {
        var coefficient = Array(repeating: 0.0, count: component.count)
        for term in rows[0].terms { coefficient[term.column] += term.coefficient }
        var minSum = 0.0, maxSum = 0.0
        for k in component.indices {
            let c = coefficient[k]
            minSum += min(c * lo[k], c * hi[k])
            maxSum += max(c * lo[k], c * hi[k])
        }
        return RelationSums(coefficient: coefficient, minSum: minSum, maxSum: maxSum)
    }

    /// How fixing cell `k` at its true value `a` narrows the sum of the others: it raises their minimum by
    /// the first number and lowers their maximum by the second.
    func shifts(_ k: Int, _ a: Double, _ sums: RelationSums) -> (Double, Double) {
        let c = sums.coefficient[k]
        return (c * a - min(c * lower[k], c * upper[k]), max(c * lower[k], c * upper[k]) - c * a)
    }

    /// The closed-form interval of cell `k` in a single relation, when fixed cells raise the others'
    /// minimum by `raise` and lower their maximum by `drop`.
    ///
    /// `c_k y_k` ranges over `[r_lo − max Σ_{j≠k} c_j y_j, r_hi − min Σ_{j≠k} c_j y_j]`, within its own
    /// bounds. A single row with ±1 coefficients is totally unimodular, so for whole numbers every integer
    /// in between is reached.
    func closedFormInterval(_ k: Int, _ sums: RelationSums, lo: Double, hi: Double, raise: Double = 0, drop: Double = 0)
        -> (Double, Double)
    {
        let c = sums.coefficient[k]
        if c == 0 { return (lo, hi) }
        let othersMin = sums.minSum - min(c * lo, c * hi) + raise
        let othersMax = sums.maxSum - max(c * lo, c * hi) - drop
        let a = (rows[0].lower ?? -.infinity) - othersMax, b = (rows[0].upper ?? .infinity) - othersMin
        var (l, h) = c > 0 ? (a, b) : (-b, -a)
        l = max(l, lo)
        h = min(h, hi)
        if integral {
            l = (l - 1e-7).rounded(.up)
            h = (h + 1e-7).rounded(.down)
        }
        return (l, h)
    }
}
