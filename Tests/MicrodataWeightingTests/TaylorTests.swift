import Testing

@testable import MicrodataWeighting

/// Whole-sample Taylor-linearised estimates (oracle cases T, K, Q08).
struct TaylorTests {
    let o = Oracle.shared

    func check(_ id: String, _ est: Estimates, stat: String, terms: [String], deff: Bool = false) {
        for (k, term) in terms.enumerated() {
            let c = est.table.cells[k]
            expectClose(c.estimate, o(id, stat, term), "\(id) \(term) estimate")
            expectClose(c.standardError, o(id, "SE", term), "\(id) \(term) SE")
            if deff { expectClose(c.designEffect ?? .nan, o(id, "deff", term), "\(id) \(term) deff") }
        }
    }

    @Test func stratifiedMeanAndTotal() throws {
        let f = Designs.apistrat
        check("T01", try f.estimate(Designs.dstrat, [.mean("api00")], EstimationOptions(deff: .withoutReplacement)),
              stat: "mean", terms: ["api00"], deff: true)
        check("T02", try f.estimate(Designs.dstrat, [.mean("api00")], EstimationOptions(deff: .replace)),
              stat: "mean", terms: ["api00"], deff: true)
        check("T03", try f.estimate(Designs.dstrat, [.total("enroll")], EstimationOptions(deff: .withoutReplacement)),
              stat: "total", terms: ["enroll"], deff: true)
    }

    @Test func clusterDesigns() throws {
        let c1 = Designs.apiclus1
        let opts = EstimationOptions(deff: .withoutReplacement)
        check("T04", try c1.estimate(Designs.dclus1, [.mean("api00"), .mean("api99")], opts), stat: "mean",
              terms: ["api00", "api99"], deff: true)
        check("T05", try c1.estimate(Designs.dclus1, [.total("enroll")], opts), stat: "total", terms: ["enroll"], deff: true)
        check("T06", try c1.estimate(Designs.dclus1wr, [.total("enroll")], opts), stat: "total", terms: ["enroll"],
              deff: true)
        let c2 = Designs.apiclus2
        check("T07", try c2.estimate(Designs.dclus2, [.mean("api00")], opts), stat: "mean", terms: ["api00"], deff: true)
        check("T08", try c2.estimate(Designs.dclus2, [.total("enroll")]), stat: "total", terms: ["enroll"])
        check("T09", try c2.estimate(Designs.dclus2wr, [.mean("api00")]), stat: "mean", terms: ["api00"])
        check("T10", try c2.estimate(Designs.dclus2wr, [.total("enroll")]), stat: "total", terms: ["enroll"])
        var ultimate = Designs.dclus2
        ultimate.ultimateCluster = true
        check("T19", try c2.estimate(ultimate, [.mean("api00")]), stat: "mean", terms: ["api00"])
    }

    @Test func simpleRandomSample() throws {
        let s = Designs.apisrs
        check("T11", try s.estimate(Designs.dsrs, [.mean("api00")], EstimationOptions(deff: .withoutReplacement)),
              stat: "mean", terms: ["api00"], deff: true)
        check("T12", try s.estimate(Designs.dsrs, [.total("enroll")]), stat: "total", terms: ["enroll"])
    }

    @Test func categoricalMeansAndTotals() throws {
        let c1 = Designs.apiclus1
        let t13 = try c1.estimate(Designs.dclus1, [.mean("stype")], EstimationOptions(deff: .withoutReplacement))
        check("T13", t13, stat: "mean", terms: ["factor(stype)E", "factor(stype)H", "factor(stype)M"], deff: true)
        #expect(t13.table.cells.map(\.level) == ["E", "H", "M"])
        check("T14", try c1.estimate(Designs.dclus1, [.total("stype")]), stat: "total", terms: ["stypeE", "stypeH", "stypeM"])
        let t15 = try Designs.apistrat.estimate(Designs.dstrat, [.proportion("stype"), .proportion("sch.wide")])
        check("T15", t15, stat: "mean", terms: ["stypeE", "stypeH", "stypeM", "sch.wideNo", "sch.wideYes"])
    }

    @Test func populationVariance() throws {
        check("T16", try Designs.apiclus1.estimate(Designs.dclus1, [.variance("api00")]), stat: "variance",
              terms: ["api00"])
    }

    @Test func kishWeightingEffect() throws {
        let k = try Designs.apistrat.estimate(Designs.dstrat, [.mean("api00")]).kish
        #expect(Double(k.n) == o("K01", "kish", "n"))
        expectClose(k.sumWeights, o("K01", "kish", "sum_w"))
        expectClose(k.sumSquaredWeights, o("K01", "kish", "sum_w2"))
        expectClose(k.designEffect, o("K01", "kish", "deff_kish"))
        expectClose(k.effectiveSampleSize, o("K01", "kish", "n_eff"))
    }

    @Test func degreesOfFreedom() throws {
        #expect(try Designs.apiclus1.estimate(Designs.dclus1, [.mean("api00")]).degreesOfFreedom == o("Q08", "degf", "dclus1"))
        #expect(try Designs.apistrat.estimate(Designs.dstrat, [.mean("api00")]).degreesOfFreedom == o("Q08", "degf", "dstrat"))
        #expect(try Designs.apiclus2.estimate(Designs.dclus2, [.mean("api00")]).degreesOfFreedom == o("Q08", "degf", "dclus2"))
    }
}
