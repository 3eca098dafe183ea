import Foundation
import MicrodataReaders
import Testing

@testable import MicrodataWeighting

/// Designs without PSUs take their variance from central moments per (domain, level, stratum) instead of a
/// slot per row: checked against the same design with a unique cluster id per row (the per-row path, equal in
/// exact arithmetic), and against a two-pass computation on values of 1e9 with noise of 1e-3.
struct MomentVarianceTests {
    struct Rows {
        var w: [Double] = [], y: [Double] = [], x: [Double] = [], s: [Int64] = [], g: [Int64] = [], c: [Int64] = []
        var id: [Int64] = [], fpc: [Double] = [], inside: [Double] = []
    }

    /// `n` rows in `strata` strata (stratum 1 has a single row when `lonely`), domains 1…3, categories 1…4 with
    /// some missing, y with some missing; y = `base` + noise × `spread`.
    static func rows(_ n: Int, strata: Int = 4, lonely: Bool = false, base: Double = 10, spread: Double = 5) -> Rows {
        var r = Rows()
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> Double {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Double(state >> 11) / Double(1 << 53)
        }
        for i in 0..<n {
            let s = lonely && i == 0 ? 1 : Int64(next() * Double(strata - (lonely ? 1 : 0))) + (lonely ? 2 : 1)
            r.s.append(s)
            r.w.append(0.5 + 1.5 * next())
            r.y.append(i % 17 == 5 ? .nan : base + spread * next())
            r.x.append(2 + next())
            r.g.append(Int64(next() * 3) + 1)
            r.c.append(i % 13 == 3 ? -1 : Int64(next() * 4) + 1)
            r.id.append(Int64(i))
            r.fpc.append(Double(n * 10))
            r.inside.append(i % 11 == 7 ? 0 : 1)
        }
        return r
    }

    static func estimate(
        _ r: Rows, design: SurveyDesign, analyses: [Analysis], options: EstimationOptions, batch: Int = 97
    ) throws -> (Estimates, SurveyEstimator) {
        var estimator = try SurveyEstimator(design: design, analyses: analyses, options: options)
        var start = 0
        while start < r.w.count {
            let end = min(start + batch, r.w.count)
            let k = end - start
            func int(_ v: [Int64]) -> Column.Storage {
                .integer(Array(v[start..<end]), missing: v[start..<end].map { $0 < 0 })
            }
            try estimator.add(Batch(columns: [
                Column(name: "w", storage: .real(Array(r.w[start..<end]))),
                Column(name: "y", storage: .real(Array(r.y[start..<end]))),
                Column(name: "x", storage: .real(Array(r.x[start..<end]))),
                Column(name: "fpc", storage: .real(Array(r.fpc[start..<end]))),
                Column(name: "inside", storage: .real(Array(r.inside[start..<end]))),
                Column(name: "s", storage: int(r.s)), Column(name: "g", storage: int(r.g)),
                Column(name: "c", storage: int(r.c)), Column(name: "id", storage: int(r.id)),
            ], rowCount: k))
            start = end
        }
        return (try estimator.finish(), estimator)
    }

    /// Every cell and covariance of the moment path against the per-row path (a cluster id per row).
    static func expectSamePath(
        _ r: Rows, design: SurveyDesign, options: EstimationOptions,
        analyses: [Analysis] = [.mean("y"), .total("y"), .ratio("y", "x"), .variance("y"), .proportion("c"),
                                Analysis(.total, ["c"])],
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        var perRow = design
        perRow.clusters = ["id"]
        let (moments, estimator) = try estimate(r, design: design, analyses: analyses, options: options)
        let (rows, _) = try estimate(r, design: perRow, analyses: analyses, options: options)
        let usesMoments = estimator.momentVariance, keptPSUs = estimator.psuStratum.count
        #expect(usesMoments, sourceLocation: sourceLocation)
        #expect(keptPSUs == 0, "no PSU kept per row", sourceLocation: sourceLocation)
        let cells = estimator.states.map(\.slotDomain.count).max()!
        #expect(cells <= 3 * 5 * 4, "slots per (domain, level, stratum), not per row: \(cells)",
                sourceLocation: sourceLocation)
        #expect(moments.table.cells.count == rows.table.cells.count, sourceLocation: sourceLocation)
        #expect(moments.degreesOfFreedom == rows.degreesOfFreedom, sourceLocation: sourceLocation)
        for (a, b) in zip(moments.table.cells, rows.table.cells) {
            let what = "\(b.statistic) \(b.variable) \(b.byValues) \(b.level ?? "")"
            expectClose(a.estimate, b.estimate, relative: 1e-12, what, sourceLocation: sourceLocation)
            expectClose(a.standardError, b.standardError, relative: 1e-10, what + " SE", sourceLocation: sourceLocation)
            #expect(a.degreesOfFreedom == b.degreesOfFreedom, "\(what) df", sourceLocation: sourceLocation)
        }
        for (a, b) in zip(moments.blocks, rows.blocks) {
            #expect(a.covariance.count == b.covariance.count, sourceLocation: sourceLocation)
            let scale = b.covariance.map { $0.isNaN ? 0 : abs($0) }.max() ?? 0
            for (u, v) in zip(a.covariance, b.covariance) where !(u.isNaN && v.isNaN) {
                #expect(abs(u - v) <= 1e-10 * scale, "covariance \(u) vs \(v)", sourceLocation: sourceLocation)
            }
        }
    }

    @Test func weightsOnlyMatchesOneSlotPerRow() throws {
        try Self.expectSamePath(Self.rows(1_000), design: SurveyDesign(weight: "w"), options: EstimationOptions(by: ["g"]))
        try Self.expectSamePath(Self.rows(600), design: SurveyDesign(weight: "w"), options: EstimationOptions())
    }

    @Test func strataWithoutPSUsMatchOneSlotPerRow() throws {
        var options = EstimationOptions(by: ["g"])
        options.subpopulation = "inside"
        try Self.expectSamePath(Self.rows(1_000), design: SurveyDesign(weight: "w", strata: "s"), options: options)
        options.fullCovariance = false
        try Self.expectSamePath(Self.rows(1_000), design: SurveyDesign(weight: "w", strata: "s", fpc: ["fpc"]),
                                options: options)
        // Weights derived from the FPCs (no weight column).
        try Self.expectSamePath(Self.rows(700), design: SurveyDesign(weight: nil, strata: "s", fpc: ["fpc"]),
                                options: EstimationOptions(by: ["g"]))
    }

    @Test func lonelyRowRulesMatchOneSlotPerRow() throws {
        for rule in [LonelyPSURule.adjust, .average, .remove] {
            for inDomain in [false, true] {
                var design = SurveyDesign(weight: "w", strata: "s", lonelyPSU: rule)
                design.adjustDomainLonely = inDomain
                try Self.expectSamePath(Self.rows(400, lonely: true), design: design, options: EstimationOptions(by: ["g"]))
            }
        }
        #expect(throws: WeightingError.self) {
            _ = try Self.estimate(Self.rows(50, lonely: true), design: SurveyDesign(weight: "w", strata: "s"),
                                  analyses: [.mean("y")], options: EstimationOptions())
        }
    }

    /// The two-pass reference: ȳ first (from deviations of the first value, so exact to the last digit), then
    /// scores w(y − ȳ)/W and, per stratum, n_h/(n_h − 1) Σ (z − z̄_h)².
    static func twoPassSE(_ r: Rows, domain: Int64, total: Bool) -> Double {
        let rows = r.w.indices.filter { !r.y[$0].isNaN }
        let inDomain = rows.filter { r.g[$0] == domain }
        let ref = r.y[inDomain[0]]
        var W = 0.0, WD = 0.0
        for i in inDomain { W += r.w[i]; WD += r.w[i] * (r.y[i] - ref) }
        let offset = WD / W
        var variance = 0.0
        for h in Set(r.s) {
            let all = r.w.indices.filter { r.s[$0] == h }  // every row of the stratum is a PSU
            let z = all.map { i -> Double in
                guard r.g[i] == domain && !r.y[i].isNaN else { return 0 }
                return total ? r.w[i] * r.y[i] : r.w[i] * ((r.y[i] - ref) - offset) / W
            }
            let n = Double(z.count)
            let mean = z.reduce(0, +) / n
            variance += n / (n - 1) * z.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
        }
        return variance.squareRoot()
    }

    @Test func hugeMeansWithTinyVariancesMatchTheTwoPassResult() throws {
        var r = Self.rows(5_000, strata: 3, base: 1e9, spread: 1e-3)
        // Equal weights within a stratum: w·y then varies only by the noise, the case raw sums lose entirely.
        for i in r.w.indices { r.w[i] = Double(r.s[i]) }
        let (est, estimator) = try Self.estimate(
            r, design: SurveyDesign(weight: "w", strata: "s"), analyses: [.mean("y"), .total("y")],
            options: EstimationOptions(by: ["g"]), batch: 61)
        let usesMoments = estimator.momentVariance
        #expect(usesMoments)
        for g in Int64(1)...3 {
            let mean = try #require(est.cellIndex(variable: "y", byValues: [String(g)], statistic: "mean"))
            let reference = Self.twoPassSE(r, domain: g, total: false)
            #expect(reference > 1e-6 && reference < 1e-3, "the reference is the noise's scale: \(reference)")
            expectClose(est.table.cells[mean].standardError, reference, relative: 1e-7, "SE of the mean, g=\(g)")
            let total = try #require(est.cellIndex(variable: "y", byValues: [String(g)], statistic: "total"))
            expectClose(est.table.cells[total].standardError, Self.twoPassSE(r, domain: g, total: true),
                        relative: 1e-7, "SE of the total, g=\(g)")
        }
        // A design factor scales the SRS variance Σ w (y − ȳ)² / W² · n/(n − 1), also from moments.
        let (deft, _) = try Self.estimate(
            r, design: SurveyDesign.designFactor(weight: "w", deft: 1.2), analyses: [.mean("y")],
            options: EstimationOptions(), batch: 61)
        let rows = r.w.indices.filter { !r.y[$0].isNaN }
        let ref = r.y[rows[0]]
        var W = 0.0, WD = 0.0
        for i in rows { W += r.w[i]; WD += r.w[i] * (r.y[i] - ref) }
        var squares = 0.0
        for i in rows { squares += r.w[i] * ((r.y[i] - ref) - WD / W) * ((r.y[i] - ref) - WD / W) }
        let n = Double(rows.count)
        let srs = n / (n - 1) * squares / W / n
        expectClose(deft.table.cells[0].standardError, 1.2 * srs.squareRoot(), relative: 1e-7, "design-factor SE")
    }

    @Test func mergedMomentsEqualTheTwoPassSums() {
        let layout = MomentLayout(y: 4, x: 0)
        let values = (0..<1_000).map { 1e9 + 1e-3 * Double(($0 * 7_919) % 1_000) / 1_000 }
        let weights = (0..<1_000).map { 1 + Double($0 % 5) }
        var pooled = [Double](repeating: 0, count: layout.stride)
        var part = [Double](repeating: 0, count: layout.stride)
        for start in stride(from: 0, to: 1_000, by: 33) {
            let slice = start..<min(start + 33, 1_000)
            for k in part.indices { part[k] = 0 }
            part[0] = slice.reduce(0) { $0 + weights[$1] } / Double(slice.count)
            part[1] = values[slice].reduce(0, +) / Double(slice.count)
            part.withUnsafeMutableBufferPointer { p in
                for i in slice { layout.add(p.baseAddress!, weights[i] - p[0], values[i] - p[1], 0) }
                pooled.withUnsafeMutableBufferPointer { layout.merge(into: $0.baseAddress!, from: p.baseAddress!) }
            }
        }
        let ref = values[0]
        let meanY = ref + values.reduce(0) { $0 + ($1 - ref) } / 1_000
        let meanW = weights.reduce(0, +) / 1_000
        expectClose(pooled[1] - ref, meanY - ref, relative: 1e-9, "centre of y")
        for (a, b) in [(0, 2), (0, 4), (2, 0), (2, 2), (2, 4)] {
            var sum = 0.0
            for i in values.indices { sum += pow(weights[i] - meanW, Double(a)) * pow((values[i] - ref) - (meanY - ref), Double(b)) }
            expectClose(pooled[layout.index(a, b, 0)], sum, relative: 1e-7, "T[\(a), \(b)]")
        }
    }
}
