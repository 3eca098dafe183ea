import Foundation
import MicrodataTestSupport
import Testing

@testable import MicrodataWrite

/// Issue 21 §4: libxlsxwriter leaves a cell over 32,767 characters empty; the writer cuts it to fit instead.
struct XLSXCellLimitTests {
    @Test func xlsxCellsOverTheLimitAreTruncatedWithAWarning() throws {
        var publication = PublicationWriterTests.sample
        let long = "Long note " + String(repeating: "abcdefghij", count: 4_000)  // 40,010 characters
        publication.notes = [long]
        let (fitted, cut) = publication.fittedToXLSXCells()
        #expect(cut == ["note 1 (40010 characters)"])
        let note = fitted.notes[0]
        #expect(note.unicodeScalars.count == Publication.xlsxCellLimit)
        #expect(note.hasPrefix("Long note abcdefghij"))
        #expect(note.hasSuffix(" … [truncated from 40010 characters]"))
        #expect(fitted.tables == publication.tables)

        // In the file, the note is there (cut), not an empty cell.
        let url = try Fixtures.temporaryDirectory().appendingPathComponent("long.xlsx")
        try publication.write(to: url, format: .xlsx)
        let reader = try IndependentXLSXReader.check([url])
        #expect(reader.status == 0, "openpyxl: \(reader.problems)")
        let xml = try Fixtures.unzipped(url)
        #expect(xml.contains("Long note abcdefghij"))
        #expect(xml.contains("[truncated from 40010 characters]"))
    }
}
