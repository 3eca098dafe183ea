import Foundation
import MicrodataReaders
import MicrodataTestSupport
import Testing

/// `tabulate --kish`, `--unweighted` and `--weight 1` end to end, against R survey
/// (Fixtures/rsurvey/kish_unit_weights_expected.csv, written by kish_unit_weights.R).
@Suite(.timeLimit(.minutes(5))) struct CLIWeightingExtrasTests {
    static let expected: [String: Double] = {
        let records = try! DelimitedRecords(contentsOf: Fixtures.url("rsurvey/kish_unit_weights_expected.csv")).records
        var out: [String: Double] = [:]
        for r in records.dropFirst() { out["\(r.fields[0])|\(r.fields[1])|\(r.fields[2])"] = Double(r.fields[3])! }
        return out
    }()

    static func close(_ text: String?, _ key: String) -> Bool {
        guard let text, let v = Double(text), let e = expected[key] else { return false }
        return abs(v - e) <= 1e-8 * abs(e)
    }

    @Test func kishColumnsPerDomainMatchR() throws {
        let r = try CLIDesignOptionTests.tabulate([
            "--data", Fixtures.path("rsurvey/apistrat.csv"), "--weight", "pw", "--strata", "stype", "--fpc", "fpc",
            "--mean", "api00", "--by", "sch.wide", "--kish",
        ])
        #expect(r.rows.count == 2)
        for row in r.rows {
            let key = "K02|\(row["sch.wide"] ?? "")|"
            #expect(Self.close(row["n"], key + "n"), "\(row)")
            #expect(Self.close(row["weighted_n"], key + "sum_w"), "\(row)")
            #expect(Self.close(row["sum_w2"], key + "sum_w2"), "\(row)")
            #expect(Self.close(row["kish_deff"], key + "kish_deff"), "\(row)")
            #expect(Self.close(row["n_eff"], key + "n_eff"), "\(row)")
        }
        let plain = try CLIDesignOptionTests.tabulate([
            "--data", Fixtures.path("rsurvey/apistrat.csv"), "--weight", "pw", "--mean", "api00",
        ])
        #expect(plain.rows.first?["kish_deff"] == nil, "no Kish columns unless asked")
    }

    @Test func unitWeightsByFlagOrWeightOneMatchRAndAreStated() throws {
        let base = ["--data", Fixtures.path("rsurvey/apisrs.csv"), "--mean", "api00"]
        for flags in [["--unweighted"], ["--weight", "1"]] {
            let r = try CLIDesignOptionTests.tabulate(base + flags)
            #expect(Self.close(r.rows.first?["estimate"], "U01||mean_est"), "\(flags) \(r.rows)")
            #expect(Self.close(r.rows.first?["se"], "U01||mean_se"), "\(flags) \(r.rows)")
            #expect(r.stderr.contains("unit weights (no weight column)"), "\(r.stderr)")
        }
        let both = try CLIFailureTests.run(["tabulate"] + base + ["--weight", "pw", "--unweighted"])
        #expect(both.status != 0 && both.stderr.contains("not both"), "\(both.stderr)")
    }

    @Test func likelihoodIntervalWithMissingValuesMatchesRFromTheCommandLine() throws {
        // likelihood_missing_expected.csv, case L01: 32 of 183 rows have hi missing.
        let r = try CLIDesignOptionTests.tabulate([
            "--data", Fixtures.path("rsurvey/apiclus1_hi.csv"), "--weight", "pw", "--psu", "dnum", "--fpc", "fpc",
            "--proportion", "hi", "--ci", "likelihood", "--missing", "hi=NA",
        ])
        let yes = r.rows.first { $0["level"] == "yes" }
        func close(_ text: String?, _ want: Double) -> Bool { text.flatMap(Double.init).map { abs($0 - want) <= 1e-8 * want } == true }
        #expect(r.rows.count == 2, "NA is missing, not a level: \(r.rows)")
        #expect(close(yes?["estimate"], 0.622516556291389), "\(r.rows)")
        #expect(close(yes?["ci_low"], 0.455260322095398), "\(r.rows)")
        #expect(close(yes?["ci_high"], 0.771992540392423), "\(r.rows)")
    }
}
