import Testing

@testable import MicrodataWeighting

/// Lonely-PSU rules (oracle cases L).
struct LonelyPSUTests {
    let o = Oracle.shared

    func dsl(_ rule: LonelyPSURule) -> SurveyDesign { SurveyDesign(weight: "pw", strata: "dnum", lonelyPSU: rule) }
    func dsing(_ rule: LonelyPSURule) -> SurveyDesign {
        SurveyDesign(weight: "Design_Weight", strata: "Stratum", clusters: ["PSU"], lonelyPSU: rule)
    }

    @Test func failNamesTheStratum() throws {
        #expect(throws: WeightingError.lonelyPSU(stratumColumn: "dnum", stratum: "413", stage: 1)) {
            try Designs.apiclus1.estimate(dsl(.fail), [.mean("api00")])
        }
        #expect(throws: WeightingError.lonelyPSU(stratumColumn: "dnum", stratum: "413", stage: 1)) {
            try Designs.apiclus1.estimate(dsl(.fail), [.total("api00")])  // L02_fail
        }
        #expect(throws: WeightingError.lonelyPSU(stratumColumn: "Stratum", stratum: "3", stage: 1)) {
            try Frame("singleton_toy.csv").estimate(dsing(.fail), [.total("Age")])
        }
        #expect(o.cases.contains("L01_fail") && o.cases.contains("L03_fail"))
        let message = WeightingError.lonelyPSU(stratumColumn: "dnum", stratum: "413", stage: 1).description
        #expect(message.contains("Stratum (413)") && message.contains("only one PSU at stage 1"))
    }

    @Test(arguments: [LonelyPSURule.remove, .certainty, .adjust, .average])
    func rules(rule: LonelyPSURule) throws {
        let id = rule.rawValue
        let mean = try Designs.apiclus1.estimate(dsl(rule), [.mean("api00")]).table.cells[0]
        expectClose(mean.estimate, o("L01_\(id)", "mean", "api00"))
        expectClose(mean.standardError, o("L01_\(id)", "SE", "api00"), "L01_\(id)")
        let total = try Designs.apiclus1.estimate(dsl(rule), [.total("api00")]).table.cells[0]
        expectClose(total.estimate, o("L02_\(id)", "total", "api00"))
        expectClose(total.standardError, o("L02_\(id)", "SE", "api00"), "L02_\(id)")
        let toy = try Frame("singleton_toy.csv").estimate(dsing(rule), [.total("Age")]).table.cells[0]
        expectClose(toy.estimate, o("L03_\(id)", "total", "Age"))
        expectClose(toy.standardError, o("L03_\(id)", "SE", "Age"), "L03_\(id)")
    }

    @Test(arguments: [LonelyPSURule.remove, .adjust, .average], [false, true])
    func lonelyInsideADomain(rule: LonelyPSURule, adjustDomain: Bool) throws {
        // dsub = apiclus1 without district 413, strata dnum; dsub[-31,] is the domain "keep = 1".
        var f = Designs.apiclus1.filter { Designs.apiclus1.doubles("dnum")[$0] != 413 }
        f.add("keep", (0..<f.rowCount).map { $0 == 30 ? 0 : 1 })
        #expect(f.doubles("dnum")[30] == 406)
        var design = dsl(rule)
        design.adjustDomainLonely = adjustDomain
        let est = try f.estimate(design, [.mean("api00")], EstimationOptions(by: ["keep"]))
        let c = est.table.cells.first { $0.byValues == ["1"] }!
        let id = "L05_\(rule.rawValue)_\(adjustDomain ? "TRUE" : "FALSE")"
        expectClose(c.estimate, o(id, "mean", "api00"))
        expectClose(c.standardError, o(id, "SE", "api00"), id)
    }

    @Test(arguments: [LonelyPSURule.remove, .certainty, .adjust, .average])
    func jackknifeBuiltFromTheDesign(rule: LonelyPSURule) throws {
        var design = dsl(rule)
        design.jackknife = true
        let c = try Designs.apiclus1.estimate(design, [.mean("api00")]).table.cells[0]
        let id = "L04_\(rule.rawValue)"
        expectClose(c.estimate, o(id, "mean", "api00"))
        expectClose(c.standardError, o(id, "SE", "api00"), id)
    }

    @Test func jackknifeFailsOnALonelyPSU() {
        var design = dsl(.fail)
        design.jackknife = true
        #expect(throws: WeightingError.lonelyPSU(stratumColumn: "dnum", stratum: "413", stage: 1)) {
            try Designs.apiclus1.estimate(design, [.mean("api00")])
        }
    }

    @Test func certaintyStratumByFPC() throws {
        var f = Designs.apiclus1
        f.add("fpcL06", f.doubles("dnum").map { $0 == 413 ? 1 : 1000 })
        let c = try f.estimate(SurveyDesign(weight: "pw", strata: "dnum", fpc: ["fpcL06"]), [.mean("api00")]).table.cells[0]
        expectClose(c.estimate, o("L06", "mean", "api00"))
        expectClose(c.standardError, o("L06", "SE", "api00"))
    }
}
