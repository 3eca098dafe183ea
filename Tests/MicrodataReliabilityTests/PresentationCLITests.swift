import Foundation
import MicrodataTestSupport
import Testing

/// Issue 22, writer polish, through the built binary: text and Markdown show rounded numbers (`--digits`),
/// CSV and JSON full precision; `--title`, `--source` and `--note` reach every format, CSV through its
/// `-metadata.json` file.
@Suite(.timeLimit(.minutes(3))) struct PresentationCLITests {
    static let base = ["--weight", "w", "--mean", "income", "--by", "region"]

    static func tabulate(_ extra: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        try CLIFailureTests.run(["tabulate", "--data", try TabulateSideDoorTests.dataFile()] + base + extra)
    }

    /// Region A's row of a Markdown pipe table, keyed by the header.
    static func markdownRow(_ text: String, _ key: String) -> [String: String]? {
        let lines = text.split(separator: "\n").filter { $0.hasPrefix("|") && !$0.contains("---") }
        let split = lines.map { $0.dropFirst(2).dropLast(2).components(separatedBy: " | ") }
        guard let header = split.first else { return nil }
        return split.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(header, $0)) }.first { $0["region"] == key }
    }

    @Test func markdownAndTextRoundToFourFiguresWhileCSVAndJSONKeepFullPrecision() throws {
        let csv = try TabulateSideDoorTests.tabulate(try TabulateSideDoorTests.dataFile(), ["--mean", "income", "--by", "region"])
        let a = try #require(csv.first { $0["region"] == "A" })
        let estimate = try #require(Double(a["estimate"] ?? "")), se = try #require(Double(a["se"] ?? ""))
        #expect((a["estimate"] ?? "").count > 8, "CSV keeps full precision: \(a)")  // e.g. 447.3571428571429
        let md = try Self.tabulate(["--format", "markdown"])
        #expect(md.status == 0, "\(md.stderr)")
        let row = try #require(Self.markdownRow(md.stdout, "A"))
        // Estimates in the hundreds: one decimal place is four figures; the SE to the same place.
        #expect(row["estimate"] == String(format: "%.1f", estimate), "\(row)")
        #expect(row["se"] == String(format: "%.1f", se), "\(row)")
        let text = try Self.tabulate(["--format", "text"])
        #expect(text.stdout.contains(String(format: "%.1f", estimate)) && !text.stdout.contains(a["estimate"]!))
        let six = try Self.tabulate(["--format", "markdown", "--digits", "6"])
        #expect(Self.markdownRow(six.stdout, "A")?["estimate"] == String(format: "%.3f", estimate))
        let json = try Self.tabulate(["--format", "json"])
        #expect(json.stdout.contains(a["estimate"]!))
        let bad = try Self.tabulate(["--digits", "0"])
        #expect(bad.status == 2 && bad.stderr.contains("--digits must be between 1 and 15"), "\(bad.stderr)")
    }

    @Test func tabulateDefaultsNameWhatWasEstimatedTheFileTheWeightAndTheDesign() throws {
        let md = try Self.tabulate(["--format", "markdown"])
        #expect(md.stdout.contains("# Mean of income by region\n"), "\(md.stdout)")
        #expect(md.stdout.contains("Source: people.csv; weight: w; design: weights only"), "\(md.stdout)")
    }

    @Test func titleSourceAndNotesReachEveryTabulateFormat() throws {
        let given = ["--title", "Income by region, 2024", "--source", "Synthetic survey", "--note", "First note.",
                     "--note", "Second note."]
        let md = try Self.tabulate(given + ["--format", "markdown"])
        #expect(md.stdout.hasPrefix("# Income by region, 2024\n"), "\(md.stdout)")
        #expect(md.stdout.contains("Source: Synthetic survey\n") && md.stdout.contains("1. First note.\n2. Second note.\n"))
        let text = try Self.tabulate(given + ["--format", "text"])
        #expect(text.stdout.hasPrefix("Income by region, 2024\n") && text.stdout.contains("2. Second note."))
        let json = try Self.tabulate(given + ["--format", "json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(object["title"] as? String == "Income by region, 2024" && object["source"] as? String == "Synthetic survey")
        #expect(object["notes"] as? [String] == ["First note.", "Second note."])
        let out = try Fixtures.temporaryDirectory().appendingPathComponent("income.csv")
        let csv = try Self.tabulate(given + ["--output", out.path])
        #expect(csv.status == 0, "\(csv.stderr)")
        let table = try String(contentsOf: out, encoding: .utf8)
        #expect(table.hasPrefix("region,statistic,") && !table.contains("Income by region"))
        let sidecar = try Data(contentsOf: URL(fileURLWithPath: out.path + "-metadata.json"))
        let meta = try #require(try JSONSerialization.jsonObject(with: sidecar) as? [String: Any])
        #expect(meta["url"] as? String == "income.csv" && meta["dc:title"] as? String == "Income by region, 2024")
        #expect((meta["notes"] as? [String])?.prefix(2) == ["First note.", "Second note."])
        let columns = ((meta["tableSchema"] as? [String: Any])?["columns"] as? [[String: Any]])?.compactMap { $0["name"] as? String }
        #expect(columns?.first == "region" && columns?.contains("status") == true)
    }

    @Test func modelTextRoundsAndCarriesTheTitle() throws {
        let r = try CLIFailureTests.run(ModelCLITests.dclus1 + ["--formula", "api00 ~ ell", "--format", "markdown",
                                                                "--note", "Oracle: R svyglm."])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.hasPrefix("# Model: api00 ~ ell (gaussian)\n"), "\(r.stdout)")
        #expect(r.stdout.contains("1. Oracle: R svyglm."))
        // No field of the table has more than four significant figures after the point.
        for line in r.stdout.split(separator: "\n") where line.hasPrefix("| ell") || line.hasPrefix("| (Intercept)") {
            for field in line.split(separator: "|").map({ $0.trimmingCharacters(in: .whitespaces) }) {
                if let dot = field.firstIndex(of: ".") { #expect(field[field.index(after: dot)...].count <= 8, "\(line)") }
            }
        }
        let csv = try CLIFailureTests.run(ModelCLITests.dclus1 + ["--formula", "api00 ~ ell"])
        #expect(csv.stdout.split(separator: "\n").contains { $0.hasPrefix("ell,") && $0.split(separator: ",")[1].count > 10 })
    }

    @Test func mobilityTitleAndNotesReachEveryFormatAndDigitsItsMarkdown() throws {
        var csv = "id,o,d,w\n"
        var id = 0
        for (o, d, n) in [(1, 1, 40), (1, 2, 25), (2, 1, 22), (2, 2, 45)] {
            for _ in 0..<n {
                id += 1
                csv += "\(id),\(o),\(d),\(0.5 + Double((id * 53) % 200) / 89.0)\n"
            }
        }
        let work = try Fixtures.temporaryDirectory()
        let data = work.appendingPathComponent("mob.csv")
        try Data(csv.utf8).write(to: data)
        let folder = work.appendingPathComponent("out")
        let r = try CLIFailureTests.run(["mobility", "--data", data.path, "--origin", "o", "--destination", "d", "--weight", "w",
                                         "--title", "Mobility, test cohort", "--note", "A note of ours.", "--digits", "3",
                                         "--output-dir", folder.path])
        #expect(r.status == 0, "\(r.stderr)")
        for name in ["mobility.md", "mobility.html", "mobility.json", "mobility.csv-metadata.json"] {
            let text = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
            #expect(text.contains("Mobility, test cohort"), "\(name)")
            #expect(text.contains("A note of ours."), "\(name)")
            #expect(text.contains("mob.csv; weight: w"), "\(name)")
        }
        let table = try String(contentsOf: folder.appendingPathComponent("mobility.csv"), encoding: .utf8)
        #expect(table.hasPrefix("table,row,"))
        let reader = try IndependentXLSXReader.check([folder.appendingPathComponent("mobility.xlsx")])
        #expect(reader.status == 0, "openpyxl: \(reader.problems)")
        let cover = try Fixtures.unzipped(folder.appendingPathComponent("mobility.xlsx"), members: ["xl/sharedStrings.xml"])
        #expect(cover.contains("Mobility, test cohort") && cover.contains("A note of ours."))
    }

    @Test func checkWritesMarkdownAndTextRoundedWithItsTitleAndCSVWithItsMetadataFile() throws {
        let table = try CheckCommandTests.file("region,n,value\nA,40,1234.56789123\nB,25,0.123456789\nC,3,7.5\n")
        let base = ["check", table, "--count", "n", "--value", "value", "--dimensions", "region"]
        let md = try CLIFailureTests.run(base + ["--format", "markdown", "--title", "Checked", "--note", "N1."])
        #expect(md.status == 0, "\(md.stderr)")
        #expect(md.stdout.hasPrefix("# Checked\n") && md.stdout.contains("1. N1."), "\(md.stdout)")
        #expect(md.stdout.contains("| A | 40 | 1235 |") && md.stdout.contains("| B | 25 | 0.1235 |"), "\(md.stdout)")
        #expect(md.stdout.contains("| C | [c] | [c] |"), "\(md.stdout)")
        let two = try CLIFailureTests.run(base + ["--format", "text", "--digits", "2"])
        #expect(two.stdout.contains("0.12") && !two.stdout.contains("0.1235"), "\(two.stdout)")
        let out = try Fixtures.temporaryDirectory().appendingPathComponent("checked.csv")
        let csv = try CLIFailureTests.run(base + ["--output", out.path, "--source", "Admin data"])
        #expect(csv.status == 0, "\(csv.stderr)")
        #expect(try String(contentsOf: out, encoding: .utf8).contains("A,40,1234.56789123"))
        let meta = try String(contentsOf: URL(fileURLWithPath: out.path + "-metadata.json"), encoding: .utf8)
        #expect(meta.contains("\"dc:source\" : \"Admin data\"") && meta.contains("\"url\" : \"checked.csv\""), "\(meta)")
    }
}
