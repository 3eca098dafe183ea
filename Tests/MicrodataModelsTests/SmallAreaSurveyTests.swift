import Foundation
import MicrodataModels
import MicrodataReaders
import MicrodataTestSupport
import MicrodataWeighting
import Testing

/// Fixtures/sae/expected-synthetic.csv (synthetic.R: R survey svyby → sae eblupFH/mseFH), keyed case|statistic|term.
private let synthetic = saeExpected("expected-synthetic.csv", key: [0, 1, 2])

func areasFile() throws -> ModelData {
    try ModelData(source: DataReader.open(data: Fixtures.url("sae/areas.csv"), codebook: nil))
}

/// R's direct estimates of `variable` (svyby) as the model's input.
func rDirects(_ variable: String) -> [DirectEstimate] {
    synthetic.keys.filter { $0.hasPrefix("direct_\(variable)|direct|") }.sorted().map { key in
        let area = String(key.split(separator: "|")[2])
        return DirectEstimate(
            area: area, estimate: synthetic[key]!,
            standardError: synthetic["direct_\(variable)|vardir|\(area)"]!.squareRoot(), status: "given", publishable: true)
    }
}

@Suite struct SmallAreaSurveyTests {
    static let design = SurveyDesign(weight: "weight", strata: "region", clusters: ["psu"], nest: true)

    @Test(arguments: ["y", "employed"])
    func directEstimatesPerAreaMatchSvyby(_ variable: String) throws {
        let table = try SmallAreaDirect.estimate(
            DataReader.open(data: Fixtures.url("sae/persons.csv"), codebook: nil), design: Self.design,
            analysis: .mean(variable), area: "area")
        #expect(table.cells.count == 27)
        for c in table.cells {
            near(c.estimate, synthetic["direct_\(variable)|direct|\(c.byValues[0])"], "\(variable) direct \(c.byValues[0])")
            near(c.standardError * c.standardError, synthetic["direct_\(variable)|vardir|\(c.byValues[0])"],
                 "\(variable) vardir \(c.byValues[0])")
        }
    }

    @Test(arguments: ["y", "employed"], [FayHerriot.Method.reml, .ml, .fh])
    func fitOnSvybyEstimatesMatchesSaeWithSyntheticAreasAndBenchmark(_ variable: String, _ method: FayHerriot.Method) throws {
        let id = "\(variable)_\(method.rawValue.uppercased())"
        let job = try SmallAreaEstimation(
            directs: rDirects(variable), auxiliary: areasFile(), area: "area", formula: "x1 + factor(region)",
            model: FayHerriot(method: method), benchmark: .population("population"))
        let fit = job.fit
        near(fit.variance, synthetic["\(id)|refvar|A"], "\(id) A")
        #expect(fit.coefficients.map(\.term) == ["(Intercept)", "x1", "factor(region)N", "factor(region)S"])
        for c in fit.coefficients {
            near(c.estimate, synthetic["\(id)|beta|\(c.term)"], "\(id) beta \(c.term)")
            near(c.standardError, synthetic["\(id)|beta_se|\(c.term)"], "\(id) se \(c.term)")
        }
        #expect(fit.areas.count == 30 && fit.sampledAreas == 27)
        near(try #require(job.benchmarkFactor), synthetic["\(id)|benchmark_factor|factor"], "\(id) benchmark factor")
        let bias = try #require(fit.biasDiagnostic)
        near(bias.intercept, synthetic["\(id)|bias_intercept|estimate"], "\(id) bias intercept")
        near(bias.interceptSE, synthetic["\(id)|bias_intercept|se"], "\(id) bias intercept se")
        near(bias.slope, synthetic["\(id)|bias_slope|estimate"], "\(id) bias slope")
        near(bias.slopeSE, synthetic["\(id)|bias_slope|se"], "\(id) bias slope se")
        for e in fit.areas {
            if e.kind == .synthetic {
                #expect(["LA07", "LA18", "LA29"].contains(e.area))
                near(e.estimate, synthetic["\(id)|synthetic|\(e.area)"], "\(id) synthetic \(e.area)")
                near(e.mse, synthetic["\(id)|synthetic_mse|\(e.area)"], "\(id) synthetic mse \(e.area)")
            } else {
                near(e.estimate, synthetic["\(id)|eblup|\(e.area)"], "\(id) eblup \(e.area)")
                near(e.mse, synthetic["\(id)|mse|\(e.area)"], "\(id) mse \(e.area)")
                near(e.gamma, synthetic["\(id)|gamma|\(e.area)"], "\(id) gamma \(e.area)")
                near(try #require(e.standardisedResidual), synthetic["\(id)|std_residual|\(e.area)"], "\(id) residual \(e.area)")
                near(e.estimate * job.benchmarkFactor!, synthetic["\(id)|benchmarked|\(e.area)"], "\(id) benchmarked \(e.area)")
            }
        }
    }

    /// Errors name the area or column at fault.
    func fails(_ directs: [DirectEstimate], formula: String = "x1 + factor(region)", aux: ModelData? = nil,
               _ expected: SmallAreaError) throws {
        #expect(throws: expected) {
            try SmallAreaEstimation(directs: directs, auxiliary: aux ?? areasFile(), area: "area", formula: formula)
        }
    }

    @Test func anAreaInTheDataMissingFromTheAuxiliaryFileIsNamed() throws {
        var d = rDirects("y")
        d.append(DirectEstimate(area: "LA99", estimate: 1, standardError: 1, status: "given", publishable: true))
        try fails(d, .areasNotInAuxiliary(areas: ["LA99"], file: "the auxiliary file"))
        // A withheld direct estimate's area must be in the file too.
        d[d.count - 1].publishable = false
        try fails(d, .areasNotInAuxiliary(areas: ["LA99"], file: "the auxiliary file"))
    }

    @Test func aCovariateWithMissingValuesNamesTheColumnAndAreas() throws {
        let aux = try areasFile()
        var columns = aux.names.map { aux.column($0)! }
        let x1 = columns.firstIndex { $0.name == "x1" }!
        var values = columns[x1].doubles
        values[4] = .nan
        values[17] = .nan
        columns[x1] = Column(name: "x1", storage: .real(values))
        try fails(rDirects("y"), aux: ModelData(columns: columns),
                  .missingCovariate(column: "x1", areas: ["LA05", "LA18"], file: "the auxiliary file"))
        try fails(rDirects("y"), formula: "x1 + nosuch", .missingColumn(column: "nosuch", file: "the auxiliary file"))
    }

    @Test func aSingularDesignNamesTheDependentColumn() throws {
        // I(2 * x1) is x1 twice over.
        try fails(rDirects("y"), formula: "x1 + I(2 * x1)", .singularDesign(columns: ["I(2 * x1)"]))
        // A region level with no sampled area: its indicator is zero over the fitted areas.
        let few = rDirects("y").filter { !$0.area.hasPrefix("LA2") && $0.area != "LA30" }
        try fails(few, .singularDesign(columns: ["factor(region)S"]))
    }

    @Test func fewerAreasThanParametersPlusTwoIsRefused() throws {
        let d = Array(rDirects("y").prefix(4))
        try fails(d, formula: "x1 + population", .tooFewAreas(areas: 4, parameters: 3))
        #expect(throws: Never.self) {
            try SmallAreaEstimation(directs: d, auxiliary: areasFile(), area: "area", formula: "x1")
        }
    }

    @Test func zeroDirectVarianceIsRefusedByNameOrFittedAsWithoutSample() throws {
        var d = rDirects("y")
        d[2].standardError = 0
        d[5].standardError = 0
        try fails(d, .nonPositiveVariance(areas: ["LA03", "LA06"]))
        let job = try SmallAreaEstimation(
            directs: d, auxiliary: areasFile(), area: "area", formula: "x1 + factor(region)", zeroVariance: .synthetic)
        #expect(job.zeroVarianceAreas == ["LA03", "LA06"])
        #expect(job.fit.areas[2].kind == .synthetic && job.fit.sampledAreas == 25)
    }

    @Test func aNegativeVarianceEstimateIsTruncatedToSyntheticEstimates() throws {
        // Direct estimates exactly on a line with large variances: the moment equation has no positive root.
        let d = (1...30).map { i in
            DirectEstimate(area: String(format: "LA%02d", i), estimate: 5 + Double(i % 3) * 0.001, standardError: 3,
                           status: "given", publishable: true)
        }
        for method in FayHerriot.Method.allCases {
            let job = try SmallAreaEstimation(directs: d, auxiliary: areasFile(), area: "area", formula: "x1",
                                              model: FayHerriot(method: method))
            #expect(job.fit.truncated, "\(method)")
            #expect(job.fit.variance == 0)
            #expect(job.fit.areas.allSatisfy { $0.gamma == 0 && abs($0.estimate - $0.synthetic) < 1e-12 })
        }
    }
}
