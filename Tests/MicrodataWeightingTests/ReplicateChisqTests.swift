import MicrodataReaders
import MicrodataTestSupport
import Testing

@testable import MicrodataWeighting

/// Tests of independence under replicate weights and `--jackknife` against R `svychisq.svyrep.design`
/// (survey 4.1.1): Fixtures/rsurvey/replicate_chisq.R writes replicate_chisq_expected.csv (see PROVENANCE.txt).
struct ReplicateChisqTests {
    /// `replicate_chisq_expected.csv`, keyed by "case|key".
    static let expected = TestsAndContrastsTests.keyedValues("replicate_chisq_expected.csv")

    static let jk1 = try! Frame("apiclus1_jk1.csv")
    static let hi: Frame = {
        var f = try! Frame("apiclus1_hi.csv")
        f.append(try! Frame("rep_dclus1_JK1.csv"))
        return f
    }()
    static func djk1(mse: Bool = false) -> SurveyDesign {
        SurveyDesign(weight: "pw", replicates: ReplicateWeights(pattern: "^rw[0-9]+$", type: .jk1, scale: 0.9148392779,
                                                                mse: mse))
    }

    /// The tests of A × B estimated with the proportions of the cells, as the command line does.
    func test(_ frame: Frame, _ design: SurveyDesign, _ a: String, _ b: String) throws -> (RaoScottTest, Estimates) {
        let est = try frame.estimate(design, [Analysis(.total, [a, b]), Analysis(.proportion, [a, b])])
        return (try #require(try est.independenceTest(block: 0)).test, est)
    }

    func check(_ id: String, _ frame: Frame, _ design: SurveyDesign, _ a: String, _ b: String,
               sourceLocation: SourceLocation = #_sourceLocation) throws {
        let (t, est) = try test(frame, design, a, b)
        TestsAndContrastsTests.expectAll(t, id, Self.expected, sourceLocation: sourceLocation)
        let degf = try #require(Self.expected["\(id)|degf"], sourceLocation: sourceLocation)
        #expect(est.degreesOfFreedom == degf, "\(id) degf", sourceLocation: sourceLocation)
    }

    @Test func raoScottTestUnderJK1ReplicateWeightsMatchesSvychisq() throws {
        try check("RC01", Self.jk1, Self.djk1(), "stype", "sch.wide")
    }

    @Test func raoScottTestCentredOnTheEstimateWithMSE() throws {
        try check("RC02", Self.jk1, Self.djk1(mse: true), "stype", "sch.wide")
    }

    @Test func raoScottTestUnderReplicatesCountsRowsWithAMissingValueInN() throws {
        try check("RC03", Self.hi, Self.djk1(), "stype", "hi")
    }

    @Test func raoScottTestUnderTheJackknifeBuiltFromTheDesign() throws {
        var jk1 = Designs.dclus1
        jk1.jackknife = true
        try check("RC04", Designs.apiclus1, jk1, "stype", "sch.wide")
        var jkn = Designs.dstrat
        jkn.jackknife = true
        try check("RC05", TestsAndContrastsTests.bands, jkn, "stype", "mealsband")
    }

    @Test func replicateTestWithoutTheProportionsIsRefused() throws {
        // The linearised covariance of the proportions is not R's replicate one: no silent fallback.
        let est = try Self.jk1.estimate(Self.djk1(), [Analysis(.total, ["stype", "sch.wide"])])
        #expect(throws: WeightingError.self) { try est.independenceTest(block: 0) }
    }

    @Test func theReplicateCovarianceOfTheProportionsChangesTheSecondOrderTest() throws {
        // The F from the replicate covariance of the proportions differs from the linearised one (R's F is the
        // former); the Wald tests use the totals' covariance and agree.
        let (t, est) = try test(Self.jk1, Self.djk1(), "stype", "sch.wide")
        let block = est.blocks[0]
        let cells = Array(block.cells)
        let linear = try #require(RaoScottTest(
            rows: 3, columns: 2, totals: [cells[0], cells[2], cells[4], cells[1], cells[3], cells[5]].map { est.table.cells[$0].estimate },
            covariance: try est.covarianceMatrix([cells[0], cells[2], cells[4], cells[1], cells[3], cells[5]]).flatMap { $0 },
            rowsInDesign: est.rowsInDesign, degreesOfFreedom: est.degreesOfFreedom))
        #expect(abs(linear.f - t.f) > 1e-6)
        expectClose(linear.waldF!, t.waldF!, "Wald")
    }
}
