import Foundation
import Testing

@testable import MicrodataWrite

/// The scatter chart of the HTML writer (the binned scatter of income mobility and its fitted line).
struct ScatterChartTests {
    private func table() -> PublishedTable {
        PublishedTable(
            id: "bins", title: "Binned scatter", unit: "Mean ranks", rowHeading: "Bin",
            columns: ["Mean child rank", "Fitted child rank", "Mean parent rank"],
            rows: [
                PublishedRow(label: "1", cells: [PublishedCell(estimate: 20), PublishedCell(estimate: 15),
                                                 PublishedCell(estimate: 10)]),
                PublishedRow(label: "2", cells: [.suppressed, .suppressed, .suppressed]),
                PublishedRow(label: "3", cells: [PublishedCell(estimate: 60), PublishedCell(estimate: 55),
                                                 PublishedCell(estimate: 90)]),
            ], decimals: 1)
    }

    @Test func pointsAndFittedLineAreDrawnOnlyFromPublishedRows() {
        let publication = Publication(
            title: "t", source: "s", tables: [table()], charts: [.scatter(tableID: "bins", x: 2, y: 0, line: 1)])
        let html = publication.html()
        let circles = html.components(separatedBy: "<circle ").dropFirst().map { String($0.prefix { $0 != "/" }) }
        // x spans 10…90 and y 15…60 over a 360-pixel square at (60, 20).
        #expect(circles == ["cx=\"60.0\" cy=\"340.0\" r=\"4\" fill=\"#3b528b\"", "cx=\"420.0\" cy=\"20.0\" r=\"4\" fill=\"#3b528b\""])
        let lines = html.components(separatedBy: "<polyline points=\"").dropFirst().map { String($0.prefix { $0 != "\"" }) }
        #expect(lines == ["60.0,380.0 420.0,60.0"])
        #expect(html.contains("1 of 3 rows not published and not drawn."))
        #expect(html.contains("Points: Mean child rank against Mean parent rank; line: Fitted child rank."))
    }

    @Test func aScatterSurvivesTheJSONRoundTripOfAPublication() throws {
        let publication = Publication(
            title: "t", source: "s", tables: [table()], charts: [.scatter(tableID: "bins", x: 2, y: 0, line: nil)])
        let decoded = try JSONDecoder().decode(Publication.self, from: JSONEncoder().encode(publication))
        #expect(decoded.charts == [.scatter(tableID: "bins", x: 2, y: 0, line: nil)])
        #expect(!decoded.html().contains("<polyline"))
    }
}
