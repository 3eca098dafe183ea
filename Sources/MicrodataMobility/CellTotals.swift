/// Design-weighted totals of the cells of one or more origin-by-destination tables, with their full
/// design covariance: the input every mobility measure is computed from.
///
/// Cell `(g, i, j)` (group `g`, origin class `i`, destination class `j`, classes ordered highest first) is at
/// index `g·K² + i·K + j`. Every outflow, inflow, rate, odds ratio and test is a smooth function of these
/// totals, so its standard error follows by the delta method from `covariance`; this equals R survey's
/// linearisation of the same domain means, ratios and contrasts.
public struct CellTotals: Sendable, Hashable {
    /// The number of classes K.
    public var classCount: Int
    /// The number of groups (1 without `--by`).
    public var groupCount: Int
    /// Weighted totals, `groupCount·K²` of them.
    public var totals: [Double]
    /// Row-major covariance of `totals`.
    public var covariance: [Double]
    /// Unweighted respondents in each cell.
    public var unweightedCounts: [Int]
    /// Distinct units (households, say) in each cell, for the disclosure threshold; equal to the counts when
    /// every row is its own unit.
    public var unitCounts: [Int]
    /// Replicate designs: the replicate covariance of each cell's proportion of its group's table (row-major, as
    /// `covariance`), which the Rao–Scott test uses as R `svychisq.svyrep.design` does.
    public var proportionCovariance: [Double]? = nil
    /// Design degrees of freedom (PSUs minus strata).
    public var degreesOfFreedom: Double
    /// Rows in the design, including those outside the valid-origin-and-destination domain (R's `N` in
    /// `svychisq`).
    public var rowsInDesign: Int

    public init(
        classCount: Int, groupCount: Int, totals: [Double], covariance: [Double], unweightedCounts: [Int],
        unitCounts: [Int]? = nil, degreesOfFreedom: Double, rowsInDesign: Int
    ) {
        precondition(totals.count == groupCount * classCount * classCount, "one total per cell")
        precondition(covariance.count == totals.count * totals.count, "a square covariance")
        self.classCount = classCount
        self.groupCount = groupCount
        self.totals = totals
        self.covariance = covariance
        self.unweightedCounts = unweightedCounts
        self.unitCounts = unitCounts ?? unweightedCounts
        self.degreesOfFreedom = degreesOfFreedom
        self.rowsInDesign = rowsInDesign
    }

    /// The index of cell `(group, origin, destination)`.
    @inlinable
    public func index(group: Int, origin: Int, destination: Int) -> Int {
        (group * classCount + origin) * classCount + destination
    }

    /// The variance of a linear combination `Σ gradient[k]·totals[k]` (the delta method's `gᵀ Σ g`).
    func variance(of gradient: SparseGradient) -> Double {
        var v = 0.0
        let m = totals.count
        for (a, ga) in gradient.terms {
            for (b, gb) in gradient.terms {
                v += ga * gb * covariance[a * m + b]
            }
        }
        return max(v, 0)
    }
}

/// The gradient of a function of the cell totals, as (index, coefficient) terms.
struct SparseGradient: Sendable {
    var terms: [(Int, Double)] = []

    mutating func add(_ index: Int, _ coefficient: Double) {
        if coefficient != 0 { terms.append((index, coefficient)) }
    }

    /// This gradient minus another (for differences between groups).
    func subtracting(_ other: SparseGradient) -> SparseGradient {
        SparseGradient(terms: terms + other.terms.map { ($0.0, -$0.1) })
    }
}
