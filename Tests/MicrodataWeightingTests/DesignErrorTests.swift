import MicrodataReaders
import Testing

@testable import MicrodataWeighting

/// Wrong designs are errors that name the column, stratum or row.
struct DesignErrorTests {
    @Test func missingWeightColumn() {
        #expect(throws: WeightingError.missingColumn("wt")) {
            try Designs.apistrat.estimate(SurveyDesign(weight: "wt", strata: "stype"), [.mean("api00")])
        }
        #expect(WeightingError.missingColumn("wt").description.contains("'wt'"))
    }

    @Test func nonPositiveWeights() throws {
        var f = Designs.apistrat
        var w = f.doubles("pw")
        w[4] = -1
        f.add("badw", w)
        #expect(throws: WeightingError.invalidWeight(column: "badw", row: 5, value: "-1.0")) {
            try f.estimate(SurveyDesign(weight: "badw", strata: "stype"), [.mean("api00")])
        }
        w[4] = 0
        f.add("zerow", w)
        #expect(throws: WeightingError.invalidWeight(column: "zerow", row: 5, value: "0.0")) {
            try f.estimate(SurveyDesign(weight: "zerow", strata: "stype"), [.mean("api00")])
        }
        // Allowed zero weights keep the row's PSU in the design but contribute nothing.
        let ok = try f.estimate(SurveyDesign(weight: "zerow", strata: "stype", allowZeroWeights: true), [.mean("api00")])
        #expect(ok.table.cells[0].unweightedCount == 199)
    }

    @Test func fpcSmallerThanSample() {
        var f = Designs.apistrat
        f.add("smallfpc", f.texts("stype").map { $0 == "H" ? 10 : 4421 })
        #expect(throws: WeightingError.fpcSmallerThanSample(column: "smallfpc", stratum: "H", population: 10, sample: 50)) {
            try f.estimate(SurveyDesign(weight: "pw", strata: "stype", fpc: ["smallfpc"]), [.mean("api00")])
        }
    }

    @Test func psuInTwoStrataNeedsNest() throws {
        var f = Designs.apistrat
        f.add("fakepsu", (0..<f.rowCount).map { Double($0 % 10) })
        #expect(throws: WeightingError.self) {
            try f.estimate(SurveyDesign(weight: "pw", strata: "stype", clusters: ["fakepsu"]), [.mean("api00")])
        }
        let nested = try f.estimate(SurveyDesign(weight: "pw", strata: "stype", clusters: ["fakepsu"], nest: true),
                                    [.mean("api00")])
        #expect(nested.degreesOfFreedom == 27)
    }

    @Test func ukModes() throws {
        let f = Designs.apistrat
        let srs = try f.estimate(.weightsOnly(weight: "pw"), [.mean("api00")])
        #expect(srs.table.designDescription.hasPrefix("weights only"))
        #expect(srs.degreesOfFreedom == 199)
        let deft = try f.estimate(.designFactor(weight: "pw", deft: 1.5), [.mean("api00")], EstimationOptions(deff: .replace))
        let plain = try f.estimate(.designFactor(weight: "pw", deft: 1), [.mean("api00")])
        #expect(abs(deft.table.cells[0].standardError - 1.5 * plain.table.cells[0].standardError) < 1e-9)
        #expect(abs(deft.table.cells[0].designEffect! - 2.25) < 1e-12)
        let hh = try f.estimate(.householdClusters(weight: "pw", household: "dnum"), [.mean("api00")])
        #expect(SurveyDesign.householdClusters(weight: "pw", household: "dnum").householdsAsClusters)
        #expect(hh.table.designDescription.contains("households as clusters (dnum)"), "\(hh.table.designDescription)")
        // The same cluster column declared as a PSU is described as clusters.
        let psu = try f.estimate(Designs.dclus1wr, [.mean("api00")])
        #expect(!Designs.dclus1wr.householdsAsClusters)
        #expect(psu.table.designDescription.contains("clusters dnum"))
        // Households as clusters equals the with-replacement cluster design on the same ids (T06's setting).
        let t06 = try Designs.apiclus1.estimate(.householdClusters(weight: "pw", household: "dnum"), [.total("enroll")])
        expectClose(t06.table.cells[0].standardError, Oracle.shared("T06", "SE", "enroll"))
    }
}
