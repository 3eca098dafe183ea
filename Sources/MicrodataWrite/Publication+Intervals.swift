import Foundation

extension Publication {
    /// One line per row of `table`, each column's published estimate drawn as a point with its interval
    /// (`ciLow`–`ciHigh`) side by side (the direct and model estimates of an area, say), rows ordered by the
    /// unweighted count of column `orderBy` when given, smallest first.
    ///
    /// Disclosure: only published numbers are drawn. A cell with a marker is left out and counted in the caption,
    /// never drawn from a neighbour; the order uses only the counts the cells carry, and a withheld cell carries
    /// none (``PublishedCell`` drops it), so rows without a published count come first in table order and the
    /// position of a row never depends on a withheld count.
    func intervalsSVG(_ table: PublishedTable, orderBy: Int?) -> String {
        let rowHeight = 22.0, left = 230.0, plotWidth = 520.0, top = 44.0
        let colours = ["#3b528b", "#d95f02", "#21918c", "#b5367a"]
        func drawn(_ cell: PublishedCell) -> (Double, Double, Double)? {
            guard cell.marker == nil, let e = cell.estimate, e.isFinite else { return nil }
            let low = cell.ciLow.flatMap { $0.isFinite ? $0 : nil } ?? e
            let high = cell.ciHigh.flatMap { $0.isFinite ? $0 : nil } ?? e
            return (e, low, high)
        }
        let rows = Self.intervalOrder(table, orderBy: orderBy).map { table.rows[$0] }
        let values = rows.flatMap { $0.cells.compactMap(drawn).flatMap { [$0.1, $0.2] } }
        var (x0, x1) = (values.min() ?? 0, values.max() ?? 1)
        if x1 <= x0 { (x0, x1) = (x0 - 0.5, x1 + 0.5) }
        func position(_ v: Double) -> String { formatNumber(left + plotWidth * (v - x0) / (x1 - x0), decimals: 1) }
        let columns = table.columns.count
        let height = top + rowHeight * Double(rows.count) + 40
        var svg = "<figure>\n<figcaption>\(escapeHTML(table.title))</figcaption>\n"
        svg += "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(left + plotWidth + 40))\" height=\"\(Int(height))\" "
        svg += "role=\"img\" aria-label=\"\(escapeHTML(table.title)) interval chart\" font-size=\"13\">\n"
        for (j, column) in table.columns.enumerated() {
            let x = left + 200 * Double(j)
            svg += "<circle cx=\"\(x + 6)\" cy=\"14\" r=\"4\" fill=\"\(colours[j % colours.count])\"/>"
            svg += "<text x=\"\(x + 16)\" y=\"18\">\(escapeHTML(column))</text>\n"
        }
        for (i, row) in rows.enumerated() {
            let y = top + rowHeight * Double(i)
            svg += "<text class=\"area\" x=\"\(left - 8)\" y=\"\(y + 15)\" text-anchor=\"end\">\(escapeHTML(shorten(row.label)))</text>\n"
            for (j, cell) in row.cells.prefix(columns).enumerated() {
                guard let (e, low, high) = drawn(cell) else { continue }
                let cy = formatNumber(y + 6 + 10 * Double(j) / Double(max(columns - 1, 1)), decimals: 1)
                let colour = colours[j % colours.count]
                svg += "<g><title>\(escapeHTML(row.label)), \(escapeHTML(table.columns[j])): "
                svg += "\(formatNumber(e, decimals: table.decimals)) (\(formatNumber(low, decimals: table.decimals))–"
                svg += "\(formatNumber(high, decimals: table.decimals)))</title>"
                svg += "<path d=\"M\(position(low)) \(cy)H\(position(high))\" stroke=\"\(colour)\" stroke-width=\"2\"/>"
                svg += "<circle cx=\"\(position(e))\" cy=\"\(cy)\" r=\"4\" fill=\"\(colour)\"/></g>\n"
            }
        }
        let axis = top + rowHeight * Double(rows.count) + 4
        svg += "<path d=\"M\(left) \(axis)H\(left + plotWidth)\" stroke=\"#bbb\"/>\n"
        for step in 0...4 {
            let v = x0 + (x1 - x0) * Double(step) / 4
            svg += "<text x=\"\(position(v))\" y=\"\(axis + 18)\" text-anchor=\"middle\">\(formatNumber(v, decimals: table.decimals))</text>\n"
        }
        svg += "</svg>\n<p>\(escapeHTML(table.unit)); lines: 95% intervals."
        if let orderBy, orderBy < columns, table.rows.contains(where: { orderBy < $0.cells.count && $0.cells[orderBy].unweightedCount != nil }) {
            svg += " Ordered by the unweighted sample size of the \(escapeHTML(table.columns[orderBy].lowercased())), "
            svg += "smallest first (rows without one first)."
        }
        for (j, column) in table.columns.enumerated() {
            let withheld = table.rows.filter { j < $0.cells.count && $0.cells[j].marker == .suppressed }.count
            let absent = table.rows.filter { j < $0.cells.count && $0.cells[j].marker != nil && $0.cells[j].marker != .suppressed }.count
            if withheld > 0 { svg += " \(column): \(withheld) of \(table.rows.count) withheld by disclosure control and not drawn." }
            if absent > 0 { svg += " \(column): \(absent) of \(table.rows.count) not available." }
        }
        return svg + "</p>\n</figure>\n"
    }

    /// The rows of `table` in drawing order: by the published unweighted count of column `orderBy` ascending,
    /// rows without one first, ties in table order; table order without `orderBy`.
    static func intervalOrder(_ table: PublishedTable, orderBy: Int?) -> [Int] {
        guard let orderBy else { return Array(table.rows.indices) }
        func count(_ r: Int) -> Int {
            let cells = table.rows[r].cells
            return orderBy < cells.count ? cells[orderBy].unweightedCount ?? -1 : -1
        }
        return table.rows.indices.sorted { a, b in (count(a), a) < (count(b), b) }
    }
}
