/// Linear calibration (GREG) of the weights to known population totals, with the variance from the
/// calibration residuals as R `calibrate(calfun="linear")` computes it; post-stratification is the case of
/// one categorical variable with a term for every level.
///
/// The calibrated weights are `w = d (1 + x'λ)` with `λ = (Σ d x x')⁻¹ (T_x − Σ d x)`; everything is done in
/// the same single pass (per-unit moments of x), so no second read of the data is needed.
public struct Calibration: Sendable, Hashable {
    /// One column of the calibration model matrix and its population total.
    public enum Term: Sendable, Hashable {
        /// The constant 1 (total: the population size).
        case intercept(total: Double)
        /// The indicator of `column == value`.
        case level(column: String, value: String, total: Double)
        /// A numeric variable.
        case numeric(column: String, total: Double)

        var total: Double {
            switch self {
            case .intercept(let t), .level(_, _, let t), .numeric(_, let t): return t
            }
        }
    }

    public var terms: [Term]

    public init(terms: [Term]) { self.terms = terms }

    /// Post-stratification on `column` to the population counts of its levels.
    public static func postStratify(column: String, totals: [(String, Double)]) -> Calibration {
        Calibration(terms: totals.map { .level(column: column, value: $0.0, total: $0.1) })
    }
}

/// Solves `A x = b` (p×p, row-major) by Gaussian elimination with partial pivoting.
func solveLinear(_ a: [Double], _ b: [Double]) throws -> [Double] {
    let p = b.count
    var m = a
    var x = b
    for col in 0..<p {
        var pivot = col
        for r in col..<p where abs(m[r * p + col]) > abs(m[pivot * p + col]) { pivot = r }
        if abs(m[pivot * p + col]) < 1e-12 * max(1, abs(m[col * p + col])) || m[pivot * p + col] == 0 {
            throw WeightingError.invalidDesign("the calibration totals are collinear (term \(col + 1))")
        }
        if pivot != col {
            for k in 0..<p { m.swapAt(col * p + k, pivot * p + k) }
            x.swapAt(col, pivot)
        }
        for r in (col + 1)..<p {
            let f = m[r * p + col] / m[col * p + col]
            if f == 0 { continue }
            for k in col..<p { m[r * p + k] -= f * m[col * p + k] }
            x[r] -= f * x[col]
        }
    }
    for col in stride(from: p - 1, through: 0, by: -1) {
        var s = x[col]
        for k in (col + 1)..<p { s -= m[col * p + k] * x[k] }
        x[col] = s / m[col * p + col]
    }
    return x
}

/// Raking (iterative proportional fitting) of the weights to population margins, with R `rake()`'s
/// iteration and its variance (ten sweeps of projections onto the margins with the final sweep's weights).
public struct Raking: Sendable, Hashable {
    /// A margin: a categorical column and the population count of each of its levels.
    public struct Margin: Sendable, Hashable {
        public var column: String
        public var totals: [String: Double]
        public init(column: String, totals: [String: Double]) {
            self.column = column
            self.totals = totals
        }
    }

    public var margins: [Margin]
    /// Convergence: the largest change of a joint cell's weighted count between sweeps must fall below
    /// `epsilon` (weighted units when ≥ 1, otherwise a fraction of Σw), as in R.
    public var epsilon: Double
    public var maxIterations: Int

    /// Tight by default (1e-10 of Σw, 100 sweeps); ``rCompatible(margins:)`` gives R's defaults.
    public init(margins: [Margin], epsilon: Double = 1e-10, maxIterations: Int = 100) {
        self.margins = margins
        self.epsilon = epsilon
        self.maxIterations = maxIterations
    }

    /// R's defaults (`epsilon = 1` weighted unit, 10 sweeps), which leave margins slightly off.
    public static func rCompatible(margins: [Margin]) -> Raking { Raking(margins: margins, epsilon: 1, maxIterations: 10) }

    /// Levels of each margin in a fixed order, and the number of joint cells.
    var levels: [[String]] { margins.map { $0.totals.keys.sorted(by: naturalLess) } }
    var jointCells: Int { levels.reduce(1) { $0 * $1.count } }
}
