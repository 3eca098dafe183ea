import Foundation
import MicrodataReaders
import MicrodataTestSupport
import Testing

/// `microdata mobility --origin-income/--destination-income` end to end: the tables in the CSV agree with R
/// (Fixtures/income/expected.csv), class and income tables come together, and bad combinations are usage errors.
@Suite(.timeLimit(.minutes(2))) struct IncomeMobilityCLITests {
    /// The R values of one case, keyed "group|table|row|column|statistic".
    static func expected(_ name: String) throws -> [String: Double] {
        let records = try DelimitedRecords(contentsOf: Fixtures.url("income/expected.csv"))
        var out: [String: Double] = [:]
        for r in records.records.dropFirst() where r.fields[0] == name {
            out[r.fields[1...5].joined(separator: "|")] = Double(r.fields[6])!
        }
        return out
    }

    /// The CSV rows keyed "group|table|row|column" with (estimate, se) as text; the group is the value of the
    /// first column when it is a by-variable (empty for rows of no group).
    static func csv(_ text: String) -> [String: (String, String)] {
        var out: [String: (String, String)] = [:]
        let lines = text.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        guard let header = lines.first, let t = header.firstIndex(of: "table") else { return out }
        let (row, column) = (header.firstIndex(of: "row")!, header.firstIndex(of: "column")!)
        let (estimate, se) = (header.firstIndex(of: "estimate")!, header.firstIndex(of: "se")!)
        for f in lines.dropFirst() where f.count == header.count {
            out["\(t > 0 ? f[0] : "")|\(f[t])|\(f[row])|\(f[column])"] = (f[estimate], f[se])
        }
        return out
    }

    static func close(_ text: String?, _ want: Double?) -> Bool {
        guard let text, let a = Double(text), let b = want else { return false }
        return abs(a - b) <= 1e-8 * max(abs(b), 1e-12)
    }

    @Test func csvByGroupAgreesWithRAndWritesTheAudit() throws {
        let folder = try Fixtures.temporaryDirectory().appendingPathComponent("out")
        let r = try CLIFailureTests.run([
            "mobility", "--data", Fixtures.path("income/bcs70_cohort.csv"), "--origin-income", "PARINC10",
            "--destination-income", "B9GROSPAY", "--weight", "B9NRWT", "--deflator", "3.89", "--by", "SEX",
            "--output-dir", folder.path,
        ])
        #expect(r.status == 0, "\(r.stderr)")
        let text = try String(contentsOf: folder.appendingPathComponent("mobility.csv"), encoding: .utf8)
        let rows = Self.csv(text)
        let want = try Self.expected("B2")
        for sex in ["1", "2"] {
            let slope = rows["\(sex)|rank_rank|slope|Estimate"]
            #expect(Self.close(slope?.0, want["\(sex)|rank_rank|slope||estimate"]), "\(String(describing: slope))")
            #expect(Self.close(slope?.1, want["\(sex)|rank_rank|slope||se"]))
            let elasticity = rows["\(sex)|ige|elasticity|Estimate"]
            #expect(Self.close(elasticity?.0, want["\(sex)|ige|elasticity||estimate"]))
            let cell = rows["\(sex)|income_transition|2|3"]
            #expect(Self.close(cell?.0, want["\(sex)|income_transition|2|3|estimate"].map { $0 * 100 }))
            #expect(Self.close(cell?.1, want["\(sex)|income_transition|2|3|se"].map { $0 * 100 }))
            let up = rows["\(sex)|absolute_income|upward|Percentage"]
            #expect(Self.close(up?.0, want["\(sex)|absolute_income|upward||estimate"].map { $0 * 100 }))
            let boundary = rows["\(sex)|income_boundaries|1|Destination income"]
            #expect(Self.close(boundary?.0, want["\(sex)|boundaries|1|destination|estimate"]))
        }
        let difference = rows["|income_differences|rank_rank:slope: 1 − 2|Difference"]
        #expect(Self.close(difference?.0, want["|differences|rank_rank:slope||estimate"]))
        #expect(Self.close(difference?.1, want["|differences|rank_rank:slope||se"]))
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("mobility.audit.json").path))
        let html = try String(contentsOf: folder.appendingPathComponent("mobility.html"), encoding: .utf8)
        #expect(html.contains("income_transition-1"))
    }

    @Test func classAndIncomeTablesComeTogetherWithTwoAudits() throws {
        let linking = Fixtures.codebook("examples/linking")
        let folder = try Fixtures.temporaryDirectory()
        let output = folder.appendingPathComponent("both.csv").path
        let r = try CLIFailureTests.run([
            "mobility", "--data", linking.appendingPathComponent("bcs70_age42.csv").path,
            "--join", linking.appendingPathComponent("bcs70_age10.csv").path + ":BCSID:inner",
            "--origin", "FNSSEC3", "--destination", "B9NSSEC3", "--origin-income", "PARINC10",
            "--destination-income", "B9GROSPAY", "--weight", "B9NRWT", "--output", output,
            "--audit", folder.appendingPathComponent("both.audit.json").path,
        ])
        #expect(r.status == 0, "\(r.stderr)")
        let text = try String(contentsOf: URL(fileURLWithPath: output), encoding: .utf8)
        #expect(text.contains("\noutflow,"))
        #expect(text.contains("\nincome_transition,"))
        #expect(text.contains("\nrank_rank,slope,"))
        // The output's sidecar (for release), and the public audits of the class and income tables (--audit).
        #expect(FileManager.default.fileExists(atPath: output + ".audit.json"))
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("both.audit.json").path))
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("both.income.audit.json").path))
    }

    @Test func incomeTablesReadStandardInputAndTakeTheTitleSourceAndNote() throws {
        let data = try Data(contentsOf: Fixtures.url("income/bcs70_cohort.csv"))
        let arguments = ["--origin-income", "PARINC10", "--destination-income", "B9GROSPAY", "--weight", "B9NRWT"]
        let fromFile = try CLIFailureTests.run(
            ["mobility", "--data", Fixtures.path("income/bcs70_cohort.csv"), "--format", "csv"] + arguments)
        let piped = try CommandLineTests.run(
            ["mobility", "--data", "-", "--format", "csv", "--title", "Pay of cohort members at 42",
             "--note", "Synthetic data."] + arguments, input: data)
        #expect(piped.status == 0, "\(piped.stderr)")
        // The same rows, whether the file is named or piped.
        let rows = Self.csv(piped.stdout)
        #expect(!rows.isEmpty && rows.count == Self.csv(fromFile.stdout).count)
        #expect(rows.allSatisfy { key, value in Self.csv(fromFile.stdout)[key].map { $0 == value } ?? false })
        let html = try CommandLineTests.run(
            ["mobility", "--data", "-", "--format", "html", "--title", "Pay of cohort members at 42",
             "--source", "BCS70 synthetic"] + arguments, input: data)
        #expect(html.stdout.contains("<h1>Pay of cohort members at 42</h1>"))
        #expect(html.stdout.contains("<p>Source: BCS70 synthetic</p>"))
        // The binned scatter is a scatter with its fitted line, not bars.
        #expect(html.stdout.contains("aria-label=\"Binned scatter: mean child rank by ventile of parents&#39; rank scatter\""))
        #expect(html.stdout.components(separatedBy: "<circle ").count > 10)
        let both = try CommandLineTests.run(
            ["mobility", "--data", "-", "--origin", "FNSSEC3", "--destination", "B9NSSEC3"] + arguments, input: data)
        #expect(both.status == 2 && both.stderr.contains("standard input"), "\(both.stderr)")
    }

    @Test func badCombinationsAreUsageErrors() throws {
        let data = Fixtures.path("income/bcs70_cohort.csv")
        let cases: [([String], String)] = [
            (["--origin-income", "PARINC10"], "go together"),
            (["--origin-income", "PARINC10", "--destination-income", "B9GROSPAY", "--deflator", "2",
              "--deflate-origin", "SEX"], "not both"),
            (["--weight", "B9NRWT"], "--origin-income"),
            (["--origin-income", "PARINC10", "--destination-income", "B9GROSPAY", "--groups", "1"], "--groups"),
            (["--origin-income", "PARINC10", "--destination-income", "B9GROSPAY", "--deflator", "-1"], "--deflator"),
        ]
        for (arguments, message) in cases {
            let r = try CLIFailureTests.run(["mobility", "--data", data] + arguments)
            #expect(r.status == 2, "\(arguments): \(r.stderr)")
            #expect(r.stderr.contains(message), "\(arguments): \(r.stderr)")
        }
    }
}
