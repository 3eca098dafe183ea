import Foundation
import MicrodataReaders
import Testing

@testable import MicrodataWeighting

/// Issue 19, mergeable partial results: passes over parts of a file, written out, read back and absorbed in
/// order, finish into the estimates of one pass over the whole file.
@Suite struct PartialAccumulatorsTests {
    /// One pass over `frame`'s rows in `range`.
    static func pass(
        _ frame: Frame, _ rows: Range<Int>, design: SurveyDesign, analyses: [Analysis], options: EstimationOptions
    ) throws -> SurveyEstimator {
        var estimator = try SurveyEstimator(design: design, analyses: analyses, options: options)
        for batch in frame.filter({ rows.contains($0) }).batches(size: 37) { try estimator.add(batch) }
        return estimator
    }

    /// The estimates of one pass over the whole file and of three parts written to JSON, read back and combined.
    static func wholeAndCombined(
        _ file: String, design: SurveyDesign, analyses: [Analysis], by: [String] = []
    ) throws -> (whole: Estimates, combined: Estimates) {
        let frame = try Frame(file)
        var options = EstimationOptions(by: by)
        options.fullCovariance = false
        let n = frame.rowCount
        let cuts = [0, n * 2 / 5, n * 7 / 10, n]
        let whole = try pass(frame, 0..<n, design: design, analyses: analyses, options: options).finish()
        var partials: [PartialAccumulators] = []
        for k in 0..<3 {
            let part = try pass(frame, cuts[k]..<cuts[k + 1], design: design, analyses: analyses, options: options)
            let result = PartialResult(
                request: try EstimationRequest(design: design, analyses: analyses, options: options), context: [:],
                labels: [], data: file, accumulators: try part.partialAccumulators())
            let back = try PartialResult(payload: try result.payload())
            #expect(back == result)  // bit-exact doubles (PackedDoubles compares bit patterns)
            partials.append(back.accumulators)
        }
        let request = try EstimationRequest(design: design, analyses: analyses, options: options)
        let combined = try SurveyEstimator.combining(
            partials, design: try request.surveyDesign(), analyses: try request.analyses(),
            options: try request.estimationOptions()
        ).finish()
        return (whole, combined)
    }

    static func expectSame(_ a: Estimates, _ b: Estimates, _ what: String) {
        #expect(a.table.cells.count == b.table.cells.count, "\(what)")
        #expect(a.table.designDescription == b.table.designDescription, "\(what)")
        #expect(a.degreesOfFreedom == b.degreesOfFreedom, "\(what)")
        func close(_ x: Double, _ y: Double) -> Bool {
            x == y || (x.isNaN && y.isNaN) || abs(x - y) <= 1e-12 * max(abs(x), abs(y))
        }
        for (x, y) in zip(a.table.cells, b.table.cells) {
            #expect(x.byValues == y.byValues && x.level == y.level && x.statistic == y.statistic, "\(what)")
            #expect(x.unweightedCount == y.unweightedCount, "\(what) \(x.byValues)")
            for (u, v) in [(x.estimate, y.estimate), (x.standardError, y.standardError), (x.ciLow, y.ciLow),
                           (x.ciHigh, y.ciHigh), (x.weightedCount, y.weightedCount), (x.degreesOfFreedom, y.degreesOfFreedom)] {
                #expect(close(u, v), "\(what) \(x.byValues) \(x.level ?? ""): \(u) vs \(v)")
            }
            #expect(x.contributors?.top == y.contributors?.top, "\(what): kept contributions")
            #expect(x.contributors?.nonZero == y.contributors?.nonZero && x.contributors?.zero == y.contributors?.zero)
            if let p = x.contributors?.total, let q = y.contributors?.total { #expect(close(p, q), "\(what)") }
        }
    }

    static let statistics: [Analysis] = [.mean("api00"), .total("enroll"), .proportion("sch.wide"), .ratio("api00", "api99")]

    @Test(arguments: [
        ("weights only", SurveyDesign(weight: "pw")),
        ("strata without PSUs, FPC", SurveyDesign(weight: "pw", strata: "stype", fpc: ["fpc"])),
        ("design factor", SurveyDesign.designFactor(weight: "pw", deft: 1.3)),
        ("stratified clusters, FPC", SurveyDesign(weight: "pw", strata: "stype", clusters: ["dnum"], fpc: ["fpc"], nest: true)),
    ])
    func threePartsCombineToTheWholeFile(_ name: String, _ design: SurveyDesign) throws {
        // A design factor has no ratio.
        let statistics = design.designFactor == nil ? Self.statistics : Array(Self.statistics.dropLast())
        let (whole, combined) = try Self.wholeAndCombined("apistrat.csv", design: design, analyses: statistics, by: ["awards"])
        Self.expectSame(whole, combined, name)
        #expect(whole.table.cells.count == (design.designFactor == nil ? 10 : 8))
    }

    @Test func twoStageClustersWithFPCsCombine() throws {
        let design = SurveyDesign(weight: "pw", clusters: ["dnum", "snum"], fpc: ["fpc1", "fpc2"])
        let (whole, combined) = try Self.wholeAndCombined("apiclus2.csv", design: design, analyses: [.mean("api00")], by: ["stype"])
        Self.expectSame(whole, combined, "two-stage")
    }

    @Test func replicateWeightsCombine() throws {
        let design = SurveyDesign(weight: "pw", replicates: ReplicateWeights(pattern: "^rw[0-9]+$", type: .jk1))
        let (whole, combined) = try Self.wholeAndCombined(
            "apiclus1_jk1.csv", design: design, analyses: [.mean("api00"), .proportion("sch.wide")], by: ["stype"])
        Self.expectSame(whole, combined, "JK1 replicates")
    }

    @Test func packedDoublesRoundTripBitExactly() throws {
        var values: [Double] = [0, -0.0, 0.1, 1 / 3, .pi * 1e300, .leastNonzeroMagnitude, .greatestFiniteMagnitude, -1e-320,
                                .infinity, -.infinity, 123456789.123456789]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            let v = Double(bitPattern: generator.next())
            if !v.isNaN { values.append(v) }
        }
        let data = try JSONEncoder().encode(PackedDoubles(values + [.nan]))
        let back = try JSONDecoder().decode(PackedDoubles.self, from: data).values
        #expect(back.count == values.count + 1)
        #expect(Array(back.dropLast()).map(\.bitPattern) == values.map(\.bitPattern))
        #expect(back.last!.isNaN)
    }

    @Test func requestsThatDifferNameTheField() throws {
        let frame = try Frame("apistrat.csv")
        var options = EstimationOptions(by: ["awards"])
        options.fullCovariance = false
        func result(_ design: SurveyDesign, _ by: [String]) throws -> PartialResult {
            var o = options
            o.by = by
            let e = try Self.pass(frame, 0..<50, design: design, analyses: [.mean("api00")], options: o)
            return PartialResult(request: try EstimationRequest(design: design, analyses: [.mean("api00")], options: o),
                                 context: ["rules": "a"], labels: [], data: "x", accumulators: try e.partialAccumulators())
        }
        let a = try result(SurveyDesign(weight: "pw", strata: "stype"), ["awards"])
        let b = try result(SurveyDesign(weight: "pw"), ["awards"])
        let c = try result(SurveyDesign(weight: "pw", strata: "stype"), ["stype"])
        #expect(a.difference(from: a) == nil)
        #expect(a.difference(from: b)?.field == "design.strata")
        #expect(a.difference(from: c)?.field == "by")
        var d = a
        d.context["rules"] = "b"
        #expect(a.difference(from: d)?.field == "context.rules")
    }

    @Test func quantilesAndCalibrationAreRefused() throws {
        let refusal = SurveyEstimator.partialRefusal(
            design: SurveyDesign(weight: "pw"), analyses: [.quantile("api00", [0.5])], options: EstimationOptions())
        #expect(refusal == "quantiles need every value; run tabulate on the concatenated data")
        #expect(throws: WeightingError.self) {
            try EstimationRequest(design: SurveyDesign(weight: "pw"), analyses: [.inequality("api00", .gini)], options: EstimationOptions())
        }
    }
}
