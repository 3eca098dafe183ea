import Foundation
import MicrodataTestSupport
import MicrodataWeighting
import MicrodataWrite
import Testing
@testable import MicrodataDisclosure

/// The gate writers rely on: `CheckedTable` from a weighting `EstimateTable`, and the explicit bypass.
struct CheckedTableTests {
    func result() -> EstimateTable {
        EstimateTable(
            byVariables: ["region"],
            cells: [
                CellEstimate(
                    byValues: ["North"], statistic: "mean", variable: "income", estimate: 500, standardError: 20,
                    ciLow: 460, ciHigh: 540, degreesOfFreedom: 30, unweightedCount: 120, weightedCount: 5_000),
                CellEstimate(
                    byValues: ["South"], statistic: "mean", variable: "income", estimate: 450, standardError: 60,
                    ciLow: 330, ciHigh: 570, degreesOfFreedom: 30, unweightedCount: 8, weightedCount: 10),
                CellEstimate(
                    byValues: ["East"], statistic: "mean", variable: "income", estimate: 400, standardError: 100,
                    ciLow: 200, ciHigh: 600, degreesOfFreedom: 30, unweightedCount: 15, weightedCount: 900),
            ])
    }

    @Test func resultTableThresholdAndQualityFlags() throws {
        let checked = try DisclosureControl(rules: try TestTables.rules()).check(result())
        #expect(checked.header.last == "status")
        #expect(checked.statuses == [.safe, .primary("threshold"), .safe])
        // North: CV 4% precise; South: weighted 10 but 8 respondents → suppressed; East: CV 25%.
        #expect(checked.header[4...11] == ["estimate", "se", "ci_low", "ci_high", "deff", "df", "n", "weighted_n"])
        #expect(checked.rows[0].suffix(3) == ["precise", "", "safe"])
        // Every number is the marker, df included (a domain df is n − 1 under some designs), and the quality
        // flags are empty (a Nomis band or a CV band would narrow the suppressed count).
        #expect(checked.rows[1][4...11].allSatisfy { $0 == CheckedTable.marker })
        #expect(checked.rows[1].suffix(3) == ["", "", "primary:threshold"])
        #expect(checked.rows[2].suffix(3) == ["unreliable", "", "safe"])
        #expect(checked.audit?.summary == "0 of 1 suppressed cells recoverable")
        #expect(checked.stamp == nil)
    }

    /// With checks off nothing is hidden and no rule runs: South (8 respondents, CV 13%) keeps its numbers.
    @Test func uncheckedResultTableShowsEveryValueAndIsStamped() throws {
        let table = try DisclosureControl(rules: try TestTables.rules()).unchecked(result())
        #expect(table.stamp == CheckedTable.bypassStamp)
        #expect(table.audit == nil)
        #expect(table.rows[1] == [
            "South", "mean", "income", "", "450", "60", "330", "570", "", "30", "8", "10", "acceptable", "*",
            "not-checked",
        ])
        let csv = table.publication(title: "t", source: "s", version: "v").csv()
        #expect(csv.hasPrefix("region,statistic,variable,level,"))
        let lines = csv.split(separator: "\n")
        #expect(lines[0].hasSuffix(",controlled") && lines[2].hasSuffix(",no"))
    }

    @Test func bypassIsStamped() {
        let table = CheckedTable.bypassingDisclosureControl(header: ["a", "n"], rows: [["x1", "3"]])
        #expect(table.stamp == CheckedTable.bypassStamp)
        #expect(table.audit == nil)
        #expect(table.publication(title: "t", source: "s", version: "v").csv() == "a,n,controlled\nx1,3,no\n")
    }
}
