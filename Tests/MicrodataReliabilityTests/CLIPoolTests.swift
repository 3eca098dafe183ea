import Foundation
import MicrodataReaders
import MicrodataTestSupport
import Testing

/// `microdata pool` then `microdata tabulate` with the printed design flags, against R survey on the same pooling
/// rules written in R (Fixtures/pool/oracle.R → pool_expected.csv; a person in two and one in three periods).
@Suite(.timeLimit(.minutes(1))) struct CLIPoolTests {
    static func fixture(_ name: String) -> String { Fixtures.path("pool/\(name)") }
    static let periods = ["lfs2022.csv", "lfs2023.csv", "lfs2024.csv"].map(fixture)

    /// (statistic, domain) → (estimate, se) of one oracle case.
    static func expected(_ name: String) throws -> [String: (Double, Double)] {
        let records = try DelimitedRecords(contentsOf: Fixtures.url("pool/pool_expected.csv")).records.dropFirst()
        var out: [String: (Double, Double)] = [:]
        for r in records.map(\.fields) where r[0] == name { out[r[1] + " " + r[2]] = (Double(r[3])!, Double(r[4])!) }
        return out
    }

    /// Pools, checks the per-period report, tabulates with the printed flags and compares every cell with R.
    func poolAndCompare(_ poolArguments: [String], case name: String) throws {
        let dir = try Fixtures.temporaryDirectory()
        let pooled = dir.appendingPathComponent("pooled.csv").path
        let pool = try CLIFailureTests.run(["pool"] + poolArguments + ["--output", pooled])
        #expect(pool.status == 0, "\(pool.stderr)")
        let want = try Self.expected(name)
        for year in 2022...2024 {
            let dropped = Int(want["dropped \(year)"]!.0)
            #expect(pool.stderr.contains("period \(year): ") && pool.stderr.contains("\(dropped) dropped as repeated persons"),
                    "\(pool.stderr)")
        }
        let flags = pool.stdout.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: " ").map(String.init)
        #expect(flags == ["--weight", "pool_weight", "--strata", "pool_stratum"])
        var checked = 0
        for by in [[], ["--by", "REGION"]] {
            let r = try CLIFailureTests.run(
                ["tabulate", "--data", pooled] + flags + ["--mean", "INCOME", "--total", "INCOME", "--no-disclosure-control"] + by)
            #expect(r.status == 0, "\(r.stderr)")
            let lines = r.stdout.split(separator: "\n").filter { !$0.hasPrefix("#") }
                .map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
            let header = lines[0]
            let (statistic, estimate, se) = (header.firstIndex(of: "statistic")!, header.firstIndex(of: "estimate")!, header.firstIndex(of: "se")!)
            for row in lines.dropFirst() {
                let domain = by.isEmpty ? "all" : row[header.firstIndex(of: "REGION")!]
                let (e, s) = try #require(want["\(row[statistic]) \(domain)"])
                #expect(abs(Double(row[estimate])! - e) <= 1e-8 * abs(e), "\(row) vs \(e)")
                #expect(abs(Double(row[se])! - s) <= 1e-8 * s, "\(row) vs \(s)")
                checked += 1
            }
        }
        #expect(checked == 6)
    }

    @Test func poolThenTabulateEqualsRSurveyKeepingTheLastPeriodWithEqualWeights() throws {
        try poolAndCompare(Self.periods + [
            "--periods", "2022,2023,2024", "--weight", "PWT24", "--strata", "STRATUM", "--id", "PID",
            "--rename", Self.fixture("renames.txt"),
        ], case: "last-equal")
    }

    @Test func aPeriodColumnKeepingTheFirstPeriodWithSummedWeightsEqualsRSurvey() throws {
        try poolAndCompare([
            Self.fixture("stacked.csv"), "--period-column", "year", "--weight", "PWT24", "--strata", "STRATUM",
            "--id", "PID", "--keep", "first", "--period-weights", "sum",
        ], case: "first-sum")
    }

    @Test func anSPSSFileAndACSVWithAGivenCodebookPoolWithClustersInThePrintedFlags() throws {
        let dir = try Fixtures.temporaryDirectory()
        let codebook = Fixtures.codebook("examples/lfs-synthetic/lfs_synthetic_js2024.xml").path
        let (earlier, later) = (dir.appendingPathComponent("q3.sav").path, dir.appendingPathComponent("q4.csv").path)
        for (file, rows) in [(earlier, "500"), (later, "300")] {
            let extract = try CLIFailureTests.run(["extract", "--codebook", codebook, "--limit", rows, "--output", file])
            #expect(extract.status == 0, "\(extract.stderr)")
        }
        let pooled = dir.appendingPathComponent("pooled.csv").path
        let r = try CLIFailureTests.run([
            "pool", earlier, later, "--codebook", "\(later)=\(codebook)", "--periods", "2024Q3,2024Q4", "--weight", "PWT24",
            "--strata", "COUNTRY", "--psu", "HSERIALP", "--id", "HSERIALP,PERSNO", "--output", pooled,
        ])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("period 2024Q3: 500 rows, 300 dropped"), "\(r.stderr)")
        #expect(r.stdout == "--weight pool_weight --strata pool_stratum --psu HSERIALP --nest\n")
        let rows = try DelimitedRecords(contentsOf: URL(fileURLWithPath: pooled)).records
        #expect(rows.count == 1 + 500)
        #expect(rows[0].fields.suffix(3) == ["period", "pool_weight", "pool_stratum"])
        let bad = try CLIFailureTests.run(["pool", earlier, later, "--codebook", "other.csv=\(codebook)", "--periods", "1,2",
                                           "--weight", "PWT24", "--output", pooled])
        #expect(bad.status == 2 && bad.stderr.contains("--codebook takes DATA=CODEBOOK"), "\(bad.stderr)")
        let absent = dir.appendingPathComponent("absent.xml").path
        let used = try CLIFailureTests.run(["pool", earlier, later, "--codebook", "\(later)=\(absent)", "--periods", "1,2",
                                            "--weight", "PWT24", "--output", pooled])
        #expect(used.status == 1 && used.stderr.contains("absent.xml"), "the given codebook is read: \(used.stderr)")
    }

    @Test func stataOutputReadsBackAsTheCSVOutput() throws {
        let dir = try Fixtures.temporaryDirectory()
        let arguments = Self.periods + ["--periods", "2022,2023,2024", "--weight", "PWT24", "--strata", "STRATUM", "--id", "PID",
                                        "--rename", Self.fixture("renames.txt"), "--output"]
        let paths = ["pooled.csv", "pooled.dta", "back.csv"].map { dir.appendingPathComponent($0).path }
        let (csv, dta, back) = (paths[0], paths[1], paths[2])
        #expect(try CLIFailureTests.run(["pool"] + arguments + [csv]).status == 0)
        #expect(try CLIFailureTests.run(["pool"] + arguments + [dta]).status == 0)
        let r = try CLIFailureTests.run(["extract", "--data", dta, "--output", back])
        #expect(r.status == 0, "\(r.stderr)")
        let a = try String(contentsOfFile: csv, encoding: .utf8)
        let b = try String(contentsOfFile: back, encoding: .utf8)
        #expect(a == b && a.split(separator: "\n").count == 1 + 91)
    }

    @Test func badInputsFailWithAMessageNamingTheFile() throws {
        let dir = try Fixtures.temporaryDirectory()
        let output = dir.appendingPathComponent("pooled.csv").path
        let base = ["--weight", "PWT24", "--rename", Self.fixture("renames.txt"), "--output", output]
        let noID = try CLIFailureTests.run(["pool"] + Self.periods + ["--periods", "2022,2023,2024", "--id", "PIDD"] + base)
        #expect(noID.status == 1 && noID.stderr.contains("lfs2022.csv: id 'PIDD' is not a column; close matches: PID"), "\(noID.stderr)")
        let count = try CLIFailureTests.run(["pool"] + Self.periods + ["--periods", "2022,2023"] + base)
        #expect(count.status == 2 && count.stderr.contains("3 input files but 2 --periods"), "\(count.stderr)")
        let garbage = dir.appendingPathComponent("garbage.csv")
        try Data("A,B\n1,2,3,4\n\"open".utf8).write(to: garbage)
        let unreadable = try CLIFailureTests.run(["pool", Self.periods[0], dir.appendingPathComponent("absent.csv").path,
                                                  "--periods", "1,2"] + base)
        #expect(unreadable.status == 1 && unreadable.stderr.contains("absent.csv"), "\(unreadable.stderr)")
        let malformed = try CLIFailureTests.run(["pool", Self.periods[0], garbage.path, "--periods", "1,2"] + base)
        #expect(malformed.status == 1 && malformed.stderr.contains("garbage.csv"), "\(malformed.stderr)")
        let differ = try CLIFailureTests.run(["pool"] + Self.periods + ["--periods", "2022,2023,2024", "--weight", "INCOME", "--output", output])
        #expect(differ.status == 1 && differ.stderr.contains("lfs2023.csv: columns differ from the first input: lacks PWT22 (in \(Self.periods[0])); has PWT24"), "\(differ.stderr)")
        #expect(!FileManager.default.fileExists(atPath: output), "nothing written on an error")
        let copy = dir.appendingPathComponent("lfs2024.csv")
        try FileManager.default.copyItem(atPath: Self.periods[2], toPath: copy.path)
        let before = try Data(contentsOf: copy)
        let over = try CLIFailureTests.run(["pool", Self.periods[0], copy.path, "--periods", "1,2", "--weight", "PWT24",
                                            "--rename", Self.fixture("renames.txt"), "--output", copy.path])
        #expect(over.status == 2 && over.stderr.contains("same file"), "\(over.stderr)")
        #expect(try Data(contentsOf: copy) == before)
    }
}
