import MicrodataReaders
import Testing

@testable import MicrodataWeighting

/// `tabulate` asks for each domain's own covariance only (``EstimationOptions/fullCovariance`` `false`), so
/// the estimator keeps one block per domain (memory linear in domains, issue 21 §5) with the same numbers.
struct DomainCovarianceBlockTests {
    static func perDomain(_ by: [String]) -> EstimationOptions {
        var o = EstimationOptions(by: by)
        o.fullCovariance = false
        return o
    }

    static func same(_ a: Double, _ b: Double) -> Bool { a == b || (a.isNaN && b.isNaN) }

    /// Every block covers one domain's cells, and its matrix is that domain's block of the full covariance.
    static func expectPerDomainBlocks(_ frame: Frame, _ design: SurveyDesign, _ analyses: [Analysis], by: [String])
        throws
    {
        let full = try frame.estimate(design, analyses, EstimationOptions(by: by))
        let split = try frame.estimate(design, analyses, perDomain(by))
        #expect(full.blocks.count == analyses.count)
        for k in [\CellEstimate.estimate, \.standardError, \.ciLow, \.ciHigh] {
            #expect(zip(split.table.cells, full.table.cells).allSatisfy { same($0[keyPath: k], $1[keyPath: k]) })
        }
        let domains = Set(full.table.cells.map(\.byValues)).count
        #expect(split.blocks.count == analyses.count * domains)
        for block in split.blocks {
            let n = block.cells.count
            #expect(block.covariance.count == n * n)
            #expect(Set(block.cells.map { split.table.cells[$0].byValues }).count == 1)
            for i in block.cells {
                for j in block.cells {
                    let a = split.covariance(i, j)!, b = full.covariance(i, j)!
                    #expect(same(a, b))
                }
            }
        }
    }

    @Test func taylorDomainBlocksHoldTheSameNumbersAsTheFullCovariance() throws {
        try Self.expectPerDomainBlocks(
            Designs.apiclus1, Designs.dclus1, [.mean("api00"), .proportion("sch.wide"), .ratio("api.stu", "enroll")],
            by: ["stype"])
        try Self.expectPerDomainBlocks(Designs.apistrat, Designs.dstrat, [.total("enroll")], by: ["stype", "sch.wide"])
        try Self.expectPerDomainBlocks(Designs.apiclus2, Designs.dclus2, [.mean("api00"), .proportion("stype")],
                                       by: ["sch.wide"])
    }

    @Test func replicateDomainBlocksHoldTheSameNumbersAsTheFullCovariance() throws {
        let design = SurveyDesign(weight: "pw", replicates: ReplicateWeights(pattern: "^rw[0-9]+$", type: .jk1, scale: nil))
        try Self.expectPerDomainBlocks(ReplicateTests.jk1, design, [.mean("api00"), .proportion("sch.wide")],
                                       by: ["stype"])
    }

    /// 300 domains: the full matrix would hold 90,000 entries, the per-domain blocks 300.
    @Test func manyDomainsKeepCovarianceLinearInDomains() throws {
        var estimator = try SurveyEstimator(
            design: SurveyDesign(weight: "w"), analyses: [.mean("y")], options: Self.perDomain(["g"]))
        let rows = 900
        try estimator.add(Batch(columns: [
            Column(name: "w", storage: .real((0..<rows).map { 1 + Double($0 % 7) })),
            Column(name: "y", storage: .real((0..<rows).map { Double($0 * 37 % 101) })),
            Column(name: "g", storage: .integer((0..<rows).map { Int64($0 % 300) },
                                                missing: [Bool](repeating: false, count: rows))),
        ], rowCount: rows))
        let estimates = try estimator.finish()
        #expect(estimates.table.cells.count == 300)
        #expect(estimates.blocks.count == 300)
        #expect(estimates.blocks.reduce(0) { $0 + $1.covariance.count } == 300)
        #expect(estimates.table.cells.allSatisfy { $0.standardError > 0 })
    }

    @Test func quantilesAndInequalityMeasuresByManyDomainsKeepCovarianceLinear() throws {
        let rows = 900
        let batch = Batch(columns: [
            Column(name: "w", storage: .real((0..<rows).map { 1 + Double($0 % 7) })),
            Column(name: "y", storage: .real((0..<rows).map { 1 + Double($0 * 37 % 101) })),
            Column(name: "g", storage: .integer((0..<rows).map { Int64($0 % 300) },
                                                missing: [Bool](repeating: false, count: rows))),
        ], rowCount: rows)
        for analysis in [Analysis.quantile("y", [0.25, 0.5]), .inequality("y", .gini)] {
            var estimator = try SurveyEstimator(
                design: SurveyDesign(weight: "w"), analyses: [analysis], options: Self.perDomain(["g"]))
            try estimator.add(batch)
            let estimates = try estimator.finish()
            let cells = estimates.table.cells.count
            #expect(cells == (analysis.kind == .quantile ? 600 : 300), "\(analysis.kind)")
            // Entries kept: one per cell (a quantile's variance, a domain's one Gini), not cells².
            #expect(estimates.blocks.reduce(0) { $0 + $1.covariance.count } == cells, "\(analysis.kind)")
        }
    }
}
