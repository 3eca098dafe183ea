import Foundation
import MicrodataCodebook

extension Publication {
    /// Tidy CSV: one header row (no comment line) and one row per record of ``records()``; a marker stands in a
    /// suppressed number, and an unchecked publication has a last column `controlled` holding `no`.
    public func csv() -> String {
        csvText(records())
    }
}

/// `records` as RFC 4180 CSV, header first.
package func csvText(_ records: PublishedRecords) -> String {
    var out = ""
    for row in records.fields { out += row.map(csvField).joined(separator: ",") + "\n" }
    return out
}

/// A number with enough digits to round-trip (`NaN`, `Inf`, `-Inf` for the non-finite).
func csvNumber(_ value: Double) -> String {
    if value.isNaN { return "NaN" }
    if value.isInfinite { return value > 0 ? "Inf" : "-Inf" }
    if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
    return String(value)
}

/// A field quoted when it holds a comma, quote or line break (RFC 4180).
func csvField(_ label: String) -> String {
    let text = LabelText.csvCell(label)
    guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
    return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
}
