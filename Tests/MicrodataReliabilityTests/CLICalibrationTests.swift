import Foundation
import MicrodataReaders
import MicrodataTestSupport
import Testing

/// `microdata tabulate --calibrate FILE --calfun … --bounds L,U` end to end, against R calibrate()
/// (Fixtures/rsurvey/calibration_bounds_expected.csv, from calibration_bounds.R).
@Suite(.timeLimit(.minutes(1))) struct CLICalibrationTests {
    static let expected: [String: Double] = {
        let records = try! DelimitedRecords(contentsOf: Fixtures.url("rsurvey/calibration_bounds_expected.csv")).records
        var out: [String: Double] = [:]
        for r in records.dropFirst() { out["\(r.fields[0])|\(r.fields[2])|\(r.fields[3])"] = Double(r.fields[4]) }
        return out
    }()

    /// The apipop totals of ~stype + api99 as a term,total file.
    static func totalsFile() throws -> String {
        let url = try Fixtures.temporaryDirectory().appendingPathComponent("totals.csv")
        try Data("term,total\nintercept,6194\nstype=H,755\nstype=M,1018\napi99,3914069\n".utf8).write(to: url)
        return url.path
    }

    /// `tabulate` arguments for dclus1 calibrated to those totals, then `extra`.
    static func arguments(_ extra: [String]) throws -> [String] {
        ["--data", Fixtures.path("rsurvey/apiclus1.csv"), "--weight", "pw", "--psu", "dnum", "--fpc", "fpc",
         "--calibrate", try totalsFile()] + extra
    }

    static func close(_ text: String?, _ key: String) -> Bool {
        guard let text, let v = Double(text), let e = expected[key] else { return false }
        return abs(v - e) <= 1e-8 * abs(e)
    }

    @Test func logitCalibrationWithBoundsFromTheCommandLineMatchesR() throws {
        let out = try CLIDesignOptionTests.tabulate(
            try Self.arguments(["--calfun", "logit", "--bounds", "0.7,1.7", "--total", "enroll"]))
        #expect(Self.close(out.rows.first?["estimate"], "G01|estimate|enroll"), "\(out.rows)")
        #expect(Self.close(out.rows.first?["se"], "G01|SE|enroll"), "\(out.rows)")
        #expect(out.stderr.contains("calibrated (logit, g in [0.7, 1.7]) on 4 totals"), "\(out.stderr)")
        #expect(out.stderr.contains("g from 0.7009 to 1.697"), "\(out.stderr)")
    }

    @Test func rakingDistanceWithoutBoundsFromTheCommandLineMatchesR() throws {
        let out = try CLIDesignOptionTests.tabulate(
            try Self.arguments(["--calfun", "raking", "--mean", "api00"]))
        #expect(Self.close(out.rows.first?["estimate"], "G02|estimate|api00"), "\(out.rows)")
        #expect(Self.close(out.rows.first?["se"], "G02|SE|api00"), "\(out.rows)")
    }

    @Test func infeasibleBoundsFailNamingTheTerm() throws {
        let r = try CLIFailureTests.run(["tabulate"] + Self.arguments(["--bounds", "0.8,1.2", "--mean", "api00"]))
        #expect(r.status != 0)
        #expect(r.stdout.isEmpty)
        #expect(r.stderr.contains("calibration bounds [0.8, 1.2] are infeasible: term 'stype=H' needs the total 755"),
                "\(r.stderr)")
    }

    @Test func nonConvergenceFailsNamingIterationsAndGap() throws {
        let r = try CLIFailureTests.run(
            ["tabulate"]
                + Self.arguments(["--calfun", "logit", "--bounds", "0.7,1.7", "--calibrate-maxit", "3", "--mean", "api00"]))
        #expect(r.status != 0)
        #expect(r.stderr.contains("calibration did not converge in 3 iterations"), "\(r.stderr)")
        #expect(r.stderr.contains("largest remaining gap"), "\(r.stderr)")
    }

    @Test func logitWithoutBoundsAndBoundsWithoutCalibrateAreUsageErrors() throws {
        let logit = try CLIFailureTests.run(["tabulate"] + Self.arguments(["--calfun", "logit", "--mean", "api00"]))
        #expect(logit.status == 2)
        #expect(logit.stderr.contains("--calfun logit needs finite --bounds L,U"), "\(logit.stderr)")
        let bounds = try CLIFailureTests.run(
            ["tabulate", "--data", Fixtures.path("rsurvey/apiclus1.csv"), "--weight", "pw", "--mean", "api00",
             "--bounds", "0.5,2"])
        #expect(bounds.status == 2)
        #expect(bounds.stderr.contains("--calfun and --bounds need --calibrate"), "\(bounds.stderr)")
        let badBounds = try CLIFailureTests.run(["tabulate"] + Self.arguments(["--bounds", "1.2,2", "--mean", "api00"]))
        #expect(badBounds.status == 2)
        #expect(badBounds.stderr.contains("L < 1 < U"), "\(badBounds.stderr)")
    }
}
