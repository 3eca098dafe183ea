import Foundation
import MicrodataWeighting

/// The area-level Fay–Herriot model `direct_d = x_d'β + u_d + e_d`, `u_d ~ N(0, A)`, `e_d ~ N(0, ψ_d)` with ψ_d
/// known, fitted as R `sae::eblupFH` and its MSE as `sae::mseFH` (Molina and Marhuenda 2015).
///
/// A is found by Fisher scoring from the median of the ψ_d, stopping when its relative change is at most
/// `tolerance`, and truncated at 0. The MSE is Prasad–Rao for the moment method and Datta–Lahiri (with the bias
/// of A) for ML and REML. Areas with auxiliary data and no direct estimate get the synthetic estimate `x'β` with
/// MSE `x'(X'V⁻¹X)⁻¹x + A`.
public struct FayHerriot: Sendable, Hashable {
    /// How A is estimated.
    public enum Method: String, Sendable, Hashable, CaseIterable {
        /// Restricted maximum likelihood (the default, as sae).
        case reml
        /// Maximum likelihood.
        case ml
        /// The Fay–Herriot moment estimator.
        case fh
    }

    public var method: Method
    /// Stop when `|A_{k+1} − A_k| ≤ tolerance · |A_k|` (sae's `PRECISION`, whose default 1e-4 is far from converged).
    public var tolerance: Double
    public var maxIterations: Int

    public init(method: Method = .reml, tolerance: Double = 1e-10, maxIterations: Int = 1000) {
        self.method = method
        self.tolerance = tolerance
        self.maxIterations = maxIterations
    }

    /// Fits the model to the areas of `data` that have a direct estimate and predicts every area.
    ///
    /// - Throws: ``SmallAreaError`` for zero or negative direct variances, too few areas, a singular design
    ///   matrix or a fit that does not converge.
    public func fit(_ data: SmallAreaData) throws -> FayHerriotFit {
        let p = data.columns.count
        let sampled = data.areas.indices.filter { data.direct[$0] != nil }
        let zero = sampled.filter { !(data.variance[$0]! > 0) }
        if !zero.isEmpty { throw SmallAreaError.nonPositiveVariance(areas: zero.map { data.areas[$0] }) }
        let m = sampled.count
        guard m >= p + 2 else { throw SmallAreaError.tooFewAreas(areas: m, parameters: p) }
        let x = sampled.map { d in Array(data.x[(d * p)..<((d + 1) * p)]) }
        let y = sampled.map { data.direct[$0]! }
        let psi = sampled.map { data.variance[$0]! }
        let aliased = Self.aliasedColumns(x, p: p)
        if !aliased.isEmpty { throw SmallAreaError.singularDesign(columns: aliased.map { data.columns[$0] }) }

        // Fisher scoring for A, transcribing sae::eblupFH.
        let sorted = psi.sorted()
        var a = m % 2 == 1 ? sorted[m / 2] : (sorted[m / 2 - 1] + sorted[m / 2]) / 2
        var k = 0
        var diff = Double.infinity
        var information = 0.0
        while diff > tolerance && k < maxIterations {
            k += 1
            let g = try Gram(x: x, y: y, vi: psi.map { 1 / (a + $0) })
            let score: Double
            switch method {
            case .ml:
                score = -0.5 * g.sumVi + 0.5 * g.sumPy2
                information = 0.5 * g.sumVi2
            case .reml:
                score = -0.5 * g.traceP + 0.5 * g.sumPy2
                information = 0.5 * g.tracePP
            case .fh:
                score = g.weightedRSS - Double(m - p)
                information = g.sumVi
            }
            let next = a + score / information
            diff = a == 0 ? abs(next - a) : abs((next - a) / a)
            a = next
            // A step below −min ψ leaves no valid variance: the estimate is at the boundary.
            if a <= -sorted[0] { a = 0; break }
        }
        if k >= maxIterations && diff >= tolerance {
            throw SmallAreaError.notConverged(method: method.rawValue, iterations: k, change: diff)
        }
        let unconstrained = a
        a = max(a, 0)

        let vi = psi.map { 1 / (a + $0) }
        let g = try Gram(x: x, y: y, vi: vi)
        let q = g.q
        let beta = g.beta
        var loglike = 0.0
        for d in 0..<m { loglike -= 0.5 * (log(2 * Double.pi * (a + psi[d])) + g.residual[d] * g.residual[d] * vi[d]) }

        // MSE terms of sae::mseFH.
        let sumVi = g.sumVi, sumVi2 = g.sumVi2
        let varA: Double
        var bias = 0.0
        switch method {
        case .reml: varA = 2 / sumVi2
        case .ml:
            varA = 2 / sumVi2
            bias = -g.traceQXtV2X / sumVi2
        case .fh:
            varA = 2 * Double(m) / (sumVi * sumVi)
            bias = 2 * (Double(m) * sumVi2 - sumVi * sumVi) / (sumVi * sumVi * sumVi)
        }
        func quadratic(_ xd: [Double]) -> Double {
            var s = 0.0
            for i in 0..<p { for j in 0..<p { s += xd[i] * q[i * p + j] * xd[j] } }
            return s
        }
        var estimates: [FayHerriotFit.AreaEstimate] = []
        var position = [Int: Int]()
        for (i, d) in sampled.enumerated() { position[d] = i }
        for d in data.areas.indices {
            let xd = Array(data.x[(d * p)..<((d + 1) * p)])
            let synthetic = zip(xd, beta).reduce(0) { $0 + $1.0 * $1.1 }
            if let i = position[d] {
                let b = psi[i] * vi[i]
                let g1 = psi[i] * (1 - b), g2 = b * b * quadratic(xd), g3 = b * b * varA / (a + psi[i])
                estimates.append(FayHerriotFit.AreaEstimate(
                    area: data.areas[d], kind: .eblup, estimate: synthetic + a * vi[i] * g.residual[i],
                    mse: g1 + g2 + 2 * g3 - bias * b * b, gamma: a * vi[i], synthetic: synthetic,
                    direct: y[i], directVariance: psi[i], standardisedResidual: g.residual[i] * vi[i].squareRoot()))
            } else {
                estimates.append(FayHerriotFit.AreaEstimate(
                    area: data.areas[d], kind: .synthetic, estimate: synthetic, mse: quadratic(xd) + a, gamma: 0,
                    synthetic: synthetic, direct: nil, directVariance: nil, standardisedResidual: nil))
            }
        }
        let coefficients = data.columns.indices.map { j in
            let se = q[j * p + j].squareRoot()
            let z = beta[j] / se
            return FayHerriotFit.Coefficient(
                term: data.columns[j], estimate: beta[j], standardError: se, z: z, p: 2 * Distributions.normalCDF(-abs(z)))
        }
        return FayHerriotFit(
            method: method, variance: a, unconstrainedVariance: unconstrained, varianceOfVariance: 1 / information,
            iterations: k, coefficients: coefficients, areas: estimates, sampledAreas: m, logLikelihood: loglike)
    }

    /// Columns linearly dependent on earlier ones (pivoted Cholesky of X'X with R's 1e-7 relative tolerance).
    static func aliasedColumns(_ x: [[Double]], p: Int) -> [Int] {
        var gram = [Double](repeating: 0, count: p * p)
        for row in x { for i in 0..<p { for j in 0..<p { gram[i * p + j] += row[i] * row[j] } } }
        let kept = Set(SymmetricMatrix.independentColumns(gram, size: p))
        return (0..<p).filter { !kept.contains($0) }
    }

    /// The weighted cross-products at one value of A, and the scores' ingredients.
    struct Gram {
        var q: [Double]
        var beta: [Double]
        var residual: [Double]
        var sumVi = 0.0, sumVi2 = 0.0
        /// `y'PPy = Σ (V⁻¹ residual)²`.
        var sumPy2 = 0.0
        /// `Σ residual² V⁻¹`.
        var weightedRSS = 0.0
        /// `tr P` and `tr PP` with `P = V⁻¹ − V⁻¹X Q X'V⁻¹`.
        var traceP = 0.0, tracePP = 0.0
        /// `tr(Q X'V⁻²X)`.
        var traceQXtV2X = 0.0

        init(x: [[Double]], y: [Double], vi: [Double]) throws {
            let p = x.first?.count ?? 0
            var xtvx = [Double](repeating: 0, count: p * p)
            var xtv2x = xtvx, xtv3x = xtvx
            var xtvy = [Double](repeating: 0, count: p)
            for (d, row) in x.enumerated() {
                let v = vi[d]
                sumVi += v
                sumVi2 += v * v
                for i in 0..<p {
                    xtvy[i] += v * row[i] * y[d]
                    for j in 0..<p {
                        let c = row[i] * row[j]
                        xtvx[i * p + j] += v * c
                        xtv2x[i * p + j] += v * v * c
                        xtv3x[i * p + j] += v * v * v * c
                    }
                }
            }
            do { q = try SymmetricMatrix.inverse(xtvx, size: p) } catch {
                throw SmallAreaError.singularDesign(columns: [])
            }
            let q = q
            beta = (0..<p).map { i in (0..<p).reduce(0) { $0 + q[i * p + $1] * xtvy[$1] } }
            let beta = beta
            residual = zip(x, y).map { row, yd in yd - zip(row, beta).reduce(0) { $0 + $1.0 * $1.1 } }
            for d in y.indices {
                sumPy2 += vi[d] * vi[d] * residual[d] * residual[d]
                weightedRSS += residual[d] * residual[d] * vi[d]
            }
            // M = Q X'V⁻²X; tr P = Σ v − tr M; tr PP = Σ v² − 2 tr(Q X'V⁻³X) + tr(M M).
            var mm = [Double](repeating: 0, count: p * p)
            var traceQ3 = 0.0
            for i in 0..<p {
                for j in 0..<p {
                    var s = 0.0, s3 = 0.0
                    for k in 0..<p {
                        s += q[i * p + k] * xtv2x[k * p + j]
                        s3 += q[i * p + k] * xtv3x[k * p + j]
                    }
                    mm[i * p + j] = s
                    if i == j { traceQ3 += s3 }
                }
            }
            var traceM = 0.0, traceMM = 0.0
            for i in 0..<p {
                traceM += mm[i * p + i]
                for j in 0..<p { traceMM += mm[i * p + j] * mm[j * p + i] }
            }
            traceQXtV2X = traceM
            traceP = sumVi - traceM
            tracePP = sumVi2 - 2 * traceQ3 + traceMM
        }
    }
}

/// A fitted Fay–Herriot model: A, β and every area's estimate.
public struct FayHerriotFit: Sendable, Hashable {
    /// A fixed effect with its standard error, z value and two-sided normal p value (as sae).
    public struct Coefficient: Sendable, Hashable {
        public var term: String
        public var estimate: Double
        public var standardError: Double
        public var z: Double
        public var p: Double
    }

    /// How an area's estimate was made.
    public enum Kind: String, Sendable, Hashable {
        /// The EBLUP `γ direct + (1 − γ) x'β` of an area with a direct estimate.
        case eblup
        /// `x'β` for an area without one.
        case synthetic
    }

    /// One area's model-based estimate.
    public struct AreaEstimate: Sendable, Hashable {
        public var area: String
        public var kind: Kind
        public var estimate: Double
        public var mse: Double
        /// The weight on the direct estimate, `A / (A + ψ)` (0 for a synthetic estimate).
        public var gamma: Double
        /// `x'β`.
        public var synthetic: Double
        public var direct: Double?
        public var directVariance: Double?
        /// `(direct − x'β) / √(A + ψ)`, about N(0, 1) under the model; `nil` for a synthetic estimate.
        public var standardisedResidual: Double?

        public var rmse: Double { mse.squareRoot() }
        /// `rmse / |estimate|`, `nil` at zero.
        public var cv: Double? { estimate == 0 ? nil : rmse / abs(estimate) }
    }

    public var method: FayHerriot.Method
    /// A, the variance of the area effects (after truncation at 0).
    public var variance: Double
    /// The last Fisher-scoring value of A before truncation.
    public var unconstrainedVariance: Double
    /// `1 / F`, the inverse Fisher information of A at the last step (sae's `varA`).
    public var varianceOfVariance: Double
    public var iterations: Int
    public var coefficients: [Coefficient]
    /// Every area of the auxiliary data, in its order.
    public var areas: [AreaEstimate]
    /// Areas with a direct estimate (those fitted).
    public var sampledAreas: Int
    public var logLikelihood: Double

    /// The bias diagnostic (ONS): the least-squares line `direct = a + b × EBLUP` over the fitted areas, with
    /// the usual OLS standard errors; an unbiased model gives a near 0 and b near 1. `nil` with fewer than 3 areas.
    public var biasDiagnostic: (intercept: Double, interceptSE: Double, slope: Double, slopeSE: Double)? {
        let fitted = areas.filter { $0.kind == .eblup }
        let n = Double(fitted.count)
        guard fitted.count >= 3 else { return nil }
        let mx = fitted.reduce(0) { $0 + $1.estimate } / n, my = fitted.reduce(0) { $0 + $1.direct! } / n
        var sxx = 0.0, sxy = 0.0
        for e in fitted {
            sxx += (e.estimate - mx) * (e.estimate - mx)
            sxy += (e.estimate - mx) * (e.direct! - my)
        }
        let slope = sxy / sxx, intercept = my - slope * mx
        let rss = fitted.reduce(0) { r, e in let u = e.direct! - intercept - slope * e.estimate; return r + u * u }
        let s2 = rss / (n - 2)
        return (intercept, (s2 * (1 / n + mx * mx / sxx)).squareRoot(), slope, (s2 / sxx).squareRoot())
    }

    /// Whether A was negative and set to 0: every estimate is then synthetic in effect (γ = 0).
    public var truncated: Bool { unconstrainedVariance <= 0 }

    /// Ratio benchmarking: the factor that makes `Σ w_d EBLUP_d` over sampled areas equal `Σ w_d direct_d`
    /// (w_d the population share for a mean or proportion, 1 for a total); `nil` when the EBLUPs sum to 0.
    ///
    /// - Parameter weights: a weight per area of ``areas`` (used only where the area has a direct estimate).
    public func benchmarkFactor(weights: [Double]) -> Double? {
        var target = 0.0, model = 0.0
        for (e, w) in zip(areas, weights) where e.kind == .eblup {
            target += w * e.direct!
            model += w * e.estimate
        }
        return model == 0 ? nil : target / model
    }
}
