import Foundation

extension Publication {
    /// A scatter of `table`'s rows as inline SVG: a point at columns (`x`, `y`) for every row where both are
    /// published, and a line through (`x`, `line`) when `line` is given. A row with either coordinate withheld
    /// is left out of the points (and its line value out of the line), never drawn from a neighbour; the
    /// caption counts the rows left out.
    func scatterSVG(_ table: PublishedTable, x: Int, y: Int, line: Int?) -> String {
        let size = 360.0, left = 60.0, top = 20.0
        func value(_ row: PublishedRow, _ column: Int) -> Double? {
            guard column >= 0, column < row.cells.count, row.cells[column].marker == nil,
                let v = row.cells[column].estimate, v.isFinite
            else { return nil }
            return v
        }
        var points: [(Double, Double)] = []
        var fitted: [(Double, Double)] = []
        var leftOut = 0
        for row in table.rows {
            guard let px = value(row, x) else {
                leftOut += 1
                continue
            }
            if let py = value(row, y) { points.append((px, py)) } else { leftOut += 1 }
            if let line, let ly = value(row, line) { fitted.append((px, ly)) }
        }
        fitted.sort { $0.0 < $1.0 }
        let xs = points.map(\.0) + fitted.map(\.0)
        let ys = points.map(\.1) + fitted.map(\.1)
        let (x0, x1) = axisRange(xs)
        let (y0, y1) = axisRange(ys)
        func point(_ p: (Double, Double)) -> (String, String) {
            (formatNumber(left + size * (p.0 - x0) / (x1 - x0), decimals: 1),
             formatNumber(top + size * (1 - (p.1 - y0) / (y1 - y0)), decimals: 1))
        }
        let name = { (column: Int) in column >= 0 && column < table.columns.count ? table.columns[column] : "" }
        var svg = "<figure>\n<figcaption>\(escapeHTML(table.title))</figcaption>\n"
        svg += "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(left + size + 40))\" "
        svg += "height=\"\(Int(top + size + 50))\" role=\"img\" aria-label=\"\(escapeHTML(table.title)) scatter\" "
        svg += "font-size=\"13\">\n"
        svg += "<rect x=\"\(left)\" y=\"\(top)\" width=\"\(size)\" height=\"\(size)\" fill=\"none\" stroke=\"#bbb\"/>\n"
        for step in 0...4 {
            let t = Double(step) / 4
            let tx = formatNumber(x0 + (x1 - x0) * t, decimals: table.decimals)
            let ty = formatNumber(y0 + (y1 - y0) * t, decimals: table.decimals)
            svg += "<text x=\"\(left + size * t)\" y=\"\(top + size + 16)\" text-anchor=\"middle\">\(tx)</text>\n"
            svg += "<text x=\"\(left - 6)\" y=\"\(top + size * (1 - t) + 4)\" text-anchor=\"end\">\(ty)</text>\n"
        }
        svg += "<text x=\"\(left + size / 2)\" y=\"\(top + size + 36)\" text-anchor=\"middle\">"
        svg += "\(escapeHTML(name(x)))</text>\n"
        for p in points {
            let (cx, cy) = point(p)
            svg += "<circle cx=\"\(cx)\" cy=\"\(cy)\" r=\"4\" fill=\"#3b528b\"/>\n"
        }
        if fitted.count > 1 {
            let coordinates = fitted.map { let (a, b) = point($0); return a + "," + b }
            svg += "<polyline points=\"\(coordinates.joined(separator: " "))\" fill=\"none\" stroke=\"#f0a30a\" "
            svg += "stroke-width=\"2\"><title>\(escapeHTML(name(line ?? -1)))</title></polyline>\n"
        }
        svg += "</svg>\n<p>Points: \(escapeHTML(name(y))) against \(escapeHTML(name(x)))"
        if let line { svg += "; line: \(escapeHTML(name(line)))" }
        svg += ". \(escapeHTML(table.unit))."
        if leftOut > 0 { svg += " \(leftOut) of \(table.rows.count) rows not published and not drawn." }
        return svg + "</p>\n</figure>\n"
    }
}

/// The axis range of `values`: their minimum and maximum, or (0, 1) when there are none or they are equal.
private func axisRange(_ values: [Double]) -> (Double, Double) {
    guard let low = values.min(), let high = values.max(), high > low else {
        let v = values.first ?? 0
        return (v - 0.5, v + 0.5)
    }
    return (low, high)
}
