import Foundation
import MicrodataReaders
import MicrodataTestSupport
import Testing

/// `tabulate --calibrate` on a replicate-weight design: every replicate calibrated to the same totals, as R
/// `calibrate()` and `postStratify()` on an `svyrep.design` (Fixtures/rsurvey/replicate_calibration.R, survey 4.1.1).
@Suite(.timeLimit(.minutes(5))) struct CLIReplicateCalibrationTests {
    static let expected: [String: (Double, Double)] = {
        let records = try! DelimitedRecords(contentsOf: Fixtures.url("rsurvey/replicate_calibration_expected.csv")).records
        var out: [String: (Double, Double)] = [:]
        for r in records.dropFirst() { out["\(r.fields[0])|\(r.fields[1])|\(r.fields[2])"] = (Double(r.fields[3])!, Double(r.fields[4])!) }
        return out
    }()

    static func file(_ text: String) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("repcal-\(UUID().uuidString).csv")
        try Data(text.utf8).write(to: url)
        return url.path
    }

    static let jk1 = ["--data", Fixtures.path("rsurvey/apiclus1_jk1.csv"), "--weight", "pw", "--replicate-weights",
                      "^rw[0-9]+$", "--replicate-type", "JK1", "--scale", "0.9148392779"]

    func check(_ id: String, _ calibration: [String]) throws {
        for (statistic, flags) in [("mean_api00", ["--mean", "api00"]), ("total_enroll", ["--total", "enroll"]),
                                   ("mean_api00_by", ["--mean", "api00", "--by", "sch.wide"])] {
            let rows = try CLITestsAndContrastsTests.json(Self.jk1 + calibration + flags)
            #expect(rows.count == (statistic.hasSuffix("_by") ? 2 : 1))
            for row in rows {
                let key = "\(id)|\(statistic)|\(row["sch.wide"] as? String ?? "")"
                let (e, se) = try #require(Self.expected[key], "\(key)")
                let got = (row["estimate"] as? Double ?? .nan, row["se"] as? Double ?? .nan)
                #expect(abs(got.0 - e) <= 1e-8 * abs(e) && abs(got.1 - se) <= 1e-8 * se, "\(key): \(got) vs \((e, se))")
            }
        }
    }

    static let totals = "term,total\nintercept,6194\nstype=H,755\nstype=M,1018\napi99,3914069\n"

    @Test func linearCalibrationOfEveryReplicateMatchesR() throws {
        try check("RC01", ["--calibrate", try Self.file(Self.totals)])
    }

    @Test func rakingDistanceOnEveryReplicateMatchesR() throws {
        try check("RC02", ["--calibrate", try Self.file(Self.totals), "--calfun", "raking"])
    }

    @Test func postStratifiedReplicatesMatchR() throws {
        try check("RC03", ["--calibrate", try Self.file("term,total\nstype=E,4421\nstype=H,755\nstype=M,1018\n")])
    }

    static let rakingExpected: [String: (Double, Double)] = {
        let records = try! DelimitedRecords(contentsOf: Fixtures.url("rsurvey/replicate_raking_expected.csv")).records
        var out: [String: (Double, Double)] = [:]
        for r in records.dropFirst() { out["\(r.fields[0])|\(r.fields[1])|\(r.fields[2])"] = (Double(r.fields[3])!, Double(r.fields[4])!) }
        return out
    }()

    static let margins = "variable,level,total\nstype,E,4421\nstype,H,755\nstype,M,1018\nsch.wide,No,1072\nsch.wide,Yes,5122\n"

    /// R `rake()` on the JK1 design (Fixtures/rsurvey/replicate_raking.R): mean, total and a domain mean.
    func checkRaking(_ id: String, _ control: [String]) throws {
        let rake = ["--rake", try Self.file(Self.margins)] + control
        for (statistic, flags) in [("mean_api00", ["--mean", "api00"]), ("total_enroll", ["--total", "enroll"]),
                                   ("mean_api00_by", ["--mean", "api00", "--by", "stype"])] {
            let rows = try CLITestsAndContrastsTests.json(Self.jk1 + rake + flags)
            #expect(rows.count == (statistic.hasSuffix("_by") ? 3 : 1))
            for row in rows {
                let key = "\(id)|\(statistic)|\(row["stype"] as? String ?? "")"
                let (e, se) = try #require(Self.rakingExpected[key], "\(key)")
                let got = (row["estimate"] as? Double ?? .nan, row["se"] as? Double ?? .nan)
                #expect(abs(got.0 - e) <= 1e-8 * abs(e) && abs(got.1 - se) <= 1e-8 * se, "\(key): \(got) vs \((e, se))")
            }
        }
    }

    @Test func rakingMarginsOnEveryReplicateMatchR() throws {
        try checkRaking("RR01", ["--rake-epsilon", "1e-12", "--rake-maxit", "1000"])
    }

    /// R's defaults stop after a few sweeps; each replicate must do as many sweeps as the full sample.
    @Test func replicatesRakeForAsManySweepsAsTheFullSample() throws {
        try checkRaking("RR02", ["--rake-epsilon", "1", "--rake-maxit", "10"])
    }
}
