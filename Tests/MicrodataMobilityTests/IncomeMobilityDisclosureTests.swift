import Foundation
import MicrodataDisclosure
import MicrodataReaders
import MicrodataTestSupport
import MicrodataWeighting
import MicrodataWrite
import Testing

@testable import MicrodataMobility

/// Disclosure control of every income-mobility cell: transition shares, boundaries, slopes, the elasticity's
/// excluded count and the absolute shares, and differences between groups.
struct IncomeMobilityDisclosureTests {
    /// A deterministic data set: `n` rows per group of `groups`, incomes spread so that no two are equal unless
    /// `equal` rows are made equal and `nonPositive` rows get a zero origin income.
    static func data(n: [Int], equal: Int = 0, nonPositive: Int = 0) -> Batch {
        var x: [Double] = [], y: [Double] = [], w: [Double] = [], g: [Double] = []
        var state: UInt64 = 12345
        func next() -> Double {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Double(state >> 11) / Double(1 << 53)
        }
        for (group, count) in n.enumerated() {
            for r in 0..<count {
                let parent = 10000 + 20000 * next()
                x.append(parent)
                y.append(r < equal ? parent : 0.5 * parent + 30000 * next())
                w.append(0.5 + next())
                g.append(Double(group + 1))
            }
        }
        for r in 0..<nonPositive { x[equal + r] = 0 }
        return Batch(columns: [
            Column(name: "X", storage: .real(x)), Column(name: "Y", storage: .real(y)),
            Column(name: "W", storage: .real(w)), Column(name: "G", storage: .real(g)),
        ], rowCount: x.count)
    }

    static func run(_ batch: Batch, by: [String] = [], groups: Int = 5) throws
        -> (IncomeMobilityResults, IncomeMobilityProtection, Publication)
    {
        var sample = try IncomeMobilitySample(
            spec: IncomeMobilitySpec(origin: "X", destination: "Y", groups: groups, by: by), design: .weightsOnly(weight: "W"))
        try sample.add(batch)
        let results = try sample.estimate()
        let rules = try DisclosureRules.load(defaults: Fixtures.codebook("disclosure/default-rules.json"), overrides: nil)
        let protection = try IncomeMobilityProtection(results: results, control: DisclosureControl(rules: rules))
        let publication = IncomeMobilityPublication(results: results, protection: protection, rules: rules, deflation: "")
            .publication(appendingTo: nil, title: "t", source: "s", metadata: [])
        return (results, protection, publication)
    }

    static func cell(_ p: Publication, _ table: String, _ row: String, column: Int = 0) -> PublishedCell? {
        p.tables.first { $0.id == table }?.rows.first { $0.label == row }?.cells[column]
    }

    @Test func everyCellOfASmallGroupIsWithheldAndItsDifferencesToo() throws {
        let (results, protection, publication) = try Self.run(Self.data(n: [400, 8]), by: ["G"])
        #expect(results.groups[1].domainRows == 8)
        for table in publication.tables where table.group == "2" {
            for row in table.rows {
                for c in row.cells { #expect(c.marker != nil, "\(table.id) \(row.label) is published") }
            }
        }
        #expect(protection.isWithheld(group: 1, "rank_rank", "slope"))
        let differences = try #require(publication.tables.first { $0.id == "income_differences" })
        #expect(differences.rows.allSatisfy { $0.cells[0].marker == .suppressed })
        // The big group's own measures are published, without the n that would give the small group's away
        // from the rows with both incomes in the notes.
        let slope = try #require(Self.cell(publication, "rank_rank-1", "slope"))
        #expect(slope.estimate != nil && slope.unweightedCount == nil)
        #expect(protection.countsWithheld(group: 0))
        #expect(Self.cell(publication, "absolute_income-1", "upward")?.estimate != nil)
    }

    @Test func boundariesAndTransitionCellsWithFewRowsAreWithheld() throws {
        // 30 rows in 4 groups: about 7 rows below the first boundary and 2 in each cell.
        let (results, protection, publication) = try Self.run(Self.data(n: [30]), groups: 4)
        #expect(results.groups[0].originSides[0].below < 10)
        #expect(protection.isWithheld(group: 0, "boundaries", "1 origin"))
        #expect(Self.cell(publication, "income_boundaries", "1")?.marker == .suppressed)
        #expect(Self.cell(publication, "income_boundaries", "2")?.estimate != nil)
        let transition = try #require(publication.tables.first { $0.id == "income_transition" })
        for (i, row) in transition.rows.enumerated() {
            for (j, c) in row.cells.enumerated() where results.groups[0].counts[i][j] > 0 {
                #expect(c.marker == .suppressed, "cell \(i),\(j) with \(results.groups[0].counts[i][j]) rows is published")
            }
        }
        // No boundary value that was withheld appears anywhere in the CSV.
        let csv = publication.csv()
        #expect(!csv.contains(String(results.groups[0].originBoundaries[0])))
    }

    @Test func fewRowsWithEqualIncomesWithholdDownwardSoTheyCannotBeDifferencedOut() throws {
        let (results, _, publication) = try Self.run(Self.data(n: [300], equal: 3))
        #expect(results.groups[0].absoluteCounts["equal"] == 3)
        #expect(Self.cell(publication, "absolute_income", "upward")?.estimate != nil)
        #expect(Self.cell(publication, "absolute_income", "downward")?.marker == .suppressed)
        // The published n of the share is the domain's, not the rows above.
        #expect(Self.cell(publication, "absolute_income", "upward")?.unweightedCount == 300)
        // With no equal rows both are published.
        let (_, _, clean) = try Self.run(Self.data(n: [300]))
        #expect(Self.cell(clean, "absolute_income", "downward")?.estimate != nil)
    }

    @Test func aFewNonPositiveIncomesWithholdTheExcludedCountAndTheElasticityBase() throws {
        let (results, _, publication) = try Self.run(Self.data(n: [300], nonPositive: 4))
        #expect(results.groups[0].igeExcluded == 4)
        #expect(Self.cell(publication, "ige", "excluded")?.marker == .suppressed)
        let elasticity = try #require(Self.cell(publication, "ige", "elasticity"))
        #expect(elasticity.estimate != nil && elasticity.unweightedCount == nil)
        // The rank-rank base (all 300) is published: 300 − n(elasticity) would give the 4 away.
        #expect(Self.cell(publication, "rank_rank", "slope")?.unweightedCount == 300)
    }

    @Test func turningChecksOffStampsTheOutput() throws {
        var sample = try IncomeMobilitySample(
            spec: IncomeMobilitySpec(origin: "X", destination: "Y"), design: .weightsOnly(weight: "W"))
        try sample.add(Self.data(n: [50]))
        let results = try sample.estimate()
        let rules = try DisclosureRules.load(defaults: Fixtures.codebook("disclosure/default-rules.json"), overrides: nil)
        let publication = IncomeMobilityPublication(results: results, protection: nil, rules: rules, deflation: "")
            .publication(appendingTo: nil, title: "t", source: "s", metadata: [])
        #expect(publication.uncheckedStamp == CheckedTable.bypassStamp)
        let lines = publication.csv().split(separator: "\n")
        #expect(lines.first?.hasSuffix(",controlled") == true && lines.dropFirst().allSatisfy { $0.hasSuffix(",no") })
    }
}

/// The binned scatter of child rank by ventile of parents' rank.
struct IncomeRankBinTests {
    @Test func aBinBelowTheThresholdIsWithheldWithOneOtherSoTheMeansCannotBeDifferenced() throws {
        // 200 rows of weight 1: ten a ventile, except that rows 10 and 11 tie (rank 5), moving one row down.
        var x = (1...200).map(Double.init)
        x[10] = x[9]
        let y = (0..<200).map { Double(($0 * 7919) % 200) }
        let batch = Batch(columns: [
            Column(name: "X", storage: .real(x)), Column(name: "Y", storage: .real(y)),
            Column(name: "W", storage: .real([Double](repeating: 1, count: 200))),
        ], rowCount: 200)
        let (results, protection, publication) = try IncomeMobilityDisclosureTests.run(batch)
        let counts = results.groups[0].rankBins.map(\.count)
        #expect(counts[0] == 11 && counts[1] == 9 && counts[2...].allSatisfy { $0 == 10 })
        let table = try #require(publication.tables.first { $0.id == "rank_bins" })
        let hidden = table.rows.filter { $0.cells[0].marker == .suppressed }.map(\.label)
        #expect(hidden.count == 2 && hidden.contains("2"), "\(hidden)")
        #expect(protection.isWithheld(group: 0, "rank_bins", "2"))
        // A published bin: the fitted value is the rank-rank line at the bin's mean parent rank.
        let bin = results.groups[0].rankBins[5]
        let slope = try #require(results.groups[0].rankRank["slope"]).estimate
        let intercept = try #require(results.groups[0].rankRank["intercept"]).estimate
        #expect(abs(bin.fitted - (intercept + slope * bin.parentRank)) < 1e-9)
        #expect(abs(bin.parentRank - 27.5) < 1e-9)
    }
}

/// Weights an income measure cannot use are refused, not dropped.
struct IncomeWeightTests {
    @Test func negativeAndUnallowedZeroWeightsAreErrorsNamingTheRow() throws {
        for (bad, allowZero) in [(-1.0, false), (0.0, false)] {
            var batch = IncomeMobilityDisclosureTests.data(n: [40])
            var w = batch.columns[2].doubles
            w[6] = bad
            batch.columns[2] = Column(name: "W", storage: .real(w))
            var design = SurveyDesign.weightsOnly(weight: "W")
            design.allowZeroWeights = allowZero
            design.allowNegativeWeights = true
            var sample = try IncomeMobilitySample(spec: IncomeMobilitySpec(origin: "X", destination: "Y"), design: design)
            try sample.add(batch)
            #expect(throws: WeightingError.invalidWeight(column: "W", row: 7, value: String(bad))) { try sample.estimate() }
        }
    }
}
