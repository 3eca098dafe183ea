import MicrodataReaders
import MicrodataTestSupport
import Testing

@testable import MicrodataWeighting

/// Kish's weighting effect per domain and designs with unit weights, against R survey 4.1.1:
/// Fixtures/rsurvey/kish_unit_weights.R writes kish_unit_weights_expected.csv (see PROVENANCE.txt).
struct KishAndUnitWeightTests {
    /// Keyed by "case|domain|statistic".
    static let expected: [String: Double] = {
        let records = try! DelimitedRecords(contentsOf: Fixtures.url("rsurvey/kish_unit_weights_expected.csv")).records
        var out: [String: Double] = [:]
        for r in records.dropFirst() { out["\(r.fields[0])|\(r.fields[1])|\(r.fields[2])"] = Double(r.fields[3])! }
        return out
    }()

    func want(_ key: String, sourceLocation: SourceLocation = #_sourceLocation) -> Double {
        guard let v = Self.expected[key] else {
            Issue.record("no expected value for \(key)", sourceLocation: sourceLocation)
            return .nan
        }
        return v
    }

    func checkKish(_ id: String, _ est: Estimates, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(!est.table.cells.isEmpty, sourceLocation: sourceLocation)
        for c in est.table.cells {
            let key = "\(id)|\(c.byValues.first ?? "")|"
            guard let k = c.kish else {
                Issue.record("\(key): no Kish weighting effect", sourceLocation: sourceLocation)
                continue
            }
            #expect(Double(k.n) == want(key + "n"), "\(key) n", sourceLocation: sourceLocation)
            expectClose(k.sumWeights, want(key + "sum_w"), "\(key) sum_w", sourceLocation: sourceLocation)
            expectClose(k.sumSquaredWeights, want(key + "sum_w2"), "\(key) sum_w2", sourceLocation: sourceLocation)
            expectClose(k.designEffect, want(key + "kish_deff"), "\(key) deff", sourceLocation: sourceLocation)
            expectClose(k.effectiveSampleSize, want(key + "n_eff"), "\(key) n_eff", sourceLocation: sourceLocation)
        }
    }

    static var withKish: EstimationOptions {
        var o = EstimationOptions()
        o.kish = true
        return o
    }

    @Test func kishWeightingEffectOfTheWholeSampleMatchesR() throws {
        let est = try Designs.apistrat.estimate(Designs.dstrat, [.mean("api00")], Self.withKish)
        checkKish("K01", est)
        #expect(est.table.cells[0].kish == est.kish, "the one domain is the whole sample")
    }

    @Test func kishWeightingEffectPerDomainMatchesR() throws {
        var options = Self.withKish
        options.by = ["sch.wide"]
        let est = try Designs.apistrat.estimate(Designs.dstrat, [.mean("api00")], options)
        #expect(est.table.cells.count == 2)
        checkKish("K02", est)
        // A categorical: every level's cell carries its domain's figures.
        options.by = ["stype"]
        let byType = try Designs.apiclus2.estimate(
            SurveyDesign(weight: "pw", clusters: ["dnum", "snum"]), [.proportion("sch.wide")], options)
        #expect(byType.table.cells.count == 6)
        checkKish("K03", byType)
    }

    @Test func kishIsOffUnlessAskedAndRefusedForWeightsFromFPCs() throws {
        let est = try Designs.apistrat.estimate(Designs.dstrat, [.mean("api00")])
        #expect(est.table.cells.allSatisfy { $0.kish == nil })
        #expect(throws: WeightingError.self) {
            _ = try Designs.apiclus2.estimate(Designs.dclus2, [.mean("api00")], Self.withKish)
        }
    }

    func checkUnit(_ id: String, _ design: SurveyDesign, _ frame: Frame, sourceLocation: SourceLocation = #_sourceLocation)
        throws
    {
        var d = design
        d.unitWeights = true
        let mean = try frame.estimate(d, [.mean("api00")]).table.cells[0]
        expectClose(mean.estimate, want("\(id)||mean_est"), "\(id) mean", sourceLocation: sourceLocation)
        expectClose(mean.standardError, want("\(id)||mean_se"), "\(id) mean SE", sourceLocation: sourceLocation)
        let total = try frame.estimate(d, [.total("enroll")]).table.cells[0]
        expectClose(total.estimate, want("\(id)||total_est"), "\(id) total", sourceLocation: sourceLocation)
        expectClose(total.standardError, want("\(id)||total_se"), "\(id) total SE", sourceLocation: sourceLocation)
    }

    @Test func unitWeightsMatchRSvydesignWithoutWeights() throws {
        try checkUnit("U01", SurveyDesign(weight: nil), Designs.apisrs)
        try checkUnit("U03", SurveyDesign(weight: nil, fpc: ["fpc"]), Designs.apisrs)
        try checkUnit("U04", SurveyDesign(weight: nil, clusters: ["dnum"]), Designs.apiclus1)
        var d = SurveyDesign(weight: nil)
        d.unitWeights = true
        let est = try Designs.apisrs.estimate(d, [.mean("api00")], EstimationOptions(by: ["stype"]))
        #expect(est.table.cells.map { $0.byValues } == [["E"], ["H"], ["M"]])
        for c in est.table.cells {
            expectClose(c.estimate, want("U02|\(c.byValues[0])|mean_est"), "U02 \(c.byValues[0])")
            expectClose(c.standardError, want("U02|\(c.byValues[0])|mean_se"), "U02 \(c.byValues[0]) SE")
        }
    }

    @Test func unitWeightsAreStatedAndExcludeAWeightColumn() throws {
        var d = SurveyDesign(weight: nil)
        d.unitWeights = true
        let est = try Designs.apisrs.estimate(d, [.mean("api00")])
        #expect(est.table.designDescription.contains("unit weights (no weight column)"))
        // Without unit weights, no weight column and no FPC is an error, as before.
        #expect(throws: WeightingError.self) { _ = try Designs.apisrs.estimate(SurveyDesign(weight: nil), [.mean("api00")]) }
        d.weight = "pw"
        #expect(throws: WeightingError.self) { _ = try Designs.apisrs.estimate(d, [.mean("api00")]) }
    }
}
