import Testing
@testable import MicrodataDisclosure

/// A one-respondent primary that is the only non-empty contributor to a margin (issue 5 audit, item 1).
///
/// Row A is `x = 1, y = 0`, so `A/Total = A/x`: the respondent behind A/x knows A/Total (it is their own
/// value) and it cannot be protected against them; everybody else would read A/x from A/Total, so A/Total
/// must still be suppressed and A/x protected against outside attackers.
struct SingletonOwnCellTests {
    static func table() throws -> ProtectionTable {
        try TestTables.twoWay(rows: ["A", "B", "C"], cols: ["x", "y"], counts: [[1, 0], [20, 30], [25, 40]])
    }

    @Test func singletonThatIsTheWholeMarginIsProtectedAgainstOutsidersOnly() throws {
        let table = try Self.table()
        let rules = try TestTables.rules()
        let checked = try DisclosureControl(rules: rules).protect(table, hasMagnitude: false)
        let ax = TestTables.index(table, ["A", "x"]), aTotal = TestTables.index(table, ["A", "Total"])
        #expect(table.isOwnedBySingleton(aTotal, singleton: ax) && table.isOwnedBySingleton(ax, singleton: aTotal))
        #expect(checked.statuses[ax].isSuppressed && checked.statuses[aTotal].isSuppressed)
        let audit = try #require(checked.audit)
        #expect(audit.passed)
        // Outside attackers: A/x = 1 is still somewhere in [1, 2] (threshold protection ±1, clipped at the
        // floor 1 that published zeros give a suppressed cell).
        let report = try #require(audit.cells.first { $0.key == ["A", "x"] })
        #expect(report.lower == 1 && report.upper >= 2, "\(report)")
        #expect(!report.exactlyDetermined)
        let margin = try #require(audit.cells.first { $0.key == ["A", "Total"] })
        #expect(margin.lower == 1 && margin.upper >= 2 && margin.pass)
    }

    @Test func singletonsOfDifferentRespondentsStillAttackEachOther() throws {
        // A/x and B/x are singletons of two respondents: each must not learn the other's cell.
        let table = try TestTables.twoWay(rows: ["A", "B", "C"], cols: ["x", "y"], counts: [[1, 20], [1, 30], [25, 40]])
        let ax = TestTables.index(table, ["A", "x"]), bx = TestTables.index(table, ["B", "x"])
        #expect(!table.isOwnedBySingleton(bx, singleton: ax))
        let checked = try DisclosureControl(rules: try TestTables.rules()).protect(table, hasMagnitude: false)
        #expect(checked.audit?.passed == true)
        // x column: with only A/x and B/x hidden, A/x knows its 1 and reads B/x from the column total.
        let hiddenInX = TestTables.suppressed(checked, dimensions: 2).filter { $0[1] == "x" }
        #expect(hiddenInX.count >= 3)
    }

    @Test func ownedMarginThatIsNoPrimaryBecomesASecondary() throws {
        // Only A/x is declared primary (say from tau-ARGUS protection levels); A/Total is not, but
        // publishing it would give A/x away to everybody but its own respondent.
        let table = try Self.table()
        let ax = TestTables.index(table, ["A", "x"]), aTotal = TestTables.index(table, ["A", "Total"])
        let checked = try DisclosureControl(rules: try TestTables.rules { $0.classDisclosureNeedsReview = false })
            .protect(table, hasMagnitude: false, primaries: [ax: [ProtectionRequirement(measure: .count, lower: 1, upper: 1, rule: "given")]])
        #expect(checked.statuses[ax] == .primary("given"))
        #expect(checked.statuses[aTotal] == .secondary)
        #expect(checked.audit?.passed == true)
    }
}
