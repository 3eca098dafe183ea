import Foundation
import MicrodataModels
import MicrodataReaders
import MicrodataTestSupport
import Testing

/// R shapiro.test and moment skewness/kurtosis (Fixtures/sae/normality.R), keyed case|statistic.
private let normalityExpected = saeExpected("expected-normality.csv", key: [0, 1])

/// The vectors of Fixtures/sae/normality-vectors.csv by case, in order.
private let vectors: [String: [Double]] = {
    let records = try! DelimitedRecords(contentsOf: Fixtures.url("sae/normality-vectors.csv")).records.dropFirst()
    var out: [String: [Double]] = [:]
    for r in records { out[r.fields[0], default: []].append(Double(r.fields[2])!) }
    return out
}()

/// The formula vectors of normality.R: sin(0.7 i) + (i mod 7) / 10 + log(i), i = 1..n.
private func formula(_ n: Int) -> [Double] {
    (1...n).map { i in
        let t = Double(i)
        let wave: Double = sin(0.7 * t)
        let step = Double(i % 7) / 10
        return wave + step + log(t)
    }
}

@Suite struct ShapiroWilkTests {
    func check(_ x: [Double], _ id: String) throws {
        let test = try ShapiroWilk(x)
        near(test.w, normalityExpected["\(id)|W"], "\(id) W")
        near(test.p, normalityExpected["\(id)|p"], "\(id) p")
        #expect(test.count == x.count)
        // Moments of values 1e-12 apart are rounding noise in R as here: only W and p are compared.
        guard id != "tiny_range" else { return }
        let moments = try #require(SampleMoments(x))
        near(moments.skewness, normalityExpected["\(id)|skewness"], "\(id) skewness")
        near(moments.kurtosis, normalityExpected["\(id)|kurtosis"], "\(id) kurtosis")
    }

    @Test(arguments: ["n3", "n3_tight", "n4", "n5", "n6", "n7", "n11", "n12", "n20_ties", "n30_skewed", "n100", "n200_t3", "tiny_range"])
    func wAndPMatchRShapiroTest(_ id: String) throws {
        // Shuffled: the test sorts.
        try check(try #require(vectors[id]).reversed(), id)
    }

    @Test(arguments: [1000, 5000])
    func largeSamplesUpToRsLimitMatchRShapiroTest(_ n: Int) throws {
        try check(formula(n), "formula\(n)")
    }

    @Test func missingValuesAreLeftOut() throws {
        let x = try #require(vectors["n12"])
        let test = try ShapiroWilk(x + [.nan, .nan])
        near(test.w, normalityExpected["n12|W"], "W")
        #expect(test.count == 12)
    }

    @Test func sampleSizesOutsideThreeTo5000AndIdenticalValuesAreRefusedAsR() {
        #expect(throws: ShapiroWilk.Failure.sampleSize(2)) { try ShapiroWilk([1, 2]) }
        #expect(throws: ShapiroWilk.Failure.sampleSize(2)) { try ShapiroWilk([1, 2, .nan]) }
        #expect(throws: ShapiroWilk.Failure.sampleSize(5001)) { try ShapiroWilk(formula(5001)) }
        #expect(throws: ShapiroWilk.Failure.identical) { try ShapiroWilk([4, 4, 4, 4, 4]) }
        #expect("\(ShapiroWilk.Failure.sampleSize(5001))".contains("between 3 and 5000"))
        #expect(SampleMoments([2, 2, 2]) == nil)
    }

    @Test(arguments: ["y_REML", "y_ML", "y_FH", "employed_REML"])
    func standardisedResidualsOfTheOracleFitsMatchShapiroTestOnRsResiduals(_ id: String) throws {
        let variable = String(id.split(separator: "_")[0])
        let method = FayHerriot.Method(rawValue: String(id.split(separator: "_")[1]).lowercased())!
        let job = try SmallAreaEstimation(
            directs: rDirects(variable), auxiliary: areasFile(), area: "area", formula: "x1 + factor(region)",
            model: FayHerriot(method: method))
        let normality = try #require(job.fit.normality)
        let test = try normality.test.get()
        #expect(test.count == 27)
        near(test.w, normalityExpected["residuals_\(id)|W"], "\(id) W")
        near(test.p, normalityExpected["residuals_\(id)|p"], "\(id) p")
        near(try #require(normality.moments).skewness, normalityExpected["residuals_\(id)|skewness"], "\(id) skewness")
        near(try #require(normality.moments).kurtosis, normalityExpected["residuals_\(id)|kurtosis"], "\(id) kurtosis")
    }

    @Test func withheldAreasTakeNoPartInTheTest() throws {
        var directs = rDirects("y")
        directs[4].publishable = false
        directs[9].publishable = false
        let job = try SmallAreaEstimation(directs: directs, auxiliary: areasFile(), area: "area", formula: "x1 + factor(region)")
        let test = try #require(job.fit.normality).test.get()
        #expect(test.count == 25)
        // Exactly the test of the published residuals: nothing beyond them enters W.
        let published = job.fit.areas.compactMap(\.standardisedResidual)
        #expect(published.count == 25)
        #expect(try ShapiroWilk(published) == test)
        // A withheld area's direct estimate does not move W.
        directs[4].estimate! += 7
        let moved = try SmallAreaEstimation(directs: directs, auxiliary: areasFile(), area: "area", formula: "x1 + factor(region)")
        #expect(try #require(moved.fit.normality).test.get() == test)
    }
}
