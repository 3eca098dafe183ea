import Foundation

extension Publication {
    /// The table of Lorenz ordinates: one row per population share p (label "0.5", …), one column per
    /// domain, cells the checked shares of the total held by the bottom p.
    package static func lorenzTable(
        shares: [Double], domains: [String], cells: [[PublishedCell]], variable: String
    ) -> PublishedTable {
        PublishedTable(
            id: "lorenz", title: "Lorenz curve of \(variable)",
            unit: "Share of the total of \(variable) held by the poorest p of the population",
            rowHeading: "Population share p", columns: domains,
            rows: zip(shares, cells).map { PublishedRow(label: formatShare($0), cells: $1) }, decimals: 4)
    }

    /// Lorenz curves of `table` (rows: population shares, columns: curves) as inline SVG: every curve starts
    /// at (0, 0) and ends at (1, 1), the diagonal is the line of equality, and suppressed ordinates are left
    /// out of the line (they are not interpolated from a published neighbour: the curve just skips them).
    func lorenzSVG(_ table: PublishedTable) -> String {
        let size = 360.0, left = 60.0, top = 20.0
        let colours = ["#3b528b", "#21918c", "#5ec962", "#fde725", "#440154", "#f0a30a", "#d62728", "#7f7f7f"]
        let shares = table.rows.map { Double($0.label) }
        func point(_ p: Double, _ l: Double) -> String {
            "\(formatNumber(left + size * p, decimals: 1)),\(formatNumber(top + size * (1 - l), decimals: 1))"
        }
        let legendHeight = 18.0 * Double(table.columns.count)
        var svg = "<figure>\n<figcaption>\(escapeHTML(table.title))</figcaption>\n"
        svg += "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(left + size + 260))\" "
        svg += "height=\"\(Int(top + size + 50 + max(0, legendHeight - size)))\" role=\"img\" "
        svg += "aria-label=\"\(escapeHTML(table.title))\" font-size=\"13\">\n"
        svg += "<rect x=\"\(left)\" y=\"\(top)\" width=\"\(size)\" height=\"\(size)\" fill=\"none\" stroke=\"#bbb\"/>\n"
        svg += "<path d=\"M\(point(0, 0))L\(point(1, 1))\" stroke=\"#999\" stroke-dasharray=\"4 4\" fill=\"none\"/>\n"
        for tick in [0.0, 0.25, 0.5, 0.75, 1.0] {
            let t = formatNumber(tick, decimals: 2)
            svg += "<text x=\"\(left + size * tick)\" y=\"\(top + size + 16)\" text-anchor=\"middle\">\(t)</text>\n"
            svg += "<text x=\"\(left - 6)\" y=\"\(top + size * (1 - tick) + 4)\" text-anchor=\"end\">\(t)</text>\n"
        }
        svg += "<text x=\"\(left + size / 2)\" y=\"\(top + size + 36)\" text-anchor=\"middle\">"
        svg += "\(escapeHTML(table.rowHeading))</text>\n"
        for (j, column) in table.columns.enumerated() {
            let colour = colours[j % colours.count]
            var points = [point(0, 0)]
            for (i, row) in table.rows.enumerated() {
                guard let p = shares[i], j < row.cells.count, row.cells[j].marker == nil,
                    let l = row.cells[j].estimate, l.isFinite
                else { continue }
                points.append(point(p, l))
            }
            points.append(point(1, 1))
            svg += "<polyline points=\"\(points.joined(separator: " "))\" fill=\"none\" stroke=\"\(colour)\" "
            svg += "stroke-width=\"2\"><title>\(escapeHTML(column))</title></polyline>\n"
            let y = top + 18.0 * Double(j) + 10
            svg += "<rect x=\"\(left + size + 20)\" y=\"\(y - 9)\" width=\"12\" height=\"12\" fill=\"\(colour)\"/>"
            svg += "<text x=\"\(left + size + 38)\" y=\"\(y + 2)\">\(escapeHTML(column))</text>\n"
        }
        svg += "</svg>\n<p>\(escapeHTML(table.unit)); dashed: the line of equality. "
        svg += "Suppressed ordinates ([c]) are not drawn.</p>\n"
        return svg + "</figure>\n"
    }
}

/// A population share as a row label: `0.5`, `0.99`.
private func formatShare(_ p: Double) -> String {
    var s = String(p)
    if s.hasSuffix(".0") { s.removeLast(2) }
    return s
}
