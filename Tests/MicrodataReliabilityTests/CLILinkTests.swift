import Foundation
import MicrodataReaders
import MicrodataTestSupport
import Testing

/// `microdata link`, `--join` and `--subpop` end to end on the synthetic linking examples and the R oracles
/// (Fixtures/link/link_expected.csv, Fixtures/rsurvey/subpop_expected.csv).
@Suite(.timeLimit(.minutes(1))) struct CLILinkTests {
    static func example(_ name: String) -> String { Fixtures.codebook("examples/linking/\(name)").path }

    static func expected(_ file: String, _ key: (([String]) -> Bool)) -> Double {
        let records = try! DelimitedRecords(contentsOf: Fixtures.url(file)).records
        let f = records.dropFirst().first { key($0.fields) }!.fields
        return Double(f[file.hasSuffix("subpop_expected.csv") ? 3 : 1])!
    }

    @Test func linkWritesTheChainAndItsAudit() throws {
        let dir = try Fixtures.temporaryDirectory()
        let output = dir.appendingPathComponent("cohort.csv").path
        let r = try CLIFailureTests.run([
            "link", "--data", Self.example("bcs70_birth.csv"), "--with", Self.example("bcs70_age10.csv"),
            "--with", Self.example("bcs70_age42.csv"), "--keys", "BCSID", "--duplicates", "first",
            "--audit-by", "FNSSEC3", "--output", output,
        ])
        #expect(r.status == 0, "\(r.stderr)")
        let rows = try DelimitedRecords(contentsOf: URL(fileURLWithPath: output)).records
        #expect(Double(rows.count - 1) == Self.expected("link/link_expected.csv") { $0[0] == "chain.rows" })
        #expect(rows[0].fields.last == "REGION_bcs70_age42")
        #expect(rows[1].fields[0] == "B00001", "string ids keep their zeros")
        #expect(r.stderr.contains("flag: FNSSEC3 = 3"), "\(r.stderr)")
        let audit = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: output + ".link.json")))
            as! [String: Any]
        let steps = audit["steps"] as! [[String: Any]]
        #expect(steps.count == 2)
        let left = steps[1]["left"] as! [String: Int]
        #expect(Double(left["matched"]!) == Self.expected("link/link_expected.csv") { $0[0] == "chain.step2.matched" })
        #expect(Set(left.keys) == ["rows", "matched", "unmatched", "duplicateKeys", "missingKeys"])
        #expect(steps[1]["outputRows"] as? Int == 2000)
        let rates = (steps[1]["matchRateBy"] as! [String: [[String: Any]]])["FNSSEC3"]!
        let three = rates.first { $0["level"] as? String == "3" }!["rate"] as! Double
        #expect(abs(three - Self.expected("link/link_expected.csv") { $0[0] == "chain.step2.rate.FNSSEC3.3" }) < 1e-12)
    }

    @Test func oneToManyWithoutAggregateFailsAndLeavesNoOutput() throws {
        let dir = try Fixtures.temporaryDirectory()
        let output = dir.appendingPathComponent("households.csv").path
        let r = try CLIFailureTests.run([
            "link", "--data", Self.example("was_r8_household.csv"), "--with", Self.example("was_r8_person.csv"),
            "--keys", "CASER8", "--output", output,
        ])
        #expect(r.status != 0)
        #expect(r.stderr.contains("left rows match several right rows") && r.stderr.contains("--aggregate"), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: output))
        #expect(!FileManager.default.fileExists(atPath: output + ".partial"))
    }

    @Test func tabulateSubpopEqualsRSubset() throws {
        let r = try CLIFailureTests.run([
            "tabulate", "--data", Fixtures.path("rsurvey/apistrat.csv"), "--weight", "pw", "--strata", "stype", "--psu", "dnum",
            "--nest", "--mean", "api00", "--subpop", "!(acs.k3 > 19) | (stype == \"H\" & enroll >= 1000)",
        ])
        #expect(r.status == 0, "\(r.stderr)")
        let lines = r.stdout.split(separator: "\n").filter { !$0.hasPrefix("#") }.map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let rows = [Dictionary(uniqueKeysWithValues: zip(lines[0], lines[1]))]
        let mean = Self.expected("rsurvey/subpop_expected.csv") { $0[0] == "S01" && $0[1] == "mean api00" }
        let se = Double(try DelimitedRecords(contentsOf: Fixtures.url("rsurvey/subpop_expected.csv")).records
            .first { $0.fields[0] == "S01" && $0.fields[1] == "mean api00" }!.fields[4])!
        #expect(abs(Double(rows[0]["estimate"]!)! - mean) < 1e-8 * mean, "\(rows)")
        #expect(abs(Double(rows[0]["se"]!)! - se) < 1e-8 * se, "\(rows)")
        let bad = try CLIFailureTests.run([
            "tabulate", "--data", Fixtures.path("rsurvey/apistrat.csv"), "--weight", "pw", "--mean", "api00",
            "--subpop", "stype = 'E'",
        ])
        #expect(bad.status != 0 && bad.stderr.contains("at character 7") && bad.stderr.contains("^"), "\(bad.stderr)")
    }

    @Test func tabulateJoinsHouseholdsOnTheFly() throws {
        let dir = try Fixtures.temporaryDirectory()
        let output = dir.appendingPathComponent("wealth.csv").path
        let r = try CLIFailureTests.run([
            "tabulate", "--data", Self.example("was_r8_person.csv"),
            "--join", Self.example("was_r8_household.csv") + ":CASER8:inner", "--weight", "R8XSHHWGT",
            "--strata", "STRATR8", "--psu", "PSUR8", "--total", "TOTWLTHR8", "--no-disclosure-control", "--output", output,
        ])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("1273 matched"), "\(r.stderr)")
        #expect(FileManager.default.fileExists(atPath: output + ".link.json"))
        // Σ weight × household wealth over the persons with a household, from R merge() (link_oracle.R).
        let rows = try DelimitedRecords(contentsOf: URL(fileURLWithPath: output)).records.filter { !$0.fields[0].hasPrefix("#") }
        let estimate = Double(rows[1].fields[rows[0].fields.firstIndex(of: "estimate")!])!
        let total = Self.expected("link/link_expected.csv") { $0[0] == "persons.weighted.total.TOTWLTHR8" }
        #expect(abs(estimate - total) < 1e-8 * total, "\(estimate) vs \(total)")
    }

    @Test func mobilitySubpopOnALinkedCohortEqualsRSubset() throws {
        let dir = try Fixtures.temporaryDirectory()
        let cohort = dir.appendingPathComponent("cohort.csv").path
        let linked = try CLIFailureTests.run([
            "link", "--data", Self.example("bcs70_birth.csv"), "--with", Self.example("bcs70_age10.csv"),
            "--with", Self.example("bcs70_age42.csv"), "--keys", "BCSID", "--how", "inner", "--duplicates", "first",
            "--output", cohort,
        ])
        #expect(linked.status == 0, "\(linked.stderr)")
        let table = dir.appendingPathComponent("mobility.csv").path
        let r = try CLIFailureTests.run([
            "mobility", "--data", cohort, "--origin", "FNSSEC3", "--destination", "B9NSSEC3", "--weight", "B9NRWT",
            "--subpop", "SEX == 2", "--output", table,
        ])
        #expect(r.status == 0, "\(r.stderr)")
        let records = try DelimitedRecords(contentsOf: URL(fileURLWithPath: table)).records
        let header = records[0].fields
        let (row, column) = (header.firstIndex(of: "row")!, header.firstIndex(of: "column")!)
        let (estimate, se) = (header.firstIndex(of: "estimate")!, header.firstIndex(of: "se")!)
        let got = records.filter { $0.fields[0] == "outflow" }
        let want = try DelimitedRecords(contentsOf: Fixtures.url("link/mobility_subpop_expected.csv")).records.dropFirst()
        #expect(got.count == 9)
        for w in want {
            let g = got.first { $0.fields[row] == w.fields[0] && $0.fields[column] == w.fields[1] }!.fields
            for (a, b) in [(g[estimate], w.fields[2]), (g[se], w.fields[3])] {
                #expect(abs(Double(a)! - Double(b)!) < 1e-8 * Double(b)!, "\(w.fields): \(a) vs \(b)")
            }
        }
    }
}
