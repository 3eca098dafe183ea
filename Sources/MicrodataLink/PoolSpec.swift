/// How ``Pooler`` stacks survey periods into one sample.
public struct PoolSpec: Sendable, Hashable {
    /// Where each row's period comes from.
    public enum Periods: Sendable, Hashable {
        /// A column of the data (one file may hold several periods).
        case column(String)
        /// One label per input file, in the order of the files.
        case labels([String])
    }

    /// Which period keeps a person found in several.
    public enum Keep: String, Sendable, Hashable, CaseIterable {
        /// The earliest period (in the order of `--periods`, or sorted period values).
        case first
        /// The latest period.
        case last
    }

    /// How the pooled weight is made from the period weight.
    public enum PeriodWeights: String, Sendable, Hashable, CaseIterable {
        /// Weight ÷ number of periods: estimates for an average period.
        case equal
        /// Weight unchanged: totals over all periods.
        case sum
    }

    public var periods: Periods
    /// The weight column of every period (after renaming).
    public var weight: String
    /// The stratum column, if the periods are stratified.
    public var strata: String?
    /// The columns identifying a person across periods (empty: no person is dropped).
    public var id: [String]
    public var keep: Keep
    public var periodWeights: PeriodWeights
    public var renames: VariableRenames
    /// Keep columns found in some inputs only, missing elsewhere (default: an error naming file and column).
    public var union: Bool

    public init(periods: Periods, weight: String, strata: String? = nil, id: [String] = [], keep: Keep = .last,
                periodWeights: PeriodWeights = .equal, renames: VariableRenames = VariableRenames(), union: Bool = false) {
        self.periods = periods
        self.weight = weight
        self.strata = strata
        self.id = id
        self.keep = keep
        self.periodWeights = periodWeights
        self.renames = renames
        self.union = union
    }

    /// The columns the pooled file adds.
    public static let periodColumn = "period"
    public static let weightColumn = "pool_weight"
    public static let stratumColumn = "pool_stratum"
}
