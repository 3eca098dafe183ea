import Foundation
import Testing

@testable import MicrodataWrite

/// `--title`, `--source` and `--note` reach every format of a publication; the CSV stays tidy and carries them
/// in its CSVW metadata file (issue 22).
struct PresentationTests {
    static var sample: Publication {
        var p = PublicationWriterTests.sample
        p.title = "Destination by origin, 2024"
        p.source = "lfs.csv; weight: PWT22"
        p.notes = ["Provisional figures."]
        return p
    }

    @Test func theDefaultSourceNamesTheFileTheWeightAndTheDesign() {
        #expect(Presentation.defaultSource(file: "/data/lfs/apr24.csv", weight: "PWT22", design: "weights only")
            == "apr24.csv; weight: PWT22; design: weights only")
        #expect(Presentation.defaultSource(file: "-", weight: nil, design: nil)
            == "standard input; weight: none (every row counts 1)")
    }

    @Test func markdownAndTextCarryTitleSourceAndNumberedNotes() {
        let p = Presentation(title: "Mean income | by region", source: "people.csv; weight: w", notes: ["First.", "Second."])
        let md = p.markdownHeader(lines: ["design: weights only"]) + p.markdownFooter()
        #expect(md.hasPrefix("# Mean income \\| by region\n\n_design: weights only_\n\n"))
        #expect(md.contains("Source: people.csv; weight: w\n") && md.contains("1. First.\n2. Second.\n"))
        let text = p.textHeader(lines: ["design: weights only"]) + p.textFooter()
        #expect(text.hasPrefix("Mean income | by region\ndesign: weights only\n"))
        #expect(text.contains("Note 2: Second.\n"))
    }

    @Test func everyPublicationFormatCarriesTheTitleSourceAndNotes() throws {
        let p = Self.sample
        for text in [p.markdown(), p.html(), try p.json()] {
            #expect(text.contains("Destination by origin, 2024"))
            #expect(text.contains("lfs.csv; weight: PWT22"))
            #expect(text.contains("Provisional figures."))
        }
        let csv = p.csv()
        #expect(!csv.contains("Destination by origin, 2024") && !csv.hasPrefix("#"))
        let meta = try #require(try JSONSerialization.jsonObject(with: Data(p.csvMetadata(csvFileName: "out.csv").utf8)) as? [String: Any])
        #expect(meta["@context"] as? String == "http://www.w3.org/ns/csvw")
        #expect(meta["url"] as? String == "out.csv")
        #expect(meta["dc:title"] as? String == "Destination by origin, 2024")
        #expect(meta["dc:source"] as? String == "lfs.csv; weight: PWT22")
        #expect((meta["notes"] as? [String])?.first == "Provisional figures.")
        let columns = ((meta["tableSchema"] as? [String: Any])?["columns"] as? [[String: Any]])?.compactMap { $0["name"] as? String }
        #expect(columns == p.records().columns)
        #expect((meta["dc:description"] as? [String: String])?["design"] == "weights only")
    }

    @Test func writingACSVWritesItsMetadataBesideIt() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("presentation-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let url = dir.appendingPathComponent("table.csv")
        try Self.sample.write(to: url, format: .csv)
        let meta = try String(contentsOf: dir.appendingPathComponent("table.csv-metadata.json"), encoding: .utf8)
        #expect(meta.contains("\"dc:title\" : \"Destination by origin, 2024\""))
    }

    @Test func digitsSetEachTablesDecimalPlacesFromItsLargestNumber() {
        let shown = Self.sample.showing(DisplayDigits(3))
        #expect(shown.tables[0].decimals == 1)  // 87.75 to 3 figures
        #expect(shown.tables[0].markdown().contains("| Lower | 12.3 [u] | 87.8 |"))
        #expect(Self.sample.showing(DisplayDigits(5)).tables[0].markdown().contains("| Lower | 12.250 [u] | 87.750 |"))
    }
}
