import Foundation
@testable import MicrodataWeighting
import MicrodataWrite
import Testing

@testable import MicrodataDisclosure

/// Contrasts and tests computed from checked estimates (`tabulate --contrast`, `--chisq`, `--ttest`): released
/// only when every estimate they use is published, as typed records of the publication.
struct DerivedStatisticsTests {
    static func contrast(_ name: String, uses: [Int]) -> DerivedStatistic {
        DerivedStatistic.contrast(
            name: name, variable: "income", estimate: 100, standardError: 5, critical: 2, df: 30, uses: uses)
    }

    @Test func aContrastUsingASuppressedEstimateIsWithheldAsSecondary() throws {
        // South (row 1) has 8 respondents: North − South would give it away from the published North.
        let checked = try DisclosureControl(rules: try TestTables.rules()).check(CheckedTableTests().result())
        #expect(checked.isPublished(row: 0) && !checked.isPublished(row: 1))
        let out = checked.appending(
            [Self.contrast("N-N", uses: [0]), Self.contrast("N-S", uses: [0, 1])],
            valueColumns: DerivedStatistic.contrastValues)
        #expect(out.statuses.suffix(2) == [.safe, .secondary])
        #expect(out.records.value(3, "estimate") == .number(100) && out.records.value(3, "ci_low") == .number(90))
        #expect(out.records.value(3, "ci_high") == .number(110) && out.records.value(3, "df") == .number(30))
        for column in DerivedStatistic.contrastValues {
            #expect(out.records.value(4, column) == .marker(CheckedTable.marker), "\(column)")
        }
        #expect(out.records.value(4, "level") == .text("N-S") && out.records.value(4, "status") == .text("secondary"))
        // JSON: the released contrast's numbers are numbers, the withheld one's null; contrasts after the estimates.
        let json = try out.publication(title: "t", source: "s", version: "v").json()
        let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
        let rows = try #require(object?["rows"] as? [[String: Any]])
        #expect(rows.count == 5)
        #expect(rows[3]["level"] as? String == "N-N" && rows[3]["estimate"] as? Double == 100)
        #expect(rows[4]["estimate"] is NSNull && rows[4]["se"] is NSNull)
        // Text: a contrast has no by-value, and its fields stay under their headings.
        let lines = out.publication(title: "t", source: "s", version: "v").text().split(separator: "\n")
        let heading = try #require(lines.first { $0.hasPrefix("region ") })
        let contrast = try #require(lines.first { $0.contains("N-N") })
        #expect(contrast.range(of: "contrast")?.lowerBound.utf16Offset(in: contrast)
            == heading.range(of: "statistic")?.lowerBound.utf16Offset(in: heading), "\(lines)")
    }

    @Test func aTableOfTestsReplacesTheEstimatesAndKeepsTheBypassStamp() throws {
        let unchecked = try DisclosureControl(rules: try TestTables.rules()).unchecked(CheckedTableTests().result())
        let test = DerivedStatistic.tTest(
            DesignTTest(estimate: -50, standardError: 60, t: -50.0 / 60, degreesOfFreedom: 29, pValue: 0.41,
                        ciLow: -172, ciHigh: 72),
            variables: "income:region", uses: [0, 1])
        let out = unchecked.derivedTable(
            title: "t-test of income:region", columns: DerivedStatistic.testHeader, [test],
            valueColumns: DerivedStatistic.testValues)
        #expect(out.stamp == CheckedTable.bypassStamp && out.records.rows.count == 1)
        #expect(out.records.value(0, "value") == .number(-50.0 / 60) && out.records.value(0, "ddf") == .number(29))
        #expect(out.records.value(0, "ndf") == .missing && out.records.value(0, "status") == .text("not-checked"))
        let publication = out.publication(title: "t", source: "s", version: "v")
        #expect(publication.tables.first?.title == "t-test of income:region")
        #expect(publication.csv().split(separator: "\n").first == Substring(
            (DerivedStatistic.testHeader + ["controlled"]).joined(separator: ",")))
        // The grid HTML and XLSX show: the statistic, its df and p-value, then the estimate with its interval.
        let table = try #require(publication.tables.first)
        #expect(table.columns == ["value", "ndf", "ddf", "p_value", "estimate"] && table.rows.first?.label == "t")
        let cells = try #require(table.rows.first?.cells)
        #expect(cells[0].estimate == -50.0 / 60 && cells[1].marker == .notAvailable && cells[2].estimate == 29)
        #expect(cells[4].estimate == -50 && cells[4].ciLow == -172)
        // Checked, South suppressed: the test rests on it and every number is withheld.
        let checked = try DisclosureControl(rules: try TestTables.rules()).check(CheckedTableTests().result())
        let withheld = checked.derivedTable(
            title: "t", columns: DerivedStatistic.testHeader, [test], valueColumns: DerivedStatistic.testValues)
        #expect(withheld.statuses == [.secondary])
        let grid = try #require(withheld.publication(title: "t", source: "s", version: "v").tables.first?.rows.first)
        #expect(grid.cells.allSatisfy { $0.marker == .suppressed && $0.estimate == nil }, "\(grid)")
    }
}
