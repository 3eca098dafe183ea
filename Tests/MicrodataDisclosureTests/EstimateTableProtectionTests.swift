import MicrodataTestSupport
import MicrodataWeighting
import Testing

@testable import MicrodataDisclosure

/// What `tabulate` hands to disclosure control: proportions of `awards` by school type (apiclus1 counts).
struct EstimateTableProtectionTests {
    static func cell(_ stype: String, _ level: String, _ p: Double, _ n: Int, _ w: Double) -> CellEstimate {
        CellEstimate(
            byValues: [stype], statistic: "proportion", variable: "awards", level: level, estimate: p,
            standardError: 0.05, ciLow: p - 0.1, ciHigh: p + 0.1, degreesOfFreedom: 14, unweightedCount: n,
            weightedCount: w)
    }

    static let table = EstimateTable(
        byVariables: ["stype"],
        cells: [
            cell("E", "No", 0.229, 33, 1116.95), cell("E", "Yes", 0.771, 111, 3757.02),
            cell("H", "No", 0.571, 8, 270.78), cell("H", "Yes", 0.429, 6, 203.08),
            cell("M", "No", 0.480, 12, 406.16), cell("M", "Yes", 0.520, 13, 440.01),
        ], designDescription: "test")

    static let rules = try! DisclosureRules.load(defaults: Fixtures.codebook("disclosure/default-rules.json"))

    @Test func levelsBelowTheThresholdAreSuppressedWithAComplementAcrossDomains() throws {
        let checked = try DisclosureControl(rules: Self.rules).check(Self.table)
        #expect(checked.statuses.map(\.label) == [
            "safe", "safe", "primary:threshold", "primary:threshold", "secondary", "secondary",
        ])
        // No suppressed number (or count, or quality flag) survives in the rendered rows.
        for (row, status) in zip(checked.rows, checked.statuses) where status.isSuppressed {
            #expect(row[4] == "[c]" && row[10] == "[c]" && row[11] == "[c]" && row[12] == "" && row[13] == "")
        }
        #expect(checked.audit?.passed == true)
        #expect(checked.audit?.recoverableCells == 0)
    }

    @Test func aMeanOfASmallDomainIsSuppressedWithoutSecondaries() throws {
        var table = Self.table
        table.cells = table.cells.map {
            var c = $0
            c.statistic = "mean"
            c.level = nil
            c.unweightedCount = $0.byValues == ["H"] ? 4 : 40
            return c
        }
        let checked = try DisclosureControl(rules: Self.rules).check(table)
        #expect(checked.statuses.filter(\.isSuppressed).count == 2)
        #expect(checked.statuses.contains(.secondary) == false)
    }
}
