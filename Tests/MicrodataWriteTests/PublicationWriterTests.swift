import Foundation
import MicrodataTestSupport
import Testing

@testable import MicrodataWrite

struct PublicationWriterTests {
    /// A 2×2 outflow table with one suppressed and one unreliable cell.
    static let sample = Publication(
        title: "Outflow <test> & checks",
        source: "Synthetic \"example\"",
        tables: [
            PublishedTable(
                id: "outflow", title: "Destination by origin", unit: "Row percentages",
                rowHeading: "Origin", columns: ["Higher", "Lower, routine"],
                rows: [
                    PublishedRow(label: "Higher", cells: [
                        PublishedCell(estimate: 62.5, standardError: 1.25, ciLow: 60.0, ciHigh: 65.0, unweightedCount: 420),
                        .suppressed,
                    ]),
                    PublishedRow(label: "Lower", cells: [
                        PublishedCell(estimate: 12.25, standardError: 3.1, ciLow: 6.2, ciHigh: 18.3, unweightedCount: 14,
                                      lowReliability: true),
                        PublishedCell(estimate: 87.75, standardError: 3.1, ciLow: 81.7, ciHigh: 93.8, unweightedCount: 98),
                    ]),
                ], decimals: 1),
        ],
        notes: ["Synthetic data."], metadata: [MetadataItem("design", "weights only")],
        charts: [.heatmap(tableID: "outflow"), .bars(tableID: "outflow")]
    )

    @Test func csvWritesMarkersInPlaceOfSuppressedNumbers() {
        let csv = Self.sample.csv()
        #expect(csv == """
            row,column,estimate,se,ci_low,ci_high,n,flag,status
            Higher,Higher,62.5,1.25,60,65,420,,published
            Higher,"Lower, routine",[c],,,,,[c],suppressed
            Lower,Higher,12.25,3.1,6.2,18.3,14,[u],published
            Lower,"Lower, routine",87.75,3.1,81.7,93.8,98,,published

            """)
    }

    @Test func markdownRoundsAndFlags() {
        let md = Self.sample.tables[0].markdown()
        #expect(md.contains("| Higher | 62.5 | [c] |"))
        #expect(md.contains("| Lower | 12.3 [u] | 87.8 |"))
    }

    @Test func htmlIsSelfContainedAndEscaped() {
        let html = Self.sample.html()
        #expect(html.contains("<title>Outflow &lt;test&gt; &amp; checks</title>"))
        #expect(html.contains("<svg"))
        #expect(!html.contains("src="))
        #expect(!html.contains("<link"))
        #expect(!html.contains("<script"))
        #expect(html.contains(">[c]</text>"))
    }

    @Test func jsonCarriesNoNumberForASuppressedCell() throws {
        let json = try Self.sample.json()
        let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
        let rows = object?["rows"] as? [[String: Any]]
        #expect(rows?[1]["status"] as? String == "suppressed")
        #expect(rows?[1]["estimate"] is NSNull && rows?[1]["n"] is NSNull)
        #expect(rows?[0]["estimate"] as? Double == 62.5)
    }

    @Test func xlsxIsAZipWithOneSheetPerTable() throws {
        let dir = try Fixtures.temporaryDirectory()
        let url = dir.appendingPathComponent("out.xlsx")
        try Self.sample.write(to: url, format: .xlsx)
        let data = try Data(contentsOf: url)
        #expect(data.prefix(2) == Data("PK".utf8))
        let listing = String(decoding: data, as: UTF8.self)
        #expect(listing.contains("xl/worksheets/sheet5.xml"))  // Cover, Contents, Notes, outflow, Detail
        #expect(!listing.contains("xl/worksheets/sheet6.xml"))
        let reader = try IndependentXLSXReader.check([url])
        #expect(reader.status == 0, "openpyxl: \(reader.problems)")
    }

    @Test func writingIntoAMissingFolderNamesThePath() {
        let url = URL(fileURLWithPath: "/nonexistent-folder/out.csv")
        let error = #expect(throws: OutputError.self) { try Self.sample.write(to: url, format: .csv) }
        #expect(error == .missingFolder(output: "/nonexistent-folder/out.csv", folder: "/nonexistent-folder"))
    }

    @Test func numbersFormatWithoutLocale() {
        #expect(formatNumber(12.25, decimals: 1) == "12.3")
        #expect(formatNumber(-0.04, decimals: 1) == "0.0")
        #expect(formatNumber(-1.25, decimals: 2) == "-1.25")
        #expect(formatNumber(1234567.0, decimals: 0) == "1234567")
    }
}

/// Issue 20 point 5 in the writers: a suppressed cell publishes no number, whatever it was built from.
struct SuppressedCellWriterTests {
    /// A cell marked `[c]` although the numbers it was built from (estimate 123.456, SE 7.891, CI
    /// 111.118–135.794, n 4) were passed along, and the same cell marked after it was built.
    static func publication() -> Publication {
        var late = PublishedCell(estimate: 123.456, standardError: 7.891, ciLow: 111.118, ciHigh: 135.794,
                                 unweightedCount: 4)
        late.marker = .suppressed
        return Publication(
            title: "Side columns", source: "Synthetic",
            tables: [
                PublishedTable(
                    id: "t", title: "T", unit: "Percent", rowHeading: "Origin", columns: ["x", "y", "z"],
                    rows: [
                        PublishedRow(label: "a", cells: [
                            PublishedCell(estimate: 123.456, standardError: 7.891, ciLow: 111.118, ciHigh: 135.794,
                                          unweightedCount: 4, marker: .suppressed, lowReliability: true),
                            late,
                            PublishedCell(estimate: 50, standardError: 2, ciLow: 46, ciHigh: 54, unweightedCount: 300),
                        ])
                    ], decimals: 1)
            ], charts: [.heatmap(tableID: "t"), .bars(tableID: "t")])
    }

    static let secrets = ["123.4", "123.5", "7.89", "7.9", "111.1", "135.8", "135.7"]

    @Test func aSuppressedCellCarriesNoNumberInAnyTextFormat() throws {
        for format in [OutputFormat.csv, .json, .markdown, .html] {
            let text = try Self.publication().rendered(as: format)
            for secret in Self.secrets { #expect(!text.contains(secret), "\(format) publishes \(secret)") }
        }
        let json = try Self.publication().json()
        #expect(!json.contains("\"unweightedCount\" : 4"), "\(json)")
    }

    @Test func aSuppressedCellCarriesNoNumberInXLSX() throws {
        let url = try Fixtures.temporaryDirectory().appendingPathComponent("side.xlsx")
        try Self.publication().write(to: url, format: .xlsx)
        let reader = try IndependentXLSXReader.check([url])
        #expect(reader.status == 0, "openpyxl: \(reader.problems)")
        let xml = try Fixtures.unzipped(url)
        #expect(xml.contains("[c]"))
        for secret in Self.secrets { #expect(!xml.contains(secret), "xlsx publishes \(secret)") }
    }
}
