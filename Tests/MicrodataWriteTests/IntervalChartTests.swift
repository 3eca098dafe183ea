import Foundation
import Testing

@testable import MicrodataWrite

/// The interval chart of the HTML writer (direct and model estimates of small areas with their intervals).
struct IntervalChartTests {
    /// Areas A (n 40), B (direct withheld: no count), C (n 7), D (no sample), E (n 7).
    private func table(counts: Bool = true) -> PublishedTable {
        func direct(_ e: Double, _ n: Int) -> PublishedCell {
            PublishedCell(estimate: e, standardError: 1, ciLow: e - 2, ciHigh: e + 2, unweightedCount: counts ? n : nil)
        }
        func model(_ e: Double) -> PublishedCell { PublishedCell(estimate: e, standardError: 1, ciLow: e - 1, ciHigh: e + 1) }
        return PublishedTable(
            id: "areas", title: "Areas", unit: "Estimate", rowHeading: "Area", columns: ["Model estimate", "Direct estimate"],
            rows: [
                PublishedRow(label: "A", cells: [model(10), direct(11, 40)]),
                PublishedRow(label: "B", cells: [model(12), .suppressed]),
                PublishedRow(label: "C", cells: [model(14), direct(16, 7)]),
                PublishedRow(label: "D", cells: [model(13), .notAvailable]),
                PublishedRow(label: "E", cells: [model(9), direct(8, 7)]),
            ], decimals: 1)
    }

    private func labels(_ html: String) -> [String] {
        html.components(separatedBy: "<text class=\"area\"").dropFirst().map {
            String($0.drop { $0 != ">" }.dropFirst().prefix { $0 != "<" })
        }
    }

    @Test func rowsWithoutAPublishedCountComeFirstThenBySampleSize() {
        let html = Publication(title: "t", source: "s", tables: [table()], charts: [.intervals(tableID: "areas", orderBy: 1)]).html()
        #expect(labels(html) == ["B", "D", "C", "E", "A"])
        // Five model intervals, three direct ones (the withheld and the missing are not drawn), and the axis.
        #expect(html.components(separatedBy: "<path d=\"M").count - 1 == 5 + 3 + 1)
        #expect(!html.contains("B, Direct estimate"))
        #expect(html.contains("Ordered by the unweighted sample size of the direct estimate, smallest first"))
        #expect(html.contains("Direct estimate: 1 of 5 withheld by disclosure control and not drawn."))
        #expect(html.contains("Direct estimate: 1 of 5 not available."))
        // The axis spans every interval drawn: from E's direct 8 − 2 = 6 to C's direct 16 + 2 = 18.
        #expect(html.contains(">6.0</text>") && html.contains(">18.0</text>"))
    }

    @Test func withoutCountsTheTableOrderIsKeptAndNoOrderIsClaimed() throws {
        let publication = Publication(
            title: "t", source: "s", tables: [table(counts: false)], charts: [.intervals(tableID: "areas", orderBy: 1)])
        let html = publication.html()
        #expect(labels(html) == ["A", "B", "C", "D", "E"])
        #expect(!html.contains("Ordered by"))
        let decoded = try JSONDecoder().decode(Publication.self, from: JSONEncoder().encode(publication))
        #expect(decoded.charts == [.intervals(tableID: "areas", orderBy: 1)])
    }
}
