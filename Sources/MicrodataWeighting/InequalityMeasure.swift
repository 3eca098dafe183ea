/// An inequality or poverty measure of one numeric variable, as R `convey` 1.0.1 defines it.
///
/// Each is computed on the domain's rows sorted by the variable, with a linearised (influence-function)
/// variable whose weighted PSU totals give the Taylor variance. Quantiles inside these measures are convey's
/// (the smallest x whose weighted CDF `cumsum(w)/Σw` reaches p, no interpolation); densities at a quantile
/// use convey's Gaussian kernel with bandwidth `h = sd_w(x) / N^0.2` (`h_fun`, `densfun`).
public enum InequalityMeasure: Sendable, Hashable {
    /// The Gini coefficient (`svygini`).
    case gini
    /// Lorenz ordinates L(p): the share of the total held by the bottom p (`svylorenz`).
    case lorenz([Double])
    /// The share held by the top `p`: 1 − L(1 − p).
    case topShare(Double)
    /// The quintile share ratio: the total above the `top` quantile over the total at or below the `bottom`
    /// quantile (`svyqsr`, S80/S20 for 0.8/0.2).
    case quantileShareRatio(top: Double, bottom: Double)
    /// The ratio of two quantiles, `top` over `bottom` (P90/P10 for 0.9/0.1), each convey's quantile with
    /// `svyiqalpha`'s linearised variable.
    case percentileRatio(top: Double, bottom: Double)
    /// The at-risk-of-poverty threshold: `percent` × the `quantile` of the domain (`svyarpt`).
    case povertyThreshold(percent: Double, quantile: Double)
    /// The at-risk-of-poverty rate: the share of the domain at or below the threshold of the whole sample
    /// (`svyarpr`).
    case povertyRate(percent: Double, quantile: Double)
    /// The relative median poverty gap: (threshold − median of the poor) / threshold, the poor being those at
    /// or below the whole sample's threshold (`svyrmpg`).
    case povertyGap(percent: Double, quantile: Double)
    /// The Atkinson index with inequality aversion ε (`svyatk`); positive values only.
    case atkinson(Double)
    /// The generalised entropy index with parameter α (`svygei`; 0 = mean log deviation, 1 = Theil T);
    /// positive values only.
    case gei(Double)

    /// The `statistic` column of its cells.
    public var statistic: String {
        switch self {
        case .gini: return "gini"
        case .lorenz: return "lorenz"
        case .topShare: return "top_share"
        case .quantileShareRatio: return "qsr"
        case .percentileRatio: return "percentile_ratio"
        case .povertyThreshold: return "arpt"
        case .povertyRate: return "arpr"
        case .povertyGap: return "rmpg"
        case .atkinson: return "atkinson"
        case .gei: return "gei"
        }
    }

    /// The `level` of each cell (one cell per domain for all but Lorenz ordinates).
    var levels: [String?] {
        switch self {
        case .lorenz(let ps): return ps.map { Self.format($0) }
        case .topShare(let p): return [Self.format(p)]
        case .quantileShareRatio(let top, let bottom), .percentileRatio(let top, let bottom):
            return ["\(Self.format(top))/\(Self.format(bottom))"]
        default: return [nil]
        }
    }

    /// Whether the measure is defined only for positive values.
    var needsPositiveValues: Bool {
        switch self {
        case .atkinson, .gei: return true
        default: return false
        }
    }

    /// Whether the measure compares the domain with a poverty line (the whole sample's unless
    /// ``EstimationOptions/thresholdByDomain``).
    var usesPovertyLine: Bool {
        switch self {
        case .povertyRate, .povertyGap: return true
        default: return false
        }
    }

    static func format(_ p: Double) -> String {
        var s = String(p)
        if s.hasSuffix(".0") { s.removeLast(2) }
        return s
    }
}
