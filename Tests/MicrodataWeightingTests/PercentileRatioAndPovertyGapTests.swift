import Foundation
import MicrodataTestSupport
import Testing

@testable import MicrodataWeighting

/// Percentile ratios, relative median poverty gaps and per-domain poverty lines against R convey 1.0.1
/// (Fixtures/inequality/ratio_gap_cases.R, cases RG01–RG16).
struct PercentileRatioAndPovertyGapTests {
    let oracle = InequalityTests()
    /// apistrat's districts as clusters within school types (R `svydesign(id = ~dnum, strata = ~stype,
    /// nest = TRUE)`).
    static let stratifiedClusters = SurveyDesign(weight: "pw", strata: "stype", clusters: ["dnum"], nest: true)
    static let p9010 = InequalityMeasure.percentileRatio(top: 0.9, bottom: 0.1)
    static let gap = InequalityMeasure.povertyGap(percent: 0.6, quantile: 0.5)
    static let rate = InequalityMeasure.povertyRate(percent: 0.6, quantile: 0.5)

    func cells(_ frame: Frame, _ design: SurveyDesign, _ measure: InequalityMeasure, _ v: String,
               by: [String] = [], byDomainLine: Bool = false) throws -> [CellEstimate] {
        var options = EstimationOptions(by: by)
        options.thresholdByDomain = byDomainLine
        return try frame.estimate(design, [.inequality(v, measure)], options).table.cells
    }

    @Test func percentileRatioUnderStratifiedClustersWeightsOnlyAndJK1() throws {
        let a = try cells(Designs.apistrat, Self.stratifiedClusters, Self.p9010, "enroll")
        #expect(a.map(\.statistic) == ["percentile_ratio"] && a[0].level == "0.9/0.1")
        oracle.check(a[0], "RG01", "percentile_ratio", "enroll")
        let b = try cells(Designs.apistrat, Self.stratifiedClusters, .percentileRatio(top: 0.75, bottom: 0.25), "api00")
        oracle.check(b[0], "RG02", "percentile_ratio", "api00")
        oracle.check(try cells(Designs.apistrat, InequalityTests.weightsOnly, Self.p9010, "enroll")[0],
                     "RG03", "percentile_ratio", "enroll")
        oracle.check(try cells(InequalityTests.jk1, InequalityTests.djk, Self.p9010, "api00")[0],
                     "RG04", "percentile_ratio", "api00")
    }

    @Test func percentileRatioByDomain() throws {
        let a = try cells(Designs.apistrat, Self.stratifiedClusters, Self.p9010, "enroll", by: ["awards"])
        #expect(a.map(\.byValues) == [["No"], ["Yes"]])
        for c in a { oracle.check(c, "RG05", "percentile_ratio", "awards=\(c.byValues[0])") }
        let b = try cells(InequalityTests.jk1, InequalityTests.djk, Self.p9010, "api00", by: ["stype"])
        #expect(b.count == 3)
        for c in b { oracle.check(c, "RG06", "percentile_ratio", "stype=\(c.byValues[0])") }
    }

    @Test func povertyGapUnderStratifiedClustersWeightsOnlyAndJK1() throws {
        let a = try cells(Designs.apistrat, Self.stratifiedClusters, Self.gap, "enroll")
        #expect(a.map(\.statistic) == ["rmpg"])
        oracle.check(a[0], "RG07", "rmpg", "enroll")
        oracle.check(try cells(Designs.apistrat, InequalityTests.weightsOnly, Self.gap, "enroll")[0], "RG08", "rmpg", "enroll")
        oracle.check(try cells(InequalityTests.jk1, InequalityTests.djk, Self.gap, "enroll")[0], "RG09", "rmpg", "enroll")
        let c = try cells(Designs.apistrat, Self.stratifiedClusters, .povertyGap(percent: 0.7, quantile: 0.4), "api00")
        oracle.check(c[0], "RG12", "rmpg", "api00")
    }

    @Test func povertyGapByDomainUsesTheWholeSampleLine() throws {
        let a = try cells(Designs.apistrat, Self.stratifiedClusters, Self.gap, "enroll", by: ["awards"])
        for c in a { oracle.check(c, "RG10", "rmpg", "awards=\(c.byValues[0])") }
        let b = try cells(InequalityTests.jk1, InequalityTests.djk, Self.gap, "enroll", by: ["stype"])
        oracle.check(b[0], "RG11", "rmpg", "stype=E")
        // In some JK1 replicates no high school is poor: convey's SE is NA, so is ours.
        expectClose(b[1].estimate, oracle.o("RG11", "rmpg", "stype=H"), "RG11 H")
        #expect(b[1].standardError.isNaN)
    }

    @Test func thresholdByDomainTakesEachDomainsOwnLine() throws {
        for measure in [Self.rate, Self.gap] {
            let id = measure == Self.rate ? ("RG13", "arpr") : ("RG14", "rmpg")
            let a = try cells(Designs.apistrat, Self.stratifiedClusters, measure, "enroll", by: ["awards"], byDomainLine: true)
            #expect(a.count == 2)
            for c in a { oracle.check(c, id.0, id.1, "awards=\(c.byValues[0])") }
            // The default stays the whole sample's line (RG10 for the gap).
            let whole = try cells(Designs.apistrat, Self.stratifiedClusters, measure, "enroll", by: ["awards"])
            #expect(zip(whole, a).contains { abs($0.estimate - $1.estimate) > 1e-3 })
            let jk = id.0 == "RG13" ? ("RG15", "arpr") : ("RG16", "rmpg")
            let b = try cells(InequalityTests.jk1, InequalityTests.djk, measure, "enroll", by: ["stype"], byDomainLine: true)
            #expect(b.count == 3)
            for c in b { oracle.check(c, jk.0, jk.1, "stype=\(c.byValues[0])") }
        }
    }

    @Test func jknAndBootstrapReplicates() throws {
        let rscales = try String(contentsOf: Fixtures.url("rsurvey/rep_clus1str3_JKn_rscales.csv"), encoding: .utf8)
            .split(separator: "\n").dropFirst().compactMap { Double($0) }
        #expect(rscales.count == 15)
        var jkn = Designs.apiclus1
        jkn.append(try Frame("rep_clus1str3_JKn.csv"))
        let djkn = SurveyDesign(weight: "pw", replicates: ReplicateWeights(pattern: "^jkn[0-9]+$", type: .jkn,
                                                                           rscales: rscales))
        oracle.check(try cells(jkn, djkn, Self.p9010, "api00")[0], "RG17", "percentile_ratio", "api00")
        oracle.check(try cells(jkn, djkn, Self.gap, "enroll")[0], "RG18", "rmpg", "enroll")
        var boot = Designs.apiclus1
        boot.append(try Frame("rep_dclus1_boot50_seed42.csv"))
        let dboot = SurveyDesign(weight: "pw", replicates: ReplicateWeights(pattern: "^rw[0-9]+$", type: .bootstrap,
                                                                            scale: 0.02186588921))
        oracle.check(try cells(boot, dboot, Self.p9010, "api00")[0], "RG19", "percentile_ratio", "api00")
        // Some bootstrap replicates have no poor school: convey's SE is NA, ours NaN.
        let gap = try cells(boot, dboot, Self.gap, "enroll")[0]
        expectClose(gap.estimate, oracle.o("RG20", "rmpg", "enroll"), "RG20")
        #expect(gap.standardError.isNaN)
        // No school's api00 is below 60% of the median: no poor, no gap (convey: NA).
        let none = try cells(Designs.apiclus1, Designs.dclus1, Self.gap, "api00")[0]
        #expect(none.estimate.isNaN && none.standardError.isNaN)
    }

    @Test func ratiosAndGapsRecordTheUnitsBesideTheirQuantiles() throws {
        // P99/P1 of 200 schools rests on a few schools at each end (weighted quantiles: elementary schools
        // weigh most); P90/P10 on more than the threshold of 10.
        let extreme = try cells(Designs.apistrat, Self.stratifiedClusters, .percentileRatio(top: 0.99, bottom: 0.01), "enroll")
        let sides = try #require(extreme[0].quantileSides)
        #expect(sides == QuantileSides(below: 2, above: 4))
        let usual = try #require(try cells(Designs.apistrat, Self.stratifiedClusters, Self.p9010, "enroll")[0].quantileSides)
        #expect(usual == QuantileSides(below: 16, above: 37))
        // The gap's median of the poor splits the poor; the threshold's quantile splits the domain.
        let gap = try #require(try cells(Designs.apistrat, Self.stratifiedClusters, Self.gap, "enroll")[0].quantileSides)
        #expect(gap == QuantileSides(below: 11, above: 9))
        let arpt = try #require(try cells(Designs.apistrat, Self.stratifiedClusters,
                                          .povertyThreshold(percent: 0.6, quantile: 0.5), "enroll")[0].quantileSides)
        #expect(arpt == QuantileSides(below: 75, above: 123))
    }

    @Test func optionTextParsesRatiosAndGaps() throws {
        #expect(try InequalityMeasure.parse(option: "percentile-ratio", "w").measure == Self.p9010)
        #expect(try InequalityMeasure.parse(option: "percentile-ratio", "w:0.8/0.5").measure
                    == .percentileRatio(top: 0.8, bottom: 0.5))
        #expect(try InequalityMeasure.parse(option: "poverty-gap", "w").measure == Self.gap)
        #expect(try InequalityMeasure.parse(option: "poverty-gap", "w:50,0.5").measure
                    == .povertyGap(percent: 0.5, quantile: 0.5))
        #expect(throws: WeightingError.self) { try InequalityMeasure.parse(option: "percentile-ratio", "w:0.1/0.9") }
    }
}
