import Foundation
import MicrodataModels
import MicrodataReaders
import MicrodataTestSupport
import MicrodataWeighting
import Testing

/// apiclus1 with the replicate-weight columns of `file` in Fixtures/rsurvey (rows aligned).
private func withReplicates(_ file: String) throws -> ModelData {
    let api = try data("apiclus1.csv")
    let reps = try ModelData(source: DataReader.open(data: Fixtures.url("rsurvey/\(file)"), codebook: nil))
    return ModelData(columns: api.names.map { api.column($0)! } + reps.names.map { reps.column($0)! })
}

/// The calibration of Fixtures/models/svyglm.R: apipop totals of N, stype H and M, and api99.
private func calibrated(_ distance: Calibration.Distance = .linear,
                        bounds: ClosedRange<Double> = -Double.infinity...Double.infinity) -> SurveyDesign {
    var design = dclus1
    design.calibration = Calibration(
        terms: [.intercept(total: 6194), .level(column: "stype", value: "H", total: 755),
                .level(column: "stype", value: "M", total: 1018), .numeric(column: "api99", total: 3914069)],
        distance: distance, bounds: bounds)
    return design
}

/// `model` on every design `tabulate` takes (issue 16), against R svyglm (Fixtures/models/expected.csv).
@Suite("model designs beyond one-stage Taylor (R survey 4.1.1)")
struct ModelDesignTests {
    private let dclus2 = SurveyDesign(weight: nil, clusters: ["dnum", "snum"], fpc: ["fpc1", "fpc2"])

    @Test func twoStageDesignWithBothFPCsMatchesR() throws {
        check("S01", try SurveyModel(formula: "api00 ~ ell + meals + factor(stype)", family: .gaussian,
                                     data: data("apiclus2.csv"), design: dclus2))
        check("S02", try SurveyModel(formula: "I(sch.wide == 'Yes') ~ meals + factor(stype)", family: .binomial,
                                     data: data("apiclus2.csv"), design: dclus2))
    }

    @Test func twoStageDiffersFromUltimateCluster() throws {
        var ultimate = dclus2
        ultimate.ultimateCluster = true
        let two = try SurveyModel(formula: "api00 ~ ell", family: .gaussian, data: data("apiclus2.csv"), design: dclus2)
        let one = try SurveyModel(formula: "api00 ~ ell", family: .gaussian, data: data("apiclus2.csv"), design: ultimate)
        #expect(two.coefficients[1].estimate == one.coefficients[1].estimate)
        #expect(two.coefficients[1].standardError! > one.coefficients[1].standardError!)
    }

    @Test func householdClustersMatchRWithClustersWithoutFPC() throws {
        let design = SurveyDesign.householdClusters(weight: "pw", household: "dnum")
        let m = try SurveyModel(formula: "I(sch.wide == 'Yes') ~ ell + meals", family: .binomial,
                                data: data("apiclus1.csv"), design: design)
        check("H01", m)
        #expect(m.designDescription.contains("households as clusters (dnum)"))
    }

    @Test func designFactorScalesTheWeightsOnlyCovariance() throws {
        let formula = "I(sch.wide == 'Yes') ~ factor(stype) + meals"
        let plain = try SurveyModel(formula: formula, family: .binomial, data: data("apisrs.csv"), design: dsrsw)
        check("M07", plain)
        let m = try SurveyModel(formula: formula, family: .binomial, data: data("apisrs.csv"),
                                design: .designFactor(weight: "pw", deft: 1.5))
        #expect(m.residualDF == plain.residualDF)
        for (a, b) in zip(m.coefficients, plain.coefficients) {
            #expect(a.estimate == b.estimate)
            close(a.standardError, 1.5 * b.standardError!, "\(a.term) se")
        }
        #expect(throws: WeightingError.self) {
            try SurveyModel(formula: formula, family: .binomial, data: data("apisrs.csv"),
                            design: .designFactor(weight: "pw", deft: 0))
        }
        #expect(throws: WeightingError.self) {
            try SurveyModel(formula: formula, family: .binomial, data: data("apisrs.csv"),
                            design: SurveyDesign(weight: nil, designFactor: 1.5))
        }
    }

    @Test func logisticOnBootstrapReplicatesMatchesR() throws {
        let design = SurveyDesign(weight: "pw", replicates: ReplicateWeights(
            pattern: "^rw[0-9]+$", type: .bootstrap, scale: 0.02186588921))
        check("R03", try SurveyModel(formula: "I(awards == 'Yes') ~ meals + factor(stype)", family: .binomial,
                                     data: withReplicates("rep_dclus1_boot50_seed42.csv"), design: design))
    }

    @Test func poissonOnJKnReplicatesWithRscalesMatchesR() throws {
        let rscales = try DelimitedRecords(contentsOf: Fixtures.url("rsurvey/rep_clus1str3_JKn_rscales.csv")).records
            .dropFirst().map { Double($0.fields[0])! }
        let design = SurveyDesign(weight: "pw", replicates: ReplicateWeights(
            pattern: "^jkn[0-9]+$", type: .jkn, rscales: rscales))
        check("R04", try SurveyModel(formula: "enroll ~ ell + factor(stype)", family: .poisson,
                                     data: withReplicates("rep_clus1str3_JKn.csv"), design: design))
    }

    @Test func jackknifeBuiltFromTheDesignMatchesAsSvrepdesign() throws {
        var jkn = dstrclus
        jkn.jackknife = true
        check("J01", try SurveyModel(formula: "I(awards == 'Yes') ~ factor(stype) + ell", family: .binomial,
                                     data: data("apistrat.csv"), design: jkn))
        var jk1 = dclus1
        jk1.jackknife = true
        check("J02", try SurveyModel(formula: "api00 ~ ell + meals", family: .gaussian, data: data("apiclus1.csv"),
                                     design: jk1))
    }

    @Test func calibratedDesignUsesCalibratedWeightsAndResiduals() throws {
        check("C01", try SurveyModel(formula: "api00 ~ ell + meals", family: .gaussian, data: data("apiclus1.csv"),
                                     design: calibrated()))
        check("C02", try SurveyModel(formula: "I(sch.wide == 'Yes') ~ ell + meals", family: .binomial,
                                     data: data("apiclus1.csv"), design: calibrated()))
        check("C03", try SurveyModel(formula: "api00 ~ ell + factor(stype)", family: .gaussian,
                                     data: data("apiclus1.csv"), design: calibrated(.raking, bounds: 0.5...1.8)))
    }

    @Test func domainOfCalibratedDesignKeepsEveryRowInTheResiduals() throws {
        // R's n counts the zero-weight rows a calibrated design keeps; ours counts the domain.
        let groups = try SurveyModel.fitGroups(formula: "api00 ~ ell + meals", family: .gaussian,
                                               data: data("apiclus1.csv"), design: calibrated(), subpop: "stype != 'H'")
        check("C04", groups[0].model, checkN: false)
    }

    @Test func rakedWeightsAreRefusedNamingTheAlternative() throws {
        var design = dclus1
        design.raking = Raking(margins: [Raking.Margin(column: "stype", totals: ["E": 4421, "H": 755, "M": 1018])])
        #expect {
            try SurveyModel(formula: "api00 ~ ell", family: .gaussian, data: data("apiclus1.csv"), design: design)
        } throws: { "\($0)".contains("--calfun raking") }
    }

    @Test func poissonInteractionReferenceLevelDomainAndNaOmitOnWeightsOnlyMatchR() throws {
        let groups = try SurveyModel.fitGroups(
            formula: "enroll ~ factor(stype, ref = \"M\") * avg.ed", family: .poisson, data: data("apisrs.csv"),
            design: dsrsw, subpop: "api00 >= 600")
        let m = groups[0].model
        #expect(m.missingRows > 0)
        let r = "relevel(factor(stype), ref = \"M\")"
        let ours = "factor(stype, ref = \"M\")"
        check("P01", m, rTerms: [ours + "E": r + "E", ours + "H": r + "H",
                                 ours + "E:avg.ed": r + "E:avg.ed", ours + "H:avg.ed": r + "H:avg.ed"])
    }
}
