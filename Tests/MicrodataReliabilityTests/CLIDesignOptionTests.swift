import Foundation
import MicrodataReaders
import MicrodataTestSupport
import Testing

/// `microdata tabulate` design and interval options end to end, against the R survey oracle
/// (Fixtures/rsurvey/expected.csv).
@Suite(.timeLimit(.minutes(1))) struct CLIDesignOptionTests {
    static let oracle: [String: Double] = {
        let records = try! DelimitedRecords(contentsOf: Fixtures.url("rsurvey/expected.csv")).records
        var out: [String: Double] = [:]
        for r in records.dropFirst() { out["\(r.fields[0])|\(r.fields[2])|\(r.fields[3])"] = Double(r.fields[4]) }
        return out
    }()

    /// The CSV rows of a `tabulate` run keyed by column name, and its stderr.
    static func tabulate(_ arguments: [String]) throws -> (rows: [[String: String]], stderr: String) {
        let r = try CLIFailureTests.run(["tabulate"] + arguments)
        #expect(r.status == 0, "\(r.stderr)")
        let lines = r.stdout.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        guard let header = lines.first else { return ([], r.stderr) }
        let rows = lines.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(header, $0)) }
        return (rows, r.stderr)
    }

    static func close(_ text: String?, _ key: String) -> Bool {
        guard let text, let v = Double(text), let e = oracle[key] else { return false }
        return abs(v - e) <= 1e-8 * abs(e)
    }

    static let sdr = ["--data", Fixtures.path("rsurvey/apisrs_sdr80.csv"), "--weight", "pw", "--mean", "api00",
                      "--replicate-weights", "^f[0-9]+$", "--replicate-type", "SDR", "--replicate-factors"]

    @Test func noMSECentresSuccessiveDifferenceReplicatesOnTheirMean() throws {
        let off = try Self.tabulate(Self.sdr + ["--no-mse"])
        #expect(Self.close(off.rows.first?["se"], "B20|SE|api00"), "\(off.rows)")
        #expect(off.stderr.contains("centred on the replicate mean"), "\(off.stderr)")
        let byDefault = try Self.tabulate(Self.sdr)
        #expect(Self.close(byDefault.rows.first?["se"], "B21|SE|api00"), "\(byDefault.rows)")
        #expect(byDefault.stderr.contains(", mse"))
        let on = try Self.tabulate(Self.sdr + ["--mse"])
        #expect(on.rows.first?["se"] == byDefault.rows.first?["se"])
    }

    @Test func replicateQuantilesFromTheCommandLine() throws {
        let records = try DelimitedRecords(contentsOf: Fixtures.url("rsurvey/replicate_quantiles_expected.csv")).records
        func r(_ id: String, _ column: Int) -> Double? {
            records.first { $0.fields[0] == id && $0.fields[2] == "0.9" }.flatMap { Double($0.fields[column]) }
        }
        let median = Self.sdr.filter { $0 != "--mean" && $0 != "api00" } + ["--quantile", "api00:0.9"]
        let woodruff = try Self.tabulate(median)
        #expect(woodruff.rows.first?["estimate"].flatMap(Double.init) == r("RQ03", 3), "\(woodruff.rows)")
        #expect(woodruff.rows.first?["se"].flatMap(Double.init).map { abs($0 - r("RQ03", 6)!) < 1e-8 * $0 } == true)
        let replicated = try Self.tabulate(median + ["--replicate-quantiles"])
        #expect(replicated.rows.first?["se"].flatMap(Double.init).map { abs($0 - r("RQ04", 6)!) < 1e-8 * $0 } == true,
                "\(replicated.rows)")
        let wrong = try CLIFailureTests.run(["tabulate", "--data", Fixtures.path("rsurvey/apisrs.csv"), "--weight", "pw",
                                             "--quantile", "api00:0.5", "--replicate-quantiles"])
        #expect(wrong.status != 0 && wrong.stderr.contains("needs replicate weights"), "\(wrong.stderr)")
    }

    @Test func likelihoodProportionIntervalFromTheCommandLine() throws {
        let out = try Self.tabulate(["--data", Fixtures.path("rsurvey/apiclus1.csv"), "--weight", "pw", "--psu", "dnum",
                                     "--fpc", "fpc", "--proportion", "stype", "--ci", "likelihood"])
        let h = out.rows.first { $0["level"] == "H" }
        #expect(Self.close(h?["ci_low"], "P01_likelihood|ci_l|p"), "\(out.rows)")
        #expect(Self.close(h?["ci_high"], "P01_likelihood|ci_u|p"), "\(out.rows)")
    }

    @Test func clusterHouseholdsIsNamedInTheDesignLine() throws {
        let out = try Self.tabulate(["--data", Fixtures.path("rsurvey/apiclus1.csv"), "--weight", "pw",
                                     "--cluster-households", "dnum", "--total", "enroll"])
        #expect(out.stderr.contains("households as clusters (dnum)"), "\(out.stderr)")
        #expect(Self.close(out.rows.first?["se"], "T06|SE|enroll"), "\(out.rows)")
    }
}
