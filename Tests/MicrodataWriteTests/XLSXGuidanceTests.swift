import Foundation
import MicrodataTestSupport
import Testing

@testable import MicrodataWrite

/// Issue 22: the workbook follows the GSS guidance on releasing statistics in spreadsheets, as openpyxl (a reader
/// independent of libxlsxwriter) sees it through `scripts/check-xlsx.py`.
struct XLSXGuidanceTests {
    @Test func workbookHasLinkedContentsOneNamedTablePerSheetAndUnitsInHeaders() throws {
        let url = try Fixtures.temporaryDirectory().appendingPathComponent("guidance.xlsx")
        var publication = PublicationWriterTests.sample
        publication.tables[0].unit = "Percentage of each origin class (row percentages)"
        try publication.write(to: url, format: .xlsx)
        let reader = try IndependentXLSXReader.check([url])
        try #require(reader.status != 3, "the independent reader is absent: \(reader.problems)")
        #expect(reader.status == 0, "\(reader.problems)")
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(reader.summary.utf8)) as? [String: Any])
        #expect(summary["sheets"] as? [String] == ["Cover", "Contents", "Notes", "outflow", "Detail"])
        #expect(summary["links"] as? [String] == ["outflow", "Notes", "Detail"])
        let tables = try #require(summary["tables"] as? [String: String])
        #expect(tables["outflow"] == "Table_1_outflow" && tables["Contents"] == "Contents_table")
        let strings = try Fixtures.unzipped(url, members: ["xl/sharedStrings.xml", "xl/tables/*.xml"])
        #expect(strings.contains("Lower, routine (%)"), "the unit is in the column header")
    }

    @Test func theCheckerRejectsAWorkbookAgainstTheGuidance() throws {
        let url = try Fixtures.temporaryDirectory().appendingPathComponent("bad.xlsx")
        // A workbook as a careless writer makes it: merged title cells, no named tables, no contents.
        let make = Process()
        make.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        make.arguments = ["-c", """
            import sys, openpyxl
            wb = openpyxl.Workbook(); ws = wb.active; ws.title = "Table 1"
            ws["A1"] = "Title"; ws.merge_cells("A1:C1"); ws.append(["Origin", "Higher", "Lower"]); ws.append(["Higher", 62.5, "n/a"])
            wb.save(sys.argv[1])
            """, url.path]
        try make.run()
        make.waitUntilExit()
        try #require(make.terminationStatus == 0, "python3-openpyxl is needed to make the bad workbook")
        let reader = try IndependentXLSXReader.check([url])
        #expect(reader.status == 1)
        #expect(reader.problems.contains("expected Cover, Contents, Notes"))
        #expect(reader.problems.contains("merged cells"))
        #expect(reader.problems.contains("0 named tables, expected 1"))
    }

    @Test func htmlLinksEveryTableFromItsContentsAndPutsUnitsInHeaders() {
        var publication = PublicationWriterTests.sample
        publication.tables[0].unit = "Percentage of each origin class (row percentages)"
        let html = publication.html()
        #expect(html.contains("<nav aria-label=\"Contents\">"))
        #expect(html.contains("<a href=\"#outflow\">Destination by origin</a>") && html.contains("<h2 id=\"outflow\">"))
        #expect(html.contains("<a href=\"#notes\">") && html.contains("<h2 id=\"notes\">Notes</h2>"))
        #expect(html.contains("<th scope=\"col\">Lower, routine (%)</th>"))
        publication.tables[0].unit = "Ratio of upward to downward moves"
        publication.tables[0].columns = ["Ratio", "Other"]
        #expect(publication.html().contains("<th scope=\"col\">Ratio</th><th scope=\"col\">Other (ratio)</th>"))
    }
}
