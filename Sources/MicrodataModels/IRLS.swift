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
    init(_ m: DesignMatrix, family: GLMFamily, weights: [Double], rows fitted: [Int], start: [Double]? = nil) throws {
        let n = m.y.count, p = m.names.count
        var eta = HugePages.array(repeating: 0.0, count: n)
        var mu = HugePages.array(repeating: 0.0, count: n)
        var muEta = HugePages.array(repeating: 0.0, count: n)
        var working = HugePages.array(repeating: 0.0, count: n)
        var solution = WeightedLeastSquares(p: 0)
        // The linear predictor, mean and slope of each row, and the deviance added up in row order.
        func update(_ beta: [Double]?) -> Double {
            var deviance = 0.0
            m.withRows { rows in (beta ?? []).withUnsafeBufferPointer { beta in
            m.y.withUnsafeBufferPointer { y in
                weights.withUnsafeBufferPointer { w in
                    eta.withUnsafeMutableBufferPointer { eta in
                        mu.withUnsafeMutableBufferPointer { mu in
                            muEta.withUnsafeMutableBufferPointer { muEta in
                                for r in fitted {
                                    if !beta.isEmpty {
                                        eta[r] = rows.paddedDot(r, beta)
                                    } else {
                                        eta[r] = family.link(family.start(y[r], weight: w[r]))
                                    }
                                    (mu[r], muEta[r]) = family.meanAndSlope(eta[r])
                                    deviance += family.deviance(y[r], mu[r], weight: w[r])
                                }
                            }
                        }
                    }
                }
            } } }
            return deviance
        }
        var iterations = 0
        var converged = false
        // Coefficients carry a 0 for the spare column of ``MatrixRows/Reader/paddedDot(_:_:)``.
        var devOld = update(start.map { $0 + [0] })
        while iterations < 25 {
            iterations += 1
            solution = try WeightedLeastSquares(
                m, family: family, weights: weights, eta: eta, mu: mu, muEta: muEta, working: &working, rows: fitted)
            var beta = [Double](repeating: 0, count: p + 1)
            for (k, j) in solution.kept.enumerated() { beta[j] = solution.beta[k] }
            let dev = update(beta)
            if abs(dev - devOld) / (abs(dev) + 0.1) < 1e-8 { converged = true; break }
            devOld = dev
        }
        (self.solution, self.eta, self.mu, self.muEta, self.working) = (solution, eta, mu, muEta, working)
        (self.iterations, self.converged) = (iterations, converged)
    }
}
