import Foundation
import MicrodataCodebook

extension Publication {
    /// Markdown for the terminal and reports: each table with its unit, then the notes.
    public func markdown() -> String {
        var out = ""
        if let perturbation {
            out += "_Perturbation: \(perturbation.method)._\n\n" + perturbation.lines.map { "- ptable \($0)\n" }.joined() + "\n"
        }
        out += "# \(title)\n\n"
        if let uncheckedStamp { out += "> **\(uncheckedStamp)**\n\n" }
        if let subtitle { out += "\(subtitle)\n\n" }
        for table in tables {
            out += table.markdown(digits: digits) + "\n"
        }
        out += "Source: \(source)\n\n"
        if !metadata.isEmpty {
            for item in metadata { out += "- \(item.key): \(item.value)\n" }
            out += "\n"
        }
        for (i, note) in (notes + Publication.markerNotes).enumerated() { out += "\(i + 1). \(note)\n" }
        return out
    }
}

extension PublishedTable {
    /// The table as a Markdown pipe table with its title and unit; records' numbers rounded by `digits`.
    public func markdown(digits: DisplayDigits = .standard) -> String {
        var out = "## \(LabelText.markdownCell(title))\n\n\(LabelText.markdownCell(unit))\n\n"
        if let records = displayRecords { return out + recordsMarkdown(records, digits: digits) }
        let header = [rowHeading] + columns
        out += "| " + header.map(escapePipes).joined(separator: " | ") + " |\n"
        out += "|" + header.indices.map { $0 == 0 ? " --- |" : " ---: |" }.joined() + "\n"
        for row in rows {
            let cells = row.cells.map { $0.text(decimals: decimals) }
            out += "| " + ([escapePipes(row.label)] + cells).joined(separator: " | ") + " |\n"
        }
        return out
    }
}

/// Records as a pipe table, numbers rounded by `digits`.
private func recordsMarkdown(_ records: PublishedRecords, digits: DisplayDigits) -> String {
    var out = "| " + records.columns.map(escapePipes).joined(separator: " | ") + " |\n"
    out += "|" + records.columns.map { _ in " --- |" }.joined() + "\n"
    for row in records.displayFields(digits) { out += "| " + row.map(escapePipes).joined(separator: " | ") + " |\n" }
    return out
}

private func escapePipes(_ text: String) -> String { LabelText.markdownCell(text) }
