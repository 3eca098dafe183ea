import Foundation
import MicrodataTestSupport
import Testing

/// `tabulate --gini/--top-share/--lorenz/--poverty-rate` through the disclosure step.
@Suite(.timeLimit(.minutes(3))) struct InequalityCLITests {
    typealias T = TabulateSideDoorTests

    @Test func giniIsPublishedForDomainsAboveTheThreshold() throws {
        let rows = try T.tabulate(try T.dataFile(), ["--gini", "income", "--by", "region"])
        #expect(rows.map { $0["region"] } == ["A", "B", "C", "D"])
        #expect(rows.map { $0["statistic"] } == ["gini", "gini", "gini", "gini"])
        // C has 4 people, below the threshold of 10: withheld; the others are published.
        #expect(rows[2]["status"]?.hasPrefix("primary") == true && rows[2]["estimate"] == "[c]")
        for k in [0, 1, 3] {
            #expect(rows[k]["status"] == "safe")
            let g = try #require(T.number(rows[k], "estimate"))
            #expect(g > 0 && g < 1)
        }
    }

    @Test func topSharesNeedTheThresholdInTheTopGroup() throws {
        let file = try T.dataFile()
        // The top 1% of 40 people (D) is less than one person: withheld; the top half is published.
        let top1 = try T.tabulate(file, ["--top-share", "income:0.01", "--by", "region"])
        #expect(top1.first { $0["region"] == "D" }?["status"] == "primary:quantile-sides")
        let half = try T.tabulate(file, ["--top-share", "income:0.5", "--by", "region"])
        #expect(half.first { $0["region"] == "D" }?["status"] == "safe")
        let lorenz = try T.tabulate(file, ["--lorenz", "income:0.5,0.99"])
        #expect(lorenz.map { $0["status"] } == ["safe", "primary:quantile-sides"])
    }

    @Test func povertyRateNeedsTheThresholdAmongThePoor() throws {
        // Every domain's rate is published only if at least 10 people are at or below the line and 10 above it.
        let rows = try T.tabulate(try T.dataFile(), ["--poverty-rate", "income:90,0.5", "--by", "region"])
        for row in rows where row["status"] == "safe" {
            let rate = try #require(T.number(row, "estimate"))
            #expect(rate > 0 && rate < 1)
        }
        let none = try T.tabulate(try T.dataFile(), ["--poverty-rate", "income:10,0.5"])
        #expect(none[0]["status"] == "primary:quantile-sides")
    }
}
