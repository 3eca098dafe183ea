import Foundation
import MicrodataReaders
import MicrodataTestSupport
import MicrodataWeighting
import Testing

@testable import MicrodataMobility

/// Income mobility against R survey 4.1.1 (Fixtures/income/expected.csv, from income_mobility.R): svyquantile
/// boundaries, svyby transition shares, svyglm slopes on ranks computed in R, svymean absolute mobility and
/// svycontrast / interaction differences between groups, on the BCS70-style cohort (weights only) and on a
/// generated file (strata, PSUs, FPC; JK1 replicate weights).
struct IncomeMobilityOracleTests {
    static let expected: [String: Double] = {
        let records = try! DelimitedRecords(contentsOf: Fixtures.url("income/expected.csv"))
        var out: [String: Double] = [:]
        for r in records.records.dropFirst() {
            out[r.fields[0...5].joined(separator: "|")] = Double(r.fields[6])!
        }
        return out
    }()

    static let strclus = SurveyDesign(weight: "W", strata: "STRATUM", clusters: ["PSU"], fpc: ["FPC"])
    static let jackknife = SurveyDesign(
        weight: "W", replicates: ReplicateWeights(pattern: "^RW[0-9]+$", type: .jk1, combinedWeights: true))

    /// `extra` adds columns to each batch before the estimator sees it.
    static func run(
        _ file: String, _ spec: IncomeMobilitySpec, _ design: SurveyDesign, extra: (Batch) -> [Column] = { _ in [] }
    ) throws -> IncomeMobilityResults {
        var sample = try IncomeMobilitySample(spec: spec, design: design)
        var source = try DataReader.open(data: Fixtures.url("income/\(file)"), codebook: nil, options: ReadOptions())
        while var batch = try source.nextBatch() {
            batch.columns += extra(batch)
            try sample.add(batch)
        }
        return try sample.estimate()
    }

    static func close(_ a: Double, _ b: Double) -> Bool {
        abs(a - b) <= 1e-8 * max(abs(b), 1e-12) || abs(a - b) < 1e-12
    }

    /// Compares every measure of `results` with case `name`, and counts the comparisons made.
    static func check(_ name: String, _ results: IncomeMobilityResults, sourceLocation: SourceLocation = #_sourceLocation) -> Int {
        var compared = 0
        func expect(_ group: String, _ table: String, _ row: String, _ column: String, _ statistic: String, _ value: Double?) {
            let key = [name, group, table, row, column, statistic].joined(separator: "|")
            guard let want = expected[key] else {
                Issue.record("no R value for \(key)", sourceLocation: sourceLocation)
                return
            }
            guard let value else {
                Issue.record("no estimate for \(key)", sourceLocation: sourceLocation)
                return
            }
            #expect(close(value, want), "\(key): \(value) vs R \(want)", sourceLocation: sourceLocation)
            compared += 1
        }
        func both(_ group: String, _ table: String, _ row: String, _ column: String, _ e: MobilityEstimate?) {
            expect(group, table, row, column, "estimate", e?.estimate)
            expect(group, table, row, column, "se", e?.standardError)
        }
        let k = results.quantileGroups
        for g in results.groups {
            for b in 0..<(k - 1) {
                expect(g.name, "boundaries", "\(b + 1)", "origin", "estimate", g.originBoundaries[b])
                expect(g.name, "boundaries", "\(b + 1)", "destination", "estimate", g.destinationBoundaries[b])
            }
            for i in 0..<k { for j in 0..<k { both(g.name, "income_transition", "\(i + 1)", "\(j + 1)", g.transition[i][j]) } }
            both(g.name, "rank_rank", "slope", "", g.rankRank["slope"])
            both(g.name, "rank_rank", "intercept", "", g.rankRank["intercept"])
            both(g.name, "ige", "elasticity", "", g.ige["elasticity"])
            both(g.name, "ige", "intercept", "", g.ige["intercept"])
            expect(g.name, "ige", "excluded", "", "estimate", Double(g.igeExcluded))
            both(g.name, "absolute_income", "upward", "", g.absolute["upward"])
            both(g.name, "absolute_income", "downward", "", g.absolute["downward"])
        }
        for d in results.differences { both("", "differences", d.measure, "", d.difference) }
        return compared
    }

    @Test func bcs70CohortMatchesR() throws {
        let spec = IncomeMobilitySpec(origin: "PARINC10", destination: "B9GROSPAY", deflator: 3.89)
        let results = try Self.run("bcs70_cohort.csv", spec, .weightsOnly(weight: "B9NRWT"))
        #expect(Self.check("B1", results) == 8 + 50 + 9 + 4)
    }

    @Test func bcs70CohortBySexMatchesRWithDifferences() throws {
        let spec = IncomeMobilitySpec(origin: "PARINC10", destination: "B9GROSPAY", deflator: 3.89, by: ["SEX"])
        let results = try Self.run("bcs70_cohort.csv", spec, .weightsOnly(weight: "B9NRWT"))
        #expect(results.groups.map(\.name) == ["1", "2"])
        #expect(results.differences.count == 4)
        #expect(Self.check("B2", results) == 2 * 71 + 8)
    }

    @Test func stratifiedClusterDesignWithTiesZerosAndNegativesMatchesR() throws {
        let spec = IncomeMobilitySpec(origin: "PINC", destination: "CINC")
        let results = try Self.run("generated_income.csv", spec, Self.strclus)
        #expect(results.groups[0].igeExcluded > 0)
        #expect(Self.check("G1", results) == 71)
    }

    @Test func groupsByCohortMatchR() throws {
        let spec = IncomeMobilitySpec(origin: "PINC", destination: "CINC", by: ["COHORT"])
        let results = try Self.run("generated_income.csv", spec, Self.strclus)
        #expect(Self.check("G2", results) == 2 * 71 + 8)
    }

    @Test func quartilesWithDeflatorMatchR() throws {
        let spec = IncomeMobilitySpec(origin: "PINC", destination: "CINC", groups: 4, deflator: 1.25)
        let results = try Self.run("generated_income.csv", spec, Self.strclus)
        #expect(Self.check("G3", results) == 6 + 32 + 9 + 4)
    }

    @Test func deflatorPerRowEqualsTheSameConstantDeflator() throws {
        let spec = IncomeMobilitySpec(origin: "PINC", destination: "CINC", groups: 4, deflateOrigin: "D")
        let results = try Self.run("generated_income.csv", spec, Self.strclus) { batch in
            [Column(name: "D", storage: .real([Double](repeating: 1.25, count: batch.rowCount)))]
        }
        #expect(Self.check("G3", results) == 6 + 32 + 9 + 4)
    }

    @Test func subpopulationEqualsTheGroupOfRsDomain() throws {
        // --subpop COHORT == 1970: the rows of 1980 stay in the design, as the 1970 group of case G2.
        let spec = IncomeMobilitySpec(origin: "PINC", destination: "CINC", subpopulation: "S")
        var results = try Self.run("generated_income.csv", spec, Self.strclus) { batch in
            let cohort = batch.column(named: "COHORT")!
            return [Column(name: "S", storage: .real((0..<batch.rowCount).map { cohort.double(at: $0) == 1970 ? 1 : 0 }))]
        }
        results.groups[0].name = "1970"
        #expect(Self.check("G2", results) == 71)
    }

    @Test func replicateWeightsMatchR() throws {
        let spec = IncomeMobilitySpec(origin: "PINC", destination: "CINC")
        let results = try Self.run("generated_income.csv", spec, Self.jackknife)
        #expect(Self.check("R1", results) == 71)
        let byCohort = try Self.run(
            "generated_income.csv", IncomeMobilitySpec(origin: "PINC", destination: "CINC", by: ["COHORT"]), Self.jackknife)
        #expect(Self.check("R2", byCohort) == 2 * 71 + 8)
    }

    @Test func weightedMidRankFollowsTheIssueDefinition() {
        // Weights 1, 2, 1, 4 on values 3, 1, 3, 2: below 3 lie 2 + 4 = 6, tied 2, total 8.
        let ranks = WeightedRank.percent([3, 1, 3, 2], weights: [1, 2, 1, 4], rows: [0, 1, 2, 3])
        let expected: [Double] = [87.5, 12.5, 87.5, 50]
        #expect(ranks == expected)
    }
}
