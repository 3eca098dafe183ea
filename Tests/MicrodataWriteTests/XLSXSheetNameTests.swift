import Foundation
import MicrodataTestSupport
import Testing

@testable import MicrodataWrite

/// Issue 21 §2: `--by` labels that share a long prefix, differ only in case or are long strings of combining
/// marks still give one valid, distinct worksheet per table, and the full group label in a column.
struct XLSXSheetNameTests {
    static let prefix = "outflow-regionwithaverylongsharedprefix"
    static let combining = "outflow-e" + String(repeating: "\u{301}", count: 60)
    static let ids = [
        prefix + "1", prefix + "2", "A", "a", combining, combining + "x", "'quoted'", "a[b]:c*?/\\d", "cover",
        "History", "", "'", String(repeating: "\u{1F600}", count: 20),
    ]

    @Test func sheetNamesAreUniqueCaseInsensitivelyAtMost31UTF16UnitsAndFreeOfForbiddenCharacters() {
        let names = uniqueSheetNames(Self.ids, reserved: Publication.fixedSheets)
        #expect(names.count == Self.ids.count)
        let keys = names.map { $0.lowercased() } + Publication.fixedSheets.map { $0.lowercased() }
        #expect(Set(keys).count == keys.count, "\(names)")
        for name in names {
            #expect(!name.isEmpty)
            #expect(name.utf16.count <= 31, "\(name) has \(name.utf16.count) UTF-16 units")
            #expect(!name.unicodeScalars.contains { "[]:*?/\\".unicodeScalars.contains($0) }, "\(name)")
            #expect(name.unicodeScalars.first != "'" && name.unicodeScalars.last != "'", "\(name)")
        }
        #expect(names[2] == "A" && names[3] == "a~2")
        #expect(names[0] == String((Self.prefix + "1").prefix(31)))
        #expect(names[1] == String((Self.prefix + "2").prefix(29)) + "~2")
        #expect(names[6] == "quoted" && names[7] == "a_b__c____d")
        #expect(names[8] == "cover~2" && names[9] == "History~2")
    }

    static func publication() -> Publication {
        let tables = Self.ids.enumerated().map { i, id in
            PublishedTable(
                id: id, title: "Table \(i)", unit: "Count", rowHeading: "Row", columns: ["=SUM(A1)"],
                rows: [PublishedRow(label: "r", cells: [PublishedCell(estimate: Double(i), unweightedCount: 50)])],
                decimals: 0, group: "group label \(i) " + id,
                groups: [GroupValue(name: "region", code: "\(i)", label: "group label \(i) " + id)])
        }
        return Publication(title: "Groups", source: "synthetic", tables: tables)
    }

    @Test func xlsxWithCollidingGroupLabelsWritesEveryTableAndAContentsSheet() throws {
        let url = try Fixtures.temporaryDirectory().appendingPathComponent("groups.xlsx")
        try Self.publication().write(to: url, format: .xlsx)
        let reader = try IndependentXLSXReader.check([url])
        #expect(reader.status == 0, "openpyxl: \(reader.problems)")
        let unzip = URL(fileURLWithPath: "/usr/bin/unzip")
        guard FileManager.default.isExecutableFile(atPath: unzip.path) else { return }
        func member(_ name: String) throws -> String { try Fixtures.unzipped(url, members: [name]) }
        let workbook = try member("xl/workbook.xml")
        let sheets = workbook.components(separatedBy: "<sheet name=\"").dropFirst().map { $0.prefix { $0 != "\"" } }
        #expect(sheets.count == 4 + Self.ids.count, "\(sheets)")
        #expect(sheets.prefix(3) == ["Cover", "Contents", "Notes"])
        let strings = try member("xl/sharedStrings.xml")
        #expect(strings.contains("group label 1 " + Self.prefix + "2"))
        #expect(strings.contains("Group"))
    }

    /// Issue 22: the group is its own columns (code and label), not folded into the table id.
    @Test func csvTableIdsStayDistinctAndTheGroupIsItsOwnColumn() {
        let csv = Self.publication().csv()
        let lines = csv.split(separator: "\n")
        #expect(lines[0].hasPrefix("region,region_label,table,row,column,estimate,"))
        #expect(lines[1].hasPrefix("0,group label 0 " + Self.prefix + "1," + Self.prefix + "1,r,"))
        #expect(lines[2].hasPrefix("1,group label 1 " + Self.prefix + "2," + Self.prefix + "2,r,"))
    }
}
