import MicrodataReaders
import MicrodataTestSupport
import Testing

@testable import MicrodataWeighting

/// Quantiles under replicate weights against R `svyquantile` on the same replicate designs: the Woodruff
/// interval on the replicate variance of F̂(q̂) (R's default) and `interval.type = "quantile"`.
/// Fixtures/rsurvey/replicate_quantiles.R writes replicate_quantiles_expected.csv (see PROVENANCE.txt).
struct ReplicateQuantileTests {
    struct Expected {
        var quantile: Double, low: Double, high: Double, se: Double
    }

    /// Keyed by "case|domain|p".
    static let expected: [String: Expected] = {
        let records = try! DelimitedRecords(contentsOf: Fixtures.url("rsurvey/replicate_quantiles_expected.csv")).records
        var out: [String: Expected] = [:]
        for r in records.dropFirst() {
            let f = r.fields
            out["\(f[0])|\(f[1])|\(f[2])"] = Expected(
                quantile: Double(f[3])!, low: Double(f[4]) ?? .nan, high: Double(f[5]) ?? .nan, se: Double(f[6]) ?? .nan)
        }
        return out
    }()

    static let jk1 = SurveyDesign(
        weight: "pw", replicates: ReplicateWeights(pattern: "^rw[0-9]+$", type: .jk1, scale: 0.9148392779))
    static let sdr = SurveyDesign(
        weight: "pw",
        replicates: ReplicateWeights(pattern: "^f[0-9]+$", type: .sdr, mse: true, combinedWeights: false))

    func check(_ id: String, _ est: Estimates, domains: [String] = [""], probabilities: [String],
               sourceLocation: SourceLocation = #_sourceLocation) {
        var k = 0
        for d in domains {
            for p in probabilities {
                guard let e = Self.expected["\(id)|\(d)|\(p)"] else {
                    Issue.record("no expected value for \(id) \(d) \(p)", sourceLocation: sourceLocation)
                    return
                }
                let c = est.table.cells[k]
                k += 1
                #expect(c.byValues == (d.isEmpty ? [] : [d]), sourceLocation: sourceLocation)
                #expect(c.level == p, sourceLocation: sourceLocation)
                #expect(c.estimate == e.quantile, "\(id) \(d) \(p): a data value", sourceLocation: sourceLocation)
                for (got, want, what) in [(c.ciLow, e.low, "low"), (c.ciHigh, e.high, "high"), (c.standardError, e.se, "SE")] {
                    if want.isNaN {
                        #expect(got.isNaN, "\(id) \(d) \(p) \(what): R has NaN", sourceLocation: sourceLocation)
                    } else {
                        expectClose(got, want, "\(id) \(d) \(p) \(what)", sourceLocation: sourceLocation)
                    }
                }
            }
        }
        #expect(est.table.cells.count == k, sourceLocation: sourceLocation)
    }

    @Test func woodruffIntervalUsesTheReplicateVarianceOfTheCDF() throws {
        let est = try ReplicateTests.jk1.estimate(Self.jk1, [.quantile("api00", [0.25, 0.5, 0.75])])
        check("RQ01", est, probabilities: ["0.25", "0.5", "0.75"])
        #expect(est.table.cells[0].degreesOfFreedom == 14)
        let sdr = try Frame("apisrs_sdr80.csv").estimate(Self.sdr, [.quantile("api00", [0.5, 0.9])])
        check("RQ03", sdr, probabilities: ["0.5", "0.9"])
    }

    @Test func domainQuantilesKeepEveryReplicateAndReportImpossibleLimits() throws {
        let est = try ReplicateTests.jk1.estimate(Self.jk1, [.quantile("api00", [0.5])], EstimationOptions(by: ["stype"]))
        // H: the Woodruff limits of F fall outside [0, 1], so R reports NaN limits and SE.
        check("RQ02", est, domains: ["E", "H", "M"], probabilities: ["0.5"])
        // Each domain's df is R's degf() of the subset: E spans all 15 clusters, M fewer (its SE above needs 11).
        #expect(est.table.cells[0].degreesOfFreedom == 14)
        #expect(est.table.cells[2].degreesOfFreedom == 11)
    }

    @Test func replicateQuantilesGiveTheQuantileIntervalOfR() throws {
        let options = EstimationOptions(replicateQuantiles: true)
        let sdr = try Frame("apisrs_sdr80.csv").estimate(Self.sdr, [.quantile("api00", [0.5, 0.9])], options)
        check("RQ04", sdr, probabilities: ["0.5", "0.9"])
        var hf7 = options
        hf7.quantileRule = .hf7
        let jk = try ReplicateTests.jk1.estimate(Self.jk1, [.quantile("enroll", [0.5])], hf7)
        check("RQ05", jk, probabilities: ["0.5"])
    }
}
