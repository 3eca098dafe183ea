import Foundation
import MicrodataCodebook

extension Publication {
    /// Plain text for a terminal: the title, the stamp, each table with its title and unit as aligned columns,
    /// the source, the metadata and the notes. Labels are stripped of terminal control sequences.
    public func text() -> String {
        var lines = perturbation.map { ["perturbation: \($0.method)"] + $0.lines.map { "ptable " + $0 } } ?? []
        lines.append(title)
        if let uncheckedStamp { lines.append(uncheckedStamp) }
        if let subtitle { lines.append(subtitle) }
        for table in tables {
            lines.append("")
            lines.append(table.title)
            if !table.unit.isEmpty { lines.append(table.unit) }
            let form: PublishedRecords
            if let records = table.displayRecords {
                form = records
            } else {
                form = PublishedRecords(
                    columns: [table.rowHeading] + table.columns,
                    rows: table.rows.map { row in [.text(row.label)] + row.cells.map { .text($0.text(decimals: table.decimals)) } })
            }
            lines += aligned(form, digits: table.displayRecords == nil ? nil : digits)
        }
        lines.append("")
        lines.append("Source: \(source)")
        for item in metadata { lines.append("\(item.key): \(item.value)") }
        lines.append("")
        for (i, note) in (notes + Publication.markerNotes).enumerated() { lines.append("\(i + 1). \(note)") }
        return lines.map(LabelText.terminalSafe).joined(separator: "\n") + "\n"
    }
}

/// The header and rows of `records` padded to aligned columns, numbers rounded by `digits` (grid cells, already
/// text, when `nil`).
private func aligned(_ records: PublishedRecords, digits: DisplayDigits?) -> [String] {
    let rows = [records.columns] + (digits.map(records.displayFields) ?? records.rows.map { $0.map(\.field) })
    let safe = rows.map { $0.map(LabelText.terminalSafe) }
    var widths = records.columns.map { _ in 0 }
    for row in safe { for (k, field) in row.enumerated() { widths[k] = max(widths[k], field.count) } }
    return safe.map { row in
        // Trailing blanks only: a row whose first field is empty (a contrast has no by-value) keeps its columns.
        var line = row.enumerated().map { k, field in field.padding(toLength: widths[k], withPad: " ", startingAt: 0) }
            .joined(separator: "  ")
        while line.last == " " { line.removeLast() }
        return line
    }
}
