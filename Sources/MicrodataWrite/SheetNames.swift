/// Worksheet names Excel and LibreOffice accept, one per table id: at most 31 UTF-16 code units (as Excel
/// counts), none of `[]:*?/\`, no apostrophe first or last, not empty, and unique ignoring case (also against
/// `reserved`, the workbook's own sheets). A name cut short or clashing ends in `~N`; the full id and group stay
/// on the contents sheet.
package func uniqueSheetNames(_ ids: [String], reserved: [String]) -> [String] {
    var taken = Set(reserved.map(sheetKey))
    var names: [String] = []
    for (i, id) in ids.enumerated() {
        var scalars = String.UnicodeScalarView(id.unicodeScalars.map {
            "[]:*?/\\".unicodeScalars.contains($0) || $0.properties.generalCategory == .control ? "_" : $0
        })
        while scalars.first == "'" { scalars.removeFirst() }
        while scalars.last == "'" { scalars.removeLast() }
        let base = scalars.isEmpty ? "Table \(i + 1)" : String(scalars)
        var name = prefix(base, utf16Units: 31)
        var n = 1
        while taken.contains(sheetKey(name)) {
            n += 1
            let tag = "~\(n)"
            name = prefix(base, utf16Units: 31 - tag.utf16.count) + tag
        }
        taken.insert(sheetKey(name))
        names.append(name)
    }
    return names
}

/// How Excel compares sheet names: ignoring case.
private func sheetKey(_ name: String) -> String { name.lowercased() }

/// The longest prefix of `text`, on a Unicode scalar boundary, of at most `limit` UTF-16 code units, with no
/// apostrophe at its end.
private func prefix(_ text: String, utf16Units limit: Int) -> String {
    var scalars = String.UnicodeScalarView()
    var units = 0
    for scalar in text.unicodeScalars {
        units += scalar.utf16.count
        if units > limit { break }
        scalars.append(scalar)
    }
    while scalars.last == "'" { scalars.removeLast() }
    return String(scalars)
}
