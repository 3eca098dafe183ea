import Foundation
import MicrodataTestSupport
import Testing

/// Cell-key perturbation is part of the publication model (issue 22): the perturbed values and the `perturbed`
/// column are in the records every writer renders, and the method and ptable are in the publication, so CSV,
/// JSON, Markdown, text and HTML show the same perturbed numbers and the same description.
@Suite(.timeLimit(.minutes(2))) struct CellKeyWritersTests {
    static let arguments = ["--weight", "w", "--total", "A", "--by", "B", "--cell-key-seed", "writers-2026", "--record-id", "id"]

    static func run(_ file: String, _ format: String) throws -> String {
        let r = try CLIFailureTests.run(["tabulate", "--data", file] + arguments + ["--format", format])
        #expect(r.status == 0, "\(r.stderr)")
        return r.stdout
    }

    /// The rows of an aligned text table or a Markdown pipe table under the header line `B statistic ...`.
    static func displayRows(_ text: String, markdown: Bool) -> [[String: String]] {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let start = lines.firstIndex(where: { $0.hasPrefix(markdown ? "| B | statistic" : "B  statistic") }) else { return [] }
        // Text columns start where their header does (fields are padded to the column width).
        let starts: [Int] = Array(lines[start]).enumerated().compactMap { i, c in
            c != " " && (i == 0 || Array(lines[start])[i - 1] == " ") ? i : nil
        }
        func split(_ line: String) -> [String] {
            if markdown {
                return line.split(separator: "|", omittingEmptySubsequences: false).dropFirst().dropLast()
                    .map { $0.trimmingCharacters(in: .whitespaces) }
            }
            let chars = Array(line)
            return starts.enumerated().map { k, from in
                let to = k + 1 < starts.count ? starts[k + 1] : chars.count
                return from < chars.count ? String(chars[from..<min(to, chars.count)]).trimmingCharacters(in: .whitespaces) : ""
            }
        }
        let header = split(lines[start])
        return lines[(start + (markdown ? 2 : 1))...].prefix { markdown ? $0.hasPrefix("|") : !$0.isEmpty }.map {
            Dictionary(uniqueKeysWithValues: zip(header, split($0)))
        }
    }

    @Test func everyWriterShowsTheSamePerturbedCountsAndTheirFlag() throws {
        let file = try CellKeyCLITests.data()
        let csv = try Self.run(file, "csv").split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let header = csv[0]
        let rows = csv.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(header, $0)) }
        #expect(header.suffix(2) == ["perturbed", "status"])
        #expect(rows.count == 6)
        let truth = try CellKeyCLITests.tabulate(["--data", file, "--weight", "w", "--total", "A", "--by", "B"], key: ["B", "level"])
        var moved = 0
        for row in rows {
            // A level total: its count, weighted count and the total itself are perturbed, whatever the noise drawn.
            #expect(row["perturbed"] == "n weighted_n estimate se ci_low ci_high")
            if row["n"] != truth[[row["B"]!, row["level"]!]]?["n"] { moved += 1 }
        }
        #expect(moved >= 2, "\(moved) of 6 counts moved")
        func key(_ r: [String: String]) -> String { r["B"]! + "/" + r["level"]! }
        let n = Dictionary(uniqueKeysWithValues: rows.map { (key($0), $0["n"]!) })
        let estimate = Dictionary(uniqueKeysWithValues: rows.map { (key($0), Double($0["estimate"]!)!) })

        let json = try #require(try JSONSerialization.jsonObject(with: Data(try Self.run(file, "json").utf8)) as? [String: Any])
        let jsonRows = try #require(json["rows"] as? [[String: Any]])
        #expect(jsonRows.count == 6)
        for r in jsonRows {
            let k = "\(r["B"]!)/\(r["level"]!)"
            #expect((r["n"] as? Int).map(String.init) == n[k], "\(k)")
            #expect(abs((r["estimate"] as? Double ?? .nan) - estimate[k]!) <= 1e-12 * estimate[k]!, "\(k)")
            #expect(r["perturbed"] as? String == "n weighted_n estimate se ci_low ci_high")
        }
        #expect((json["perturbation"] as? [String: Any])?["label"] as? String == "D3V200js2")

        for (format, markdown) in [("markdown", true), ("text", false)] {
            let text = try Self.run(file, format)
            let shown = Self.displayRows(text, markdown: markdown)
            #expect(shown.count == 6, "\(format): \(text)")
            for r in shown {
                let k = (r["B"] ?? "") + "/" + (r["level"] ?? "")
                #expect(r["n"] == n[k], "\(format) \(k)")
                #expect(abs((Double(r["estimate"] ?? "") ?? .nan) - estimate[k]!) <= 0.5, "\(format) \(k)")
                #expect(r["perturbed"] == "n weighted_n estimate se ci_low ci_high", "\(format)")
            }
            #expect(text.contains("ptable 6+: -3 (0.0374), -2 (0.1119), -1 (0.2161), +0 (0.2692)"), "\(format)")
        }

        // HTML shows the grid: each cell's (perturbed) total, and the method and ptable in their own section.
        let html = try Self.run(file, "html")
        let cells = html.components(separatedBy: "<td").dropFirst().compactMap { part -> Double? in
            guard let open = part.firstIndex(of: ">"), let close = part.range(of: "</td>") else { return nil }
            return Double(part[part.index(after: open)..<close.lowerBound])
        }
        #expect(cells.count == 6)
        for value in estimate.values { #expect(cells.contains { abs($0 - value) < 0.001 }, "HTML lacks \(value): \(cells)") }
        #expect(html.contains("<h2 id=\"perturbation\">Perturbation</h2>"))
        #expect(html.contains("<li>ptable 6+: -3 (0.0374), -2 (0.1119), -1 (0.2161), +0 (0.2692)"))

        // XLSX, read back by openpyxl: the Detail sheet's estimate and unweighted n, and the method on the cover.
        let xlsx = try Fixtures.temporaryDirectory().appendingPathComponent("totals.xlsx")
        let written = try CLIFailureTests.run(["tabulate", "--data", file] + Self.arguments + ["--format", "xlsx", "--output", xlsx.path])
        #expect(written.status == 0, "\(written.stderr)")
        let script = """
            import sys, json, openpyxl
            wb = openpyxl.load_workbook(sys.argv[1])
            rows = [[c.value for c in r] for r in wb["Detail"].iter_rows(min_row=3)]
            print(json.dumps({"cells": [[r[3], r[7]] for r in rows], "cover": [c.value for c in wb["Cover"]["A"]]}))
            """
        let read = try ChildProcess.run(URL(fileURLWithPath: "/usr/bin/python3"), ["-c", script, xlsx.path])
        guard read.status == 0 else {
            #expect(read.stderr.contains("No module named 'openpyxl'"), "\(read.stderr)")
            return
        }
        let object = try #require(try JSONSerialization.jsonObject(with: Data(read.stdout.utf8)) as? [String: Any])
        let sheetCells = try #require(object["cells"] as? [[Double]])
        #expect(sheetCells.count == 6)
        for pair in sheetCells {
            let k = try #require(estimate.first { abs($0.value - pair[0]) <= 1e-9 * $0.value }?.key, "XLSX \(pair)")
            #expect(n[k] == String(Int(pair[1])), "XLSX \(k)")
        }
        let cover = (object["cover"] as? [Any])?.compactMap { $0 as? String } ?? []
        #expect(cover.contains { $0.hasPrefix("Perturbation: counts perturbed by the cell-key method") })
        #expect(cover.contains("ptable 6+: -3 (0.0374), -2 (0.1119), -1 (0.2161), +0 (0.2692), +1 (0.2161), +2 (0.1119), +3 (0.0374)"))
    }

    @Test func csvMetadataFileCarriesThePerturbation() throws {
        let file = try CellKeyCLITests.data()
        let output = try Fixtures.temporaryDirectory().appendingPathComponent("totals.csv").path
        let r = try CLIFailureTests.run(["tabulate", "--data", file] + Self.arguments + ["--output", output])
        #expect(r.status == 0, "\(r.stderr)")
        let metadata = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: output + "-metadata.json"))) as? [String: Any])
        let description = try #require(metadata["dc:description"] as? [String: String])
        #expect(description["perturbation"]?.hasPrefix("counts perturbed by the cell-key method (ABS/ONS): ptable D3V200js2") == true)
        #expect(description["ptable"]?.hasPrefix("0: +0 (1.0000); 1: -1 (0.6667), +2 (0.3333)") == true)
    }
}
