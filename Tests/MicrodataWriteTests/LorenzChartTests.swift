import Foundation
import Testing

@testable import MicrodataWrite

/// The Lorenz-curve chart of the HTML writer.
struct LorenzChartTests {
    @Test func curvesJoinThePublishedOrdinatesBetweenTheCorners() {
        let table = Publication.lorenzTable(
            shares: [0.2, 0.5, 0.9], domains: ["North", "South"],
            cells: [[PublishedCell(estimate: 0.05), PublishedCell(estimate: 0.1)],
                    [PublishedCell(estimate: 0.25), .suppressed],
                    [PublishedCell(estimate: 0.7), PublishedCell(estimate: 0.75)]],
            variable: "wealth")
        #expect(table.id == "lorenz" && table.rows.map(\.label) == ["0.2", "0.5", "0.9"])
        let publication = Publication(title: "t", source: "s", tables: [table], charts: [.lorenz(tableID: "lorenz")])
        let html = publication.html()
        let curves = html.components(separatedBy: "<polyline points=\"").dropFirst().map { String($0.prefix { $0 != "\"" }) }
        #expect(curves == [
            "60.0,380.0 132.0,362.0 240.0,290.0 384.0,128.0 420.0,20.0",
            // South's suppressed L(0.5) is skipped, not drawn from a neighbour.
            "60.0,380.0 132.0,344.0 384.0,110.0 420.0,20.0",
        ])
        #expect(html.contains("<td>[c]</td>") && html.contains(">South</text>"))
    }
}
