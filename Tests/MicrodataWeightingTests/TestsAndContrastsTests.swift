import MicrodataReaders
import MicrodataTestSupport
import Testing

@testable import MicrodataWeighting

/// Tests of independence (R `svychisq`), design-based t-tests (`svyttest`) and contrasts of domain estimates
/// with their covariance (`svycontrast` on `svyby(covmat = TRUE)`), against R survey 4.1.1:
/// Fixtures/rsurvey/tests_contrasts.R (see PROVENANCE.txt).
struct TestsAndContrastsTests {
    /// `tests_contrasts_expected.csv`, keyed by "case|key".
    static let expected = keyedValues("tests_contrasts_expected.csv")

    /// A `case, key, value` oracle of Fixtures/rsurvey, keyed by "case|key".
    static func keyedValues(_ name: String) -> [String: Double] {
        let records = try! DelimitedRecords(contentsOf: Fixtures.url("rsurvey/\(name)")).records
        var out: [String: Double] = [:]
        for r in records.dropFirst() { out["\(r.fields[0])|\(r.fields[1])"] = Double(r.fields[2])! }
        return out
    }

    /// Every statistic of `t` against the oracle's `id|statistic|term` values.
    static func expectAll(_ t: RaoScottTest, _ id: String, _ oracle: [String: Double],
                          sourceLocation: SourceLocation = #_sourceLocation) {
        let values: [(Double?, String)] = [
            (t.f, "F|statistic"), (t.numeratorDF, "F|ndf"), (t.denominatorDF, "F|ddf"), (t.pValue, "F|p"),
            (t.pearson, "Chisq|statistic"), (t.chiSquareDF, "Chisq|df"), (t.chiSquarePValue, "Chisq|p"),
            (t.waldF, "Wald|statistic"), (t.waldPValue, "Wald|p"), (t.adjustedWaldF, "adjWald|statistic"),
            (t.adjustedWaldDenominatorDF, "adjWald|ddf"), (t.adjustedWaldPValue, "adjWald|p"),
        ]
        for (value, key) in values {
            guard let want = oracle["\(id)|\(key)"], let got = value else {
                Issue.record("\(id)|\(key): no value or no oracle", sourceLocation: sourceLocation)
                continue
            }
            expectClose(got, want, "\(id) \(key)", sourceLocation: sourceLocation)
        }
    }

    static func expect(_ actual: Double?, _ key: String, sourceLocation: SourceLocation = #_sourceLocation) {
        guard let e = expected[key] else {
            Issue.record("no expected value \(key)", sourceLocation: sourceLocation)
            return
        }
        guard let actual else {
            Issue.record("\(key): no value", sourceLocation: sourceLocation)
            return
        }
        expectClose(actual, e, key, sourceLocation: sourceLocation)
    }

    static let bands = try! Frame("apistrat_bands.csv")

    func checkChisq(_ id: String, _ frame: Frame, _ design: SurveyDesign, _ a: String, _ b: String,
                    sourceLocation: SourceLocation = #_sourceLocation) throws {
        let est = try frame.estimate(design, [Analysis(.total, [a, b])])
        let table = try #require(try est.independenceTest(block: 0), sourceLocation: sourceLocation)
        Self.expectAll(table.test, id, Self.expected, sourceLocation: sourceLocation)
    }

    @Test func raoScottAndWaldTestsOfA3x2TableMatchSvychisq() throws {
        try checkChisq("T01", Designs.apiclus1, Designs.dclus1, "stype", "sch.wide")
        try checkChisq("T02", Designs.apistrat, Designs.dstrat, "stype", "awards")
    }

    @Test func raoScottAndWaldTestsOfA3x3TableMatchSvychisq() throws {
        try checkChisq("T04", Self.bands, Designs.dstrat, "stype", "mealsband")
    }

    @Test func independenceTestNeedsTwoVariables() throws {
        let est = try Designs.apiclus1.estimate(Designs.dclus1, [.total("enroll")])
        #expect(throws: WeightingError.self) { try est.independenceTest(block: 0) }
    }

    @Test func tTestOfTwoDomainMeansMatchesSvyttest() throws {
        for (id, frame, design, y, g) in [
            ("TT01", Designs.apiclus1, Designs.dclus1, "api00", "sch.wide"),
            ("TT02", Designs.apistrat, Designs.dstrat, "enroll", "awards"),
        ] {
            var options = EstimationOptions(by: [g])
            options.fullCovariance = true
            let est = try frame.estimate(design, [.mean(y)], options)
            let t = try est.tTest(first: 0, second: 1, degreesOfFreedom: est.degreesOfFreedom - 1)
            Self.expect(t.estimate, "\(id)|estimate")
            Self.expect(t.standardError, "\(id)|se")
            Self.expect(t.t, "\(id)|t")
            Self.expect(t.degreesOfFreedom, "\(id)|df")
            Self.expect(t.pValue, "\(id)|p")
            Self.expect(t.ciLow, "\(id)|ci_low")
            Self.expect(t.ciHigh, "\(id)|ci_high")
        }
    }

    func checkContrasts(_ id: String, _ frame: Frame, _ design: SurveyDesign, _ analysis: Analysis, by: [String],
                        _ specs: [String], sourceLocation: SourceLocation = #_sourceLocation) throws {
        var options = EstimationOptions(by: by)
        options.fullCovariance = true
        let est = try frame.estimate(design, [analysis], options)
        let cells = 0..<est.table.cells.count
        for text in specs {
            let spec = try ContrastSpec(parsing: text)
            let (e, se) = try est.contrast(try spec.resolve(in: est.table, cells: cells))
            Self.expect(e, "\(id)|\(spec.name)|estimate", sourceLocation: sourceLocation)
            Self.expect(se, "\(id)|\(spec.name)|se", sourceLocation: sourceLocation)
        }
        var compared = 0
        for i in cells { for j in cells {
            let key = "\(id)|vcov|\(ContrastSpec.label(of: est.table.cells[i]))|\(ContrastSpec.label(of: est.table.cells[j]))"
            guard Self.expected[key] != nil else { continue }
            Self.expect(est.covariance(i, j), key, sourceLocation: sourceLocation)
            compared += 1
        } }
        #expect(compared == cells.count * cells.count, "every covariance compared", sourceLocation: sourceLocation)
    }

    @Test func contrastsOfDomainMeansUseTheCovarianceBetweenDomains() throws {
        try checkContrasts("C01", Designs.apiclus1, Designs.dclus1, .mean("api00"), by: ["stype"],
                           ["EminusH=E - H", "average=1/3*E + 1/3*H + 1/3*M", "EminusM = E-M"])
    }

    @Test func contrastsOfDomainTotalsMatchSvycontrast() throws {
        try checkContrasts("C02", Designs.apistrat, Designs.dstrat, .total("enroll"), by: ["stype"],
                           ["EminusM=E - M", "sum=E + H + M"])
    }

    @Test func contrastsOverTwoByVariablesNameDomainsAsSvyby() throws {
        try checkContrasts("C03", Designs.apiclus1, Designs.dclus1, .mean("api00"), by: ["stype", "awards"],
                           ["gapE=E.Yes - E.No", "gapM=-M.No + M.Yes"])
    }

    @Test func contrastSyntaxCoefficientsLevelsAndQuotedLabels() throws {
        let a = try ContrastSpec(parsing: "d = 2*`16-24`[Yes] - 0.5*`25-34`[Yes] + x")
        #expect(a.name == "d")
        #expect(a.terms.map(\.label) == ["16-24[Yes]", "25-34[Yes]", "x"])
        #expect(a.terms.map(\.coefficient) == [2, -0.5, 1])
        #expect(try ContrastSpec(parsing: "n=-E").terms.map(\.coefficient) == [-1])
        #expect(throws: WeightingError.self) { try ContrastSpec(parsing: "E - H") }
        #expect(throws: WeightingError.self) { try ContrastSpec(parsing: "d=x*E") }
        let est = try Designs.apiclus1.estimate(Designs.dclus1, [.mean("api00")], EstimationOptions(by: ["stype"]))
        #expect(throws: WeightingError.self) {
            try ContrastSpec(parsing: "d=E - X").resolve(in: est.table, cells: 0..<est.table.cells.count)
        }
    }
}
