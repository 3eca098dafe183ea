import MicrodataWeighting
import Testing

@testable import MicrodataDisclosure

/// Issue 26: estimates combined over imputations are safe only if every imputation's are.
@Suite struct ImputedDisclosureTests {
    /// Mean wealth in domains A, B, C with 20 contributors each; `top` gives each domain's two largest
    /// weighted contributions out of a total of 1000.
    static func table(_ top: [String: [Double]]) -> EstimateTable {
        EstimateTable(byVariables: ["region"], cells: ["A", "B", "C"].map { d in
            var c = CellEstimate(
                byValues: [d], statistic: "mean", variable: "wealth", estimate: 50, standardError: 5, ciLow: 40,
                ciHigh: 60, degreesOfFreedom: 30, unweightedCount: 20, weightedCount: 20)
            c.contributors = ContributorEvidence(
                nonZero: 20, zero: 0, indicator: false, total: 1000, top: top[d] ?? [100, 90], hasNegative: false)
            return c
        })
    }

    @Test func aCellDominatedInOneImputationIsAPrimaryOfTheCombinedTableWithSecondaries() throws {
        let control = DisclosureControl(rules: try TestTables.rules())
        let combined = Self.table([:])
        // Alone, the combined table publishes every domain.
        #expect(try control.check(combined).statuses.allSatisfy { !$0.isSuppressed })
        // In imputation 2 one member holds 95% of B's wealth (NK(2, 90%) fails there only).
        let imputations = [Self.table([:]), Self.table(["B": [950, 10]]), Self.table([:])]
        let checked = try control.checkImputations(combined, imputations: imputations)
        #expect(checked.statuses[1] == .primary("nk@imputation2+p%@imputation2"), "\(checked.statuses)")
        // The overall mean is published by another call: one more domain is hidden so B cannot be recovered.
        #expect(checked.statuses.filter(\.isSuppressed).count == 2)
        #expect(checked.audit?.passed == true)
    }
}
