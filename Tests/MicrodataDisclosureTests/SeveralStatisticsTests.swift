import MicrodataWeighting
import Testing

@testable import MicrodataDisclosure

/// Several statistics in one output (`tabulate --mean A --total A ...`): a cell hidden in one statistic is
/// hidden in every statistic of the same domain that shares a variable.
struct SeveralStatisticsTests {
    static func cell(_ domain: String, _ statistic: String, _ variable: String) -> CellEstimate {
        CellEstimate(byValues: [domain], statistic: statistic, variable: variable, estimate: 1, standardError: 0.1,
                   ciLow: 0.8, ciHigh: 1.2, degreesOfFreedom: 10, unweightedCount: 50, weightedCount: 100)
    }

    @Test func aHiddenMeanHidesTheTotalOfTheSameDomainAndVariable() {
        let table = EstimateTable(byVariables: ["g"], cells: [
            Self.cell("a", "mean", "y"), Self.cell("a", "total", "y"), Self.cell("b", "total", "y"),
            Self.cell("a", "mean", "x"), Self.cell("a", "ratio", "x/y"),
        ])
        var statuses: [CellStatus] = [.primary("threshold"), .safe, .safe, .safe, .safe]
        DisclosureControl.suppressAcrossStatistics(table, &statuses)
        // The total of y in a is its mean times the published weighted count; the ratio x/y in a gives the
        // total of y away from the total of x.
        #expect(statuses[1] == .secondary)
        #expect(statuses[4] == .secondary)
        #expect(statuses[2] == .safe, "another domain")
        #expect(statuses[3] == .secondary, "x's mean with x/y hidden: x/y hides y, and x's total follows from it")
    }

    @Test func oneStatisticIsLeftAsItsTableProtectedIt() {
        let table = EstimateTable(byVariables: ["g"], cells: [Self.cell("a", "mean", "y"), Self.cell("b", "mean", "y")])
        var statuses: [CellStatus] = [.primary("threshold"), .safe]
        DisclosureControl.suppressAcrossStatistics(table, &statuses)
        #expect(statuses == [.primary("threshold"), .safe])
    }
}
