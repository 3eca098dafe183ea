import Foundation

/// The rows of one table as `microdata crosswalk show` and `--search` print them.
public struct CrosswalkRows: Sendable, Hashable, Codable {
    /// The manifest entry's name, or the scheme for a code frame known only through crosswalks (SOC2000).
    public var table: String
    public var kind: String
    public var file: String?
    public var source: String?
    public var issued: String?
    public var licence: String?
    public var columns: [String]
    /// Cells in column order; `nil` is a cell ONS suppressed (empty or `_` in a weight column), never 0.
    public var rows: [[String?]]

    /// Header and rows, tab-separated; a suppressed cell reads `suppressed`.
    public var text: String {
        ([columns] + rows.map { $0.map { $0 ?? "suppressed" } }).map { $0.joined(separator: "\t") + "\n" }.joined()
    }

    /// Pretty-printed JSON with sorted keys; suppressed cells are `null`.
    public static func json<T: Encodable>(_ value: T) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(value)) ?? Data(), as: UTF8.self) + "\n"
    }
}

extension CrosswalkRegistry {
    /// Every row of table `name` (a manifest entry, or a scheme such as SOC2000), or only the rows of `code`
    /// (matched in the crosswalk's source column, a `code` column, or the first column).
    ///
    /// - Throws: ``CrosswalkLookupError`` when there is no such table or no row for `code`.
    public func rows(_ name: String, code: String? = nil) throws(CrosswalkLookupError) -> CrosswalkRows {
        var result: CrosswalkRows
        if let l = entries.first(where: { $0.entry.name.lowercased() == name.lowercased() }), let raw = rawTables[l.entry.name] {
            let e = l.entry
            let weightColumns = Set((e.weights ?? [:]).values)
            let filters = (e.filter ?? [:]).compactMap { k, v in raw.header.firstIndex(of: k).map { ($0, v) } }
            let selected = raw.rows.filter { row in filters.allSatisfy { row[$0.0] == $0.1 } }
            let cells = selected.map { row in
                zip(raw.header, row).map { column, cell -> String? in
                    weightColumns.contains(column) && (cell.isEmpty || cell == "_") ? nil : cell
                }
            }
            result = CrosswalkRows(
                table: e.name, kind: e.kind, file: e.file, source: e.source, issued: e.issued, licence: e.licence,
                columns: raw.header, rows: cells)
            let key = e.fromColumn.flatMap { raw.header.firstIndex(of: $0) } ?? raw.header.firstIndex(of: "code") ?? 0
            if let code {
                result.rows = result.rows.filter { $0[key] == code }
                if result.rows.isEmpty { throw CrosswalkLookupError("\(code) is not in \(e.name)") }
            }
        } else if let frame = codeFrames[name.uppercased()] {
            result = CrosswalkRows(
                table: frame.scheme, kind: "codeframe", columns: ["code", "level", "title", "parent"],
                rows: frame.entries.map { [$0.code, $0.level, $0.title, $0.parent ?? ""] })
            if let code {
                result.rows = result.rows.filter { $0[0] == code }
                if result.rows.isEmpty { throw CrosswalkLookupError("\(code) is not in \(frame.scheme)") }
            }
        } else {
            throw CrosswalkLookupError("no table named \(name); see `microdata crosswalk list`")
        }
        return result
    }

    /// The rows containing `text` (case-insensitive) in any cell, one ``CrosswalkRows`` per table with a
    /// match: across every table, or within table `name`.
    ///
    /// - Throws: ``CrosswalkLookupError`` when `name` names no table.
    public func search(_ text: String, in name: String? = nil) throws(CrosswalkLookupError) -> [CrosswalkRows] {
        let tables = try name.map { n throws(CrosswalkLookupError) in [try rows(n)] }
            ?? entries.compactMap { try? rows($0.entry.name) }
        return tables.compactMap { t in
            var t = t
            t.rows = t.rows.filter { $0.contains { $0?.range(of: text, options: .caseInsensitive) != nil } }
            return t.rows.isEmpty ? nil : t
        }
    }
}
