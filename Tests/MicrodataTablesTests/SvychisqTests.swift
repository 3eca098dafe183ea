import Foundation
import MicrodataReaders
import MicrodataTestSupport
import Testing

@testable import MicrodataTables

/// R `svychisq(~stype + sch.wide, dclus1)` (oracle cases X03 and X03b): the Rao–Scott tests on a 3 × 2 table,
/// origin = school type (E, H, M), destination = whole-school target met (No, Yes); the third destination
/// class stays empty and the test uses the classes that occur.
struct SvychisqTests {
    /// `expected.csv` values keyed by "case|term".
    static let oracle: [String: Double] = {
        let records = try! DelimitedRecords(contentsOf: Fixtures.url("rsurvey/expected.csv")).records
        var out: [String: Double] = [:]
        for r in records.dropFirst() where r.fields[0].hasPrefix("X03") { out["\(r.fields[0])|\(r.fields[3])"] = Double(r.fields[4]) }
        return out
    }()

    /// Cell totals of stype × sch.wide under dclus1 with their covariance from the district totals
    /// (one stratum, fpc): Cov = (1 − n/N) · n/(n − 1) · Σ (t_c − t̄)(t_c − t̄)ᵀ.
    static func cellTotals() throws -> CellTotals {
        let records = try DelimitedRecords(contentsOf: Fixtures.url("rsurvey/apiclus1.csv")).records
        let header = records[0].fields
        func col(_ name: String) -> Int { header.firstIndex(of: name)! }
        let origins = ["E", "H", "M"], destinations = ["No", "Yes"]
        let k = 3
        let m = k * k
        var clusterTotals: [String: [Double]] = [:]
        var totals = [Double](repeating: 0, count: m)
        var counts = [Int](repeating: 0, count: m)
        var populationPSUs = 0.0
        for r in records.dropFirst() {
            let f = r.fields
            let cell = origins.firstIndex(of: f[col("stype")])! * k + destinations.firstIndex(of: f[col("sch.wide")])!
            let w = Double(f[col("pw")])!
            clusterTotals[f[col("dnum")], default: [Double](repeating: 0, count: m)][cell] += w
            totals[cell] += w
            counts[cell] += 1
            populationPSUs = Double(f[col("fpc")])!
        }
        let n = Double(clusterTotals.count)
        let mean = totals.map { $0 / n }
        var cov = [Double](repeating: 0, count: m * m)
        for t in clusterTotals.values {
            for a in 0..<m { for b in 0..<m { cov[a * m + b] += (t[a] - mean[a]) * (t[b] - mean[b]) } }
        }
        let factor = (1 - n / populationPSUs) * n / (n - 1)
        return CellTotals(
            classCount: k, groupCount: 1, totals: totals, covariance: cov.map { $0 * factor },
            unweightedCounts: counts, degreesOfFreedom: n - 1, rowsInDesign: records.count - 1)
    }

    static func expectClose(_ actual: Double, _ key: String, relative: Double = 1e-8,
                            sourceLocation: SourceLocation = #_sourceLocation) {
        guard let expected = oracle[key] else {
            Issue.record("oracle has no \(key)", sourceLocation: sourceLocation)
            return
        }
        #expect(abs(actual - expected) <= relative * abs(expected), "\(key): got \(actual), expected \(expected)",
                sourceLocation: sourceLocation)
    }

    @Test func secondOrderFMatchesSvychisqF() throws {
        let test = try #require(try Self.cellTotals().raoScottTest(group: 0))
        Self.expectClose(test.f, "X03|F")
        Self.expectClose(test.numeratorDF, "X03|ndf")
        Self.expectClose(test.denominatorDF, "X03|ddf")
        Self.expectClose(test.pValue, "X03|p.X-squared")
    }

    @Test func firstOrderChisqReportsPearsonAndAdjustedPValue() throws {
        let test = try #require(try Self.cellTotals().raoScottTest(group: 0))
        // R keeps the unadjusted X² as the statistic and refers X² / mean(δ) to χ² on (3 − 1)(2 − 1) df.
        Self.expectClose(test.pearson, "X03b|X2")
        #expect(test.chiSquareDF == 2)
        Self.expectClose(test.chiSquarePValue, "X03b|p.X-squared")
    }
}
