import Foundation
import MicrodataReaders
import MicrodataTestSupport
import Testing

/// `tabulate --quantile` on calibrated and raked designs, as R `svyquantile` on `calibrate()` and `rake()`
/// designs (Fixtures/rsurvey/calibrated_quantiles.R, survey 4.1.1): the quantile under the calibrated weights and
/// the Woodruff interval from the calibration residuals of `svymean(I(y <= q))`.
@Suite(.timeLimit(.minutes(10))) struct CLICalibratedQuantileTests {
    /// case|rule|interval|domain|p → estimate, se, low, high.
    static let expected: [String: [Double]] = {
        let records = try! DelimitedRecords(contentsOf: Fixtures.url("rsurvey/calibrated_quantiles_expected.csv")).records
        var out: [String: [Double]] = [:]
        for r in records.dropFirst() {
            out[r.fields[0...4].joined(separator: "|")] = r.fields[5...8].map { Double($0) ?? .nan }
        }
        return out
    }()

    static func file(_ text: String) throws -> String { try CLIReplicateCalibrationTests.file(text) }

    static let stratifiedClusters = ["--data", Fixtures.path("rsurvey/apistrat.csv"), "--weight", "pw", "--strata",
                                     "stype", "--psu", "dnum", "--nest"]
    static let jk1 = CLIReplicateCalibrationTests.jk1
    static let totals = "term,total\nintercept,6194\nawards=Yes,4167\napi99,3914069\n"
    static let margins = "variable,level,total\nsch.wide,No,1072\nsch.wide,Yes,5122\nawards,No,2027\nawards,Yes,4167\n"
    static let replicateMargins = "variable,level,total\nstype,E,4421\nstype,H,755\nstype,M,1018\nsch.wide,No,1072\n"
        + "sch.wide,Yes,5122\n"
    static let rakeControl = ["--rake-epsilon", "1e-12", "--rake-maxit", "1000"]

    /// Cells whose lower interval end R takes below the first cumulative share (the domain's smallest value).
    static let belowFirstShare: [String: Double] = ["CQ04|math|mean|No|0.25": 411, "CQ04|school|mean|No|0.25": 411]

    /// Equal to 1e-8 relative (absolute below 1), NaN (an interval end beyond 0 or 1) matching NaN.
    static func agree(_ got: [Double], _ want: [Double]) -> Bool {
        zip(got, want).allSatisfy { g, w in g.isNaN ? w.isNaN : abs(g - w) <= 1e-8 * max(abs(w), 1) }
    }

    /// Every rule and interval of one case, overall and by `domain`, against R to 1e-8 (relative).
    func check(_ id: String, _ design: [String], domain: String, intervals: [String] = ["mean", "xlogit"]) throws {
        var compared = 0
        for rule in ["math", "hf7", "school"] {
            for interval in intervals {
                for by in [[], ["--by", domain]] {
                    let rows = try CLITestsAndContrastsTests.json(design + [
                        "--quantile", "api00:0.25,0.5,0.9", "--quantile-rule", rule, "--ci", interval,
                        "--no-disclosure-control"] + by)
                    #expect(rows.count == (by.isEmpty ? 3 : 6))
                    for row in rows {
                        let key = "\(id)|\(rule)|\(interval)|\(row[domain] as? String ?? "")|\(row["level"] as? String ?? "")"
                        var want = try #require(Self.expected[key], "\(key)")
                        if let minimum = Self.belowFirstShare[key] {
                            // The interval's lower p is below the domain's first cumulative share: R's qs() then
                            // returns the second-smallest value (its last() gives position 1 when no share is
                            // ≤ p), the tool the smallest, as the inverse CDF and quantile(type = 1, 2) do.
                            want[1] *= (want[3] - minimum) / (want[3] - want[2])
                            want[2] = minimum
                        }
                        let got = ["estimate", "se", "ci_low", "ci_high"].map { row[$0] as? Double ?? .nan }
                        #expect(Self.agree(got, want), "\(key): \(got) vs \(want)")
                        compared += 1
                    }
                }
            }
        }
        #expect(compared == 9 * 3 * intervals.count)
    }

    @Test func linearCalibrationQuantilesMatchR() throws {
        try check("CQ01", Self.stratifiedClusters + ["--calibrate", try Self.file(Self.totals)], domain: "comp.imp")
    }

    @Test func boundedLogitCalibrationQuantilesMatchR() throws {
        try check("CQ02", Self.stratifiedClusters + ["--calibrate", try Self.file(Self.totals), "--calfun", "logit",
                                                      "--bounds", "0.5,2"], domain: "comp.imp")
    }

    @Test func rakedQuantilesMatchR() throws {
        try check("CQ03", Self.stratifiedClusters + ["--rake", try Self.file(Self.margins)] + Self.rakeControl,
                  domain: "comp.imp")
    }

    /// Post-stratification as `--calibrate` with a row per level: R `postStratify()`'s variance (post-stratum
    /// means of z/w weighted by the input weights) is the GREG residual on the level indicators.
    @Test func postStratifiedQuantilesMatchR() throws {
        try check("CQ06", Self.stratifiedClusters + ["--calibrate", try Self.file("term,total\nawards=No,2027\nawards=Yes,4167\n")],
                  domain: "comp.imp")
    }

    @Test func calibratedReplicateQuantilesMatchR() throws {
        let totals = "term,total\nintercept,6194\nstype=H,755\nstype=M,1018\napi99,3914069\n"
        try check("CQ04", Self.jk1 + ["--calibrate", try Self.file(totals)], domain: "sch.wide", intervals: ["mean"])
    }

    @Test func rakedReplicateQuantilesMatchR() throws {
        try check("CQ05", Self.jk1 + ["--rake", try Self.file(Self.replicateMargins)] + Self.rakeControl,
                  domain: "sch.wide", intervals: ["mean"])
    }

    @Test func scoreIntervalUnderCalibrationMatchesR() throws {
        let rows = try CLITestsAndContrastsTests.json(Self.stratifiedClusters + [
            "--calibrate", try Self.file(Self.totals), "--quantile", "api00:0.25,0.5,0.9", "--ci", "score",
            "--no-disclosure-control"])
        #expect(rows.count == 3)
        for row in rows {
            let key = "CQ01|math|score||\(row["level"] as? String ?? "")"
            let want = try #require(Self.expected[key], "\(key)")
            let got = ["estimate", "se", "ci_low", "ci_high"].map { row[$0] as? Double ?? .nan }
            #expect(Self.agree(got, want), "\(key): \(got) vs \(want)")
        }
    }
}
