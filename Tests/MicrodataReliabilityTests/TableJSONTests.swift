import Foundation
import MicrodataTestSupport
import Testing

/// The JSON of `tabulate` and `check` (issue 22): one Codable document described by
/// `docs/table.schema.json`, numbers as numbers, suppressed values `null`; tidy CSV without a comment line.
@Suite(.timeLimit(.minutes(3))) struct TableJSONTests {
    /// The rows of a table document as text fields: `null` is empty, a number its shortest form.
    static func rows(_ text: String) throws -> [[String: String]] {
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let rows = try #require(object["rows"] as? [[String: Any]])
        return rows.map { row in
            row.mapValues { value -> String in
                if let s = value as? String { return s }
                if let n = value as? NSNumber {
                    let x = n.doubleValue
                    return x == x.rounded() && abs(x) < 1e15 ? String(Int64(x)) : "\(x)"
                }
                return ""
            }
        }
    }

    static func violations(_ text: String) throws -> [String] { try TableSchema.violations(text) }

    @Test func tabulateJSONFollowsTheSchemaWithNumbersAndNullForSuppressed() throws {
        let file = try TabulateSideDoorTests.dataFile()
        let r = try CLIFailureTests.run(
            ["tabulate", "--data", file, "--weight", "w", "--mean", "income", "--by", "region", "--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try Self.violations(r.stdout) == [])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(object["controlled"] as? Bool == true && object["stamp"] is NSNull)
        #expect((object["rules"] as? String)?.hasPrefix("threshold 10;") == true)
        #expect((object["design"] as? String)?.hasPrefix("design: weights only") == true)
        let rows = try #require(object["rows"] as? [[String: Any]])
        let a = try #require(rows.first { $0["region"] as? String == "A" })
        #expect(a["n"] as? Int == 30 && a["estimate"] is NSNumber && a["level"] is NSNull)
        let c = try #require(rows.first { $0["region"] as? String == "C" })
        #expect((c["status"] as? String)?.hasPrefix("primary") == true)
        for column in ["estimate", "se", "ci_low", "ci_high", "df", "n", "weighted_n", "cv_band", "nomis"] {
            #expect(c[column] is NSNull, "\(column) of a suppressed row: \(c[column] ?? "absent")")
        }
    }

    @Test func bypassedTabulateJSONIsStampedAndFollowsTheSchema() throws {
        let file = try TabulateSideDoorTests.dataFile()
        let r = try CLIFailureTests.run(
            ["tabulate", "--data", file, "--weight", "w", "--mean", "income", "--format", "json", "--no-disclosure-control"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try Self.violations(r.stdout) == [])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(object["controlled"] as? Bool == false)
        #expect((object["stamp"] as? String)?.hasPrefix("NOT DISCLOSURE CONTROLLED") == true)
        #expect(object["rules"] is NSNull && object["disclosure"] is NSNull)
    }

    @Test func checkJSONFollowsTheSchemaWithCountsAsNumbers() throws {
        let table = try CheckCommandTests.file(CheckCommandTests.singletonRow)
        let r = try CLIFailureTests.run(["check", table, "--count", "n", "--dimensions", "r,c", "--margins", "--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try Self.violations(r.stdout) == [])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let rows = try #require(object["rows"] as? [[String: Any]])
        #expect(rows.first { $0["r"] as? String == "Total" && $0["c"] as? String == "Total" }?["count"] as? Int == 116)
        #expect(rows.first { $0["r"] as? String == "A" && $0["c"] as? String == "x" }?["count"] is NSNull)
    }

    @Test func theSchemaCheckCatchesAQuotedNumberAndAMissingKey() throws {
        #expect(try Self.violations(#"{"schema": "microdata-table/1", "rows": [{"estimate": "12.5"}]}"#).contains {
            $0.hasPrefix("row 1 estimate")
        })
        #expect(try Self.violations("{}").contains("missing version"))
    }

    @Test func csvStartsWithTheHeaderAndABypassedTableSaysSoInAColumn() throws {
        let file = try TabulateSideDoorTests.dataFile()
        let base = ["tabulate", "--data", file, "--weight", "w", "--mean", "income"]
        let checked = try CLIFailureTests.run(base)
        #expect(checked.stdout.hasPrefix("statistic,variable,level,estimate,"), "\(checked.stdout)")
        let bypass = try CLIFailureTests.run(base + ["--no-disclosure-control"])
        let lines = bypass.stdout.split(separator: "\n")
        #expect(lines.first?.hasPrefix("statistic,") == true && lines.first?.hasSuffix(",status,controlled") == true)
        #expect(lines.count == 2 && lines[1].hasSuffix(",not-checked,no"), "\(bypass.stdout)")
        let table = try CheckCommandTests.file("a,n\nx,3\n")
        let raw = try CLIFailureTests.run(["check", table, "--count", "n", "--dimensions", "a", "--no-disclosure-control"])
        #expect(raw.stdout == "a,n,controlled\nx,3,no\n", "\(raw.stdout) \(raw.stderr)")
    }
}
