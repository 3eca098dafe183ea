/// A linear program in column bounds and row ranges, independent of any solver.
///
/// Columns and rows are 0-based here; solver wrappers translate to their own indexing.
public struct LinearProgram: Sendable {
    /// A sparse row: `lower ≤ Σ coefficient·x[column] ≤ upper` (`nil` means unbounded on that side).
    public struct Row: Sendable {
        public var terms: [(column: Int, coefficient: Double)]
        public var lower: Double?
        public var upper: Double?
        public init(terms: [(column: Int, coefficient: Double)], lower: Double?, upper: Double?) {
            self.terms = terms
            self.lower = lower
            self.upper = upper
        }
    }

    public var columnLower: [Double?]
    public var columnUpper: [Double?]
    public var rows: [Row]

    public init(columnLower: [Double?], columnUpper: [Double?], rows: [Row]) {
        self.columnLower = columnLower
        self.columnUpper = columnUpper
        self.rows = rows
    }

    public var columnCount: Int { columnLower.count }
}

/// The result of optimising one objective.
public enum LinearProgramOutcome: Sendable, Equatable {
    case optimal(Double)
    case unbounded
    case infeasible
}

/// Whether to minimise or maximise.
public enum OptimisationDirection: Sendable {
    case minimise, maximise
}

/// A loaded linear program that can be re-optimised with different objectives and column bounds
/// (the basis is kept between calls, so consecutive solves warm-start).
public protocol LinearProgramModel: AnyObject {
    /// Optimises `Σ coefficient·x[column]` in `direction`; with `exact`, the optimum is certified in
    /// rational arithmetic.
    func optimise(
        _ objective: [(column: Int, coefficient: Double)], _ direction: OptimisationDirection, exact: Bool
    ) throws -> LinearProgramOutcome
    /// Changes the bounds of one column (`nil` = unbounded).
    func setColumnBounds(_ column: Int, lower: Double?, upper: Double?)
    /// The value of a column in the last optimal solution (of `optimiseInteger` after that call).
    func columnValue(_ column: Int) -> Double
    /// Minimises or maximises with `binaryColumns` restricted to {0, 1}, within a time limit; returns
    /// `nil` when no integer solution was found in time.
    func optimiseInteger(
        _ objective: [(column: Int, coefficient: Double)], _ direction: OptimisationDirection,
        binaryColumns: [Int], timeLimitSeconds: Double
    ) throws -> LinearProgramOutcome?
    /// The same with `integerColumns` restricted to whole numbers within their bounds (the attacker's
    /// integer problem); `nil` when the optimum was not proven in time.
    func optimiseInteger(
        _ objective: [(column: Int, coefficient: Double)], _ direction: OptimisationDirection,
        integerColumns: [Int], timeLimitSeconds: Double
    ) throws -> LinearProgramOutcome?
}

/// Loads linear programs into a solver. The one place a solver library is named.
public protocol LinearProgramSolver: Sendable {
    func load(_ program: LinearProgram) throws -> any LinearProgramModel
}
