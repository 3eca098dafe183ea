/// An ``AttackProblem`` loaded once, with some cells known to the attacker, that gives one target's
/// interval at a time; each solve warm-starts from the previous basis, so asking for many targets of the
/// same component costs one model load.
final class AttackModel {
    let problem: AttackProblem
    /// The column bounds with the known cells fixed.
    let lower: [Double]
    let upper: [Double]
    private let solver: any LinearProgramSolver
    private let exact: Bool
    /// `nil` when the problem has a single relation (closed form).
    private let model: (any LinearProgramModel)?
    private var integerModel: (any LinearProgramModel)?
    private let sums: AttackProblem.RelationSums?

    init(_ problem: AttackProblem, known: [Int], truth: (Int) -> Double, solver: any LinearProgramSolver, exact: Bool)
        throws
    {
        self.problem = problem
        self.solver = solver
        self.exact = exact
        var lo = problem.lower, hi = problem.upper
        for cell in known {
            if let k = problem.local[cell] { lo[k] = truth(cell); hi[k] = lo[k] }
        }
        lower = lo
        upper = hi
        if problem.rows.count == 1 {
            sums = problem.relationSums(lo, hi)
            model = nil
        } else {
            sums = nil
            model = try solver.load(LinearProgram(columnLower: lo, columnUpper: hi, rows: problem.rows))
        }
    }

    /// `[lower, upper]` of the component's cell at column `k`.
    func interval(_ k: Int) throws -> (Double, Double) {
        guard let model else { return problem.closedFormInterval(k, sums!, lo: lower[k], hi: upper[k]) }
        let component = problem.component
        var pair: [Double] = []
        for direction in [OptimisationDirection.minimise, .maximise] {
            var bound: Double
            switch try model.optimise([(k, 1)], direction, exact: exact) {
            case let .optimal(v): bound = v
            case .unbounded: bound = direction == .minimise ? -.infinity : .infinity
            case .infeasible:
                throw DisclosureError.table(
                    source: "audit", line: nil,
                    reason: "published cells around cell \(component[k]) are inconsistent (no feasible table)")
            }
            if problem.integral, bound.isFinite {
                let vertexIntegral = component.indices.allSatisfy {
                    let v = model.columnValue($0)
                    return abs(v - v.rounded()) <= 1e-7 * max(1, abs(v))
                }
                // The exact argument: an integral optimal vertex is also the integer optimum.
                if !vertexIntegral {
                    if integerModel == nil {
                        integerModel = try solver.load(LinearProgram(columnLower: lower, columnUpper: upper, rows: problem.rows))
                    }
                    if case let .optimal(v)? = try integerModel!.optimiseInteger(
                        [(k, 1)], direction, integerColumns: Array(component.indices), timeLimitSeconds: 10)
                    {
                        bound = direction == .minimise ? max(bound, v) : min(bound, v)
                    }
                }
                bound = direction == .minimise ? (bound - 1e-7).rounded(.up) : (bound + 1e-7).rounded(.down)
            }
            pair.append(bound)
        }
        return (pair[0], pair[1])
    }
}
