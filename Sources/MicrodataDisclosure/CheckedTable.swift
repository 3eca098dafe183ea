import Foundation
import MicrodataCodebook

/// A table that has passed disclosure control (or was explicitly let through without it, stamped).
///
/// Only the disclosure layer constructs it; writers take a `CheckedTable`, so an unchecked table
/// cannot reach a file by accident. `rows` are the rendered fields exactly as verified against the mask.
public struct CheckedTable: Sendable {
    /// Column names.
    public let header: [String]
    /// Rendered fields; suppressed values are `CheckedTable.marker`.
    public let rows: [[String]]
    /// The status label of each row (also in the `status` column).
    public let statuses: [CellStatus]
    /// The audit that passed; `nil` only for a bypassed table.
    public let audit: AuditReport?
    /// Set when disclosure control was bypassed; writers must print it with the table.
    public let stamp: String?

    /// The marker written in place of a suppressed value (never a number, so never read as zero).
    public static let marker = "[c]"
    /// The stamp of a table written with `--no-disclosure-control`.
    public static let bypassStamp = "NOT DISCLOSURE CONTROLLED: written with --no-disclosure-control"

    init(header: [String], rows: [[String]], statuses: [CellStatus], audit: AuditReport?, stamp: String?) {
        self.header = header
        self.rows = rows
        self.statuses = statuses
        self.audit = audit
        self.stamp = stamp
    }

    /// Lets a table through without disclosure control; the result carries `bypassStamp` and no audit.
    public static func bypassingDisclosureControl(header: [String], rows: [[String]]) -> CheckedTable {
        CheckedTable(
            header: header, rows: rows, statuses: Array(repeating: .review("not-checked"), count: rows.count),
            audit: nil, stamp: bypassStamp)
    }

    /// The table as tidy CSV (RFC 4180 quoting, one header row, no comment line): a bypassed table has a
    /// last column `controlled` holding `no` on every row.
    public func csv() -> String {
        var out = ""
        for row in csvRecords { out += row.map(Self.quote).joined(separator: ",") + "\n" }
        return out
    }

    /// The records `csv()` writes, header first.
    public var csvRecords: [[String]] {
        guard stamp != nil else { return [header] + rows }
        return [header + ["controlled"]] + rows.map { $0 + ["no"] }
    }

    static func quote(_ text: String) -> String {
        let field = LabelText.csvCell(text)
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
