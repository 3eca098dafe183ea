import Foundation
import MicrodataTestSupport
import Testing

/// `tabulate`'s inequality and poverty measures through the disclosure step and the quality flags.
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

    @Test func percentileRatiosNeedTheThresholdOnBothSidesOfEachPercentile() throws {
        let file = try T.dataFile()
        // 99 people: about 20 below P20 and above P80, published; 5 beyond P5/P95, withheld.
        let whole = try T.tabulate(file, ["--percentile-ratio", "income:0.8/0.2"])
        #expect(whole[0]["statistic"] == "percentile_ratio" && whole[0]["level"] == "0.8/0.2")
        #expect(whole[0]["status"] == "safe")
        let ratio = try #require(T.number(whole[0], "estimate"))
        #expect(ratio > 1.5 && ratio < 3)
        let tails = try T.tabulate(file, ["--percentile-ratio", "income:0.95/0.05"])
        #expect(tails[0]["status"] == "primary:quantile-sides" && tails[0]["estimate"] == "[c]")
        // D's 40 people have 8 below their P20: withheld; C (4 people) fails the threshold as well.
        let byRegion = try T.tabulate(file, ["--percentile-ratio", "income:0.8/0.2", "--by", "region"])
        #expect(byRegion.first { $0["region"] == "D" }?["status"] == "primary:quantile-sides")
        #expect(byRegion.first { $0["region"] == "C" }?["status"] == "primary:threshold+quantile-sides")
    }

    @Test func povertyGapNeedsTheThresholdAmongThePoorOnBothSidesOfTheirMedian() throws {
        let file = try T.dataFile()
        // A line at 90% of the median makes about 40 people poor: published.
        let high = try T.tabulate(file, ["--poverty-gap", "income:90,0.5"])
        #expect(high[0]["statistic"] == "rmpg" && high[0]["status"] == "safe")
        let gap = try #require(T.number(high[0], "estimate"))
        #expect(gap > 0 && gap < 1)
        // At 60% of the median about 14 are poor: their median has fewer than 10 on each side, withheld.
        let low = try T.tabulate(file, ["--poverty-gap", "income"])
        #expect(low[0]["status"] == "primary:quantile-sides" && low[0]["estimate"] == "[c]")
    }

    @Test func aDomainBelowTheThresholdIsWithheldForEveryMeasure() throws {
        let file = try T.dataFile()
        for option in [["--gini", "income"], ["--percentile-ratio", "income:0.6/0.4"], ["--poverty-gap", "income:90,0.5"],
                       ["--quantile-share-ratio", "income"], ["--atkinson", "income:1"], ["--gei", "income:0"],
                       ["--poverty-threshold", "income"]] {
            let rows = try T.tabulate(file, option + ["--by", "region"])
            let c = try #require(rows.first { $0["region"] == "C" })
            #expect(c["status"]?.hasPrefix("primary:threshold") == true, "\(option)")
            #expect(c["estimate"] == "[c]" && c["se"] == "[c]" && c["n"] == "[c]", "\(option)")
            // A's 30 people pass the threshold for the measures without a quantile to protect.
            if ["--gini", "--atkinson", "--gei"].contains(option[0]) {
                #expect(rows.first { $0["region"] == "A" }?["status"] == "safe", "\(option)")
            }
        }
    }

    @Test func inequalityEstimatesCarryCVQualityFlags() throws {
        let file = try T.dataFile()
        let gini = try T.tabulate(file, ["--gini", "income", "--by", "sex"])
        #expect(gini.map { $0["cv_band"] } == ["reasonably precise", "reasonably precise"])
        // A rate of 23% with an SE of 6 points (CV 26%) is published with its flag.
        let rate = try T.tabulate(file, ["--poverty-rate", "income:70,0.5", "--by", "sex"])
        let f = try #require(rate.first { $0["sex"] == "f" })
        #expect(f["cv_band"] == "unreliable" && f["status"] == "safe")
    }

    @Test func thresholdByDomainGivesEachDomainItsOwnLine() throws {
        let file = try T.dataFile()
        let whole = try T.tabulate(file, ["--poverty-rate", "income:90,0.5", "--by", "sex"])
        let own = try T.tabulate(file, ["--poverty-rate", "income:90,0.5", "--by", "sex", "--threshold-by-domain"])
        #expect(own.map { $0["status"] } == ["safe", "safe"])
        // The whole sample's line has terms outside each domain, the domain's own line none: SEs differ.
        for (a, b) in zip(whole, own) {
            #expect(abs(try #require(T.number(a, "se")) - (try #require(T.number(b, "se")))) > 0.01)
        }
    }
}
