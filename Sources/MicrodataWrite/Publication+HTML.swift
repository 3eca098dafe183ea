extension Publication {
    /// One self-contained HTML file (no scripts, fonts or images from the network): the charts as inline SVG,
    /// every table, the metadata and the notes.
    public func html() -> String {
        var out = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(escapeHTML(title))</title>
            <style>
            body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;margin:2rem auto;max-width:72rem;padding:0 1rem;color:#1b1b1b}
            table{border-collapse:collapse;margin:1rem 0}th,td{border:1px solid #bbb;padding:.25rem .5rem}
            td{text-align:right;font-variant-numeric:tabular-nums}th{background:#f0f0f0}th[scope=row]{text-align:left}
            .stamp{background:#ffe7a3;border:2px solid #b8860b;padding:.5rem 1rem;font-weight:bold}
            .meta dt{font-weight:bold}.meta dd{margin:0 0 .5rem 1rem}figure{margin:1.5rem 0}
            figcaption{font-weight:bold;margin-bottom:.5rem}
            </style>
            </head>
            <body>
            <h1>\(escapeHTML(title))</h1>

            """
        if let uncheckedStamp { out += "<p class=\"stamp\">\(escapeHTML(uncheckedStamp))</p>\n" }
        if let subtitle { out += "<p>\(escapeHTML(subtitle))</p>\n" }
        out += "<p>Source: \(escapeHTML(source))</p>\n"
        // Contents (GSS guidance): a link to every table and to the notes.
        out += "<nav aria-label=\"Contents\">\n<h2>Contents</h2>\n<ol>\n"
        for table in tables {
            let group = table.group.map { " (" + escapeHTML($0) + ")" } ?? ""
            out += "<li><a href=\"#\(escapeHTML(table.id))\">\(escapeHTML(table.title))\(group)</a></li>\n"
        }
        out += "<li><a href=\"#notes\">Notes and shorthand</a></li>\n</ol>\n</nav>\n"
        for chart in charts {
            switch chart {
            case .heatmap(let id):
                if let table = tables.first(where: { $0.id == id }) { out += heatmapSVG(table) }
            case .bars(let id):
                if let table = tables.first(where: { $0.id == id }) { out += barsSVG(table) }
            case .lorenz(let id):
                if let table = tables.first(where: { $0.id == id }) { out += lorenzSVG(table) }
            case .scatter(let id, let x, let y, let line):
                if let table = tables.first(where: { $0.id == id }) { out += scatterSVG(table, x: x, y: y, line: line) }
            case .intervals(let id, let orderBy):
                if let table = tables.first(where: { $0.id == id }) { out += intervalsSVG(table, orderBy: orderBy) }
            }
        }
        for table in tables { out += htmlTable(table, anchor: table.id) }
        if !metadata.isEmpty {
            out += "<h2>About these figures</h2>\n<dl class=\"meta\">\n"
            for item in metadata {
                out += "<dt>\(escapeHTML(item.key))</dt><dd>\(escapeHTML(item.value))</dd>\n"
            }
            out += "</dl>\n"
        }
        if let perturbation {
            out += "<h2 id=\"perturbation\">Perturbation</h2>\n<p>\(escapeHTML(perturbation.method)).</p>\n<ul>\n"
            for line in perturbation.lines { out += "<li>ptable \(escapeHTML(line))</li>\n" }
            out += "</ul>\n"
        }
        out += "<h2 id=\"notes\">Notes</h2>\n<ol>\n"
        for note in notes + Publication.markerNotes { out += "<li>\(escapeHTML(note))</li>\n" }
        out += "</ol>\n</body>\n</html>\n"
        return out
    }

    /// One table with its title, unit (also in each column header, as the GSS guidance asks) and group.
    private func htmlTable(_ table: PublishedTable, anchor: String) -> String {
        var out = "<h2 id=\"\(escapeHTML(anchor))\">\(escapeHTML(table.title))</h2>\n"
        if let group = table.group { out += "<p>Group: \(escapeHTML(group))</p>\n" }
        out += "<table>\n<caption>\(escapeHTML(table.unit))</caption>\n<thead><tr><th scope=\"col\">"
        out += escapeHTML(table.rowHeading) + "</th>"
        for column in table.columns { out += "<th scope=\"col\">\(escapeHTML(table.header(column)))</th>" }
        out += "</tr></thead>\n<tbody>\n"
        for row in table.rows {
            out += "<tr><th scope=\"row\">\(escapeHTML(row.label))</th>"
            for cell in row.cells {
                var title = ""
                if cell.marker == nil, let low = cell.ciLow, let high = cell.ciHigh {
                    title = " title=\"95% CI \(formatNumber(low, decimals: table.decimals))–"
                        + "\(formatNumber(high, decimals: table.decimals))\""
                }
                out += "<td\(title)>\(escapeHTML(cell.text(decimals: table.decimals)))</td>"
            }
            out += "</tr>\n"
        }
        return out + "</tbody>\n</table>\n"
    }

    /// The table as a grid of coloured squares (viridis, safe for colour-blind readers), with the value or
    /// marker written in each square.
    private func heatmapSVG(_ table: PublishedTable) -> String {
        let cell = 64.0, left = 250.0, top = 200.0
        let width = left + cell * Double(table.columns.count) + 200
        let height = top + cell * Double(table.rows.count) + 10
        let values = table.rows.flatMap { $0.cells.compactMap { $0.marker == nil ? $0.estimate : nil } }
        let maxValue = max(values.max() ?? 1, 1e-12)
        var svg = "<figure>\n<figcaption>\(escapeHTML(table.title))</figcaption>\n"
        svg += "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" "
        svg += "role=\"img\" aria-label=\"\(escapeHTML(table.title)) heatmap\" font-size=\"13\">\n"
        for (j, column) in table.columns.enumerated() {
            let x = left + cell * (Double(j) + 0.5)
            svg += "<text x=\"\(x)\" y=\"\(top - 8)\" transform=\"rotate(-35 \(x) \(top - 8))\">"
            svg += "\(escapeHTML(shorten(column)))</text>\n"
        }
        for (i, row) in table.rows.enumerated() {
            let y = top + cell * Double(i)
            svg += "<text x=\"\(left - 8)\" y=\"\(y + cell / 2 + 4)\" text-anchor=\"end\">"
            svg += "\(escapeHTML(shorten(row.label)))</text>\n"
            for (j, value) in row.cells.enumerated() {
                let x = left + cell * Double(j)
                let fill: String
                var textColour = "#000"
                if value.marker == nil, let estimate = value.estimate {
                    let t = estimate / maxValue
                    fill = viridis(t)
                    if t < 0.55 { textColour = "#fff" }
                } else {
                    fill = "#d9d9d9"
                }
                svg += "<rect x=\"\(x)\" y=\"\(y)\" width=\"\(cell - 2)\" height=\"\(cell - 2)\" fill=\"\(fill)\">"
                svg += "<title>\(escapeHTML(row.label)) → \(escapeHTML(table.columns[j])): "
                svg += "\(escapeHTML(value.text(decimals: table.decimals)))</title></rect>\n"
                svg += "<text x=\"\(x + cell / 2 - 1)\" y=\"\(y + cell / 2 + 4)\" text-anchor=\"middle\" "
                svg += "fill=\"\(textColour)\">\(escapeHTML(value.text(decimals: table.decimals)))</text>\n"
            }
        }
        svg += "</svg>\n<p>\(escapeHTML(table.unit)); rows: \(escapeHTML(table.rowHeading)). "
        svg += "Darker = lower, yellow = higher; grey = not published.</p>\n"
        return svg + "</figure>\n"
    }

    /// One horizontal bar per row from the first column, with confidence-interval whiskers.
    private func barsSVG(_ table: PublishedTable) -> String {
        let rowHeight = 34.0, left = 230.0, plotWidth = 520.0, top = 20.0
        let cells = table.rows.map { $0.cells.first }
        let highs = cells.compactMap { $0?.marker == nil ? ($0?.ciHigh ?? $0?.estimate) : nil }
        let maxValue = max(highs.max() ?? 1, 1e-12)
        let height = top + rowHeight * Double(table.rows.count) + 10
        var svg = "<figure>\n<figcaption>\(escapeHTML(table.title))</figcaption>\n"
        svg += "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(left + plotWidth + 120))\" "
        svg += "height=\"\(Int(height))\" role=\"img\" aria-label=\"\(escapeHTML(table.title)) bar chart\" "
        svg += "font-size=\"13\">\n"
        for (i, row) in table.rows.enumerated() {
            let y = top + rowHeight * Double(i)
            svg += "<text x=\"\(left - 8)\" y=\"\(y + 18)\" text-anchor=\"end\">\(escapeHTML(shorten(row.label)))</text>\n"
            guard let cell = row.cells.first else { continue }
            if cell.marker == nil, let estimate = cell.estimate {
                let w = plotWidth * estimate / maxValue
                svg += "<rect x=\"\(left)\" y=\"\(y + 4)\" width=\"\(max(w, 0))\" height=\"20\" fill=\"#3b528b\"/>\n"
                if let low = cell.ciLow, let high = cell.ciHigh {
                    let x0 = left + plotWidth * max(low, 0) / maxValue
                    let x1 = left + plotWidth * high / maxValue
                    svg += "<path d=\"M\(x0) \(y + 14)H\(x1)M\(x0) \(y + 8)V\(y + 20)M\(x1) \(y + 8)V\(y + 20)\" "
                    svg += "stroke=\"#f0a30a\" stroke-width=\"2\" fill=\"none\"/>\n"
                }
                svg += "<text x=\"\(left + plotWidth + 10)\" y=\"\(y + 18)\">"
                svg += "\(escapeHTML(cell.text(decimals: table.decimals)))</text>\n"
            } else {
                svg += "<text x=\"\(left + 4)\" y=\"\(y + 18)\">\(escapeHTML(cell.text(decimals: table.decimals)))</text>\n"
            }
        }
        svg += "</svg>\n<p>\(escapeHTML(table.unit)); whiskers: confidence interval.</p>\n"
        return svg + "</figure>\n"
    }
}

/// A label cut to fit a chart axis.
func shorten(_ text: String) -> String {
    text.count <= 32 ? text : String(text.prefix(31)) + "…"
}

/// A colour from the viridis scale for `t` in 0...1.
private func viridis(_ t: Double) -> String {
    let stops: [(Double, Double, Double)] = [
        (68, 1, 84), (72, 40, 120), (62, 74, 137), (49, 104, 142), (38, 130, 142),
        (31, 158, 137), (53, 183, 121), (109, 205, 89), (180, 222, 44), (253, 231, 37),
    ]
    let x = min(max(t, 0), 1) * Double(stops.count - 1)
    let i = min(Int(x), stops.count - 2)
    let f = x - Double(i)
    let (a, b) = (stops[i], stops[i + 1])
    func channel(_ p: Double, _ q: Double) -> String {
        let v = Int((p + (q - p) * f).rounded())
        let hex = String(v, radix: 16)
        return hex.count == 1 ? "0" + hex : hex
    }
    return "#" + channel(a.0, b.0) + channel(a.1, b.1) + channel(a.2, b.2)
}

/// Text safe inside HTML elements and attribute values.
public func escapeHTML(_ text: String) -> String {
    var out = ""
    out.reserveCapacity(text.count)
    for c in text {
        switch c {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        case "'": out += "&#39;"
        default: out.append(c)
        }
    }
    return out
}
