/// Calibration of the weights to known population totals, as R `calibrate()` does it, with the variance
/// from the calibration residuals; post-stratification is the case of one categorical variable with a term
/// for every level.
///
/// The calibrated weights are `w = g d`. Unbounded linear calibration (GREG, the default) has the closed form
/// `g = 1 + x'λ` with `λ = (Σ d x x')⁻¹ (T_x − Σ d x)`, computed from per-unit moments of x in the single pass.
/// Any other ``Distance`` or finite ``bounds`` on g is solved as R `grake()` does: Newton iterations on the
/// Lagrange multipliers λ (see ``Calibration/Distance``), which needs x and d of every row, kept during the pass.
///
/// ```swift
/// var design = SurveyDesign(weight: "pw", clusters: ["dnum"], fpc: ["fpc"])
/// design.calibration = Calibration(
///     terms: [.intercept(total: 6194), .level(column: "stype", value: "H", total: 755),
///             .level(column: "stype", value: "M", total: 1018), .numeric(column: "api99", total: 3914069)],
///     distance: .logit, bounds: 0.7...1.7)
/// ```
///
/// Variance (every distance): the scores `z_k` of an estimate are replaced by `w_k (u_k − x_k'B)`, with
/// `u = z/w` and `B = (Σ d x x')⁻¹ Σ d x u` fitted with the input weights, as R's `svyrecvar` does for a
/// `greg_calibration`.
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

        /// The term as written in a totals file: `intercept`, `VAR=LEVEL` or `VAR`.
        public var name: String {
            switch self {
            case .intercept: return "intercept"
            case .level(let c, let v, _): return "\(c)=\(v)"
            case .numeric(let c, _): return c
            }
        }
    }

    /// The calibration distance (R `calfun`): how the g-weights depend on `u = x'λ`.
    ///
    /// With bounds `[L, U]`, R clips g to the bounds and sets the derivative to 0 where the bound is hit:
    ///
    /// | distance | g | derivative set to 0 when |
    /// | --- | --- | --- |
    /// | `linear` | `min(max(1 + u, L), U)` | `1 + u ∉ (L, U)` |
    /// | `raking` | `min(max(eᵘ, L), U)` | `1 + u ∉ (L, U)` (R's test, on u rather than eᵘ) |
    /// | `logit` | `[L(U−1) + U(1−L)e^{Au}] / [(U−1) + (1−L)e^{Au}]`, `A = (U−L)/((U−1)(1−L))` | never |
    public enum Distance: String, Sendable, Hashable, CaseIterable {
        /// Linear (chi-squared) distance; with bounds, R's truncated linear calibration.
        case linear
        /// Raking ratio (multiplicative) distance: `g = exp(u)`, always positive.
        case raking
        /// Logit distance: g stays strictly inside finite bounds `L < 1 < U`.
        case logit
    }

    /// The calibration columns and their population totals.
    public var terms: [Term]
    /// The distance function (R `calfun`); `.linear` by default.
    public var distance: Distance
    /// Bounds on the g-weights `w/d` (R `bounds = c(L, U)`); unbounded by default. Finite bounds must
    /// satisfy `L < 1 < U`; `.logit` requires them.
    public var bounds: ClosedRange<Double>
    /// Convergence of the Newton iterations: every `|T_j − Σ w x_j| / (1 + |T_j|)` below this (R `epsilon`).
    public var epsilon: Double
    /// The most Newton iterations (R `maxit`); not converging by then is an error.
    public var maxIterations: Int

    /// Calibration to `terms` with `distance` and g-weight `bounds`, with R's defaults for the iteration.
    ///
    /// - Parameters:
    ///   - terms: The model-matrix columns and their population totals.
    ///   - distance: R `calfun`; `.linear` without bounds is the closed-form GREG.
    ///   - bounds: R `bounds` on the g-weights; `-∞...∞` for none.
    ///   - epsilon: R `epsilon`, default 1e-7.
    ///   - maxIterations: R `maxit`, default 50.
    public init(
        terms: [Term], distance: Distance = .linear, bounds: ClosedRange<Double> = -Double.infinity...Double.infinity,
        epsilon: Double = 1e-7, maxIterations: Int = 50
    ) {
        self.terms = terms
        self.distance = distance
        self.bounds = bounds
        self.epsilon = epsilon
        self.maxIterations = maxIterations
    }

    /// Post-stratification on `column` to the population counts of its levels.
    public static func postStratify(column: String, totals: [(String, Double)]) -> Calibration {
        Calibration(terms: totals.map { .level(column: column, value: $0.0, total: $0.1) })
    }

    /// Whether the weights come from R's `grake` Newton iterations rather than the closed-form GREG
    /// (R `regcalibrate`), which is used for unbounded linear calibration only.
    var isIterative: Bool {
        distance != .linear || bounds.lowerBound != -.infinity || bounds.upperBound != .infinity
    }

    /// The method in words, for the design description.
    var summary: String {
        guard isIterative else { return "linear" }
        let b = bounds.lowerBound == -.infinity && bounds.upperBound == .infinity
            ? "" : ", g in [\(formatBound(bounds.lowerBound)), \(formatBound(bounds.upperBound))]"
        return distance.rawValue + b
    }
}

private func formatBound(_ x: Double) -> String {
    x.isInfinite ? (x < 0 ? "-Inf" : "Inf") : (x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : String(x))
}

/// What the calibration did: the iterations and the range of the g-weights `w/d`.
public struct CalibrationSummary: Sendable, Hashable {
    /// Newton iterations taken (0 for the closed-form linear calibration and for raking by ``Raking``).
    public var iterations: Int
    /// The smallest g-weight `w/d` over rows with positive input weight.
    public var smallestG: Double
    /// The largest g-weight.
    public var largestG: Double
    /// `Σ w x_j` with the calibrated weights, per term (in the order of ``Calibration/terms``).
    public var achievedTotals: [Double]
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
