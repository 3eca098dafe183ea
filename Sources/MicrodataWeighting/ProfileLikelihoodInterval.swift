import Foundation

/// The likelihood interval of a proportion, as R survey's `svyciprop(method = "likelihood")` computes it.
///
/// R fits the intercept-only quasibinomial `svyglm(y ~ 1)` and profiles its deviance: the interval is the set
/// of intercepts β whose scaled likelihood-ratio statistic stays within a cut-off that the design effect
/// stretches (a Rao–Scott scaling of the likelihood ratio). The steps, reproduced one for one so the limits
/// agree with R to rounding:
///
/// 1. Fit logit p ~ 1 by IRLS as `glm.fit` does, on the rescaled weights `W = w / mean(w)`: binomial start
///    `(W y + ½)/(W + 1)`, stop when the relative change of the deviance is below ``tolerance``.
/// 2. The design effect λ is the design variance of β̂ over its model variance, the latter from IRLS's last
///    working weights (what `summary.glm` reports). The cut-off is `t_{df, α/2} · √λ`.
/// 3. The profile statistic is `τ(β) = sign(β − β̂) √((D(β) − D(β̂)) / φ)`, with D the binomial deviance and
///    φ the design-weighted variance of the Pearson residuals. It is evaluated on the grid
///    `β̂ ± k δ se(β̂)`, `k = 1, 2, …` (fewer than ``maxSteps`` points a side) until `|τ| ≥ z_max`, with
///    `z_max = √F⁻¹_{1, n−1}(1 − α′)`, `α′ = Φ(t_{df, α/2} √λ) / 2` and `δ = z_max / 5` (R `profile.glm`).
/// 4. β at `τ = ∓ cut-off` is read off R's `spline()` through the grid (Forsythe–Malcolm–Moler cubic,
///    sampled at three times the grid points) by linear interpolation (`approx()`), and mapped back
///    with the inverse logit.
///
/// Step 4 is interpolation, not root-finding, so the limits are R's to rounding but differ from the exact
/// inverse of the profile by up to about 1e-6 on the logit scale.
///
/// ```swift
/// let interval = ProfileLikelihoodInterval()
/// let (lower, upper) = try interval.limits(
///     weights: w, inCategory: y, variance: se * se, level: 0.95, degreesOfFreedom: 14)
/// ```
public struct ProfileLikelihoodInterval: Sendable, Hashable {
    /// Grid points a side are fewer than this (R `profile.glm(maxsteps = 10)`).
    public var maxSteps: Int
    /// IRLS convergence on the relative change of the deviance (R `glm.control(epsilon = 1e-8)`).
    public var tolerance: Double
    /// IRLS iteration limit (R `glm.control(maxit = 25)`).
    public var maxIterations: Int

    /// R's settings by default.
    public init(maxSteps: Int = 10, tolerance: Double = 1e-8, maxIterations: Int = 25) {
        self.maxSteps = maxSteps
        self.tolerance = tolerance
        self.maxIterations = maxIterations
    }

    /// The interval's limits on the proportion scale.
    ///
    /// - Parameters:
    ///   - weights: the sampling weights of the rows of the (domain) design with a value, all positive.
    ///   - inCategory: whether each row is in the category whose proportion is estimated.
    ///   - variance: the design variance of the estimated proportion (Taylor or replicate).
    ///   - level: the confidence level, for example 0.95.
    ///   - degreesOfFreedom: the denominator degrees of freedom; infinite for the normal.
    /// - Returns: NaN limits when the proportion is 0 or 1 or its variance is 0 (the profile is flat or
    ///   unbounded), and a NaN limit when the cut-off lies beyond the profiled grid.
    /// - Throws: ``WeightingError/invalidRequest(_:)`` when the rows and flags differ in number, the degrees
    ///   of freedom are not positive, or IRLS does not converge.
    public func limits(
        weights: [Double], inCategory: [Bool], variance: Double, level: Double, degreesOfFreedom df: Double
    ) throws(WeightingError) -> (Double, Double) {
        guard weights.count == inCategory.count, weights.count > 1 else {
            throw .invalidRequest("likelihood interval: \(weights.count) weights for \(inCategory.count) rows")
        }
        guard df > 0 else {
            throw .invalidRequest("likelihood interval: degrees of freedom must be positive, found \(df)")
        }
        let n = weights.count
        let meanW = weights.reduce(0, +) / Double(n)
        let W = weights.map { $0 / meanW }
        let y = inCategory.map { $0 ? 1.0 : 0.0 }
        let sumWY = zip(W, y).reduce(0) { $0 + $1.0 * $1.1 }
        guard sumWY > 0, sumWY < W.reduce(0, +), variance > 0 else { return (.nan, .nan) }

        func deviance(_ mu: Double) -> Double {
            var s = 0.0
            for k in 0..<n { s += 2 * W[k] * (y[k] == 1 ? log(1 / mu) : log(1 / (1 - mu))) }
            return s
        }

        // 1. IRLS (glm.fit) for the intercept.
        var eta = (0..<n).map { k -> Double in
            let m = (W[k] * y[k] + 0.5) / (W[k] + 1)
            return log(m / (1 - m))
        }
        var mu = eta.map(Self.expit)
        var devOld = 0.0
        for k in 0..<n { devOld += 2 * W[k] * (y[k] == 1 ? log(1 / mu[k]) : log(1 / (1 - mu[k]))) }
        var beta = 0.0, sumW2 = 0.0, converged = false
        for _ in 0..<maxIterations {
            var sw = 0.0, swz = 0.0
            for k in 0..<n where W[k] > 0 {
                let me = Self.muEta(eta[k])
                let z = eta[k] + (y[k] - mu[k]) / me
                let w2 = W[k] * me * me / (mu[k] * (1 - mu[k]))
                sw += w2
                swz += w2 * z
            }
            beta = swz / sw
            sumW2 = sw
            let m = Self.expit(beta)
            eta = [Double](repeating: beta, count: n)
            mu = [Double](repeating: m, count: n)
            let dev = deviance(m)
            if abs(dev - devOld) / (abs(dev) + 0.1) < tolerance {
                converged = true
                break
            }
            devOld = dev
        }
        guard converged else {
            throw .invalidRequest("likelihood interval: IRLS did not converge in \(maxIterations) iterations")
        }

        // 2. Design effect of the coefficient and the cut-off.
        let muHat = Self.expit(beta)
        let meHat = Self.muEta(beta)
        let designVariance = variance / (meHat * meHat)
        let lambda = designVariance * sumW2
        let se = designVariance.squareRoot()
        let tLow = Distributions.tQuantile((1 - level) / 2, df: df)
        let cutoff = tLow * lambda.squareRoot()
        let alpha = Distributions.normalCDF(cutoff) / 2
        let zMax = Distributions.tQuantile(1 - alpha / 2, df: Double(n - 1))
        let delta = zMax / 5

        // Dispersion: svyvar of the Pearson residuals (y − μ)/√(μ(1 − μ)).
        let sd = (muHat * (1 - muHat)).squareRoot()
        var sw = 0.0, swr = 0.0
        for k in 0..<n {
            sw += weights[k]
            swr += weights[k] * (y[k] - muHat) / sd
        }
        let rBar = swr / sw
        var swrr = 0.0
        for k in 0..<n {
            let r = (y[k] - muHat) / sd - rBar
            swrr += weights[k] * r * r
        }
        let dispersion = Double(n) / Double(n - 1) * swrr / sw

        // 3. The profile on R's grid.
        let dev0 = deviance(muHat)
        var betas = [beta], taus = [0.0]
        for sign in [-1.0, 1.0] {
            var step = 0
            var z = 0.0
            while true {
                step += 1
                guard step < maxSteps, abs(z) < zMax else { break }
                let b = beta + sign * Double(step) * delta * se
                let zz = (deviance(Self.expit(b)) - dev0) / dispersion
                guard zz > -0.001 else {
                    throw .invalidRequest("likelihood interval: the profile found a better fit than IRLS")
                }
                z = sign * max(zz, 0).squareRoot()
                betas.append(b)
                taus.append(z)
            }
        }
        let order = taus.indices.sorted { taus[$0] < taus[$1] || (taus[$0] == taus[$1] && $0 < $1) }

        // 4. Spline through (β, τ), read back at τ = ∓ cut-off.
        let spline = CubicSpline(x: order.map { betas[$0] }, y: order.map { taus[$0] })
        let curve = spline.sampled()
        let lower = CubicSpline.approx(x: curve.y, y: curve.x, at: cutoff)
        let upper = CubicSpline.approx(x: curve.y, y: curve.x, at: -cutoff)
        return (Self.expit(lower), Self.expit(upper))
    }

    /// The inverse logit as R's `binomial()$linkinv` computes it.
    static func expit(_ eta: Double) -> Double {
        let t = exp(eta)
        return t / (1 + t)
    }

    /// dμ/dη of the logit link as R's `binomial()$mu.eta` computes it.
    static func muEta(_ eta: Double) -> Double {
        let o = 1 + exp(eta)
        return exp(eta) / (o * o)
    }
}
