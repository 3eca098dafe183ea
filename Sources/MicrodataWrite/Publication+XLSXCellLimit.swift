import Foundation

extension Publication {
    /// The most characters an Excel cell holds; libxlsxwriter refuses a longer string and leaves the cell empty.
    public static let xlsxCellLimit = 32_767

    /// This publication with every text that would overflow an XLSX cell cut to fit and ending with a note of
    /// the cut, and a description of each cut (empty when nothing was cut).
    ///
    /// Texts written with a prefix on the cover (`Source: `, `key: value`, `id: title`) are cut to leave room for it.
    public func fittedToXLSXCells() -> (publication: Publication, truncated: [String]) {
        var out = self
        var truncated: [String] = []
        func fit(_ text: inout String, _ what: String, reserve: Int = 0) {
            let limit = Publication.xlsxCellLimit - reserve
            let length = text.unicodeScalars.count
            guard length > limit else { return }
            let marker = " … [truncated from \(length) characters]"
            var scalars = String.UnicodeScalarView()
            scalars.append(contentsOf: text.unicodeScalars.prefix(limit - marker.unicodeScalars.count))
            text = String(scalars) + marker
            truncated.append("\(what) (\(length) characters)")
        }
        fit(&out.title, "title")
        if out.subtitle != nil { fit(&out.subtitle!, "subtitle") }
        if out.uncheckedStamp != nil { fit(&out.uncheckedStamp!, "stamp") }
        fit(&out.source, "source", reserve: 8)
        for i in out.notes.indices { fit(&out.notes[i], "note \(i + 1)") }
        for i in out.metadata.indices {
            fit(&out.metadata[i].key, "metadata key \(i + 1)", reserve: Publication.xlsxCellLimit / 2)
            fit(&out.metadata[i].value, "metadata \(out.metadata[i].key.prefix(40))",
                reserve: out.metadata[i].key.unicodeScalars.count + 2)
        }
        for t in out.tables.indices {
            let name = "table \(out.tables[t].id.prefix(40))"
            fit(&out.tables[t].title, "\(name) title", reserve: 40)
            fit(&out.tables[t].unit, "\(name) unit")
            fit(&out.tables[t].rowHeading, "\(name) row heading")
            for j in out.tables[t].columns.indices { fit(&out.tables[t].columns[j], "\(name) column \(j + 1)") }
            for r in out.tables[t].rows.indices { fit(&out.tables[t].rows[r].label, "\(name) row \(r + 1)") }
        }
        return (out, truncated)
    }
}
