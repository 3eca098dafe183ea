import Foundation

/// The arcsine transformation of proportions for the Fay–Herriot model, as R `emdi::fh(transformation = "arcsin")`
/// (emdi 2.x, R/framework_fh.R and R/back_transformation.R; Hadam, Würz and Kreutzmann 2020).
///
/// The direct proportion `p` becomes `asin(√p)` with sampling variance `1 / (4 n_eff)`, the model is fitted on that
/// scale, and the EBLUP θ̂ is brought back by
/// - `naive`: `sin²(θ̂)` with θ̂ truncated to [0, π/2] (emdi's `arcsin_naive`);
/// - `bc`: `∫₀^{π/2} sin²(x) φ(x; θ̂, A(1 − γ)) dx` for an area with a direct estimate, `sin²(x'β̂)` for one without
///   (emdi's `arcsin_bc`, which integrates over [0, π/2] only: mass above π/2 is dropped, so for proportions near 1
///   model the complementary level).
///
/// The MSE of the back-transformed estimate is the parametric bootstrap of emdi's `boot_arcsin_2` (González-Manteiga
/// et al. 2008), with the seeded ``SplitMix64`` generator.
public struct ArcsineTransformation: Sendable, Hashable {
    public enum BackTransformation: String, Sendable, Hashable, CaseIterable {
        case naive
        /// Bias-corrected.
        case bc
    }

    /// Which design effect turns an area's sample size `n` into its effective sample size `n / deff`.
    public enum DesignEffect: String, Sendable, Hashable, CaseIterable {
        /// The area's own, `v (n − 1) / (p (1 − p))` (R survey `deff = "replace"`); the mean of the others where it
        /// is undefined (p = 0 or 1, zero variance, n < 2).
        case area
        /// The mean of the areas' design effects, for every area.
        case pooled
    }

    public var backTransformation: BackTransformation
    public var designEffect: DesignEffect
    /// Bootstrap replicates for the MSE (emdi's `B`; emdi defaults to 50 and recommends more than 200).
    public var replicates: Int
    /// The bootstrap generator's seed (emdi's default is 123).
    public var seed: UInt64

    public init(backTransformation: BackTransformation = .naive, designEffect: DesignEffect = .area,
                replicates: Int = 200, seed: UInt64 = 123) {
        self.backTransformation = backTransformation
        self.designEffect = designEffect
        self.replicates = replicates
        self.seed = seed
    }

    /// Effective sample sizes of proportions, and the mean design effect used where an area's own is undefined.
    public struct EffectiveSizes: Sendable, Hashable {
        public var sizes: [Double]
        public var pooledDesignEffect: Double
        /// Areas with a design effect of their own.
        public var areasWithDesignEffect: Int
    }

    /// `n_eff = n / deff` per area, with `deff = v (n − 1) / (p (1 − p))` (the design variance over the variance of
    /// simple random sampling with replacement, as R survey's `deff = "replace"`).
    ///
    /// - Throws: ``SmallAreaAdjustmentError/noDesignEffect`` when no area has one.
    public func effectiveSampleSizes(estimates: [Double], variances: [Double], sizes: [Int]) throws -> EffectiveSizes {
        let deff: [Double?] = estimates.indices.map { i in
            let p = estimates[i], v = variances[i], n = Double(sizes[i])
            return n >= 2 && p > 0 && p < 1 && v > 0 ? v * (n - 1) / (p * (1 - p)) : nil
        }
        let own = deff.compactMap { $0 }
        guard !own.isEmpty else { throw SmallAreaAdjustmentError.noDesignEffect }
        let pooled = own.reduce(0, +) / Double(own.count)
        let effective = sizes.indices.map { i in
            Double(sizes[i]) / (designEffect == .area ? deff[i] ?? pooled : pooled)
        }
        return EffectiveSizes(sizes: effective, pooledDesignEffect: pooled, areasWithDesignEffect: own.count)
    }

    /// `asin(√p)`.
    public static func transform(_ p: Double) -> Double { asin(p.squareRoot()) }

    /// `sin²(θ)` with θ truncated to [0, π/2].
    public static func naive(_ theta: Double) -> Double {
        let s = sin(min(max(theta, 0), Double.pi / 2))
        return s * s
    }

    /// `∫₀^{π/2} sin²(x) φ(x; mean, variance) dx` (emdi's integral), by 16-point Gauss–Legendre on panels one
    /// standard deviation wide over mean ± 12 sd (outside, the normal's mass is below 1e-32); at variance 0 its limit.
    public static func biasCorrected(mean: Double, variance: Double) -> Double {
        let top = Double.pi / 2
        guard variance > 0 else { return mean < 0 || mean > top ? 0 : mean == top ? 0.5 : sin(mean) * sin(mean) }
        let sd = variance.squareRoot()
        let lo = max(0, mean - 12 * sd), hi = min(top, mean + 12 * sd)
        guard hi > lo else { return 0 }
        let panels = max(1, Int(((hi - lo) / sd).rounded(.up)))
        let h = (hi - lo) / Double(panels)
        let c = 1 / (sd * (2 * Double.pi).squareRoot())
        var sum = 0.0
        for k in 0..<panels {
            let mid = lo + (Double(k) + 0.5) * h
            for (x, w) in GaussLegendre.rule16 {
                let t = mid + 0.5 * h * x, z = (t - mean) / sd, s = sin(t)
                sum += w * 0.5 * h * s * s * c * exp(-0.5 * z * z)
            }
        }
        return sum
    }

    /// The back-transformed estimate: `variance` is `A(1 − γ)` for an area with a direct estimate, `nil` without.
    public func backTransform(_ theta: Double, variance: Double?) -> Double {
        switch backTransformation {
        case .naive: return Self.naive(theta)
        case .bc:
            guard let variance else { return sin(theta) * sin(theta) }
            return Self.biasCorrected(mean: theta, variance: variance)
        }
    }

    /// What the transformation did, beside the back-transformed fit.
    public struct Outcome: Sendable, Hashable {
        /// The fit on the arcsine scale (A, β, EBLUPs θ̂ and their analytic MSEs there).
        public var transformedFit: FayHerriotFit
        public var effective: EffectiveSizes
        /// Bootstrap replicates whose refit succeeded (the MSE averages over these).
        public var successfulReplicates: Int
    }

    /// The back-transformed fit: estimates on the proportion scale, bootstrap MSEs; γ and the standardised residuals
    /// stay those of the arcsine scale, `direct` and `directVariance` are the proportion and its design variance.
    ///
    /// - Parameters:
    ///   - fit: the fit on the arcsine scale of `data`.
    ///   - original: per area of `data`, the direct proportion and its design variance (`nil` without one).
    func backTransform(
        _ fit: FayHerriotFit, data: SmallAreaData, model: FayHerriot, original: [(Double, Double)?]
    ) throws -> (FayHerriotFit, successful: Int) {
        let (mse, successful) = bootstrapMSE(fit, data: data, model: model)
        if successful == 0 { throw SmallAreaAdjustmentError.noBootstrapRefit(replicates: replicates) }
        var out = fit
        for (d, e) in fit.areas.enumerated() {
            var b = e
            let sampled = e.kind == .eblup
            b.estimate = backTransform(e.estimate, variance: sampled ? fit.variance * (1 - e.gamma) : nil)
            b.synthetic = backTransform(e.synthetic, variance: nil)
            b.mse = mse[d]
            b.direct = original[d]?.0
            b.directVariance = original[d]?.1
            out.areas[d] = b
        }
        return (out, successful)
    }

    /// emdi's `boot_arcsin_2`: per replicate, area effects `v_d ~ N(0, A)` for every area and sampling errors
    /// `e_d ~ N(0, ψ_d)` for the sampled ones; the true value `sin²(x'β̂ + v_d)` (truncated to [0, π/2]); the model
    /// refitted to `x'β̂ + v_d + e_d` and its estimate back-transformed; the MSE the mean squared difference.
    /// Unlike emdi, whose bootstrap leaves the naive estimate untruncated, the estimate is back-transformed exactly
    /// as the published one. Replicates whose refit fails are left out.
    func bootstrapMSE(_ fit: FayHerriotFit, data: SmallAreaData, model: FayHerriot) -> ([Double], Int) {
        let m = data.areas.count, p = data.columns.count
        let beta = fit.coefficients.map(\.estimate)
        let xb = (0..<m).map { d in (0..<p).reduce(0) { $0 + data.x[d * p + $1] * beta[$1] } }
        let sdA = fit.variance.squareRoot()
        var rng = SplitMix64(seed: seed)
        var sum = [Double](repeating: 0, count: m)
        var successful = 0
        var star = data
        for _ in 0..<replicates {
            let v = (0..<m).map { _ in sdA * rng.normal() }
            for d in 0..<m {
                if let psi = data.variance[d] { star.direct[d] = xb[d] + v[d] + psi.squareRoot() * rng.normal() }
            }
            guard let refit = try? model.fit(star) else { continue }
            successful += 1
            for (d, e) in refit.areas.enumerated() {
                let truth = Self.naive(xb[d] + v[d])
                let estimate = backTransform(e.estimate, variance: e.kind == .eblup ? refit.variance * (1 - e.gamma) : nil)
                sum[d] += (estimate - truth) * (estimate - truth)
            }
        }
        return (sum.map { successful > 0 ? $0 / Double(successful) : .nan }, successful)
    }
}

/// Gauss–Legendre quadrature nodes and weights on [−1, 1], found by Newton's method on the Legendre polynomial.
enum GaussLegendre {
    static let rule16: [(Double, Double)] = rule(16)

    static func rule(_ n: Int) -> [(Double, Double)] {
        (1...n).map { i in
            var x = cos(Double.pi * (Double(i) - 0.25) / (Double(n) + 0.5))
            var derivative = 0.0
            for _ in 0..<100 {
                var p0 = 1.0, p1 = x
                for k in 2...n { (p0, p1) = (p1, ((2 * Double(k) - 1) * x * p1 - Double(k - 1) * p0) / Double(k)) }
                derivative = Double(n) * (x * p1 - p0) / (x * x - 1)
                let step = p1 / derivative
                x -= step
                if abs(step) < 1e-16 { break }
            }
            return (x, 2 / ((1 - x * x) * derivative * derivative))
        }
    }
}
