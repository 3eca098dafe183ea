import CXLSXWriter
import Foundation

extension Publication {
    /// Writes an accessible spreadsheet following the GSS guidance on releasing statistics in spreadsheets:
    /// a cover sheet, a notes sheet, one table per sheet starting in cell A1 with its title, a tidy detail sheet,
    /// no merged cells, numbers stored as numbers, and the markers `[c]`, `[u]`, `[x]` explained in the notes.
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
        let bold = workbook_add_format(workbook)
        format_set_bold(bold)
        let heading = workbook_add_format(workbook)
        format_set_bold(heading)
        format_set_font_size(heading, 16)
        let wrap = workbook_add_format(workbook)
        format_set_text_wrap(wrap)

        // Cover sheet.
        let cover = workbook_add_worksheet(workbook, "Cover")
        worksheet_set_column(cover, 0, 0, 110, wrap)
        var r: UInt32 = 0
        func line(_ sheet: UnsafeMutablePointer<lxw_worksheet>?, _ text: String, _ format: UnsafeMutablePointer<lxw_format>? = nil) {
            worksheet_write_string(sheet, r, 0, text, format)
            r += 1
        }
        line(cover, title, heading)
        if let uncheckedStamp { line(cover, uncheckedStamp, bold) }
        if let subtitle { line(cover, subtitle) }
        line(cover, "Source: \(source)")
        for item in metadata { line(cover, "\(item.key): \(item.value)") }
        let sheetNames = uniqueSheetNames(tables.map(\.id), reserved: Publication.fixedSheets)
        line(cover, "Contents", bold)
        line(cover, "The Contents sheet lists every table with its sheet, full identifier and group.")
        for (table, name) in zip(tables, sheetNames) { line(cover, "\(name): \(table.title)") }
        line(cover, "Detail: every cell with its standard error, confidence interval, unweighted count and marker")
        line(cover, "Notes: notes and the meaning of the markers [c], [u], [x] and [r]")

        // Notes sheet.
        let notesSheet = workbook_add_worksheet(workbook, "Notes")
        worksheet_set_column(notesSheet, 0, 0, 12, nil)
        worksheet_set_column(notesSheet, 1, 1, 110, wrap)
        worksheet_write_string(notesSheet, 0, 0, "Notes", heading)
        worksheet_write_string(notesSheet, 1, 0, "Note number", bold)
        worksheet_write_string(notesSheet, 1, 1, "Note text", bold)
        for (i, note) in (notes + Publication.markerNotes).enumerated() {
            worksheet_write_string(notesSheet, UInt32(i + 2), 0, "Note \(i + 1)", nil)
            worksheet_write_string(notesSheet, UInt32(i + 2), 1, note, nil)
        }

        // Contents sheet: the full table identifier and group label, which a sheet name may have to shorten.
        let contents = workbook_add_worksheet(workbook, "Contents")
        worksheet_set_column(contents, 0, 2, 34, nil)
        worksheet_set_column(contents, 3, 3, 80, wrap)
        worksheet_write_string(contents, 0, 0, "Contents", heading)
        for (j, h) in ["Sheet", "Table", "Group", "Title"].enumerated() {
            worksheet_write_string(contents, 1, UInt16(j), h, bold)
        }
        for (i, (table, name)) in zip(tables, sheetNames).enumerated() {
            for (j, text) in [name, table.id, table.group ?? "", table.title].enumerated() {
                worksheet_write_string(contents, UInt32(i + 2), UInt16(j), text, nil)
            }
        }

        // One sheet per table.
        for (table, name) in zip(tables, sheetNames) {
            guard let sheet = workbook_add_worksheet(workbook, name) else {
                _ = workbook_close(workbook)
                throw WriteError(path: displayPath, message: "libxlsxwriter refused the worksheet name \(name)")
            }
            let number = workbook_add_format(workbook)
            format_set_num_format(number, table.decimals == 0 ? "0" : "0." + String(repeating: "0", count: table.decimals))
            worksheet_set_column(sheet, 0, 0, 44, nil)
            worksheet_set_column(sheet, 1, UInt16(max(table.columns.count, 1)), 14, nil)
            worksheet_write_string(sheet, 0, 0, table.title, heading)
            worksheet_write_string(sheet, 1, 0, table.unit, nil)
            worksheet_write_string(sheet, 2, 0, "This worksheet contains one table. Markers [c], [u], [x] and [r] are explained on the Notes sheet.", nil)
            worksheet_write_string(sheet, 3, 0, table.rowHeading, bold)
            for (j, column) in table.columns.enumerated() {
                worksheet_write_string(sheet, 3, UInt16(j + 1), column, bold)
            }
            for (i, row) in table.rows.enumerated() {
                let rowIndex = UInt32(i + 4)
                worksheet_write_string(sheet, rowIndex, 0, row.label, nil)
                for (j, cell) in row.cells.enumerated() {
                    let col = UInt16(j + 1)
                    if cell.marker == nil, let estimate = cell.estimate, estimate.isFinite {
                        worksheet_write_number(sheet, rowIndex, col, estimate, number)
                    } else {
                        worksheet_write_string(sheet, rowIndex, col, (cell.marker ?? .notAvailable).rawValue, nil)
                    }
                }
            }
        }

        // Detail sheet: tidy, one row per cell, markers in their own column.
        let detail = workbook_add_worksheet(workbook, "Detail")
        worksheet_write_string(detail, 0, 0, "All cells with standard errors, 95% confidence intervals and unweighted counts", heading)
        let headers = ["Table", "Row", "Column", "Estimate", "Standard error", "CI lower", "CI upper", "Unweighted n", "Marker",
                       "Group"]
        for (j, h) in headers.enumerated() { worksheet_write_string(detail, 1, UInt16(j), h, bold) }
        worksheet_set_column(detail, 0, 2, 30, nil)
        worksheet_set_column(detail, 3, 8, 14, nil)
        var d: UInt32 = 2
        for table in tables {
            for row in table.rows {
                for (column, cell) in zip(table.columns, row.cells) {
                    worksheet_write_string(detail, d, 0, table.title, nil)
                    worksheet_write_string(detail, d, 1, row.label, nil)
                    worksheet_write_string(detail, d, 2, column, nil)
                    if let group = table.group { worksheet_write_string(detail, d, 9, group, nil) }
                    if let marker = cell.marker {
                        worksheet_write_string(detail, d, 3, marker.rawValue, nil)
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

        let status = workbook_close(workbook)
        if status != LXW_NO_ERROR {
            let message = lxw_strerror(status).map { String(cString: $0) } ?? "error \(status.rawValue)"
            throw WriteError(path: displayPath, message: "libxlsxwriter: \(message)")
        }
    }
}

extension Publication {
    /// The workbook's own sheets, and Excel's reserved `History`: no table sheet may take these names.
    static let fixedSheets = ["Cover", "Notes", "Contents", "Detail", "History"]
}
