import MicrodataReaders
import MicrodataTestSupport
import Testing

@testable import MicrodataWeighting

/// The quantile rules school and hf1–hf9 against R: at equal weights against `quantile(type = k)`, and with
/// the unequal weights of dstrat against `svyquantile(qrule = rule)`. Fixtures/rsurvey/quantile_rules.R
/// writes quantile_rules_expected.csv (see PROVENANCE.txt).
struct QuantileRuleTests {
    struct Row {
        var sample: String
        var rule: QuantileRule
        var p: Double
        var value: Double
        /// svyquantile() at equal weights, for the equal-weight rows.
        var svyquantile: Double?
    }

    static let rows: [Row] = {
        let records = try! DelimitedRecords(contentsOf: Fixtures.url("rsurvey/quantile_rules_expected.csv")).records
        return records.dropFirst().map { r in
            Row(sample: r.fields[0], rule: QuantileRule(rawValue: r.fields[1])!, p: Double(r.fields[2])!,
                value: Double(r.fields[3])!, svyquantile: Double(r.fields[4]))
        }
    }()

    /// Discrete rules return data values (or, for school, the mean of two): exact. The others interpolate,
    /// and the expected values carry 15 significant digits.
    static func expectMatch(_ actual: Double, _ expected: Double, _ row: Row,
                            sourceLocation: SourceLocation = #_sourceLocation) {
        let what = "\(row.sample) \(row.rule.rawValue) p = \(row.p): got \(actual), R \(expected)"
        if row.rule.isDiscrete {
            #expect(actual == expected, "\(what)", sourceLocation: sourceLocation)
        } else {
            #expect(abs(actual - expected) <= 1e-13 * abs(expected), "\(what)", sourceLocation: sourceLocation)
        }
    }

    @Test(arguments: QuantileRule.allCases.filter { $0 != .math && $0 != .shahvaish })
    func equalWeightsFollowRQuantileTypes(rule: QuantileRule) {
        let x = Array(Designs.apistrat.doubles("api00").prefix(25))  // as quantile_rules.R
        let sample = SortedSample(x: x, w: [Double](repeating: 1, count: x.count))
        let cases = Self.rows.filter { $0.sample == "equal" && $0.rule == rule }
        #expect(cases.count == 12)
        for row in cases {
            // quantile(type = k), with one exception: R survey's hf3 is not type 3 even at equal weights (it takes
            // the nearest even order statistic on cumulative weights ≤ pΣw), and hf3 follows R survey. Below the
            // first cumulative share every rule gives the minimum, as quantile() does, where R survey's qs()
            // edge gives the second value (and hf4 extrapolates; at p = 1 it gives NaN).
            let followsSurvey = rule == .hf3 && row.p >= 1 / Double(x.count)
            let expected = followsSurvey ? row.svyquantile! : row.value
            Self.expectMatch(sample.quantile(row.p, rule: rule), expected, row)
            if row.p > 1 / Double(x.count) && row.p < 1 {
                Self.expectMatch(sample.quantile(row.p, rule: rule), row.svyquantile!, row)  // and R survey
            }
        }
    }

    @Test(arguments: QuantileRule.allCases.filter { $0 != .shahvaish })  // shahvaish: QuantileScoreTests
    func unequalWeightsFollowSvyquantile(rule: QuantileRule) throws {
        let cases = Self.rows.filter { $0.sample == "dstrat" && $0.rule == rule }
        #expect(cases.count == 5)
        let est = try Designs.apistrat.estimate(Designs.dstrat, [.quantile("api00", cases.map(\.p))],
                                                EstimationOptions(quantileRule: rule))
        for (k, row) in cases.enumerated() { Self.expectMatch(est.table.cells[k].estimate, row.value, row) }
    }

    @Test func radixOrderMatchesTheComparisonSortWithTiesSignedZerosAndInfinities() {
        var state: UInt64 = 42
        func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state >> 33
        }
        let special: [Double] = [0, -0.0, .infinity, -.infinity, .greatestFiniteMagnitude, -.leastNonzeroMagnitude,
                                 .leastNonzeroMagnitude, 1e-300, -1e300]
        var xs: [Double] = []
        for i in 0..<20_000 {
            switch next() % 4 {
            case 0: xs.append(Double(Int(next() % 50) - 25))  // many ties
            case 1: xs.append((Double(next()) / Double(1 << 31) - 0.5) * 1e6)
            case 2: xs.append(special[i % special.count])
            default: xs.append(Double(next() % 1000) / 8)
            }
        }
        let expected = xs.indices.sorted { xs[$0] < xs[$1] || (xs[$0] == xs[$1] && $0 < $1) }
        let order = SortedSample.ascendingOrder(xs)
        #expect(order.map { Int($0) } == expected)
    }
}
