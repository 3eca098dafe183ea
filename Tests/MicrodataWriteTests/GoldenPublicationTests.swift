import Foundation
import MicrodataReaders
import MicrodataTestSupport
import Testing

@testable import MicrodataWrite

/// Issue 22: one table of the publication model in every format, against golden files in `Fixtures/publication/`
/// (regenerate with `MICRODATA_UPDATE_GOLDEN=1 swift test --filter GoldenPublicationTests` and review the diff).
@Suite struct GoldenPublicationTests {
    /// A tabulate-like table: a labelled group column, a suppressed row, a withheld row, a label with a comma
    /// and a quote, a number with 17 significant digits and a missing design effect.
    static let publication: Publication = {
        let columns = ["region", "region_label", "statistic", "variable", "level", "estimate", "se", "ci_low", "ci_high",
                       "deff", "n", "cv_band", "status"]
        func row(_ code: String, _ label: String?, _ numbers: [TableValue], _ band: String?, _ status: String) -> [TableValue] {
            [.text(code), label.map(TableValue.text) ?? .missing, .text("mean"), .text("income"), .missing] + numbers
                + [band.map(TableValue.text) ?? .missing, .text(status)]
        }
        let c = TableValue.marker("[c]"), u = TableValue.marker("[u]")
        let records = PublishedRecords(columns: columns, rows: [
            row("1", "North, \"upper\"", [.number(512.33333333333337), .number(20.5), .number(471.1), .number(553.6),
                                         .number(1.25), .number(120)], "precise", "safe"),
            row("2", "South", [c, c, c, c, c, c], nil, "primary:threshold"),
            row("3", nil, [u, u, u, u, .missing, .number(15)], "unreliable", "safe"),
        ])
        let grid = [
            PublishedRow(label: "North, \"upper\"", cells: [
                PublishedCell(estimate: 512.33333333333337, standardError: 20.5, ciLow: 471.1, ciHigh: 553.6, unweightedCount: 120),
            ]),
            PublishedRow(label: "South", cells: [.suppressed]),
            PublishedRow(label: "3", cells: [PublishedCell(estimate: nil, marker: .unreliable)]),
        ]
        let table = PublishedTable(
            id: "estimates", title: "Mean income by region", unit: "Pounds per week", rowHeading: "region",
            columns: ["mean of income"], rows: grid, decimals: 1, records: records)
        return Publication(
            title: "Estimates from golden.csv", source: "golden.csv", tables: [table], notes: ["Synthetic figures."],
            metadata: [MetadataItem("Design", "design: weights only; 95% intervals, t with design df")],
            version: "test", design: "design: weights only; 95% intervals, t with design df", rules: "threshold 10",
            disclosure: "0 of 1 suppressed cells recoverable")
    }()

    static func golden(_ name: String, _ text: String) throws -> String {
        let url = Fixtures.url("publication/" + name)
        if ProcessInfo.processInfo.environment["MICRODATA_UPDATE_GOLDEN"] == "1" {
            try Data(text.utf8).write(to: url)
        }
        return try String(contentsOf: url, encoding: .utf8)
    }

    @Test(arguments: [OutputFormat.csv, .json, .markdown, .text, .html])
    func everyTextFormatMatchesItsGoldenFile(_ format: OutputFormat) throws {
        let text = try Self.publication.rendered(as: format)
        #expect(text == (try Self.golden("golden." + format.fileExtension, text)), "\(format) differs from its golden file")
    }

    @Test func csvReadsBackStrictlyAndRoundTrips() throws {
        let csv = Self.publication.csv()
        let parsed = try DelimitedRecords(text: csv, source: "golden.csv").records.map(\.fields)
        #expect(parsed == Self.publication.records().fields)
        #expect(parsed[0].first == "region" && parsed[0].contains("region_label"), "codes and labels both kept")
        #expect(parsed[1][1] == "North, \"upper\"" && parsed[1][5] == "512.3333333333334")
        #expect(parsed[2][5...10].allSatisfy { $0 == "[c]" })
        // Written again from what was read, the text is the same.
        let again = csvText(PublishedRecords(columns: parsed[0], rows: parsed.dropFirst().map { $0.map(TableValue.text) }))
        #expect(again == csv)
    }

    @Test func jsonFollowsTheSchemaWithNumbersAndNullForSuppressed() throws {
        let json = try Self.publication.json()
        #expect(try TableSchema.violations(json) == [])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let rows = try #require(object["rows"] as? [[String: Any]])
        #expect(rows[0]["estimate"] as? Double == 512.33333333333337 && rows[0]["n"] as? Int == 120)
        #expect(rows[1]["estimate"] is NSNull && rows[1]["status"] as? String == "primary:threshold")
        #expect(rows[2]["region_label"] is NSNull && rows[2]["deff"] is NSNull)
        #expect(try TableSchema.violations(json.replacingOccurrences(of: "\"n\" : 120", with: "\"n\" : \"120\"")) != [])
    }

    /// Python's `csv` module in strict mode and `jsonschema` (when installed) read the golden files too.
    @Test func independentReadersAcceptTheGoldenFiles() throws {
        let python = URL(fileURLWithPath: "/usr/bin/python3")
        guard FileManager.default.isExecutableFile(atPath: python.path) else { return }
        let script = """
            import csv, json, sys
            rows = list(csv.reader(open(sys.argv[1], newline=""), strict=True))
            assert len(rows) == 4 and all(len(r) == len(rows[0]) for r in rows), rows
            assert rows[1][1] == 'North, "upper"', rows[1]
            try:
                import jsonschema
            except ImportError:
                print("no jsonschema"); sys.exit(0)
            jsonschema.validate(json.load(open(sys.argv[2])), json.load(open(sys.argv[3])))
            print("ok")
            """
        let process = Process()
        process.executableURL = python
        process.arguments = ["-c", script, Fixtures.path("publication/golden.csv"), Fixtures.path("publication/golden.json"),
                             TableSchema.url.path]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = out
        try process.run()
        process.waitUntilExit()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(process.terminationStatus == 0, "\(text)")
    }

    @Test func displayFormatsShowLabelsAndTheCodesOnRequest() throws {
        #expect(Self.publication.markdown().contains("| North, \"upper\" | mean |"))
        #expect(Self.publication.text().contains("\nSouth "))
        var codes = Self.publication
        codes.tables[0].showsCodes = true
        #expect(codes.markdown().contains("| 1 | mean |") && !codes.markdown().contains("North"))
    }

    @Test func xlsxHoldsTheTableAndNoSuppressedNumber() throws {
        let url = try Fixtures.temporaryDirectory().appendingPathComponent("golden.xlsx")
        try Self.publication.write(to: url, format: .xlsx)
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/unzip") else { return }
        let strings = try Fixtures.unzipped(url, members: ["xl/sharedStrings.xml"])
        #expect(strings.contains("Mean income by region") && (strings.contains("North, \"upper\"") || strings.contains("North, &quot;upper&quot;")))
        let sheets = try Fixtures.unzipped(url)
        #expect(sheets.contains("<v>512.33333333333337</v>") || sheets.contains("<v>512.3333333333334</v>"))
        #expect(!sheets.contains("<v>450</v>"))
    }
}
