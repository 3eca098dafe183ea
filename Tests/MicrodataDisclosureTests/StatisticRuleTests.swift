import Foundation
import MicrodataReaders
import MicrodataTestSupport
import MicrodataWeighting
import MicrodataWrite
import Testing

@testable import MicrodataDisclosure

/// Issue 18: a passing and a failing case for the rule of every statistic, and each check in the output's
/// audit with its evidence. Defaults: threshold 10, NK(2, 90%) strict, p% 10.
@Suite struct StatisticRuleTests {
    /// A domain estimate of `statistic` with `units` contributors, all with non-zero values summing to
    /// `total`, whose largest weighted contributions are `top`.
    static func cell(
        _ statistic: String, domain: String = "A", units: Int, total: Double = 1000, top: [Double] = [100, 90]
    ) -> CellEstimate {
        var c = CellEstimate(
            byValues: [domain], statistic: statistic, variable: "wealth", estimate: 10, standardError: 1, ciLow: 8,
            ciHigh: 12, degreesOfFreedom: 30, unweightedCount: units, weightedCount: Double(units) * 2)
        c.contributors = ContributorEvidence(
            nonZero: units, zero: 0, indicator: false, total: total, top: top, hasNegative: false)
        return c
    }

    static func check(_ checks: [OutputCheck], _ rule: String) throws -> OutputCheck {
        try #require(checks.first { $0.rule == rule })
    }

    static func checks(_ cells: [CellEstimate], _ rules: DisclosureRules, complement: SubpopulationComplement? = nil) -> [OutputCheck] {
        let table = EstimateTable(byVariables: ["region"], cells: cells)
        return rules.outputChecks(table, statuses: cells.map { rules.assess($0).status }, complement: complement)
    }

    // MARK: - Means, totals, ratios: threshold units per domain

    @Test(arguments: ["mean", "total", "ratio"])
    func aDomainWithEnoughUnitsPassesTheThreshold(_ statistic: String) throws {
        let rules = try TestTables.rules()
        let cell = Self.cell(statistic, units: 12)
        #expect(rules.assess(cell).status == .safe)
        let threshold = try Self.check(Self.checks([cell], rules), "threshold")
        #expect(threshold.status == .pass && !threshold.withheld)
        #expect(threshold.evidence == "12 units (at least 10)")
        #expect(threshold.subject == "region=A \(statistic) wealth")
    }

    @Test(arguments: ["mean", "total", "ratio"])
    func aDomainWithFewUnitsFailsTheThresholdAndIsWithheld(_ statistic: String) throws {
        let rules = try TestTables.rules()
        let cell = Self.cell(statistic, units: 9)
        #expect(rules.assess(cell).status == .primary("threshold+threshold-nonzero"))
        let threshold = try Self.check(Self.checks([cell], rules), "threshold")
        #expect(threshold.status == .fail && threshold.withheld && threshold.effect == .pass)
        // The count of a withheld cell is not in its evidence.
        #expect(threshold.evidence == "fewer than 10 units: withheld")
    }

    @Test func aRatioNeedsTheThresholdInItsDenominator() throws {
        let rules = try TestTables.rules()
        var cell = Self.cell("ratio", units: 20)
        cell.denominatorContributors = ContributorEvidence(
            nonZero: 4, zero: 16, indicator: false, total: 40, top: [10, 10], hasNegative: false)
        #expect(rules.assess(cell).status == .primary("threshold-denominator"))
        cell.denominatorContributors?.nonZero = 10
        #expect(rules.assess(cell).status == .safe)
        #expect(try Self.check(Self.checks([cell], rules), "threshold-denominator").evidence
            == "at least 10 units with a non-zero denominator")
    }

    // MARK: - Dominance for totals of magnitude variables

    @Test func aTotalWithoutADominantContributorPassesNKAndP() throws {
        let rules = try TestTables.rules()
        let cell = Self.cell("total", units: 20, total: 1000, top: [100, 90])
        #expect(rules.assess(cell).status == .safe)
        let checks = Self.checks([cell], rules)
        #expect(try Self.check(checks, "nk").status == .pass)
        #expect(try Self.check(checks, "p%").status == .pass)
        #expect(try Self.check(checks, "nk").evidence == "the 2 largest weighted contributions hold at most 90% of the total")
    }

    @Test func aTotalDominatedByTwoContributorsFailsNK() throws {
        let rules = try TestTables.rules()
        // 950 of 1000 in the two largest: NK(2, 90%) fails; the rest (50) is 10% of 500, so p% holds.
        let cell = Self.cell("total", units: 20, total: 1000, top: [500, 450])
        #expect(rules.assess(cell).status == .primary("nk"))
        let nk = try Self.check(Self.checks([cell], rules), "nk")
        #expect(nk.status == .fail && nk.withheld)
        #expect(nk.evidence.hasPrefix("the 2 largest weighted contributions hold more than 90%"))
    }

    @Test func aWealthTotalWithOneLargeHolderFailsP() throws {
        let rules = try TestTables.rules()
        // x1 = 800, x2 = 150, rest 50 < 10% of 800 = 80: p% fails; top two 950/1000 > 90%: NK too.
        let failing = Self.cell("total", units: 30, total: 1000, top: [800, 150])
        #expect(rules.assess(failing).status == .primary("nk+p%"))
        // x1 = 800, x2 = 10, rest 190 >= 80: p% holds; 810/1000 <= 90%: NK holds.
        let passing = Self.cell("total", domain: "B", units: 30, total: 1000, top: [800, 10])
        #expect(rules.assess(passing).status == .safe)
        let checks = Self.checks([failing, passing], rules).filter { $0.rule == "p%" }
        #expect(checks.map(\.status) == [.fail, .pass])
    }

    // MARK: - Quantiles, minimum and maximum, mode

    static func quantile(below: Int, above: Int) -> CellEstimate {
        var c = CellEstimate(
            byValues: ["A"], statistic: "quantile", variable: "income", level: "0.5", estimate: 300, standardError: 5,
            ciLow: 290, ciHigh: 310, degreesOfFreedom: 30, unweightedCount: below + above + 1, weightedCount: 80)
        c.quantileSides = QuantileSides(below: below, above: above)
        return c
    }

    @Test func aQuantileWithThresholdUnitsOnBothSidesPasses() throws {
        let rules = try TestTables.rules()
        let cell = Self.quantile(below: 12, above: 15)
        #expect(rules.assess(cell).status == .safe)
        let sides = try Self.check(Self.checks([cell], rules), "quantile-sides")
        #expect(sides.status == .pass && sides.evidence == "at least 10 units on each side")
    }

    @Test func aQuantileWithFewUnitsOnOneSideFails() throws {
        let rules = try TestTables.rules()
        let cell = Self.quantile(below: 30, above: 3)
        #expect(rules.assess(cell).status == .primary("quantile-sides"))
        let sides = try Self.check(Self.checks([cell], rules), "quantile-sides")
        #expect(sides.status == .fail && sides.withheld)
        #expect(sides.evidence == "fewer than 10 units on one side of the quantile: withheld")
    }

    @Test func theMinimumAndMaximumAreRefusedAndInnerQuantilesAreNot() throws {
        for p in [0.0, 1.0] {
            #expect {
                try DisclosureRules.checkQuantileProbability(p)
            } throws: { error in
                let refused = error as? RefusedStatistic
                return refused?.statistic == (p == 0 ? "the minimum (quantile 0)" : "the maximum (quantile 1)")
                    && "\(error)".contains("never published")
            }
        }
        try DisclosureRules.checkQuantileProbability(0.01)
        try DisclosureRules.checkQuantileProbability(0.99)
        #expect(throws: RefusedStatistic.self) { try DisclosureRules.checkQuantileProbability(1.5) }
    }

    @Test func aModeIsPublishedOnlyWithThresholdUnitsAtIt() throws {
        let rules = try TestTables.rules()
        let published = rules.modeCheck(subject: "region=A mode tenure", unitsAtMode: 10)
        #expect(published.status == .pass && !published.withheld && published.evidence == "10 units at the mode (at least 10)")
        let withheld = rules.modeCheck(subject: "region=C mode tenure", unitsAtMode: 9)
        #expect(withheld.status == .fail && withheld.withheld)
        #expect(!withheld.evidence.contains("9"))
    }

    // MARK: - Differencing: a --subpop output and its complement

    /// Rows of regions A (20 rows, 3 of them outside the subpopulation) and B (20 rows, none outside).
    static func subpopBatch() -> Batch {
        var region: [String?] = [], marker: [Double] = [], income: [Double] = []
        for (r, outside) in [("A", 3), ("B", 0)] {
            for k in 0..<20 {
                region.append(r)
                marker.append(k < outside ? 0 : 1)
                income.append(Double(100 + k))
            }
        }
        return Batch(
            columns: [
                Column(name: "region", storage: .text(region)), Column(name: "__subpop", storage: .real(marker)),
                Column(name: "income", storage: .real(income)),
            ], rowCount: region.count)
    }

    @Test func aSubpopCellWhoseComplementIsBelowTheThresholdIsFlagged() throws {
        let rules = try TestTables.rules()
        var complement = SubpopulationComplement(marker: "__subpop", by: ["region"], analysis: .mean("income"), weight: nil)
        try complement.add(Self.subpopBatch())
        #expect(complement.outside(byValues: ["A"], level: nil) == 3)
        #expect(complement.flags(byValues: ["A"], level: nil, rules: rules))
        #expect(!complement.flags(byValues: ["B"], level: nil, rules: rules))
        let cells = [Self.cell("mean", domain: "A", units: 17), Self.cell("mean", domain: "B", units: 20)]
        let table = EstimateTable(byVariables: ["region"], cells: cells)
        let checked = try DisclosureControl(rules: rules).check(table, complement: complement)
        #expect(checked.statuses[0] == .primary("subpop-complement"))
        // B alone would be recoverable from the published overall figure: it is withheld too.
        #expect(checked.statuses[1].isSuppressed)
        let checks = rules.outputChecks(table, statuses: checked.statuses, complement: complement)
            .filter { $0.rule == "subpop-complement" }
        #expect(checks.map(\.status) == [.fail, .pass])
        #expect(checks[0].withheld && checks[0].evidence.hasPrefix("fewer than 10 rows of the domain are outside"))
        #expect(checks[1].evidence == "no row of the domain is outside the subpopulation")
    }

    @Test func aSubpopWhoseComplementHasThresholdUnitsPasses() throws {
        let rules = try TestTables.rules()
        var complement = SubpopulationComplement(marker: "__subpop", by: [], analysis: .mean("income"), weight: nil)
        try complement.add(Self.subpopBatch())  // 3 of 40 rows outside, over both regions
        #expect(complement.flags(byValues: [], level: nil, rules: rules))
        var wide = SubpopulationComplement(marker: "__subpop", by: [], analysis: .mean("income"), weight: nil)
        var batch = Self.subpopBatch()
        batch.columns[1] = Column(name: "__subpop", storage: .real((0..<40).map { $0 < 12 ? 0 : 1 }))
        try wide.add(batch)
        #expect(wide.outside(byValues: [], level: nil) == 12)
        let cell = CellEstimate(
            statistic: "mean", variable: "income", estimate: 110, standardError: 1, ciLow: 108, ciHigh: 112,
            degreesOfFreedom: 27, unweightedCount: 28, weightedCount: 28)
        let checked = try DisclosureControl(rules: rules).check(EstimateTable(cells: [cell]), complement: wide)
        #expect(checked.statuses == [.safe])
    }

    // MARK: - The audit sidecar

    @Test func everyCheckIsInTheSidecarWithItsEvidenceAndTheOutputsHash() throws {
        let rules = try TestTables.rules()
        let cells = [Self.cell("total", domain: "A", units: 25), Self.cell("total", domain: "B", units: 4),
                     Self.cell("total", domain: "C", units: 30)]
        let table = EstimateTable(byVariables: ["region"], cells: cells)
        let checked = try DisclosureControl(rules: rules).check(table)
        let folder = try Fixtures.temporaryDirectory()
        let output = folder.appendingPathComponent("t.csv").path
        let text = ([checked.header] + checked.rows).map { $0.joined(separator: ",") + "\n" }.joined()
        try OutputFile.write(text, to: output)
        let written = try #require(try OutputAudit.write(
            for: output, table: table, checked: checked, rules: rules,
            population: AuditedPopulation(data: "/data/lfs.csv", filter: nil), tool: "microdata test",
            command: ["/usr/bin/microdata", "tabulate", "--total", "wealth"]))
        let audit = try OutputAudit.load(output + ".audit.json")
        #expect(audit == written)
        #expect(audit.command == ["microdata", "tabulate", "--total", "wealth"])
        #expect(audit.sha256 == SHA256.hex(Array(text.utf8)))
        #expect(audit.controlled && audit.rules == rules.inForce && audit.threshold == 10)
        let b = audit.checks.filter { $0.subject == "region=B total wealth" }
        #expect(b.first { $0.rule == "threshold" }?.evidence == "fewer than 10 units: withheld")
        // B (4 units) and one secondary are withheld: their counts are not in the audit.
        #expect(audit.cells?.filter { $0.units == nil }.count == 2)
        #expect(audit.cells?.first { $0.domain == ["region=B"] }?.units == nil)
        #expect(audit.status == .pass)
    }

    @Test func anUncheckedOutputsSidecarFails() throws {
        let folder = try Fixtures.temporaryDirectory()
        let output = folder.appendingPathComponent("raw.csv").path
        try OutputFile.write("id,income\n1,100\n", to: output)
        let audit = try #require(try OutputAudit.uncontrolled(for: output, stamp: OutputAudit.microdataStamp, tool: "t"))
        #expect(!audit.controlled && audit.status == .fail)
        #expect(try OutputAudit.write(for: nil, tool: "t", stamp: nil, rules: nil, checks: []) == nil)
    }
}
