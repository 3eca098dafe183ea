import Foundation
import MicrodataWrite

/// A table that has passed disclosure control (or was explicitly let through without it, stamped).
///
/// Only the disclosure layer constructs it, and writers take only its ``publication(title:source:version:rules:numeric:)``,
/// so an unchecked table cannot reach a file by accident. `rows` are the rendered fields exactly as verified against the mask.
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

    /// The columns read as numbers wherever they hold one.
    public static let numericColumns: Set<String> = ["count", "value", "n", "estimate", "se"]

    /// The publication of this table: one table whose records are the rows, the columns in `numeric` typed as
    /// numbers (a marker stays a marker, an empty field is missing), and a grid of the count or value by row.
    /// An unchecked table is stamped, and its CSV has a last column `controlled` holding `no`.
    public func publication(
        title: String, source: String, version: String, rules: String? = nil, numeric: Set<String> = CheckedTable.numericColumns
    ) -> Publication {
        let values = rows.map { row in
            zip(header, row).map { name, field -> TableValue in
                if field.isEmpty { return .missing }
                if field == Self.marker || (numeric.contains(name) && Double(field) == nil && field.hasPrefix("[")) {
                    return .marker(field)
                }
                if numeric.contains(name), let x = Double(field) { return .number(x) }
                return .text(field)
            }
        }
        let records = PublishedRecords(columns: header, rows: values)
        let measure = header.contains("value") ? "value" : header.contains("count") ? "count" : nil
        let keys = header.indices.filter { !numeric.contains(header[$0]) && !["status", "cv_band", "nomis"].contains(header[$0]) }
        let grid = values.indices.map { i in
            PublishedRow(label: keys.map { rows[i][$0] }.joined(separator: " / "), cells: [
                measure.map { m -> PublishedCell in
                    switch records.value(i, m) {
                    case .number(let x)?: return PublishedCell(estimate: x)
                    case .marker(Self.marker)?: return .suppressed
                    default: return .notAvailable
                    }
                } ?? .notAvailable,
            ])
        }
        let table = PublishedTable(
            id: "table", title: title, unit: measure ?? "", rowHeading: keys.map { header[$0] }.joined(separator: " / "),
            columns: [measure ?? ""], rows: grid, decimals: 0, records: records)
        let inForce = rules ?? audit?.rules.inForce
        var metadata: [MetadataItem] = []
        if let inForce { metadata.append(MetadataItem("Disclosure rules", inForce)) }
        if let summary = audit?.summary { metadata.append(MetadataItem("Disclosure audit", summary)) }
        return Publication(
            title: title, source: source, tables: [table], metadata: metadata, uncheckedStamp: stamp, version: version,
            rules: inForce, disclosure: audit?.summary)
    }
}
