import Foundation
import MicrodataReaders
import MicrodataTestSupport
import Testing

/// Issue 22: `tabulate` shows the codebook's value labels for `--by` levels, in codebook order (`--codes` shows
/// the codes); CSV and JSON keep both, a code column and a label column.
@Suite(.timeLimit(.minutes(3))) struct TabulateLabelsTests {
    /// 90 rows over regions 1–3; the codebook lists them South (2), North (1), East (3), and labels sex 1 only.
    /// `other` is the codebook entry of the second column `column`, whose value in row `i` is `value(i)`.
    static func files(
        other: String = #"<var name="income"><labl>Income</labl></var>"#, column: String = "income",
        value: (Int) -> String = { "\(100 + $0 * 7 % 50)" }
    ) throws -> (data: String, codebook: String) {
        let dir = try Fixtures.temporaryDirectory()
        let book = dir.appendingPathComponent("book.xml")
        try Data("""
            <?xml version="1.0"?><codeBook><dataDscr>
            <var name="region"><labl>Region</labl><catgry><catValu>2</catValu><labl>South</labl></catgry>
            <catgry><catValu>1</catValu><labl>North</labl></catgry><catgry><catValu>3</catValu><labl>East</labl></catgry></var>
            \(other)<var name="w"><labl>Weight</labl></var>
            </dataDscr></codeBook>
            """.utf8).write(to: book)
        var text = "region,\(column),w\n"
        for i in 0..<90 { text += "\(1 + i % 3),\(value(i)),\(1 + i % 4)\n" }
        let data = dir.appendingPathComponent("d.csv")
        try Data(text.utf8).write(to: data)
        return (data.path, book.path)
    }

    @Test func labelsInCodebookOrderAndCodesOnRequest() throws {
        let (data, book) = try Self.files()
        let base = ["tabulate", "--data", data, "--codebook", book, "--weight", "w", "--mean", "income", "--by", "region"]
        let csv = try CLIFailureTests.run(base)
        #expect(csv.status == 0, "\(csv.stderr)")
        let records = try DelimitedRecords(text: csv.stdout).records.map(\.fields)
        #expect(records[0].prefix(3) == ["region", "region_label", "statistic"])
        #expect(records.dropFirst().map { $0[0] } == ["2", "1", "3"], "codebook order")
        #expect(records.dropFirst().map { $0[1] } == ["South", "North", "East"])
        let text = try CLIFailureTests.run(base + ["--format", "text"])
        let lines = text.stdout.split(separator: "\n")
        let header = try #require(lines.firstIndex { $0.hasPrefix("region ") })
        #expect(lines[header + 1].hasPrefix("South ") && lines[header + 3].hasPrefix("East "), "\(text.stdout)")
        #expect(!lines[header].contains("region_label"))
        let codes = try CLIFailureTests.run(base + ["--format", "markdown", "--codes"])
        #expect(codes.stdout.contains("| 2 | mean | income |") && !codes.stdout.contains("| South |"), "\(codes.stdout)")
        let json = try CLIFailureTests.run(base + ["--format", "json"])
        #expect(try TableSchema.violations(json.stdout) == [])
        #expect(json.stdout.contains(#""region_label" : "North""#))
    }

    /// Several statistics in one call: each row's level is labelled from its own variable, and each statistic's
    /// rows stay together in codebook order.
    @Test func levelsOfSeveralStatisticsAreLabelledByTheirOwnVariable() throws {
        let (data, book) = try Self.files(other: """
            <var name="sex"><labl>Sex</labl><varFormat type="character"/><catgry><catValu>F</catValu><labl>Women</labl>\
            </catgry><catgry><catValu>M</catValu><labl>Men</labl></catgry></var>
            """, column: "sex", value: { $0 % 2 == 0 ? "M" : "F" })
        let r = try CLIFailureTests.run([
            "tabulate", "--data", data, "--codebook", book, "--weight", "w", "--mean", "sex", "--proportion",
            "region", "--no-disclosure-control",
        ])
        #expect(r.status == 0, "\(r.stderr)")
        let records = try DelimitedRecords(text: r.stdout).records.map(\.fields)
        let header = try #require(records.first)
        let (variable, level, label) = try (
            #require(header.firstIndex(of: "variable")), #require(header.firstIndex(of: "level")),
            #require(header.firstIndex(of: "level_label")))
        let rows = records.dropFirst()
        #expect(rows.map { $0[variable] } == ["sex", "sex", "region", "region", "region"])
        #expect(rows.map { $0[level] } == ["F", "M", "2", "1", "3"])
        #expect(rows.map { $0[label] } == ["Women", "Men", "South", "North", "East"])
    }

    /// The same publication reaches the HTML and XLSX writers (XLSX needs a file).
    @Test func htmlAndXLSXShowTheLabels() throws {
        let (data, book) = try Self.files()
        let base = ["tabulate", "--data", data, "--codebook", book, "--weight", "w", "--mean", "income", "--by", "region"]
        let html = try CLIFailureTests.run(base + ["--format", "html"])
        #expect(html.status == 0 && html.stdout.contains("<th scope=\"row\">South</th>"), "\(html.stdout)")
        let noFile = try CLIFailureTests.run(base + ["--format", "xlsx"])
        #expect(noFile.status == 2 && noFile.stderr.contains("--format xlsx needs --output"))
        let url = try Fixtures.temporaryDirectory().appendingPathComponent("t.xlsx")
        let xlsx = try CLIFailureTests.run(base + ["--format", "xlsx", "--output", url.path])
        #expect(xlsx.status == 0, "\(xlsx.stderr)")
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/unzip") else { return }
        #expect(try Fixtures.unzipped(url, members: ["xl/sharedStrings.xml"]).contains("South"))
    }

    @Test func withoutACodebookTheCodesStandAlone() throws {
        let (data, _) = try Self.files()
        let r = try CLIFailureTests.run(["tabulate", "--data", data, "--weight", "w", "--mean", "income", "--by", "region"])
        #expect(r.stdout.hasPrefix("region,statistic,"), "\(r.stdout)")
    }
}
