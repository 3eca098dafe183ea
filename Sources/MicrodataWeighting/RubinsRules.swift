import Foundation

/// Estimates from `m` completed (imputed) datasets combined by Rubin's rules, exactly as R
/// `mitools::MIcombine` (its default, `df.complete = Inf`).
///
/// With `Q̂ₖ` the estimate vector and `Uₖ` its covariance in imputation `k`: the estimate is `Q̄ = mean Q̂ₖ`,
/// the within variance `W = mean Uₖ`, the between variance `B` the sample covariance of the `Q̂ₖ` (divisor
/// `m − 1`), and the total `T = W + (1 + 1/m) B`. For each parameter, with `r = (1 + 1/m) B / W`:
/// degrees of freedom `(m − 1)(1 + 1/r)²` and the fraction of missing information `(r + 2/(df + 3)) / (r + 1)`.
///
/// Where R divides zero by zero this type gives a limit instead: `B = 0` (the imputations agree) gives
/// infinite df and no missing information (R: `NaN` when `W` is zero too); `W = 0 < B` gives `m − 1` df and
/// a fraction of 1.
public struct RubinsRules: Sendable, Hashable {
    /// The number of imputations `m`.
    public var imputations: Int
    /// `Q̄`, one per parameter.
    public var estimates: [Double]
    /// `T = W + (1 + 1/m) B`, row-major `p × p`.
    public var covariance: [Double]
    /// The diagonals of `W` and `B`.
    public var withinVariance: [Double]
    public var betweenVariance: [Double]
    /// Rubin's degrees of freedom per parameter (`+infinity` when the imputations agree).
    public var degreesOfFreedom: [Double]
    /// MIcombine's `missinfo` per parameter.
    public var fractionMissingInformation: [Double]

    /// Combines `estimates[k]` (one vector per imputation) with their covariance matrices `covariances[k]`
    /// (row-major `p × p`).
    ///
    /// - Throws: ``RubinsRulesError`` for fewer than two imputations or vectors and matrices of different sizes.
    public init(estimates: [[Double]], covariances: [[Double]]) throws(RubinsRulesError) {
        let m = estimates.count
        guard m >= 2 else { throw .tooFewImputations(m) }
        guard covariances.count == m else { throw .sizeMismatch(imputation: covariances.count + 1, expected: m, found: 0) }
        let p = estimates[0].count
        for k in 0..<m {
            guard estimates[k].count == p else { throw .sizeMismatch(imputation: k + 1, expected: p, found: estimates[k].count) }
            guard covariances[k].count == p * p else {
                throw .sizeMismatch(imputation: k + 1, expected: p * p, found: covariances[k].count)
            }
        }
        let mm = Double(m)
        var mean = [Double](repeating: 0, count: p)
        for q in estimates { for j in 0..<p { mean[j] += q[j] } }
        mean = mean.map { $0 / mm }
        var within = [Double](repeating: 0, count: p * p)
        for u in covariances { for a in 0..<(p * p) { within[a] += u[a] } }
        within = within.map { $0 / mm }
        var between = [Double](repeating: 0, count: p * p)
        for q in estimates {
            for a in 0..<p { for b in 0..<p { between[a * p + b] += (q[a] - mean[a]) * (q[b] - mean[b]) } }
        }
        between = between.map { $0 / (mm - 1) }
        imputations = m
        self.estimates = mean
        covariance = zip(within, between).map { $0 + $1 * (mm + 1) / mm }
        withinVariance = (0..<p).map { within[$0 * p + $0] }
        betweenVariance = (0..<p).map { between[$0 * p + $0] }
        var dfs: [Double] = []
        var fmis: [Double] = []
        for j in 0..<p {
            let (df, fmi) = Self.degreesOfFreedom(within: withinVariance[j], between: betweenVariance[j], m: m)
            dfs.append(df)
            fmis.append(fmi)
        }
        degreesOfFreedom = dfs
        fractionMissingInformation = fmis
    }

    /// Combines scalar estimates (or parameters whose covariances are not needed): `variances[k][j]` is the
    /// variance of `estimates[k][j]`. The df and fraction of missing information are those of the full form.
    public init(estimates: [[Double]], variances: [[Double]]) throws(RubinsRulesError) {
        let p = estimates.first?.count ?? 0
        var full: [[Double]] = []
        for (k, v) in variances.enumerated() {
            guard v.count == p else { throw .sizeMismatch(imputation: k + 1, expected: p, found: v.count) }
            var u = [Double](repeating: 0, count: p * p)
            for j in 0..<p { u[j * p + j] = v[j] }
            full.append(u)
        }
        try self.init(estimates: estimates, covariances: full)
    }

    /// One estimate per imputation with its standard error, combined: the estimate, SE, interval at `level`,
    /// df and fraction of missing information.
    public static func scalar(_ estimates: [Double], standardErrors: [Double], level: Double) throws(RubinsRulesError)
        -> (estimate: Double, standardError: Double, ciLow: Double, ciHigh: Double, df: Double, fmi: Double)
    {
        let r = try RubinsRules(estimates: estimates.map { [$0] }, variances: standardErrors.map { [$0 * $0] })
        let (low, high) = r.interval(0, level: level)
        return (r.estimates[0], r.standardError(0), low, high, r.degreesOfFreedom[0], r.fractionMissingInformation[0])
    }

    /// Rubin's df and MIcombine's fraction of missing information from `W` and `B` of one parameter.
    static func degreesOfFreedom(within w: Double, between b: Double, m: Int) -> (df: Double, fmi: Double) {
        let mm = Double(m)
        guard b > 0 else { return (.infinity, 0) }
        guard w > 0 else { return (mm - 1, 1) }
        let r = (1 + 1 / mm) * b / w
        let df = (mm - 1) * (1 + 1 / r) * (1 + 1 / r)
        return (df, (r + 2 / (df + 3)) / (r + 1))
    }

    /// The standard error of parameter `j`, `√T_jj`.
    public func standardError(_ j: Int) -> Double { covariance[j * estimates.count + j].squareRoot() }

    /// The interval `Q̄ ± t·SE` of parameter `j` at `level`, with Student's t on its Rubin df (the normal when the
    /// df are infinite), as `summary.MIresult`.
    public func interval(_ j: Int, level: Double) -> (low: Double, high: Double) {
        let q = quantile(j, level: level)
        let se = standardError(j)
        return (estimates[j] - q * se, estimates[j] + q * se)
    }

    /// The two-sided critical value of parameter `j` at `level`.
    public func quantile(_ j: Int, level: Double) -> Double {
        let df = degreesOfFreedom[j]
        let p = 1 - (1 - level) / 2
        return df.isFinite ? Distributions.tQuantile(p, df: df) : Distributions.normalQuantile(p)
    }

    /// The two-sided p-value of `Q̄_j / SE_j` against Student's t on the Rubin df of parameter `j`.
    public func pValue(_ j: Int) -> Double {
        let t = abs(estimates[j] / standardError(j))
        guard t.isFinite else { return t.isNaN ? .nan : 0 }
        return 2 * Distributions.tCDF(-t, df: degreesOfFreedom[j])
    }

    /// The text for a design line: "m = 5 imputations, Rubin's rules".
    public static func designText(imputations m: Int) -> String { "m = \(m) imputations, Rubin's rules" }
}

/// Why estimates from imputations cannot be combined.
public enum RubinsRulesError: Error, Hashable, CustomStringConvertible {
    /// Fewer than two imputations: there is no between-imputation variance.
    case tooFewImputations(Int)
    /// Imputation `imputation` (1-based) has a vector or matrix of another size than the first.
    case sizeMismatch(imputation: Int, expected: Int, found: Int)
    /// An estimate present in some imputations only (a domain empty in one, or a model term aliased in one).
    case missingEstimate(String, imputation: Int)

    public var description: String {
        switch self {
        case .tooFewImputations(let m):
            return "Rubin's rules need at least 2 imputations; got \(m)"
        case .sizeMismatch(let k, let expected, let found):
            return "imputation \(k) has \(found) values where the first has \(expected)"
        case .missingEstimate(let what, let k):
            return "\(what) has no estimate in imputation \(k): Rubin's rules need it in every imputation"
        }
    }
}
