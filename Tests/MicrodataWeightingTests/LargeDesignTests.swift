import MicrodataReaders
import Testing

@testable import MicrodataWeighting

/// Designs with more (unit, cell) pairs than the estimator's dense slot index holds, so the pass moves to
/// its hash part-way through; checked against the closed-form variance of a one-stage cluster design.
struct LargeDesignTests {
    /// 100,000 PSUs of two rows in 40 domains (64 cells wide) outgrow the dense index (2²² entries) at
    /// PSU 65,536; the second row of each PSU then finds its slot in the hash.
    static let n = 200_000
    static let psus = n / 2

    struct Data {
        var w: [Double] = [], y: [Double] = [], g: [Int64] = [], c: [Int64] = [], psu: [Int64] = []
    }

    static func data() -> Data {
        var d = Data()
        var state: UInt64 = 0x2545_F491_4F6C_DD1D
        func next() -> Double {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Double(state >> 11) / Double(1 << 53)
        }
        for i in 0..<n {
            let psu = Int64(i % psus)
            d.psu.append(psu)
            d.w.append(50 + 100 * next())
            d.y.append(10 * next() + 3)
            d.g.append(psu % 40 + 1)
            d.c.append(Int64(next() * 3) + 1)
        }
        return d
    }

    /// R `svydesign(ids = ~psu, weights = ~w)`: v = P/(P−1) Σₚ zₚ² with zₚ the PSU total of the linearised
    /// score (zero outside the domain; the totals sum to zero).
    static func variance(_ z: [Double], psu: [Int64]) -> Double {
        var total = [Double](repeating: 0, count: psus)
        for i in z.indices { total[Int(psu[i])] += z[i] }
        let p = Double(psus)
        return p / (p - 1) * total.reduce(0) { $0 + $1 * $1 }
    }

    @Test func domainMeansAndProportionsMatchTheClosedFormPastTheDenseIndex() throws {
        let d = Self.data()
        var estimator = try SurveyEstimator(
            design: SurveyDesign(weight: "w", clusters: ["psu"]), analyses: [.mean("y"), .proportion("c")],
            options: EstimationOptions(by: ["g"]))
        let size = 65_536
        var start = 0
        while start < Self.n {
            let end = min(start + size, Self.n)
            let columns = [
                Column(name: "w", storage: .real(Array(d.w[start..<end]))),
                Column(name: "y", storage: .real(Array(d.y[start..<end]))),
                Column(name: "g", storage: .integer(Array(d.g[start..<end]), missing: .init(repeating: false, count: end - start))),
                Column(name: "c", storage: .integer(Array(d.c[start..<end]), missing: .init(repeating: false, count: end - start))),
                Column(name: "psu", storage: .integer(Array(d.psu[start..<end]), missing: .init(repeating: false, count: end - start))),
            ]
            try estimator.add(Batch(columns: columns, rowCount: end - start))
            start = end
        }
        #expect(!estimator.states[0].denseOn && !estimator.states[1].denseOn, "the pass moved to the hash")
        #expect(estimator.states[0].slotDomain.count == Self.psus, "one slot per PSU: no duplicates after the move")
        let est = try estimator.finish()
        for g in [Int64(1), 17, 40] {
            let inDomain = d.g.map { $0 == g }
            var W = 0.0, WY = 0.0
            for i in 0..<Self.n where inDomain[i] { W += d.w[i]; WY += d.w[i] * d.y[i] }
            let mean = WY / W
            let z = (0..<Self.n).map { inDomain[$0] ? d.w[$0] * (d.y[$0] - mean) / W : 0 }
            let m = try #require(est.cellIndex(variable: "y", byValues: [String(g)]))
            expectClose(est.table.cells[m].estimate, mean, relative: 1e-12, "mean of y in g=\(g)")
            expectClose(est.table.cells[m].standardError, Self.variance(z, psu: d.psu).squareRoot(), relative: 1e-9,
                        "SE of the mean in g=\(g)")
            #expect(est.table.cells[m].unweightedCount == inDomain.filter { $0 }.count)
            for level in Int64(1)...3 {
                var Wk = 0.0
                for i in 0..<Self.n where inDomain[i] && d.c[i] == level { Wk += d.w[i] }
                let p = Wk / W
                let zp = (0..<Self.n).map { inDomain[$0] ? d.w[$0] * ((d.c[$0] == level ? 1 : 0) - p) / W : 0 }
                let cell = try #require(est.table.cells.first {
                    $0.variable == "c" && $0.byValues == [String(g)] && $0.level == String(level)
                })
                expectClose(cell.estimate, p, relative: 1e-12, "proportion c=\(level) in g=\(g)")
                expectClose(cell.standardError, Self.variance(zp, psu: d.psu).squareRoot(), relative: 1e-9,
                            "SE of the proportion c=\(level) in g=\(g)")
            }
        }
    }
}
