import CXLSXWriter
import Foundation

extension Publication {
    /// Writes an accessible spreadsheet following the GSS guidance on releasing statistics in spreadsheets: a
    /// cover sheet, a contents sheet linking to every sheet, a notes sheet, one table per sheet (title in A1) as a
    /// named Excel table with its unit in the column headers, a tidy detail sheet; header rows wrapped and frozen,
    /// column widths set, no merged cells, numbers stored as numbers, and the shorthand `[c]`, `[u]`, `[x]`, `[r]`
    /// explained on the cover and notes sheets.
    ///
    /// The corresponding C functions are libxlsxwriter's `workbook_new`, `worksheet_write_*` and `workbook_close`.
    ///
    /// Texts over ``xlsxCellLimit`` characters are cut to fit (``fittedToXLSXCells()``), with a warning on
    /// standard error: libxlsxwriter would leave those cells empty. `path` is the file libxlsxwriter writes (a
    /// temporary file); `displayPath` names the output in warnings and errors.
    ///
    /// - Throws: `WriteError` when libxlsxwriter cannot create or close the file.
    func writeXLSX(toPath path: String, displayPath: String) throws {
        let (fitted, truncated) = fittedToXLSXCells()
        if !truncated.isEmpty {
            FileHandle.standardError.write(Data(("warning: \((displayPath as NSString).lastPathComponent): cut to the XLSX limit of "
                + "\(Publication.xlsxCellLimit) characters: " + truncated.joined(separator: "; ") + "\n").utf8))
        }
        try fitted.writeXLSXCells(toPath: path, displayPath: displayPath)
    }

    private func writeXLSXCells(toPath path: String, displayPath: String) throws {
        guard let workbook = workbook_new(path) else {
            throw WriteError(path: displayPath, message: "libxlsxwriter could not create the workbook")
        }
        var book = XLSXBook(workbook: workbook)
        let sheetNames = uniqueSheetNames(tables.map(\.id), reserved: Publication.fixedSheets)
        func fail(_ message: String) -> WriteError {
            _ = workbook_close(workbook)
            return WriteError(path: displayPath, message: message)
        }

        // Cover sheet: title, what the workbook holds, source, facts and the shorthand.
        let cover = workbook_add_worksheet(workbook, "Cover")
        worksheet_set_column(cover, 0, 0, 110, book.wrap)
        var r: UInt32 = 0
        func line(_ text: String, _ format: UnsafeMutablePointer<lxw_format>? = nil) {
            worksheet_write_string(cover, r, 0, text, format)
            r += 1
        }
        line(title, book.heading)
        if let uncheckedStamp { line(uncheckedStamp, book.bold) }
        if let subtitle { line(subtitle) }
        line("This workbook holds \(tables.count) \(tables.count == 1 ? "table" : "tables"), one per sheet; the Contents sheet links to each.")
        line("Source: \(source)")
        for item in metadata { line("\(item.key): \(item.value)") }
        if let perturbation {
            line("Perturbation: \(perturbation.method)")
            for ptable in perturbation.lines { line("ptable " + ptable) }
        }
        line("Shorthand used in the tables: [c] suppressed for confidentiality, [x] not available, [u] low reliability, "
            + "[r] for review. The Notes sheet explains each, with the notes to these tables.")

        // Contents sheet: a link to every sheet, with each table's full identifier, group and unit.
        let contents = workbook_add_worksheet(workbook, "Contents")
        worksheet_write_string(contents, 0, 0, "Contents", book.heading)
        var entries = zip(tables, sheetNames).map { table, name in [name, table.id, table.group ?? "", table.title, table.unit] }
        entries.append(["Notes", "", "", "Notes, and the meaning of the shorthand [c], [u], [x] and [r]", ""])
        entries.append(["Detail", "", "", "Every cell with its standard error, confidence interval, unweighted count and marker", ""])
        let contentsHeaders = ["Sheet", "Table", "Group", "Title", "Unit"]
        try book.table(contents, name: "Contents_table", headerRow: 1, headers: contentsHeaders, widths: [24, 28, 28, 60, 50],
                       rows: entries.count) { fail($0) }
        for (i, entry) in entries.enumerated() {
            let row = UInt32(i + 2)
            let target = "internal:'" + entry[0].replacingOccurrences(of: "'", with: "''") + "'!A1"
            worksheet_write_url_opt(contents, row, 0, target, book.link, entry[0], "Go to sheet \(entry[0])")
            for (j, text) in entry.enumerated().dropFirst() { worksheet_write_string(contents, row, UInt16(j), text, book.wrap) }
        }
        worksheet_freeze_panes(contents, 2, 0)

        // Notes sheet.
        let notesSheet = workbook_add_worksheet(workbook, "Notes")
        worksheet_write_string(notesSheet, 0, 0, "Notes", book.heading)
        let allNotes = notes + Publication.markerNotes
        try book.table(notesSheet, name: "Notes_table", headerRow: 1, headers: ["Note number", "Note text"], widths: [14, 110],
                       rows: allNotes.count) { fail($0) }
        for (i, note) in allNotes.enumerated() {
            worksheet_write_string(notesSheet, UInt32(i + 2), 0, "Note \(i + 1)", nil)
            worksheet_write_string(notesSheet, UInt32(i + 2), 1, note, book.wrap)
        }
        worksheet_freeze_panes(notesSheet, 2, 0)

        // One sheet per table: title in A1, unit and the shorthand above a named Excel table with units in its header.
        for (index, (table, name)) in zip(tables, sheetNames).enumerated() {
            guard let sheet = workbook_add_worksheet(workbook, name) else {
                throw fail("libxlsxwriter refused the worksheet name \(name)")
            }
            let number = workbook_add_format(workbook)
            format_set_num_format(number, table.decimals == 0 ? "0" : "0." + String(repeating: "0", count: table.decimals))
            worksheet_write_string(sheet, 0, 0, table.title, book.heading)
            worksheet_write_string(sheet, 1, 0, "Unit: " + table.unit, nil)
            if let group = table.group { worksheet_write_string(sheet, 2, 0, "Group: " + group, nil) }
            worksheet_write_string(
                sheet, table.group == nil ? 2 : 3, 0,
                "This worksheet contains one table. Shorthand [c], [u], [x] and [r] is explained on the Notes sheet.", nil)
            let headerRow: UInt32 = table.group == nil ? 3 : 4
            let headers = [table.rowHeading] + table.columns.map(table.header)
            let labelWidth = min(60, max(20, table.rows.map { Double($0.label.count) + 2 }.max() ?? 20))
            try book.table(sheet, name: XLSXBook.tableName(index + 1, table.id), headerRow: headerRow, headers: headers,
                           widths: [labelWidth] + Array(repeating: 16, count: table.columns.count), rows: table.rows.count) { fail($0) }
            for (i, row) in table.rows.enumerated() {
                let rowIndex = headerRow + 1 + UInt32(i)
                worksheet_write_string(sheet, rowIndex, 0, row.label, nil)
                for (j, cell) in row.cells.enumerated() {
                    let col = UInt16(j + 1)
                    if cell.marker == nil, let estimate = cell.estimate, estimate.isFinite {
                        worksheet_write_number(sheet, rowIndex, col, estimate, number)
                    } else {
                        worksheet_write_string(sheet, rowIndex, col, (cell.marker ?? .notAvailable).rawValue, book.right)
                    }
                }
            }
            worksheet_freeze_panes(sheet, headerRow + 1, 1)
        }

        // Detail sheet: tidy, one row per cell, markers in their own column.
        let detail = workbook_add_worksheet(workbook, "Detail")
        worksheet_write_string(detail, 0, 0, "All cells with standard errors, 95% confidence intervals and unweighted counts", book.heading)
        let headers = ["Table", "Row", "Column", "Estimate (in the row's unit)", "Standard error (in the row's unit)",
                       "CI lower (in the row's unit)", "CI upper (in the row's unit)", "Unweighted n (respondents)", "Marker",
                       "Group", "Unit"]
        let cellCount = tables.reduce(0) { $0 + $1.rows.count * $1.columns.count }
        try book.table(detail, name: "Detail_table", headerRow: 1, headers: headers,
                       widths: [30, 30, 30, 16, 16, 16, 16, 16, 10, 30, 50], rows: cellCount) { fail($0) }
        var d: UInt32 = 2
        for table in tables {
            for row in table.rows {
                for (column, cell) in zip(table.columns, row.cells) {
                    worksheet_write_string(detail, d, 0, table.title, nil)
                    worksheet_write_string(detail, d, 1, row.label, nil)
                    worksheet_write_string(detail, d, 2, column, nil)
                    if let group = table.group { worksheet_write_string(detail, d, 9, group, nil) }
                    worksheet_write_string(detail, d, 10, table.unit, nil)
                    if let marker = cell.marker {
                        worksheet_write_string(detail, d, 3, marker.rawValue, book.right)
                        worksheet_write_string(detail, d, 8, marker.rawValue, nil)
                    } else {
                        let values = [cell.estimate, cell.standardError, cell.ciLow, cell.ciHigh]
                        for (k, value) in values.enumerated() {
                            if let value, value.isFinite { worksheet_write_number(detail, d, UInt16(3 + k), value, nil) }
                        }
                        if let n = cell.unweightedCount { worksheet_write_number(detail, d, 7, Double(n), nil) }
                        if !cell.flags.isEmpty { worksheet_write_string(detail, d, 8, cell.flags.joined(separator: " "), nil) }
                    }
                    d += 1
                }
            }
        }
        worksheet_freeze_panes(detail, 2, 0)

        let status = workbook_close(workbook)
        if status != LXW_NO_ERROR {
            let message = lxw_strerror(status).map { String(cString: $0) } ?? "error \(status.rawValue)"
            throw WriteError(path: displayPath, message: "libxlsxwriter: \(message)")
        }
    }
}

extension Publication {
    /// The workbook's own sheets, and Excel's reserved `History`: no table sheet may take these names.
    static let fixedSheets = ["Cover", "Contents", "Notes", "Detail", "History"]
}
