import Foundation
import MicrodataCodebook

extension Publication {
    /// Tidy CSV: one row per cell, markers in place of suppressed numbers, and a comment-free header.
    ///
    /// Columns: `table`, `row`, `column`, `estimate`, `se`, `ci_low`, `ci_high`, `n`, `flag`, `group`. A suppressed
    /// cell has `[c]` as its estimate and nothing in the other numeric columns; `group` is the table's full group
    /// label (empty with one group), so rows never depend on a shortened id to tell groups apart.
    public func csv() -> String {
        var out = Publication.csvColumns.joined(separator: ",") + "\n"
        if let uncheckedStamp { out = "# \(uncheckedStamp)\n" + out }
        for table in tables {
            for row in table.rows {
                for (column, cell) in zip(table.columns, row.cells) {
                    var fields = [table.id, row.label, column]
                    if let marker = cell.marker {
                        fields += [marker.rawValue, "", "", "", "", marker.rawValue]
                    } else {
                        fields.append(cell.estimate.map { csvNumber($0) } ?? "")
                        fields.append(cell.standardError.map { csvNumber($0) } ?? "")
                        fields.append(cell.ciLow.map { csvNumber($0) } ?? "")
                        fields.append(cell.ciHigh.map { csvNumber($0) } ?? "")
                        fields.append(cell.unweightedCount.map(String.init) ?? "")
                        fields.append(cell.flags.joined(separator: " "))
                    }
                    fields.append(table.group ?? "")
                    out += fields.map(csvField).joined(separator: ",") + "\n"
                }
            }
        }
        return out
    }
}

extension Publication {
    /// The columns of ``csv()``.
    public static let csvColumns = ["table", "row", "column", "estimate", "se", "ci_low", "ci_high", "n", "flag", "group"]
}

/// A number with enough digits to round-trip.
func csvNumber(_ value: Double) -> String {
    if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
    return String(value)
}

/// A field quoted when it holds a comma, quote or line break (RFC 4180).
func csvField(_ label: String) -> String {
    let text = LabelText.csvCell(label)
    guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
    return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
}
