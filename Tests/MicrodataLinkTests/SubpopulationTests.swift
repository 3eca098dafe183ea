import Foundation
import MicrodataReaders
import MicrodataTestSupport
import MicrodataWeighting
import Testing

@testable import MicrodataLink

/// `--subpop` against R `subset(design, …)`: rows outside stay in the design (their units count, their weight
/// is zero). Fixtures/rsurvey/subpop.R writes subpop_expected.csv (see PROVENANCE.txt).
struct SubpopulationTests {
    /// Keyed by "case|statistic|level": (estimate, SE).
    static let expected: [String: (Double, Double)] = {
        let records = try! DelimitedRecords(contentsOf: Fixtures.url("rsurvey/subpop_expected.csv")).records
        var out: [String: (Double, Double)] = [:]
        for r in records.dropFirst() {
            let f = r.fields
            out["\(f[0])|\(f[1])|\(f[2])"] = (Double(f[3])!, Double(f[4])!)
        }
        return out
    }()

    /// Reads fixture CSVs with the same rows side by side, in batches of 50 rows.
    struct Bound: BatchSource {
        var parts: [any BatchSource]
        init(_ names: [String]) throws {
            parts = try names.map {
                try DataReader.open(data: Fixtures.url("rsurvey/\($0)"), codebook: nil, options: ReadOptions(batchSize: 50))
            }
        }
        mutating func nextBatch() throws -> Batch? {
            var columns: [Column] = []
            var count = 0
            for k in parts.indices {
                guard let b = try parts[k].nextBatch() else { return nil }
                columns += b.columns
                count = b.rowCount
            }
            return Batch(columns: columns, rowCount: count)
        }
    }

    func estimate(_ design: SurveyDesign, _ files: [String], subpop: String?, _ analysis: Analysis) throws -> Estimates {
        var source: any BatchSource = try Bound(files)
        if let subpop { source = SubpopulationSource(source, expression: try RowExpression(parsing: subpop)) }
        let options = EstimationOptions(subpopulation: subpop == nil ? nil : SubpopulationSource.column)
        var estimator = try SurveyEstimator(design: design, analyses: [analysis], options: options)
        while let b = try source.nextBatch() { try estimator.add(b) }
        return try estimator.finish()
    }

    func check(_ id: String, _ design: SurveyDesign, _ files: [String], _ subpop: String,
               sourceLocation: SourceLocation = #_sourceLocation) throws {
        let cases: [(Analysis, String)] = [
            (.mean("api00"), "mean api00"), (.total("enroll"), "total enroll"), (.proportion("awards"), "proportion awards"),
            (.quantile("api00", [0.25, 0.5]), "quantile api00"),
        ]
        var compared = 0
        for (analysis, statistic) in cases {
            let est = try estimate(design, files, subpop: subpop, analysis)
            for cell in est.table.cells {
                guard let (value, se) = Self.expected["\(id)|\(statistic)|\(cell.level ?? "")"] else {
                    Issue.record("\(id) \(statistic) \(cell.level ?? ""): no R value", sourceLocation: sourceLocation)
                    continue
                }
                let what = "\(id) \(statistic) \(cell.level ?? "")"
                #expect(abs(cell.estimate - value) <= 1e-8 * abs(value), "\(what): \(cell.estimate) vs R \(value)",
                        sourceLocation: sourceLocation)
                #expect(abs(cell.standardError - se) <= 1e-8 * abs(se), "\(what) SE: \(cell.standardError) vs R \(se)",
                        sourceLocation: sourceLocation)
                compared += 1
            }
        }
        #expect(compared == 6, sourceLocation: sourceLocation)
    }

    static let taylor = SurveyDesign(weight: "pw", strata: "stype", clusters: ["dnum"], nest: true)
    static let jk1 = SurveyDesign(
        weight: "pw", replicates: ReplicateWeights(pattern: "^rw[0-9]+$", type: .jk1, scale: 0.9148392779))

    @Test func taylorSubpopulationKeepsEveryPSUAndTreatsMissingAsOutside() throws {
        try check("S01", Self.taylor, ["apistrat.csv"], "!(acs.k3 > 19) | (stype == \"H\" & enroll >= 1000)")
    }

    @Test func replicateSubpopulationEqualsRSubset() throws {
        try check("S02", Self.jk1, ["apiclus1.csv", "rep_dclus1_JK1.csv"], "meals < 50 & sch.wide == 'Yes'")
    }

    @Test func weightsOnlySubpopulationIsNotAFilter() throws {
        let subpop = "stype in ('E', 'M') & api99 > 600"
        try check("S03", .weightsOnly(weight: "pw"), ["apisrs.csv"], subpop)
        // Filtering the rows first gives the same mean but another SE (n of the subset, not of the sample).
        let within = try estimate(.weightsOnly(weight: "pw"), ["apisrs.csv"], subpop: subpop, .mean("api00"))
        var filtered = SubpopulationSource(try Bound(["apisrs.csv"]), expression: try RowExpression(parsing: subpop))
        var estimator = try SurveyEstimator(design: .weightsOnly(weight: "pw"), analyses: [.mean("api00")])
        while var b = try filtered.nextBatch() {
            let keep = b.column(named: SubpopulationSource.column)!.doubles.map { $0 == 1 }
            b.columns = b.columns.map { c in
                var c = c
                switch c.storage {
                case .real(let v): c.storage = .real(v.indices.filter { keep[$0] }.map { v[$0] })
                case .integer(let v, let m): let k = v.indices.filter { keep[$0] }
                    c.storage = .integer(k.map { v[$0] }, missing: k.map { m[$0] })
                case .text(let v): c.storage = .text(v.indices.filter { keep[$0] }.map { v[$0] })
                }
                return c
            }
            b.rowCount = keep.filter { $0 }.count
            try estimator.add(b)
        }
        let dropped = try estimator.finish().table.cells[0]
        #expect(abs(dropped.estimate - within.table.cells[0].estimate) < 1e-9)
        #expect(abs(dropped.standardError - within.table.cells[0].standardError) > 1e-3 * dropped.standardError)
    }
}
