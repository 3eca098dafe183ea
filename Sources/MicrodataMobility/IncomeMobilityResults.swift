import MicrodataWrite
/// Income-mobility measures for every `--by` group, with differences between groups.
public struct IncomeMobilityResults: Sendable, Hashable {
    public var groups: [IncomeMobilityGroup]
    /// `groupA − groupB` for `rank_rank:slope`, `ige:elasticity`, `absolute_income:upward` and `:downward`,
    /// with SEs that use the covariance between groups (they share PSUs).
    public var differences: [IncomeDifference]
    /// The number of quantile groups of each income.
    public var quantileGroups: Int
    public var level: Double
    /// Design degrees of freedom (PSUs minus strata, or replicate rank − 1) over the rows of every domain.
    public var degreesOfFreedom: Double
    /// Rows read, and rows in some domain (both incomes present, inside `--subpop` and the `--by` groups).
    public var rows: Int
    public var validRows: Int
    public var designDescription: String
}

/// The measures of one group. Ranks and quantile boundaries are computed within the group's domain and, as in
/// R `svyglm`/`svyby` on the ranked data, treated as fixed in the standard errors.
public struct IncomeMobilityGroup: Sendable, Hashable {
    public var name: String
    /// The group's by-variables, codes and labels: their own columns in CSV and JSON (empty without `--by`).
    public var values: [GroupValue] = []
    /// Upper boundaries of quantile groups 1…K−1 of origin and destination income (R `svyquantile`, `math`).
    public var originBoundaries: [Double]
    public var destinationBoundaries: [Double]
    /// Unweighted rows of the domain strictly below and strictly above each boundary (the quantile-sides rule).
    public var originSides: [(below: Int, above: Int)]
    public var destinationSides: [(below: Int, above: Int)]
    /// `transition[i][j]`: share of origin group `i` in destination group `j` (0…1); `nil` for an empty row.
    public var transition: [[MobilityEstimate?]]
    /// Weighted and unweighted counts of each origin × destination group cell.
    public var weightedCounts: [[Double]]
    public var counts: [[Int]]
    /// `slope` and `intercept` of child's rank on parent's rank (percent).
    public var rankRank: [String: MobilityEstimate]
    /// `elasticity` and `intercept` of log child income on log parent income, over positive incomes.
    public var ige: [String: MobilityEstimate]
    /// Rows of the domain left out of the elasticity for a non-positive income.
    public var igeExcluded: Int
    /// `upward` and `downward`: share of the domain whose destination income is above / below the (deflated)
    /// origin income; `equal` rows are neither.
    public var absolute: [String: MobilityEstimate]
    /// Unweighted rows with destination above, below and equal to origin.
    public var absoluteCounts: [String: Int]
    /// Unweighted rows in the domain.
    public var domainRows: Int
    /// The binned scatter: mean child rank by ventile of parent rank, with the fitted rank-rank line.
    public var rankBins: [RankBin] = []

    public static func == (a: Self, b: Self) -> Bool {
        a.name == b.name && a.originBoundaries == b.originBoundaries && a.transition == b.transition
            && a.rankRank == b.rankRank && a.ige == b.ige && a.absolute == b.absolute
    }

    public func hash(into hasher: inout Hasher) { hasher.combine(name) }
}

/// `groupA − groupB` for one measure (`table:row`, e.g. `rank_rank:slope`).
public struct IncomeDifference: Sendable, Hashable {
    public var measure: String
    public var groupA: Int
    public var groupB: Int
    public var difference: MobilityEstimate
}

/// One ventile of parents' rank (ranks in (5b, 5b + 5]): weighted mean ranks and the fitted line's value at the
/// mean parent rank; the means are NaN for an empty bin.
public struct RankBin: Sendable, Hashable {
    public var parentRank: Double
    public var childRank: Double
    public var fitted: Double
    /// Unweighted rows in the bin.
    public var count: Int
}
