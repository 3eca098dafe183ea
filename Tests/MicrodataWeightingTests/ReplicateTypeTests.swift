import MicrodataReaders
import MicrodataTestSupport
import Testing

@testable import MicrodataWeighting

/// BRR, Fay and JKn from supplied replicate columns, per-replicate scales and each type's default scale,
/// against R `svrepdesign()` on the same columns. Fixtures/rsurvey/replicate_types.R builds the designs,
/// exports the columns and writes replicate_types_expected.csv (see PROVENANCE.txt).
struct ReplicateTypeTests {
    /// `replicate_types_expected.csv` keyed by "case|statistic|term".
    static let expected: [String: Double] = {
        let records = try! DelimitedRecords(contentsOf: Fixtures.url("rsurvey/replicate_types_expected.csv")).records
        var out: [String: Double] = [:]
        for r in records.dropFirst() { out["\(r.fields[0])|\(r.fields[2])|\(r.fields[3])"] = Double(r.fields[4]) }
        return out
    }()

    static func r(_ key: String, sourceLocation: SourceLocation = #_sourceLocation) -> Double {
        guard let v = expected[key] else {
            Issue.record("replicate_types_expected.csv has no \(key)", sourceLocation: sourceLocation)
            return .nan
        }
        return v
    }

    static func rscales(_ file: String) throws -> [Double] {
        try Frame(file).doubles("rscales")
    }

    static let pairs: Frame = {
        var f = Designs.apiclus2
        f.append(try! Frame("rep_clus2pairs_BRR.csv"))
        f.append(try! Frame("rep_clus2pairs_Fay03.csv"))
        return f
    }()

    static let strata3: Frame = {
        var f = Designs.apiclus1
        f.append(try! Frame("rep_clus1str3_JKn.csv"))
        return f
    }()

    func check(_ id: String, _ est: Estimates, terms: [String], sourceLocation: SourceLocation = #_sourceLocation) {
        for (k, term) in terms.enumerated() {
            expectClose(est.table.cells[k].estimate, Self.r("\(id)|estimate|\(term)"), "\(id) \(term)",
                        sourceLocation: sourceLocation)
            expectClose(est.table.cells[k].standardError, Self.r("\(id)|SE|\(term)"), "\(id) \(term) SE",
                        sourceLocation: sourceLocation)
        }
    }

    @Test func brrUsesOneOverRByDefault() throws {
        let spec = ReplicateWeights(pattern: "^brr[0-9]+$", type: .brr)
        // The expected scale is printed with 15 significant digits.
        #expect(abs(try spec.effectiveScale(count: Int(Self.r("meta|nrep|BRR"))) - Self.r("meta|scale|BRR")) < 1e-15)
        let est = try Self.pairs.estimate(SurveyDesign(weight: "pw", replicates: spec), [.mean("api00"), .mean("api99")])
        check("R01", est, terms: ["api00", "api99"])
        // R's degf is rank(replicate weights) − 1: 24 Hadamard replicates of 20 pairs have rank 21.
        #expect(est.degreesOfFreedom == Self.r("meta|degf|BRR"))
    }

    @Test func brrCentredOnTheFullSampleWithMSE() throws {
        let spec = ReplicateWeights(pattern: "^brr[0-9]+$", type: .brr, mse: true)
        check("R02", try Self.pairs.estimate(SurveyDesign(weight: "pw", replicates: spec), [.total("api00")]),
              terms: ["api00"])
    }

    @Test func fayScaleDependsOnRho() throws {
        let rho = 0.3  // the fay.rho of replicate_types.R
        let spec = ReplicateWeights(pattern: "^fay[0-9]+$", type: .fay, fayRho: rho)
        let scale = try spec.effectiveScale(count: Int(Self.r("meta|nrep|Fay")))
        #expect(abs(scale - Self.r("meta|scale|Fay")) < 1e-15)
        let est = try Self.pairs.estimate(SurveyDesign(weight: "pw", replicates: spec), [.mean("api00"), .mean("api99")])
        check("R03", est, terms: ["api00", "api99"])
        #expect(est.degreesOfFreedom == Self.r("meta|degf|Fay"))
        #expect(throws: WeightingError.self) {
            try ReplicateWeights(pattern: "^fay[0-9]+$", type: .fay).effectiveScale(count: 24)
        }
    }

    @Test func jknWeighsEachReplicateByItsStratumScale() throws {
        let rscales = try Self.rscales("rep_clus1str3_JKn_rscales.csv")
        #expect(rscales.count == Int(Self.r("meta|nrep|JKn")))
        let spec = ReplicateWeights(pattern: "^jkn[0-9]+$", type: .jkn, rscales: rscales)
        #expect(try spec.effectiveScale(count: rscales.count) == Self.r("meta|scale|JKn"))
        let design = SurveyDesign(weight: "pw", replicates: spec)
        let mean = try Self.strata3.estimate(design, [.mean("api00")])
        check("R04", mean, terms: ["api00"])
        #expect(mean.degreesOfFreedom == Self.r("meta|degf|JKn"))
        check("R05", try Self.strata3.estimate(design, [.total("enroll")]), terms: ["enroll"])
        // All-ones rscales would overstate the variance by 1/0.8.
        let unscaled = try Self.strata3.estimate(
            SurveyDesign(weight: "pw", replicates: ReplicateWeights(pattern: "^jkn[0-9]+$", type: .jkn)), [.mean("api00")])
        expectClose(unscaled.table.cells[0].standardError, Self.r("R04|SE|api00") / 0.8.squareRoot())
    }

    @Test func otherTypeTakesAnExplicitScaleAndUnequalRscales() throws {
        let rscales = try Self.rscales("rep_clus1str3_other_rscales.csv")
        let spec = ReplicateWeights(pattern: "^jkn[0-9]+$", type: .other, scale: 0.5, rscales: rscales)
        check("R06", try Self.strata3.estimate(SurveyDesign(weight: "pw", replicates: spec), [.mean("api00")]),
              terms: ["api00"])
        #expect(throws: WeightingError.self) {
            try ReplicateWeights(pattern: "x", type: .other).effectiveScale(count: 15)
        }
    }

    @Test func rBuildsTheSameDesignsFromTheSampleDesign() {
        // as.svrepdesign() and svrepdesign() on its exported columns agree, so the columns carry the design.
        #expect(Self.r("R07|SE|api00") == Self.r("R01|SE|api00"))
        #expect(Self.r("R08|SE|api00") == Self.r("R04|SE|api00"))
    }
}
