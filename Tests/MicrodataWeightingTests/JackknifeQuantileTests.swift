import MicrodataReaders
import MicrodataTestSupport
import Testing

@testable import MicrodataWeighting

/// Quantiles under the jackknife built from the design (`--jackknife`) against R `svyquantile` on
/// `as.svrepdesign(design, type = "JK1"|"JKn")`. Fixtures/rsurvey/jackknife_quantiles.R writes
/// jackknife_quantiles_expected.csv (see PROVENANCE.txt).
struct JackknifeQuantileTests {
    /// "case|domain|p" → (quantile, low, high, se, df).
    static let expected: [String: [Double]] = {
        let records = try! DelimitedRecords(contentsOf: Fixtures.url("rsurvey/jackknife_quantiles_expected.csv")).records
        var out: [String: [Double]] = [:]
        for r in records.dropFirst() {
            out[r.fields[0...2].joined(separator: "|")] = r.fields[3...7].map { Double($0) ?? .nan }
        }
        return out
    }()

    func check(_ id: String, _ est: Estimates, domains: [String] = [""], probabilities: [String],
               sourceLocation: SourceLocation = #_sourceLocation) throws {
        var k = 0
        for d in domains {
            for p in probabilities {
                let e = try #require(Self.expected["\(id)|\(d)|\(p)"], sourceLocation: sourceLocation)
                let c = est.table.cells[k]
                k += 1
                #expect(c.level == p && c.byValues == (d.isEmpty ? [] : [d]), sourceLocation: sourceLocation)
                #expect(c.estimate == e[0], "\(id) \(d) \(p): a data value", sourceLocation: sourceLocation)
                for (got, want, what) in [(c.ciLow, e[1], "low"), (c.ciHigh, e[2], "high"), (c.standardError, e[3], "SE")] {
                    if want.isNaN {
                        #expect(got.isNaN, "\(id) \(d) \(p) \(what): R has NaN", sourceLocation: sourceLocation)
                    } else {
                        expectClose(got, want, "\(id) \(d) \(p) \(what)", sourceLocation: sourceLocation)
                    }
                }
                #expect(c.degreesOfFreedom == e[4], "\(id) \(d) \(p) df", sourceLocation: sourceLocation)
            }
        }
        #expect(est.table.cells.count == k, sourceLocation: sourceLocation)
    }

    @Test func clusterJackknifeGivesTheWoodruffIntervalOfR() throws {
        var design = Designs.dclus1
        design.jackknife = true
        let est = try Designs.apiclus1.estimate(design, [.quantile("api00", [0.25, 0.5, 0.75])])
        try check("JQ01", est, probabilities: ["0.25", "0.5", "0.75"])
    }

    @Test func domainQuantilesUnderTheJackknifeUseTheDomainsDegreesOfFreedom() throws {
        var design = Designs.dclus1
        design.jackknife = true
        let est = try Designs.apiclus1.estimate(design, [.quantile("api00", [0.5])], EstimationOptions(by: ["stype"]))
        // H: the limits of F fall outside [0, 1], so R reports NaN limits and SE.
        try check("JQ02", est, domains: ["E", "H", "M"], probabilities: ["0.5"])
    }

    @Test func stratifiedJackknifeDropsOneElementAtATime() throws {
        var design = Designs.dstrat
        design.jackknife = true
        let est = try Designs.apistrat.estimate(design, [.quantile("api00", [0.1, 0.5, 0.9])])
        try check("JQ03", est, probabilities: ["0.1", "0.5", "0.9"])
    }

    /// R 4.2.2, survey 4.1.1: `svyquantile(~api00, calibrate(dclus1, ~1, c(`(Intercept)` = 6194)), 0.5, se = TRUE)`
    /// gives 652, interval 561 to 714, SE 35.6678826994527 (the calibrated weights and their residuals).
    @Test func quantilesUnderCalibrationUseTheCalibratedWeightsAndResiduals() throws {
        var design = Designs.dclus1
        design.calibration = Calibration(terms: [.intercept(total: 6194)])
        let cell = try #require(try Designs.apiclus1.estimate(design, [.quantile("api00", [0.5])]).table.cells.first)
        #expect(cell.estimate == 652 && cell.ciLow == 561 && cell.ciHigh == 714)
        #expect(abs(cell.standardError - 35.6678826994527) <= 1e-8 * 35.67)
    }
}
