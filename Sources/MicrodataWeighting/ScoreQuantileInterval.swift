import Foundation

/// The score (Francisco–Fuller) interval of a quantile, as R `svyquantile(interval.type = "score")`: the θ where
/// the design-based test of mean(1(x > θ)) = 1 − p is at ∓t, found by R's `uniroot` (Brent's zeroin) on
/// [min + IQR/100, max − IQR/100] with tolerance 1/(100 √n), then mapped back through the quantile rule at
/// the *unweighted* share of values ≤ θ (R's quirk).
struct ScoreQuantileInterval {
    /// The rows' values (every row of the domain with a value, any order) and weights.
    var x: [Double]
    var w: [Double]
    /// The standard error of F̂(θ) = Σ w 1(x ≤ θ) / Σ w at θ.
    var standardErrorOfCDF: (Double) throws -> Double
    var sample: SortedSample
    var rule: QuantileRule

    func interval(p: Double, critical t: Double) throws -> (Double, Double) {
        let sorted = x.sorted()
        let n = sorted.count
        guard n >= 2 else { return (.nan, .nan) }
        func type7(_ q: Double) -> Double {
            let h = Double(n - 1) * q
            let lo = Int(h.rounded(.down))
            let hi = min(lo + 1, n - 1)
            return sorted[lo] + (h - Double(lo)) * (sorted[hi] - sorted[lo])
        }
        let iqr = type7(0.75) - type7(0.25)
        let lower = sorted[0] + iqr / 100, upper = sorted[n - 1] - iqr / 100
        let tol = 1 / (100 * Double(n).squareRoot())
        func score(_ theta: Double, _ limit: Double) throws -> Double {
            let f = sample.cdf(theta)
            return (p - f) / (try standardErrorOfCDF(theta)) - limit
        }
        func end(_ limit: Double) throws -> Double {
            let root = try Self.zeroin(lower, upper, tol: tol) { try score($0, limit) }
            guard let root else { return .nan }
            let share = Double(x.reduce(0) { $0 + ($1 <= root ? 1 : 0) }) / Double(x.count)
            return sample.quantile(share, rule: rule)
        }
        return (try end(t), try end(-t))
    }

    /// R's `uniroot(f, c(a, b), tol = tol)` (R_zeroin2, maxiter 1000); `nil` when f(a) and f(b) do not
    /// bracket a root or are not finite (R stops with an error there).
    static func zeroin(_ ax: Double, _ bx: Double, tol: Double, maxIterations: Int = 1000,
                       _ f: (Double) throws -> Double) throws -> Double? {
        var a = ax, b = bx
        var fa = try f(a), fb = try f(b)
        guard fa.isFinite, fb.isFinite, !(fa > 0 && fb > 0), !(fa < 0 && fb < 0) else { return nil }
        var c = a, fc = fa
        if fa == 0 { return a }
        if fb == 0 { return b }
        let eps = Double.ulpOfOne
        var iterations = maxIterations + 1
        while iterations > 0 {
            iterations -= 1
            let previousStep = b - a
            if abs(fc) < abs(fb) {
                a = b; b = c; c = a
                fa = fb; fb = fc; fc = fa
            }
            let tolAct = 2 * eps * abs(b) + tol / 2
            var newStep = (c - b) / 2
            if abs(newStep) <= tolAct || fb == 0 { return b }
            if abs(previousStep) >= tolAct && abs(fa) > abs(fb) {
                var p: Double, q: Double
                let cb = c - b
                if a == c {
                    let t1 = fb / fa
                    p = cb * t1
                    q = 1 - t1
                } else {
                    q = fa / fc
                    let t1 = fb / fc, t2 = fb / fa
                    p = t2 * (cb * q * (q - t1) - (b - a) * (t1 - 1))
                    q = (q - 1) * (t1 - 1) * (t2 - 1)
                }
                if p > 0 { q = -q } else { p = -p }
                if p < 0.75 * cb * q - abs(tolAct * q) / 2 && p < abs(previousStep * q / 2) { newStep = p / q }
            }
            if abs(newStep) < tolAct { newStep = newStep > 0 ? tolAct : -tolAct }
            a = b; fa = fb
            b += newStep
            fb = try f(b)
            if (fb > 0 && fc > 0) || (fb < 0 && fc < 0) { c = a; fc = fa }
        }
        return b
    }
}
