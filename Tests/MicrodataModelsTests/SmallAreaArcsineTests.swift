import Foundation
import MicrodataModels
import MicrodataReaders
import MicrodataTestSupport
import Testing

/// Fixtures/sae/expected-arcsin.csv (arcsin.R: R survey svyby → emdi's arcsine steps by hand on sae eblupFH/mseFH,
/// integrate for bc, lm for the GVF), keyed case|statistic|term.
private let arcsinExpected = saeExpected("expected-arcsin.csv", key: [0, 1, 2])

/// R's direct proportions of claimants (or mean hours) with their variances and area sample sizes.
private func rDirects(_ statistic: String = "p", case: String = "direct") -> [DirectEstimate] {
    arcsinExpected.keys.filter { $0.hasPrefix("\(`case`)|\(statistic)|") }.sorted().map { key in
        let area = String(key.split(separator: "|")[2])
        return DirectEstimate(
            area: area, estimate: arcsinExpected[key]!, standardError: arcsinExpected["\(`case`)|vardir|\(area)"]!.squareRoot(),
            sampleSize: Int(arcsinExpected["direct|n|\(area)"]!), status: "given", publishable: true)
    }
}

private func job(_ directs: [DirectEstimate] = rDirects(), arcsine: ArcsineTransformation? = nil, gvf: Bool = false)
    throws -> SmallAreaEstimation
{
    try SmallAreaEstimation(directs: directs, auxiliary: areasFile(), area: "area", formula: "x1 + factor(region)",
                            arcsine: arcsine, smoothVariances: gvf)
}

private let zeroAreas = ["LA10", "LA14", "LA17", "LA21"]

@Suite struct SmallAreaArcsineTests {
    @Test func effectiveSampleSizesUseSurveysDesignEffectAndTheMeanWhereUndefined() throws {
        let directs = rDirects()
        let t = ArcsineTransformation()
        let e = try t.effectiveSampleSizes(
            estimates: directs.map { $0.estimate! }, variances: directs.map { $0.standardError! * $0.standardError! },
            sizes: directs.map { $0.sampleSize! })
        near(e.pooledDesignEffect, arcsinExpected["arcsin|pooled_deff|deff"], "pooled deff")
        #expect(e.areasWithDesignEffect == 23)
        for (d, size) in zip(directs, e.sizes) {
            near(size, arcsinExpected["arcsin|neff|\(d.area)"], "n_eff \(d.area)")
            if let deff = arcsinExpected["direct|deff|\(d.area)"] { near(Double(d.sampleSize!) / size, deff, "deff \(d.area)") }
        }
        // Pooled: n / mean deff everywhere.
        let pooled = try ArcsineTransformation(designEffect: .pooled).effectiveSampleSizes(
            estimates: directs.map { $0.estimate! }, variances: directs.map { $0.standardError! * $0.standardError! },
            sizes: directs.map { $0.sampleSize! })
        for (d, size) in zip(directs, pooled.sizes) { near(size, Double(d.sampleSize!) / e.pooledDesignEffect, "pooled \(d.area)") }
    }

    @Test(arguments: ArcsineTransformation.BackTransformation.allCases)
    func arcsineFitAndBackTransformationMatchEmdiStepsInR(_ back: ArcsineTransformation.BackTransformation) throws {
        let j = try job(arcsine: ArcsineTransformation(backTransformation: back, replicates: 20))
        let outcome = try #require(j.arcsine)
        let tf = outcome.transformedFit
        near(tf.variance, arcsinExpected["arcsin|refvar|A"], "A")
        for c in tf.coefficients { near(c.estimate, arcsinExpected["arcsin|beta|\(c.term)"], "beta \(c.term)") }
        #expect(tf.sampledAreas == 27 && outcome.successfulReplicates == 20)
        for (e, b) in zip(tf.areas, j.fit.areas) {
            near(b.estimate, arcsinExpected["arcsin|\(back.rawValue)|\(e.area)"], "\(back) \(e.area)")
            if e.kind == .synthetic {
                near(e.estimate, arcsinExpected["arcsin|synthetic|\(e.area)"], "synthetic \(e.area)")
                continue
            }
            near(e.direct!, arcsinExpected["arcsin|y|\(e.area)"], "asin sqrt p \(e.area)")
            near(e.directVariance!, arcsinExpected["arcsin|psi|\(e.area)"], "1/(4 n_eff) \(e.area)")
            near(e.estimate, arcsinExpected["arcsin|eblup|\(e.area)"], "eblup \(e.area)")
            near(e.mse, arcsinExpected["arcsin|mse|\(e.area)"], "transformed mse \(e.area)")
            near(e.gamma, arcsinExpected["arcsin|gamma|\(e.area)"], "gamma \(e.area)")
            // The published direct estimate and variance are the proportion's.
            near(b.direct!, arcsinExpected["direct|p|\(e.area)"], "direct \(e.area)")
            near(b.directVariance!, arcsinExpected["direct|vardir|\(e.area)"], "vardir \(e.area)")
        }
        // Areas with p = 0 are fitted (finite arcsine, variance 1/(4 n_eff)) and estimated above 0.
        for area in zeroAreas {
            let e = try #require(j.fit.areas.first { $0.area == area })
            #expect(e.kind == .eblup && e.direct == 0 && e.estimate > 0)
        }
    }

    @Test func theBiasCorrectedIntegralMatchesQuadratureAndItsLimits() {
        // A fine midpoint rule over [0, π/2] as the reference.
        for (mean, variance) in [(0.3, 0.01), (0.05, 0.002), (1.5, 0.04), (-0.2, 0.05), (0.7, 1e-8), (0.9, 4.0)] {
            let sd = variance.squareRoot(), n = 400_000, h = Double.pi / 2 / Double(n)
            var sum = 0.0
            for k in 0..<n {
                let x = (Double(k) + 0.5) * h, z = (x - mean) / sd
                sum += sin(x) * sin(x) * exp(-0.5 * z * z) / (sd * (2 * Double.pi).squareRoot()) * h
            }
            #expect(abs(ArcsineTransformation.biasCorrected(mean: mean, variance: variance) - sum) < 1e-9, "\(mean) \(variance)")
        }
        #expect(ArcsineTransformation.biasCorrected(mean: 0.4, variance: 0) == sin(0.4) * sin(0.4))
        #expect(ArcsineTransformation.biasCorrected(mean: -0.1, variance: 0) == 0)
        #expect(ArcsineTransformation.naive(-0.1) == 0 && ArcsineTransformation.naive(2) == 1)
    }

    @Test func theBootstrapIsReproducibleWithItsSeedAndNearTheDeltaMethod() throws {
        let a = try job(arcsine: ArcsineTransformation(replicates: 30, seed: 7))
        let b = try job(arcsine: ArcsineTransformation(replicates: 30, seed: 7))
        let c = try job(arcsine: ArcsineTransformation(replicates: 30, seed: 8))
        #expect(a.fit.areas.map(\.mse) == b.fit.areas.map(\.mse))
        #expect(a.fit.areas.map(\.mse) != c.fit.areas.map(\.mse))
        #expect(a.fit.areas.allSatisfy { $0.mse > 0 && $0.mse.isFinite })
        // With many replicates, against the delta method averaged over the bootstrap's true values: the MSE on the
        // arcsine scale (Datta–Lahiri) times E[sin²(2θ)], θ = x'β̂ + v truncated to [0, π/2], v ~ N(0, A) (d sin²θ/dθ =
        // sin 2θ). R's version of this bootstrap gives ratios 0.90 to 1.10 at B = 1000.
        let big = try job(arcsine: ArcsineTransformation(replicates: 2000, seed: 2026))
        let tf = big.arcsine!.transformedFit
        let sd = tf.variance.squareRoot()
        var ratios: [Double] = []
        for (t, e) in zip(tf.areas, big.fit.areas) where e.kind == .eblup {
            var slope2 = 0.0
            let n = 20_000, h = 20 * sd / Double(n)
            for k in 0..<n {
                let z = -10 + (Double(k) + 0.5) * h / sd, s = sin(2 * min(max(t.synthetic + z * sd, 0), Double.pi / 2))
                slope2 += s * s * exp(-0.5 * z * z) / (2 * Double.pi).squareRoot() * h / sd
            }
            ratios.append(e.mse / (slope2 * t.mse))
        }
        ratios.sort()
        #expect(ratios.count == 27)
        let median = ratios[ratios.count / 2]
        #expect(median > 0.95 && median < 1.05, "median bootstrap/delta \(median) of \(ratios)")
        #expect(ratios.allSatisfy { $0 > 0.85 && $0 < 1.15 }, "\(ratios)")
    }

    @Test(arguments: [("gvf_claimant", "p", "direct"), ("gvf_hours", "mean", "direct_hours")])
    func gvfSmoothedVariancesAndTheirFitMatchLmAndSae(_ id: String, _ statistic: String, _ source: String) throws {
        let j = try job(rDirects(statistic, case: source), gvf: true)
        let g = try #require(j.gvf)
        near(g.intercept, arcsinExpected["\(id)|gvf|a"], "\(id) a")
        near(g.slope, arcsinExpected["\(id)|gvf|b"], "\(id) b")
        near(g.smearing, arcsinExpected["\(id)|gvf|smearing"], "\(id) smearing")
        near(g.rSquared, arcsinExpected["\(id)|gvf|r2"], "\(id) R²")
        #expect(g.areasFitted == (id == "gvf_claimant" ? 23 : 27))
        near(j.fit.variance, arcsinExpected["\(id)|refvar|A"], "\(id) A")
        for c in j.fit.coefficients { near(c.estimate, arcsinExpected["\(id)|beta|\(c.term)"], "\(id) beta \(c.term)") }
        for e in j.fit.areas {
            if e.kind == .synthetic {
                near(e.estimate, arcsinExpected["\(id)|synthetic|\(e.area)"], "\(id) synthetic \(e.area)")
                continue
            }
            near(e.directVariance!, arcsinExpected["\(id)|smoothed|\(e.area)"], "\(id) smoothed \(e.area)")
            near(e.estimate, arcsinExpected["\(id)|eblup|\(e.area)"], "\(id) eblup \(e.area)")
            near(e.mse, arcsinExpected["\(id)|mse|\(e.area)"], "\(id) mse \(e.area)")
        }
    }

    @Test func zeroVariancesAreRefusedByNameUnlessSmoothedOrTransformed() throws {
        #expect(throws: SmallAreaError.nonPositiveVariance(areas: zeroAreas)) { try job() }
        #expect(SmallAreaError.nonPositiveVariance(areas: ["LA10"]).description.contains("--gvf"))
        #expect(try job(gvf: true).fit.areas.filter { zeroAreas.contains($0.area) }.allSatisfy { $0.kind == .eblup })
    }

    @Test func sizesAndRangesAreCheckedByArea() throws {
        var d = rDirects()
        d[3].sampleSize = nil
        d[5].sampleSize = 0
        #expect(throws: SmallAreaAdjustmentError.missingSampleSize(areas: [d[3].area, d[5].area])) { try job(d, gvf: true) }
        d = rDirects()
        d[0].estimate = 1.2
        #expect(throws: SmallAreaAdjustmentError.notAProportion(areas: ["LA01"])) { try job(d, arcsine: ArcsineTransformation()) }
        let zeros = rDirects().map { var z = $0; z.standardError = 0; return z }
        #expect(throws: SmallAreaAdjustmentError.tooFewForGVF(areas: 0)) { try job(zeros, gvf: true) }
        #expect(throws: SmallAreaAdjustmentError.noDesignEffect) { try job(zeros, arcsine: ArcsineTransformation()) }
    }

    /// A withheld area's direct estimate, variance and sample size reach no published figure: not the GVF, not the
    /// pooled design effect, not the bootstrap.
    @Test func aWithheldAreaLeaksNothingThroughTheGVFOrTheDesignEffects() throws {
        for (arcsine, gvf) in [(ArcsineTransformation(replicates: 10), false), (nil, true)] {
            var one = rDirects(), other = rDirects()
            one[4].publishable = false
            other[4] = DirectEstimate(area: one[4].area, estimate: 0.9, standardError: 0.001, sampleSize: 400,
                                      status: "primary:threshold", publishable: false)
            let a = try job(one, arcsine: arcsine, gvf: gvf), b = try job(other, arcsine: arcsine, gvf: gvf)
            #expect(a.fit == b.fit && a.gvf == b.gvf && a.arcsine == b.arcsine)
            #expect(a.fit.areas[4].kind == .synthetic)
            if let e = a.arcsine?.effective { #expect(e.areasWithDesignEffect == 22) }
            if let g = a.gvf { #expect(g.areasFitted == 22) }
        }
    }

    @Test func splitMix64IsTheReferenceStreamAndItsNormalsAreStandard() {
        var rng = SplitMix64(seed: 0)
        #expect(rng.next() == 0xE220_A839_7B1D_CDAF)
        #expect(rng.next() == 0x6E78_9E6A_A1B9_65F4)
        var g = SplitMix64(seed: 123)
        let z = (0..<200_000).map { _ in g.normal() }
        let mean = z.reduce(0, +) / Double(z.count)
        let variance = z.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(z.count - 1)
        #expect(abs(mean) < 0.01 && abs(variance - 1) < 0.01, "\(mean) \(variance)")
    }
}
