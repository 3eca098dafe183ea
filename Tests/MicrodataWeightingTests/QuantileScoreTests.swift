import MicrodataReaders
import MicrodataTestSupport
import Testing

@testable import MicrodataWeighting

/// The shahvaish quantile rule and the score quantile interval against R survey 4.1.1
/// (Fixtures/rsurvey/quantile_score.R, see PROVENANCE.txt).
struct QuantileScoreTests {
    struct Row { var p: Double, quantile: Double, low: Double, high: Double, se: Double }

    static let rows: [String: [Row]] = {
        let records = try! DelimitedRecords(contentsOf: Fixtures.url("rsurvey/quantile_score_expected.csv")).records
        var out: [String: [Row]] = [:]
        for r in records.dropFirst() {
            let f = r.fields.map { Double($0) ?? .nan }
            out[r.fields[0], default: []].append(Row(p: f[1], quantile: f[2], low: f[3], high: f[4], se: f[5]))
        }
        return out
    }()

    static func same(_ a: Double, _ b: Double) -> Bool {
        a.isNaN ? b.isNaN : abs(a - b) <= 1e-8 * max(abs(b), 1e-300)
    }

    func check(_ id: String, _ frame: Frame, _ design: SurveyDesign, _ variable: String, _ options: EstimationOptions,
               sourceLocation: SourceLocation = #_sourceLocation) throws {
        let expected = try #require(Self.rows[id], sourceLocation: sourceLocation)
        let est = try frame.estimate(design, [.quantile(variable, expected.map(\.p))], options)
        #expect(est.table.cells.count == expected.count, sourceLocation: sourceLocation)
        for (c, e) in zip(est.table.cells, expected) {
            let got = [c.estimate, c.ciLow, c.ciHigh, c.standardError], want = [e.quantile, e.low, e.high, e.se]
            #expect(zip(got, want).allSatisfy { Self.same($0, $1) }, "\(id) p = \(e.p): got \(got), R \(want)",
                    sourceLocation: sourceLocation)
        }
    }

    @Test func shahVaishRuleWithWoodruffIntervalsMatchesSvyquantile() throws {
        try check("SV01", Designs.apistrat, Designs.dstrat, "api00", EstimationOptions(quantileRule: .shahvaish))
        try check("SV03", Designs.apiclus1, Designs.dclus1, "api00", EstimationOptions(quantileRule: .shahvaish))
    }

    @Test func shahVaishAtEqualWeights() throws {
        let x = Array(Designs.apistrat.doubles("api00").prefix(25))
        let sample = SortedSample(x: x, w: [Double](repeating: 1, count: x.count))
        for e in try #require(Self.rows["SV02"]) {
            #expect(sample.quantile(e.p, rule: .shahvaish) == e.quantile, "p = \(e.p)")
        }
    }

    @Test func scoreIntervalMatchesSvyquantileIntervalTypeScore() throws {
        var options = EstimationOptions()
        options.scoreQuantileInterval = true
        try check("SC01", Designs.apiclus1, Designs.dclus1, "api00", options)
        try check("SC02", Designs.apistrat, Designs.dstrat, "api00", options)
        options.quantileRule = .hf7
        try check("SC03", Designs.apistrat, Designs.dstrat, "enroll", options)
    }

    @Test func wilsonQuantileIntervalAndScoreInDomainsAreRefused() throws {
        #expect(throws: WeightingError.self) {
            try Designs.apistrat.estimate(Designs.dstrat, [.quantile("api00", [0.5])],
                                          EstimationOptions(quantileInterval: .wilson))
        }
        var options = EstimationOptions(by: ["stype"])
        options.scoreQuantileInterval = true
        #expect(throws: WeightingError.self) {
            try Designs.apistrat.estimate(Designs.dstrat, [.quantile("api00", [0.5])], options)
        }
        // A Wilson interval for a proportion is still R's (svyciprop method = "wilson").
        _ = try Designs.apistrat.estimate(Designs.dstrat, [.proportion("awards")], EstimationOptions(ciMethod: .wilson,
                                                                                                   quantileInterval: .wilson))
    }

    @Test func zeroinFollowsRUniroot() throws {
        // R: print(uniroot(function(x) x^3 - 2, c(0, 3), tol = 1e-10)$root, digits = 17)
        let root = try #require(try ScoreQuantileInterval.zeroin(0, 3, tol: 1e-10) { $0 * $0 * $0 - 2 })
        #expect(root == 1.2599210498948739)
        #expect(try ScoreQuantileInterval.zeroin(0, 1, tol: 1e-6) { $0 + 1 } == nil, "no sign change")
    }
}
