import Foundation
import MicrodataReaders
import MicrodataTestSupport
import Testing

/// `link --audit-format`: the link audit rendered by the publication writers, with the counts of the audit record.
@Suite(.timeLimit(.minutes(1))) struct CLILinkAuditFormatTests {
    static func link(_ extra: [String], output: String) throws -> (status: Int32, stdout: String, stderr: String) {
        try CLIFailureTests.run([
            "link", "--data", CLILinkTests.example("bcs70_birth.csv"), "--with", CLILinkTests.example("bcs70_age10.csv"),
            "--with", CLILinkTests.example("bcs70_age42.csv"), "--keys", "BCSID", "--duplicates", "first",
            "--audit-by", "FNSSEC3", "--output", output,
        ] + extra)
    }

    @Test func auditFormatsCarryTheCountsOfTheAuditRecord() throws {
        let dir = try Fixtures.temporaryDirectory()
        let output = dir.appendingPathComponent("cohort.csv").path
        #expect(try Self.link([], output: output).status == 0)
        let record = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: output + ".link.json"))) as? [String: Any])
        let steps = try #require(record["steps"] as? [[String: Any]])
        let matched = try #require((steps[1]["left"] as? [String: Int])?["matched"])
        #expect(matched == 1212)

        let r = try Self.link(["--audit-format", "csv"], output: output)
        #expect(r.status == 0, "\(r.stderr)")
        let rows = try DelimitedRecords(contentsOf: URL(fileURLWithPath: output + ".link.csv")).records.map(\.fields)
        let header = rows[0]
        func field(_ row: [String], _ name: String) -> String { row[header.firstIndex(of: name)!] }
        let step2 = try #require(rows.first { field($0, "table") == "steps" && field($0, "step") == "2" })
        #expect(field(step2, "left_matched") == String(matched))
        #expect(field(step2, "controlled") == "no")
        let level3 = try #require(rows.first { field($0, "variable") == "FNSSEC3" && field($0, "level") == "3" && field($0, "step") == "2" })
        #expect(field(level3, "flag") == "differs by more than 5 points", "the level flagged on stderr is flagged in the table")
        #expect(FileManager.default.fileExists(atPath: output + ".link.csv-metadata.json"))

        let md = try Self.link(["--audit-format", "markdown", "--audit", dir.appendingPathComponent("audit.md").path], output: output)
        #expect(md.status == 0, "\(md.stderr)")
        let markdown = try String(contentsOf: dir.appendingPathComponent("audit.md"), encoding: .utf8)
        #expect(markdown.hasPrefix("# Link audit\n\n> **NOT DISCLOSURE CONTROLLED: linkage diagnostics"))
        #expect(markdown.contains("| 2000 | \(matched) | 788 |"))
    }

    /// The XLSX audit passes the independent openpyxl check of the GSS spreadsheet guidance (units in headers).
    @Test func xlsxAuditPassesTheIndependentReader() throws {
        let dir = try Fixtures.temporaryDirectory()
        let output = dir.appendingPathComponent("cohort.csv").path
        let r = try Self.link(["--audit-format", "xlsx"], output: output)
        #expect(r.status == 0, "\(r.stderr)")
        let outcome = try IndependentXLSXReader.check([URL(fileURLWithPath: output + ".link.xlsx")])
        #expect(outcome.status == 0, "\(outcome.problems)")
        #expect(outcome.summary.contains("\"steps\"") && outcome.summary.contains("\"match-rates\""))
    }
}
