/// The estimates of a pass, one per domain, statistic and level, with the evidence disclosure control needs.
///
/// Estimators return it and never write it: the disclosure layer checks it (using each cell's unweighted count
/// of contributing units) and builds the publication model (MicrodataWrite) that every writer renders.
public struct EstimateTable: Sendable, Hashable, Codable {
    /// Names of the domain (by) variables, in order; each cell has one value per name.
    public var byVariables: [String]
    public var cells: [CellEstimate]
    /// How the variance was estimated, printed with every result (for example
    /// "linearisation: 6 strata, 40 PSUs, with replacement" or "weights only (SRS with weights)").
    public var designDescription: String
    /// The confidence level of the intervals, for example 0.95.
    public var level: Double
    /// Whether intervals use Student's t with the design degrees of freedom (`true`) or the normal.
    public var usesTDistribution: Bool
    /// The number of imputations combined by Rubin's rules; `nil` for one dataset.
    public var imputations: Int? = nil

    public init(
        byVariables: [String] = [], cells: [CellEstimate] = [], designDescription: String = "",
        level: Double = 0.95, usesTDistribution: Bool = true
    ) {
        self.byVariables = byVariables
        self.cells = cells
        self.designDescription = designDescription
        self.level = level
        self.usesTDistribution = usesTDistribution
    }

    /// One line describing the design and the intervals, printed with every result.
    public var designLine: String {
        let percent = (level * 100 * 1e6).rounded() / 1e6
        let shown = percent == percent.rounded() ? String(Int(percent)) : String(percent)
        let intervals = imputations != nil ? "t with Rubin's df" : usesTDistribution ? "t with design df" : "normal"
        return "design: \(designDescription); \(shown)% intervals, \(intervals)"
    }
}

/// One estimate: a statistic of a variable (at a level, for categoricals) in one domain.
public struct CellEstimate: Sendable, Hashable, Codable {
    /// Values of the by-variables for this domain, in the table's `byVariables` order.
    public var byValues: [String]
    /// `mean`, `total`, `proportion`, `ratio`, `quantile`, `variance`, ...
    public var statistic: String
    /// The analysis variable (`N/D` for ratios).
    public var variable: String
    /// The category for proportions and totals of a categorical, or the probability for a quantile.
    public var level: String?
    public var estimate: Double
    public var standardError: Double
    public var ciLow: Double
    public var ciHigh: Double
    public var designEffect: Double?
    /// Design degrees of freedom used for the interval.
    public var degreesOfFreedom: Double
    /// Unweighted count of respondents contributing to the cell (the disclosure threshold's input).
    public var unweightedCount: Int
    /// Sum of weights over the cell's domain.
    public var weightedCount: Double
    /// Numeric analyses: the contributors to the estimate (to the numerator of a ratio), for disclosure
    /// rules; `nil` for categorical levels and quantiles.
    public var contributors: ContributorEvidence? = nil
    /// Ratios: the contributors to the denominator.
    public var denominatorContributors: ContributorEvidence? = nil
    /// Quantiles: the units on either side of the published value.
    public var quantileSides: QuantileSides? = nil
    /// Kish's weighting effect of the cell's domain (its rows with a non-zero input weight), when asked for
    /// (``EstimationOptions/kish``).
    public var kish: KishWeighting? = nil
    /// Multiply imputed data: the fraction of missing information (R `mitools` `missinfo`), else `nil`.
    public var fractionMissingInformation: Double? = nil
    /// Multiply imputed data: the number of imputations combined, else `nil`.
    public var imputations: Int? = nil

    public init(
        byValues: [String] = [], statistic: String, variable: String, level: String? = nil, estimate: Double,
        standardError: Double, ciLow: Double, ciHigh: Double, designEffect: Double? = nil,
        degreesOfFreedom: Double, unweightedCount: Int, weightedCount: Double
    ) {
        self.byValues = byValues
        self.statistic = statistic
        self.variable = variable
        self.level = level
        self.estimate = estimate
        self.standardError = standardError
        self.ciLow = ciLow
        self.ciHigh = ciHigh
        self.designEffect = designEffect
        self.degreesOfFreedom = degreesOfFreedom
        self.unweightedCount = unweightedCount
        self.weightedCount = weightedCount
    }

    /// The coefficient of variation, `se / |estimate|`, or `nil` when the estimate is zero.
    public var coefficientOfVariation: Double? {
        estimate == 0 ? nil : standardError / abs(estimate)
    }
}
