import CGLPK

/// `LinearProgramSolver` backed by GLPK (Debian `libglpk-dev`, GPL-3+: the project's licence must stay
/// GPL-3-compatible while this wrapper is linked; swap in another `LinearProgramSolver` to avoid it).
///
/// GLPK keeps its environment per thread, so a model must be used on the thread that loaded it.
public struct GLPKSolver: LinearProgramSolver {
    public init() {}

    public func load(_ program: LinearProgram) throws -> any LinearProgramModel {
        try GLPKModel(program)
    }
}

/// One GLPK problem object (`glp_prob`), freed with `glp_delete_prob` when released.
final class GLPKModel: LinearProgramModel {
    private let problem: OpaquePointer
    private let columnCount: Int
    private let rowCount: Int

    init(_ program: LinearProgram) throws {
        for row in program.rows {
            for term in row.terms where term.column < 0 || term.column >= program.columnCount {
                throw DisclosureError.solver("row refers to column \(term.column) of \(program.columnCount)")
            }
        }
        // glp_term_out: silence GLPK's terminal output.
        glp_term_out(GLP_OFF)
        // glp_create_prob: a new empty problem.
        problem = glp_create_prob()
        columnCount = program.columnCount
        rowCount = program.rows.count
        if program.columnCount > 0 {
            // glp_add_cols: append columns (GLPK indexes them from 1).
            glp_add_cols(problem, Int32(program.columnCount))
        }
        for j in 0..<program.columnCount {
            Self.setBounds(problem, column: j, program.columnLower[j], program.columnUpper[j])
        }
        if !program.rows.isEmpty {
            // glp_add_rows: append rows.
            glp_add_rows(problem, Int32(program.rows.count))
        }
        var ia: [Int32] = [0], ja: [Int32] = [0], ar: [Double] = [0]
        for (i, row) in program.rows.enumerated() {
            let index = Int32(i + 1)
            let (type, lo, hi) = Self.boundType(row.lower, row.upper)
            // glp_set_row_bnds: row type and bounds.
            glp_set_row_bnds(problem, index, type, lo, hi)
            for term in row.terms {
                ia.append(index)
                ja.append(Int32(term.column + 1))
                ar.append(term.coefficient)
            }
        }
        if ia.count > 1 {
            // glp_load_matrix: the constraint matrix as 1-based triplets.
            glp_load_matrix(problem, Int32(ia.count - 1), &ia, &ja, &ar)
        }
        // glp_scale_prob: automatic scaling (cell values span many orders of magnitude).
        glp_scale_prob(problem, GLP_SF_AUTO)
    }

    deinit {
        // glp_delete_prob: free the problem object.
        glp_delete_prob(problem)
    }

    private static func boundType(_ lower: Double?, _ upper: Double?) -> (Int32, Double, Double) {
        switch (lower, upper) {
        case (nil, nil): return (GLP_FR, 0, 0)
        case let (l?, nil): return (GLP_LO, l, 0)
        case let (nil, u?): return (GLP_UP, 0, u)
        case let (l?, u?): return l == u ? (GLP_FX, l, u) : (GLP_DB, l, max(l, u))
        }
    }

    private static func setBounds(_ problem: OpaquePointer, column: Int, _ lower: Double?, _ upper: Double?) {
        let (type, lo, hi) = boundType(lower, upper)
        // glp_set_col_bnds: column type and bounds.
        glp_set_col_bnds(problem, Int32(column + 1), type, lo, hi)
    }

    func setColumnBounds(_ column: Int, lower: Double?, upper: Double?) {
        Self.setBounds(problem, column: column, lower, upper)
    }

    private var lastWasInteger = false

    func columnValue(_ column: Int) -> Double {
        if lastWasInteger {
            // glp_mip_col_val: value of a column in the last integer solution.
            return glp_mip_col_val(problem, Int32(column + 1))
        }
        // glp_get_col_prim: primal value of a column in the last basic solution.
        return glp_get_col_prim(problem, Int32(column + 1))
    }

    private func setObjective(_ objective: [(column: Int, coefficient: Double)], _ direction: OptimisationDirection) {
        for j in 0..<columnCount {
            // glp_set_obj_coef: objective coefficient of column j.
            glp_set_obj_coef(problem, Int32(j + 1), 0)
        }
        for term in objective {
            glp_set_obj_coef(problem, Int32(term.column + 1), term.coefficient)
        }
        // glp_set_obj_dir: minimise or maximise.
        glp_set_obj_dir(problem, direction == .minimise ? GLP_MIN : GLP_MAX)
    }

    func optimiseInteger(
        _ objective: [(column: Int, coefficient: Double)], _ direction: OptimisationDirection,
        binaryColumns: [Int], timeLimitSeconds: Double
    ) throws -> LinearProgramOutcome? {
        for column in binaryColumns {
            // glp_set_col_kind: make the column binary (GLP_BV also sets bounds [0, 1]).
            glp_set_col_kind(problem, Int32(column + 1), GLP_BV)
        }
        return try branchAndCut(objective, direction, timeLimitSeconds)
    }

    func optimiseInteger(
        _ objective: [(column: Int, coefficient: Double)], _ direction: OptimisationDirection,
        integerColumns: [Int], timeLimitSeconds: Double
    ) throws -> LinearProgramOutcome? {
        for column in integerColumns {
            // GLP_IV: integer within the column's own bounds.
            glp_set_col_kind(problem, Int32(column + 1), GLP_IV)
        }
        let outcome = try branchAndCut(objective, direction, timeLimitSeconds)
        // An incumbent found before the time limit is a feasible point, not the bound: not proven.
        if glp_mip_status(problem) != GLP_OPT, case .optimal? = outcome { return nil }
        return outcome
    }

    private func branchAndCut(
        _ objective: [(column: Int, coefficient: Double)], _ direction: OptimisationDirection, _ timeLimitSeconds: Double
    ) throws -> LinearProgramOutcome? {
        setObjective(objective, direction)
        var parm = glp_iocp()
        // glp_init_iocp: default branch-and-cut parameters.
        glp_init_iocp(&parm)
        parm.msg_lev = GLP_MSG_OFF
        parm.presolve = GLP_ON
        parm.tm_lim = Int32(max(1, min(timeLimitSeconds * 1000, 3_600_000)))
        // glp_intopt: branch-and-cut for the MIP.
        let rc = glp_intopt(problem, &parm)
        lastWasInteger = true
        // glp_mip_status: status of the integer solution.
        let status = glp_mip_status(problem)
        if status == GLP_OPT || status == GLP_FEAS {
            // glp_mip_obj_val: objective value of the integer solution.
            return .optimal(glp_mip_obj_val(problem))
        }
        if status == GLP_NOFEAS { return .infeasible }
        if rc == GLP_ETMLIM || rc == GLP_EMIPGAP || rc == GLP_ESTOP { return nil }
        if rc == GLP_ENOPFS || rc == GLP_ENODFS { return .infeasible }
        return nil
    }

    func optimise(
        _ objective: [(column: Int, coefficient: Double)], _ direction: OptimisationDirection, exact: Bool
    ) throws -> LinearProgramOutcome {
        setObjective(objective, direction)
        lastWasInteger = false
        var parm = glp_smcp()
        // glp_init_smcp: default simplex parameters.
        glp_init_smcp(&parm)
        parm.msg_lev = GLP_MSG_OFF
        parm.presolve = GLP_OFF
        parm.meth = GLP_DUALP
        // glp_simplex: floating-point simplex, warm-started from the current basis.
        var rc = glp_simplex(problem, &parm)
        if rc != 0 {
            // glp_std_basis: restart from the trivial basis with the primal simplex after a failed warm start.
            glp_std_basis(problem)
            parm.meth = GLP_PRIMAL
            rc = glp_simplex(problem, &parm)
        }
        if rc != 0 { throw DisclosureError.solver("GLPK glp_simplex returned code \(rc)") }
        // glp_exact needs at least one row; without rows the optimum is a column bound and exact already.
        if exact, rowCount > 0 {
            // glp_exact: rational-arithmetic simplex from the current basis (certifies the bound).
            let exactRC = glp_exact(problem, &parm)
            if exactRC != 0 { throw DisclosureError.solver("GLPK glp_exact returned code \(exactRC)") }
        }
        // glp_get_status: status of the basic solution.
        switch glp_get_status(problem) {
        case GLP_OPT:
            // glp_get_obj_val: objective value.
            return .optimal(glp_get_obj_val(problem))
        case GLP_UNBND: return .unbounded
        case GLP_NOFEAS: return .infeasible
        case let s: throw DisclosureError.solver("GLPK solution status \(s)")
        }
    }
}
