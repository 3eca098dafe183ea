import Foundation
import MicrodataReaders
import MicrodataTestSupport
import Testing

/// `tabulate --chisq`, `--ttest`, `--contrast` and `--vcov` end to end: the numbers against R survey 4.1.1
/// (Fixtures/rsurvey/tests_contrasts_expected.csv), and what disclosure control withholds.
@Suite(.timeLimit(.minutes(5))) struct CLITestsAndContrastsTests {
    static let expected: [String: Double] = {
        let records = try! DelimitedRecords(contentsOf: Fixtures.url("rsurvey/tests_contrasts_expected.csv")).records
        var out: [String: Double] = [:]
        for r in records.dropFirst() { out["\(r.fields[0])|\(r.fields[1])"] = Double(r.fields[2])! }
        return out
    }()

    static func close(_ value: Any?, _ key: String) -> Bool {
        guard let v = value as? Double, let e = expected[key] else { return false }
        return abs(v - e) <= 1e-8 * abs(e)
    }

    /// The rows of a JSON table written by `tabulate`.
    static func json(_ arguments: [String], status: Int32 = 0) throws -> [[String: Any]] {
        let r = try CLIFailureTests.run(["tabulate"] + arguments + ["--format", "json"])
        #expect(r.status == status, "\(r.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
        return object?["rows"] as? [[String: Any]] ?? []
    }

    static let dclus1 = ["--data", Fixtures.path("rsurvey/apiclus1.csv"), "--weight", "pw", "--psu", "dnum", "--fpc", "fpc"]
    static let dhi = ["--data", Fixtures.path("rsurvey/apiclus1_hi.csv"), "--weight", "pw", "--psu", "dnum", "--fpc", "fpc"]
    static let dstrat = ["--data", Fixtures.path("rsurvey/apistrat_bands.csv"), "--weight", "pw", "--strata", "stype",
                         "--fpc", "fpc"]

    @Test func chisqPrintsEveryStatisticAtFullPrecisionInJSON() throws {
        // 32 of 183 rows miss hi: R's N counts them, the table does not.
        let rules = FileManager.default.temporaryDirectory.appendingPathComponent("chisq-rules-\(UUID().uuidString).json")
        try Data(#"{"threshold": 3}"#.utf8).write(to: rules)
        defer { try? FileManager.default.removeItem(at: rules) }
        let rows = try Self.json(Self.dhi + ["--chisq", "stype,hi", "--missing", "hi=NA", "--rules", rules.path])
        #expect(rows.count == 4)
        for row in rows {
            let s = row["statistic"] as? String ?? ""
            #expect(row["status"] as? String == "safe", "\(row)")
            #expect(Self.close(row["value"], "T03|\(s)|statistic"), "\(row)")
            #expect(Self.close(row["p_value"], "T03|\(s)|p"), "\(row)")
            if s != "Chisq" { #expect(Self.close(row["ddf"], "T03|\(s)|ddf"), "\(row)") }
        }
    }

    @Test func chisqIsWithheldWhenACellOfTheTableIsSuppressed() throws {
        // stype × sch.wide under the default threshold: two cells have fewer than 10 schools.
        let rows = try Self.json(Self.dclus1 + ["--chisq", "stype,sch.wide"])
        #expect(rows.count == 4)
        for row in rows {
            #expect(row["value"] is NSNull && row["p_value"] is NSNull, "\(row)")
            #expect(row["status"] as? String == "secondary")
        }
        let open = try Self.json(Self.dclus1 + ["--chisq", "stype,sch.wide", "--no-disclosure-control"])
        #expect(Self.close(open.first?["value"], "T01|F|statistic"), "\(open)")
        // The table of tests is a publication like any other: its JSON follows docs/table.schema.json.
        for extra in [[], ["--no-disclosure-control"]] {
            let r = try CLIFailureTests.run(["tabulate"] + Self.dclus1 + ["--chisq", "stype,sch.wide", "--format", "json"] + extra)
            #expect(try TableSchema.violations(r.stdout) == [], "\(extra)")
        }
    }

    @Test func tTestDropsRowsMissingEitherValueAsSvyttest() throws {
        let rows = try Self.json(Self.dstrat + ["--ttest", "acs.k3:awards"])
        let row = try #require(rows.first)
        for key in ["estimate", "se", "ci_low", "ci_high"] { #expect(Self.close(row[key], "TT03|\(key)"), "\(key) \(row)") }
        #expect(Self.close(row["value"], "TT03|t"), "\(row)")
        #expect(Self.close(row["ddf"], "TT03|df"), "\(row)")
        #expect(Self.close(row["p_value"], "TT03|p"), "\(row)")
    }

    @Test func tTestUnderReplicateWeightsMatchesSvyttest() throws {
        let rows = try Self.json([
            "--data", Fixtures.path("rsurvey/apiclus1_jk1.csv"), "--weight", "pw", "--replicate-weights", "^rw[0-9]+$",
            "--replicate-type", "JK1", "--scale", "0.9148392779", "--ttest", "api00:sch.wide",
        ])
        let row = try #require(rows.first)
        for key in ["estimate", "se", "ci_low", "ci_high"] { #expect(Self.close(row[key], "TT04|\(key)"), "\(key) \(row)") }
        #expect(Self.close(row["value"], "TT04|t") && Self.close(row["ddf"], "TT04|df") && Self.close(row["p_value"], "TT04|p"))
    }

    @Test func chisqUnderReplicateWeightsAndTheJackknifeMatchesSvychisq() throws {
        // Fixtures/rsurvey/replicate_chisq_expected.csv: svychisq on svrepdesign / as.svrepdesign.
        let records = try DelimitedRecords(contentsOf: Fixtures.url("rsurvey/replicate_chisq_expected.csv")).records
        var expected: [String: Double] = [:]
        for r in records.dropFirst() { expected["\(r.fields[0])|\(r.fields[1])"] = Double(r.fields[2])! }
        let jk1 = ["--data", Fixtures.path("rsurvey/apiclus1_jk1.csv"), "--weight", "pw", "--replicate-weights",
                   "^rw[0-9]+$", "--replicate-type", "JK1", "--scale", "0.9148392779"]
        for (id, arguments) in [("RC01", jk1 + ["--chisq", "stype,sch.wide"]),
                                ("RC05", Self.dstrat + ["--jackknife", "--chisq", "stype,mealsband"])] {
            let rows = try Self.json(arguments + ["--no-disclosure-control"])
            #expect(rows.count == 4, "\(id)")
            for row in rows {
                let s = row["statistic"] as? String ?? ""
                func close(_ key: String, _ oracle: String) -> Bool {
                    guard let v = row[key] as? Double, let e = expected["\(id)|\(s)|\(oracle)"] else { return false }
                    return abs(v - e) <= 1e-8 * abs(e)
                }
                #expect(close("value", "statistic") && close("p_value", "p"), "\(id) \(row)")
                if s != "Chisq" { #expect(close("ddf", "ddf"), "\(id) \(row)") }
            }
        }
    }

    @Test func chisqRefusesDesignFactorsAndSubpopulations() throws {
        for extra in [["--subpop", "api00 > 500"], ["--design-factor", "1.2"]] {
            let r = try CLIFailureTests.run(["tabulate"] + Self.dclus1 + ["--chisq", "stype,sch.wide"] + extra)
            #expect(r.status == 2, "\(extra): \(r.stderr)")
        }
    }

    @Test func tTestRefusesAGroupVariableWithMoreThanTwoGroups() throws {
        let r = try CLIFailureTests.run(["tabulate"] + Self.dclus1 + ["--ttest", "api00:stype"])
        #expect(r.status != 0 && r.stderr.contains("must have two"), "\(r.stderr)")
    }

    @Test func contrastOfASuppressedDomainIsWithheld() throws {
        // M.Yes has fewer than 10 schools: M.Yes − M.No would give it away from the published M.No.
        let rows = try Self.json(Self.dclus1 + ["--mean", "api00", "--by", "stype,awards",
                                                "--contrast", "gapE=E.Yes - E.No", "--contrast", "gapM=M.Yes - M.No"])
        let gapE = try #require(rows.first { $0["level"] as? String == "gapE" })
        let gapM = try #require(rows.first { $0["level"] as? String == "gapM" })
        #expect(Self.close(gapE["estimate"], "C03|gapE|estimate") && Self.close(gapE["se"], "C03|gapE|se"), "\(gapE)")
        #expect(gapE["statistic"] as? String == "contrast" && gapE["status"] as? String == "safe")
        #expect(gapM["estimate"] is NSNull && gapM["se"] is NSNull && gapM["ci_low"] is NSNull, "\(gapM)")
        #expect(gapM["status"] as? String == "secondary")
    }

    @Test func vcovWritesThePublishedEstimatesOnly() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vcov-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let csv = folder.appendingPathComponent("v.csv").path
        _ = try Self.json(Self.dclus1 + ["--mean", "api00", "--by", "stype", "--vcov", csv])
        let lines = try String(contentsOfFile: csv, encoding: .utf8).split(separator: "\n").map {
            $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        }
        #expect(lines.first == ["", "E", "H", "M"])
        for line in lines.dropFirst() {
            for (k, column) in ["E", "H", "M"].enumerated() {
                #expect(Self.close(Double(line[k + 1]), "C01|vcov|\(line[0])|\(column)"), "\(line)")
            }
        }
        let json = folder.appendingPathComponent("v.json").path
        _ = try Self.json(Self.dclus1 + ["--mean", "api00", "--by", "stype,awards", "--vcov", json])
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: json))) as? [String: Any]
        let labels = object?["labels"] as? [String] ?? []
        #expect(!labels.isEmpty && !labels.contains("M.Yes"), "a suppressed estimate has no row: \(labels)")
    }

    @Test func contrastsTestsAndCellKeysDoNotMix() throws {
        for extra in [["--contrast", "d=E - H", "--mean", "api00", "--by", "stype", "--cell-key-seed", "7"],
                      ["--mean", "api00", "--total", "enroll", "--contrast", "d=E - H", "--by", "stype"],
                      ["--chisq", "stype,sch.wide", "--mean", "api00"]] {
            let r = try CLIFailureTests.run(["tabulate"] + Self.dclus1 + extra)
            #expect(r.status == 2, "\(extra): \(r.stderr)")
        }
    }
}

/// `tabulate --mean A --total B --proportion C`: several statistics from one pass equal one call each.
@Suite(.timeLimit(.minutes(5))) struct CLISeveralStatisticsTests {
    @Test func severalStatisticsInOneCallEqualOneCallEach() throws {
        let design = ["--data", Fixtures.path("rsurvey/apistrat.csv"), "--weight", "pw", "--strata", "stype", "--fpc", "fpc",
                      "--by", "sch.wide"]
        let all = try CLITestsAndContrastsTests.json(design + ["--mean", "api00", "--total", "enroll", "--proportion", "awards"])
        var one: [[String: Any]] = []
        for flags in [["--mean", "api00"], ["--total", "enroll"], ["--proportion", "awards"]] {
            one += try CLITestsAndContrastsTests.json(design + flags)
        }
        #expect(all.count == 8 && one.count == 8)
        for (a, b) in zip(all, one) {
            #expect(NSDictionary(dictionary: a).isEqual(to: b), "\(a) vs \(b)")
        }
        #expect(all.contains { $0["statistic"] as? String == "total" && $0["variable"] as? String == "enroll" })
    }
}

/// `tabulate --quantile ... --ci score | wilson` and `--quantile-rule shahvaish` (quantile_score_expected.csv).
@Suite(.timeLimit(.minutes(5))) struct CLIQuantileIntervalTests {
    static let dclus1 = ["--data", Fixtures.path("rsurvey/apiclus1.csv"), "--weight", "pw", "--psu", "dnum", "--fpc", "fpc"]

    @Test func scoreIntervalAndShahVaishRuleFromTheCommandLine() throws {
        let records = try DelimitedRecords(contentsOf: Fixtures.url("rsurvey/quantile_score_expected.csv")).records
        func expected(_ id: String) -> [[Double]] {
            records.filter { $0.fields[0] == id }.map { $0.fields.dropFirst(2).map { Double($0) ?? .nan } }
        }
        for (id, flags) in [("SC01", ["--ci", "score"]), ("SV03", ["--quantile-rule", "shahvaish"])] {
            let rows = try CLITestsAndContrastsTests.json(
                Self.dclus1 + ["--quantile", "api00:0.1,0.25,0.5,0.75", "--no-disclosure-control"] + flags)
            let want = expected(id).prefix(4)
            #expect(rows.count == 4)
            for (row, e) in zip(rows, want) {
                let got = ["estimate", "ci_low", "ci_high", "se"].map { row[$0] as? Double ?? .nan }
                #expect(zip(got, e).allSatisfy { abs($0 - $1) <= 1e-8 * abs($1) }, "\(id): \(got) vs \(e)")
            }
        }
    }

    @Test func wilsonIntervalForAQuantileIsRefused() throws {
        let r = try CLIFailureTests.run(["tabulate"] + Self.dclus1 + ["--quantile", "api00:0.5", "--ci", "wilson"])
        #expect(r.status == 2 && r.stderr.contains("wilson"), "\(r.stderr)")
        let proportion = try CLIFailureTests.run(["tabulate"] + Self.dclus1 + ["--proportion", "stype", "--ci", "wilson"])
        #expect(proportion.status == 0, "\(proportion.stderr)")
    }
}
