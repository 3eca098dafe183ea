import Foundation
import Testing
@testable import MicrodataDisclosure

/// The three ACRO defects of docs/disclosure.md §1.1 cannot happen here: suppression silently skipped
/// with margins (acro-1.0.2-margins-bug), a suppressed cell published as 0, and totals of the visible
/// cells passed off as true totals (acro-margins-recompute: 870 instead of 918).
struct AcroDefectTests {
    func protectedYearByGrantType() throws -> (ProtectionTable, CheckedTable, DisclosureControl) {
        let (years, types, cells) = try PrimaryRuleTests.acroCells()
        let table = try TestTables.twoWay(
            rows: years, cols: types,
            counts: years.map { y in types.map { CellEvidence.aggregate(cells[[y, $0]]!).units } },
            rowName: "year", colName: "grant_type")
        let control = DisclosureControl(rules: try TestTables.rules())
        return (table, try control.protect(table, hasMagnitude: false), control)
    }

    @Test func suppressionIsAppliedWithMargins() throws {
        let (_, checked, _) = try protectedYearByGrantType()
        let primaries = checked.rows.indices.filter { checked.statuses[$0].isPrimary }.map { Array(checked.rows[$0].prefix(2)) }
        #expect(Set(primaries) == Set(["2010", "2011", "2012", "2013", "2014", "2015"].map { [$0, "R/G"] }))
        // Every suppressed row shows the marker, never the number 8.
        for (i, row) in checked.rows.enumerated() where checked.statuses[i].isSuppressed {
            #expect(row[2] == CheckedTable.marker)
        }
        #expect(checked.statuses.contains(.secondary))  // one R/G per row would be recoverable from the row total
        #expect(checked.audit?.passed == true)
        #expect(checked.audit?.summary.hasPrefix("0 of ") == true)
    }

    @Test func publishedTotalsAreTrueTotals() throws {
        let (_, checked, _) = try protectedYearByGrantType()
        let grand = try #require(checked.rows.first { $0[0] == "Total" && $0[1] == "Total" })
        #expect(grand[2] == "918")  // ACRO publishes 870, the total of unsuppressed records
        let year2010 = try #require(checked.rows.first { $0[0] == "2010" && $0[1] == "Total" })
        #expect(year2010[2] == "153")  // ACRO: 145
    }

    @Test func artefactThatIgnoresTheMaskIsRejected() throws {
        let (table, checked, control) = try protectedYearByGrantType()
        // ACRO 1.0.2: the unsuppressed table labelled as suppressed.
        let unsuppressed = checked.rows.enumerated().map { i, row in
            checked.statuses[i].isSuppressed ? [row[0], row[1], String(table.cells[i].evidence.units), row[3]] : row
        }
        let (problems, _) = control.verify(table, statuses: checked.statuses, header: checked.header, rows: unsuppressed)
        #expect(problems.count == checked.statuses.filter(\.isSuppressed).count)
        // zeros_are_disclosive=False: a suppressed cell published as 0.
        var falseZero = checked.rows
        let hidden = try #require(checked.statuses.firstIndex { $0.isSuppressed })
        falseZero[hidden][2] = "0"
        let (zeroProblems, _) = control.verify(table, statuses: checked.statuses, header: checked.header, rows: falseZero)
        #expect(zeroProblems == ["\(table.name(of: hidden)): suppressed but published as '0'"])
        // Totals recomputed from visible cells.
        var recomputed = checked.rows
        let grand = recomputed.firstIndex { $0[0] == "Total" && $0[1] == "Total" }!
        recomputed[grand][2] = "870"
        let (totalProblems, _) = control.verify(table, statuses: checked.statuses, header: checked.header, rows: recomputed)
        #expect(totalProblems == ["year=Total, grant_type=Total: published '870' but the cell is 918"])
    }

    @Test func unprotectedPatternFailsClosed() throws {
        let (table, checked, control) = try protectedYearByGrantType()
        var requirements: [Int: [ProtectionRequirement]] = [:]
        for i in checked.statuses.indices where checked.statuses[i].isPrimary {
            requirements[i] = [ProtectionRequirement(measure: .count, lower: 1, upper: 1, rule: "threshold")]
        }
        // Render with an unsuppressed primary: the audit must refuse (fail closed), not warn.
        var statuses = checked.statuses
        let p = try #require(statuses.firstIndex { $0.isPrimary })
        statuses[p] = .safe
        requirements[p] = nil
        #expect(throws: DisclosureError.self) {
            _ = try control.render(table, statuses: statuses.map { $0 == .secondary ? .safe : $0 }, requirements: requirements,
                                   hasMagnitude: false)
        }
    }
}
