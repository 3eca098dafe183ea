import Foundation

/// A generalised variance function (GVF) that smooths direct sampling variances: the log-linear model
/// `log v_d = a + b log n_d` fitted by least squares over the areas with `v_d > 0` (Wolter 2007, *Introduction to
/// Variance Estimation*, ch. 7), back-transformed with Duan's (1983) smearing factor `mean(exp(residual))`:
/// `ṽ_d = exp(a + b log n_d) × smearing`.
///
/// Areas with a zero direct variance (a proportion of 0 or 1, one PSU) get the fitted value like every other area.
public struct GeneralisedVarianceFunction: Sendable, Hashable {
    public var intercept: Double
    public var slope: Double
    /// Duan's smearing factor.
    public var smearing: Double
    /// R² of the least-squares fit on the log scale.
    public var rSquared: Double
    /// Areas the line was fitted on (`v_d > 0`).
    public var areasFitted: Int

    /// Fits the line to the pairs with a positive variance.
    ///
    /// - Throws: ``SmallAreaAdjustmentError/tooFewForGVF(areas:)`` with fewer than 3 such areas or sizes all equal.
    public init(variances: [Double], sizes: [Int]) throws {
        let pairs = zip(variances, sizes).filter { $0.0 > 0 && $0.1 > 0 }.map { (log(Double($0.1)), log($0.0)) }
        let n = Double(pairs.count)
        let mx = pairs.reduce(0) { $0 + $1.0 } / n, my = pairs.reduce(0) { $0 + $1.1 } / n
        let sxx = pairs.reduce(0) { $0 + ($1.0 - mx) * ($1.0 - mx) }
        guard pairs.count >= 3, sxx > 0 else { throw SmallAreaAdjustmentError.tooFewForGVF(areas: pairs.count) }
        let sxy = pairs.reduce(0) { $0 + ($1.0 - mx) * ($1.1 - my) }
        let b = sxy / sxx, a = my - b * mx
        (slope, intercept) = (b, a)
        let residuals = pairs.map { $0.1 - a - b * $0.0 }
        smearing = residuals.reduce(0) { $0 + exp($1) } / n
        let syy = pairs.reduce(0) { $0 + ($1.1 - my) * ($1.1 - my) }
        rSquared = syy > 0 ? 1 - residuals.reduce(0) { $0 + $1 * $1 } / syy : 1
        areasFitted = pairs.count
    }

    /// The smoothed variance of an area of `size` respondents.
    public func variance(size: Int) -> Double { exp(intercept + slope * log(Double(size))) * smearing }
}

/// Why the arcsine transformation or the GVF cannot be applied; each names the areas at fault.
public enum SmallAreaAdjustmentError: Error, Hashable, CustomStringConvertible {
    case tooFewForGVF(areas: Int)
    case missingSampleSize(areas: [String])
    case notAProportion(areas: [String])
    case noDesignEffect
    case noBootstrapRefit(replicates: Int)

    public var description: String {
        func list(_ a: [String]) -> String {
            a.prefix(10).joined(separator: ", ") + (a.count > 10 ? " and \(a.count - 10) more" : "")
        }
        switch self {
        case .tooFewForGVF(let m):
            return "the generalised variance function needs at least 3 areas with a positive direct variance and different sample sizes (found \(m))"
        case .missingSampleSize(let a):
            return "no sample size for \(a.count == 1 ? "area" : "areas") \(list(a)) (with --direct, give the column with --sample-size)"
        case .notAProportion(let a):
            return "the arcsine transformation needs proportions in [0, 1]: \(a.count == 1 ? "area" : "areas") \(list(a)) \(a.count == 1 ? "has" : "have") an estimate outside"
        case .noDesignEffect:
            return "no area has a design effect (every proportion is 0 or 1, or has zero variance): the effective sample sizes cannot be found"
        case .noBootstrapRefit(let r):
            return "none of the \(r) bootstrap replicates could be refitted on the arcsine scale: the MSEs cannot be estimated"
        }
    }
}
