/// One statistic to estimate.
public struct Analysis: Sendable, Hashable {
    /// The kind of statistic.
    public enum Kind: String, Sendable, Hashable {
        /// A mean; of a text column, the proportion of every level.
        case mean
        /// A total; of a text column, or of several columns, the weighted count of every level (combination).
        case total
        /// The proportion of every level (of one column, or of the combination of several).
        case proportion
        /// The ratio of two totals, `variables[0] / variables[1]`.
        case ratio
        /// Quantiles at `probabilities`.
        case quantile
        /// The population variance (R `svyvar`).
        case variance
        /// An inequality or poverty measure (``Analysis/measure``), from the sorted rows as quantiles.
        case inequality
    }

    public var kind: Kind
    public var variables: [String]
    public var probabilities: [Double]
    /// The measure of an ``Kind/inequality`` analysis.
    public var measure: InequalityMeasure?

    public init(_ kind: Kind, _ variables: [String], probabilities: [Double] = []) {
        self.kind = kind
        self.variables = variables
        self.probabilities = probabilities
    }

    /// An inequality or poverty measure of `v`.
    public static func inequality(_ v: String, _ measure: InequalityMeasure) -> Analysis {
        var a = Analysis(.inequality, [v])
        a.measure = measure
        return a
    }

    /// Whether the pass keeps the analysis variable's rows (value, weight, domain, unit) for sorting.
    var keepsSortedRows: Bool { kind == .quantile || kind == .inequality }

    public static func mean(_ v: String) -> Analysis { Analysis(.mean, [v]) }
    public static func total(_ v: String) -> Analysis { Analysis(.total, [v]) }
    public static func proportion(_ v: String...) -> Analysis { Analysis(.proportion, v) }
    public static func ratio(_ numerator: String, _ denominator: String) -> Analysis {
        Analysis(.ratio, [numerator, denominator])
    }
    public static func quantile(_ v: String, _ p: [Double]) -> Analysis { Analysis(.quantile, [v], probabilities: p) }
    public static func variance(_ v: String) -> Analysis { Analysis(.variance, [v]) }

    /// The variable label used in results (`N/D` for ratios, `A:B` for combined categories).
    public var label: String { kind == .ratio ? variables.joined(separator: "/") : variables.joined(separator: ":") }
}

/// Options that shape the estimates and their intervals.
public struct EstimationOptions: Sendable, Hashable {
    /// Domain variables; every combination present is a domain.
    public var by: [String]
    /// Design effect to compute, if any.
    public var deff: DesignEffectKind?
    /// Confidence level, for example 0.95.
    public var level: Double
    /// Interval method for proportions (and Woodruff quantile intervals use `.mean`, `.xlogit`, `.asin`, `.beta`).
    public var ciMethod: ProportionCIMethod
    /// Use Student's t with the design degrees of freedom (`true`) or the normal (`false`).
    public var useT: Bool
    /// Degrees of freedom to use instead of the design's.
    public var degreesOfFreedom: Double?
    /// The quantile rule.
    public var quantileRule: QuantileRule
    /// Woodruff interval type for quantiles.
    public var quantileInterval: ProportionCIMethod
    /// Quantiles under linearisation without domains: the score (Francisco–Fuller) interval, as R
    /// `svyquantile(interval.type = "score")`, instead of a Woodruff interval.
    public var scoreQuantileInterval = false
    /// Replicate designs: a quantile's variance from the quantile in each replicate (R `interval.type =
    /// "quantile"`) rather than from a Woodruff interval on the replicate variance of F̂(q̂) (the default).
    public var replicateQuantiles: Bool
    /// Keep the covariance between estimates of different domains (`true`, for contrasts across domains such as
    /// mobility's group differences); `false` keeps only each domain's own block, so memory grows linearly with
    /// the number of domains (a table of estimates and standard errors needs no more).
    public var fullCovariance = true
    /// Most domains (combinations of `by` values) accepted; with ``fullCovariance`` the design covariance grows
    /// with the square of their number, so a by-variable with thousands of levels is refused before it exhausts memory.
    public var maxDomains = EstimationOptions.defaultMaxDomains
    /// The default cap on domains: 2,000.
    public static let defaultMaxDomains = 2_000
    /// How many of the largest weighted contributions are kept per domain for the dominance rules (at
    /// least the rules' `nkN`, and 2 for the p% rule).
    public var keptContributions: Int = 4
    /// A column marking the subpopulation (non-zero): rows outside it, or with it missing, stay in the design
    /// with zero weight in every estimate, as R `subset(design, …)` and Stata `svy, subpop()`; PSU counts per
    /// stratum come from the full design, degrees of freedom from the units with rows inside (R `degf`).
    public var subpopulation: String?
    /// Poverty rates and gaps take each domain's own poverty line rather than the whole sample's (convey's
    /// default, `full_design`).
    public var thresholdByDomain: Bool = false
    /// Attach each domain's Kish weighting effect (n, Σw, Σw², deff, n_eff of the input weights) to its cells.
    public var kish: Bool = false

    public init(
        by: [String] = [], deff: DesignEffectKind? = nil, level: Double = 0.95, ciMethod: ProportionCIMethod = .logit,
        useT: Bool = true, degreesOfFreedom: Double? = nil, quantileRule: QuantileRule = .math,
        quantileInterval: ProportionCIMethod = .mean, replicateQuantiles: Bool = false, subpopulation: String? = nil
    ) {
        self.subpopulation = subpopulation
        self.by = by
        self.deff = deff
        self.level = level
        self.ciMethod = ciMethod
        self.useT = useT
        self.degreesOfFreedom = degreesOfFreedom
        self.quantileRule = quantileRule
        self.quantileInterval = quantileInterval
        self.replicateQuantiles = replicateQuantiles
    }
}

/// The comparison design of a design effect.
public enum DesignEffectKind: String, Sendable, Hashable {
    /// SRS without replacement of the same n from N̂ (R `deff=TRUE`).
    case withoutReplacement = "wor"
    /// SRS with replacement (R `deff="replace"`).
    case replace
}

/// Confidence-interval methods for proportions (R `svyciprop`).
public enum ProportionCIMethod: String, Sendable, Hashable, CaseIterable {
    case logit, xlogit, asin, beta, mean, wilson
    /// The profile-likelihood interval of the intercept-only quasibinomial model, its cut-off scaled by the
    /// design effect (R `method = "likelihood"`; see ``ProfileLikelihoodInterval``). It needs the rows, so the
    /// estimator keeps each row's weight and category for it; not available for Woodruff quantile intervals.
    case likelihood
    /// Wald on the estimate's own scale (used for means, totals and ratios).
    case wald
}
