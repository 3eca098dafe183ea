import CXLSXWriter
import Foundation

/// The formats of a workbook, and the named Excel tables its sheets hold.
struct XLSXBook {
    let workbook: UnsafeMutablePointer<lxw_workbook>
    let bold: UnsafeMutablePointer<lxw_format>?
    let heading: UnsafeMutablePointer<lxw_format>?
    let wrap: UnsafeMutablePointer<lxw_format>?
    /// Table header cells: bold, wrapped, top-aligned.
    let header: UnsafeMutablePointer<lxw_format>?
    let link: UnsafeMutablePointer<lxw_format>?
    /// Shorthand such as `[c]` in a numeric column, aligned with the numbers.
    let right: UnsafeMutablePointer<lxw_format>?

    init(workbook: UnsafeMutablePointer<lxw_workbook>) {
        self.workbook = workbook
        bold = workbook_add_format(workbook)
        format_set_bold(bold)
        heading = workbook_add_format(workbook)
        format_set_bold(heading)
        format_set_font_size(heading, 16)
        wrap = workbook_add_format(workbook)
        format_set_text_wrap(wrap)
        format_set_align(wrap, UInt8(LXW_ALIGN_VERTICAL_TOP.rawValue))
        header = workbook_add_format(workbook)
        format_set_bold(header)
        format_set_text_wrap(header)
        format_set_align(header, UInt8(LXW_ALIGN_VERTICAL_TOP.rawValue))
        link = workbook_add_format(workbook)
        format_set_underline(link, UInt8(LXW_UNDERLINE_SINGLE.rawValue))
        format_set_font_color(link, lxw_color_t(LXW_COLOR_BLUE.rawValue))
        right = workbook_add_format(workbook)
        format_set_align(right, UInt8(LXW_ALIGN_RIGHT.rawValue))
    }

    /// Sets the column widths and adds a named Excel table: `headers` written (wrapped) in `headerRow`, `rows` data
    /// rows below it (one empty row when there are none: a table needs one). The header row is made tall enough
    /// for its longest wrapped header.
    func table(
        _ sheet: UnsafeMutablePointer<lxw_worksheet>?, name: String, headerRow: UInt32, headers: [String],
        widths: [Double], rows: Int, fail: (String) -> WriteError
    ) throws {
        for (j, width) in widths.enumerated() { worksheet_set_column(sheet, UInt16(j), UInt16(j), width, nil) }
        let lines = zip(headers, widths).map { Int((Double($0.count) / max($1 - 1, 1)).rounded(.up)) }.max() ?? 1
        worksheet_set_row(sheet, headerRow, 15 * Double(max(lines, 1)), nil)
        let names = XLSXBook.distinct(headers)
        var columns: [UnsafeMutablePointer<lxw_table_column>?] = names.map { text in
            let column = UnsafeMutablePointer<lxw_table_column>.allocate(capacity: 1)
            column.initialize(to: lxw_table_column())
            column.pointee.header = strdup(text)
            column.pointee.header_format = header
            return column
        }
        columns.append(nil)
        defer {
            for column in columns.compactMap({ $0 }) {
                free(column.pointee.header)
                column.deallocate()
            }
        }
        let cName = strdup(name)
        defer { free(cName) }
        var options = lxw_table_options()
        options.name = cName
        options.style_type = UInt8(LXW_TABLE_STYLE_TYPE_LIGHT.rawValue)
        options.style_type_number = 1
        let status = columns.withUnsafeMutableBufferPointer { buffer in
            options.columns = buffer.baseAddress
            return worksheet_add_table(
                sheet, headerRow, 0, headerRow + UInt32(max(rows, 1)), UInt16(max(headers.count, 1) - 1), &options)
        }
        if status != LXW_NO_ERROR {
            let message = lxw_strerror(status).map { String(cString: $0) } ?? "error \(status.rawValue)"
            throw fail("libxlsxwriter could not add the table \(name): \(message)")
        }
    }

    /// An Excel table name for the `number`th table: `Table_N_` and the id's letters, digits and underscores
    /// (Excel allows letters, digits, `_` and `.`, starting with a letter; at most 255 characters).
    static func tableName(_ number: Int, _ id: String) -> String {
        let safe = id.unicodeScalars.map { ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) ? Character($0) : "_" }
        return "Table_\(number)_" + String(safe.prefix(60))
    }

    /// Header texts made unique (Excel repairs a table whose headers repeat) and at most 255 characters long.
    static func distinct(_ headers: [String]) -> [String] {
        var seen = Set<String>()
        return headers.map { header in
            let base = header.isEmpty ? "Column" : String(header.prefix(240))
            var name = base
            var n = 1
            while !seen.insert(name.lowercased()).inserted {
                n += 1
                name = "\(base) (\(n))"
            }
            return name
        }
    }
}

extension PublishedTable {
    /// A column header with the unit in brackets (`Higher (%)`), unless the column already names it.
    func header(_ column: String) -> String {
        let unit = headerUnit
        return unit.isEmpty || column.lowercased().contains(unit.lowercased()) ? column : "\(column) (\(unit))"
    }

    /// The unit in brief, for column headers: `%` for percentages, else the unit up to its first ` of `, `;` or
    /// ` (` ("Weighted count (survey weights)" → "weighted count").
    var headerUnit: String {
        var text = unit
        for stop in [" of ", ";", " (", ","] {
            if let range = text.range(of: stop) { text = String(text[..<range.lowerBound]) }
        }
        text = text.trimmingCharacters(in: .whitespaces)
        if text == "Percentage" || text == "Percentages" || text.hasSuffix("percentages") { return "%" }
        guard let first = text.first else { return "" }
        return first.lowercased() + text.dropFirst()
    }
}
