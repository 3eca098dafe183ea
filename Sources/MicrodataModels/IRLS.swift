/// Iteratively reweighted least squares exactly as R's `glm.fit` (same start, same convergence test: relative
/// change in deviance below 1e-8, at most 25 iterations), so that estimates agree with R to rounding.
struct IRLS {
    var solution: WeightedLeastSquares
    var eta: [Double]
    var mu: [Double]
    /// dμ/dη at `eta`.
    var muEta: [Double]
    /// The working weights of the last iteration (R `glm.object$weights`).
    var working: [Double]
    var iterations = 0
    var converged = false

    /// Fits `m` on `rows` with prior `weights`; `start` (over all model columns) replaces R's starting means.
    init(_ m: DesignMatrix, family: GLMFamily, weights: [Double], rows: [Int], start: [Double]? = nil) throws {
        let n = m.y.count, p = m.names.count
        eta = [Double](repeating: 0, count: n)
        mu = [Double](repeating: 0, count: n)
        working = [Double](repeating: 0, count: n)
        muEta = [Double](repeating: 0, count: n)
        solution = WeightedLeastSquares(p: 0)
        for r in rows {
            if let start {
                eta[r] = (m.nzStart[r]..<m.nzStart[r + 1]).reduce(0) { $0 + m.nzValue[$1] * start[Int(m.nzColumn[$1])] }
            } else {
                eta[r] = family.link(family.start(m.y[r], weight: weights[r]))
            }
            (mu[r], muEta[r]) = family.meanAndSlope(eta[r])
        }
        func deviance() -> Double { rows.reduce(0) { $0 + family.deviance(m.y[$1], mu[$1], weight: weights[$1]) } }
        var devOld = deviance()
        var z = [Double](repeating: 0, count: n)
        while iterations < 25 {
            iterations += 1
            for r in rows {
                let d = muEta[r]
                z[r] = eta[r] + (m.y[r] - mu[r]) / d
                working[r] = weights[r] * d * d / family.variance(mu[r])
            }
            solution = try WeightedLeastSquares(m, z: z, w: working, rows: rows)
            var beta = [Double](repeating: 0, count: p)
            for (k, j) in solution.kept.enumerated() { beta[j] = solution.beta[k] }
            for r in rows {
                var e = 0.0
                for i in m.nzStart[r]..<m.nzStart[r + 1] { e += m.nzValue[i] * beta[Int(m.nzColumn[i])] }
                eta[r] = e
                (mu[r], muEta[r]) = family.meanAndSlope(e)
            }
            let dev = deviance()
            if abs(dev - devOld) / (abs(dev) + 0.1) < 1e-8 { converged = true; break }
            devOld = dev
        }
    }
}
