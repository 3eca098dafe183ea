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
