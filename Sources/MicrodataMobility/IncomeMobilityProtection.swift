import MicrodataDisclosure

/// The disclosure decision for the income-mobility tables.
///
/// - The transition counts (origin group × destination group per `--by` group, with all margins) are protected
///   as a class table is, by ``MobilityProtection`` (threshold, zeros and class disclosure for review,
///   secondary suppression, audit); a share is withheld when its cell or its row base is.
/// - A quantile boundary is an individual's income: it is withheld with fewer than `threshold` rows strictly
///   below or strictly above it (the `quantile-sides` rule of `tabulate`).
/// - Slopes need `threshold` rows and `minimumResidualDegreesOfFreedom` residual df (the model rule); the
///   count of rows the elasticity drops is withheld (and so is the elasticity's n) when it is 1 to threshold − 1.
/// - Absolute shares: withheld when the rows above (below) or the rest of the domain number fewer than
///   `threshold`. Upward + downward + equal is the whole domain, so when one share is withheld and the equal
///   rows are fewer than `threshold`, both are; and when the equal rows are 1 to threshold − 1, downward is.
/// - A bin of the binned scatter needs `threshold` rows; when one is withheld, so is the smallest other.
/// - Everything of a group with fewer than `threshold` rows is withheld; a group whose table total is
///   suppressed (to protect another group's) publishes no n. A difference is withheld when either side is.
public struct IncomeMobilityProtection: Sendable {
    /// The protection of the transition counts, with its passed audit.
    public var transitions: MobilityProtection
    /// Withheld scalar measures, as "group|table|row" (row `n` of `ige`: the elasticity's base).
    public private(set) var withheld: Set<String> = []
    /// Why each scalar was withheld, keyed as `withheld`.
    public private(set) var reasons: [String: String] = [:]

    /// - Throws: `DisclosureError.auditFailed` when no safe pattern of the transition counts passes the audit.
    public init(results: IncomeMobilityResults, control: DisclosureControl) throws {
        let k = results.quantileGroups
        let g = results.groups.count
        var totals: [Double] = []
        var counts: [Int] = []
        for group in results.groups {
            for i in 0..<k { for j in 0..<k { totals.append(group.weightedCounts[i][j]); counts.append(group.counts[i][j]) } }
        }
        let m = totals.count
        let cells = CellTotals(
            classCount: k, groupCount: g, totals: totals, covariance: [Double](repeating: 0, count: m * m),
            unweightedCounts: counts, degreesOfFreedom: results.degreesOfFreedom, rowsInDesign: results.rows)
        transitions = try MobilityProtection(
            totals: cells, classes: (1...k).map(String.init), groups: results.groups.map(\.name),
            direction: defaultDirections(classCount: k), control: control)
        let rules = control.rules
        for (index, group) in results.groups.enumerated() {
            func hide(_ table: String, _ row: String, _ why: String) {
                let key = "\(index)|\(table)|\(row)"
                if withheld.insert(key).inserted { reasons[key] = why }
            }
            // A group below the threshold gives nothing; one whose total is suppressed only to protect another
            // group's publishes its measures without their n (``countsWithheld(group:)``).
            let whole = rules.failsThreshold(units: group.domainRows)
            for (name, sides) in [("origin", group.originSides), ("destination", group.destinationSides)] {
                for (b, s) in sides.enumerated() where whole || s.below < rules.threshold || s.above < rules.threshold {
                    hide("boundaries", "\(b + 1) \(name)", whole ? "group suppressed" : "quantile-sides")
                }
            }
            let n = group.domainRows
            let designDF = results.degreesOfFreedom.isFinite ? Int(results.degreesOfFreedom) : Int.max
            let residual = min(designDF - 1, n - 2)
            for row in ["slope", "intercept"] {
                if whole || rules.failsThreshold(units: n) { hide("rank_rank", row, "threshold") }
                else if rules.failsDegreesOfFreedom(residual: residual) { hide("rank_rank", row, "residual-df") }
            }
            let positive = n - group.igeExcluded
            for row in ["elasticity", "intercept"] {
                if whole || rules.failsThreshold(units: positive) { hide("ige", row, "threshold") }
                else if rules.failsDegreesOfFreedom(residual: min(designDF - 1, positive - 2)) {
                    hide("ige", row, "residual-df")
                }
            }
            if whole || rules.failsThreshold(units: group.igeExcluded) {
                hide("ige", "excluded", "threshold")
                hide("ige", "n", "threshold")
            }
            // Bin means: the bins partition the domain, so one withheld bin takes the smallest other with it.
            let filled = group.rankBins.indices.filter { group.rankBins[$0].count > 0 }
            let small = filled.filter { whole || rules.failsThreshold(units: group.rankBins[$0].count) }
            for b in small { hide("rank_bins", "\(b + 1)", whole ? "group suppressed" : "threshold") }
            if small.count == 1, let other = filled.filter({ $0 != small[0] }).min(by: {
                group.rankBins[$0].count < group.rankBins[$1].count
            }) {
                hide("rank_bins", "\(other + 1)", "secondary")
            }
            let equal = group.absoluteCounts["equal"] ?? 0
            var primary: [String] = []
            for row in ["upward", "downward"] {
                let c = group.absoluteCounts[row] ?? 0
                if whole || rules.failsThreshold(units: c) || rules.failsThreshold(units: n - c) { primary.append(row) }
            }
            for row in primary { hide("absolute_income", row, whole ? "group suppressed" : "threshold") }
            if primary.count == 1 && equal < rules.threshold {
                for row in ["upward", "downward"] { hide("absolute_income", row, "secondary") }
            }
            if rules.failsThreshold(units: equal) { hide("absolute_income", "downward", "secondary") }
        }
    }

    /// Whether `row` of `table` for group `group` is withheld (scalar measures and boundaries).
    public func isWithheld(group: Int, _ table: String, _ row: String) -> Bool {
        withheld.contains("\(group)|\(table)|\(row)")
    }

    /// Whether the unweighted n of `group`'s measures must be left out: its table total is suppressed.
    public func countsWithheld(group: Int) -> Bool { transitions.totalSuppressed(group: group) }

    /// Whether the share of origin group `i` in destination group `j` is withheld.
    public func transitionWithheld(group: Int, origin i: Int, destination j: Int) -> Bool {
        transitions.cellSuppressed(group: group, origin: i, destination: j)
            || transitions.originTotalSuppressed(group: group, origin: i)
    }
}
