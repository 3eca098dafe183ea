import Foundation
import MicrodataReaders
import MicrodataTestSupport

@testable import MicrodataMobility

/// Cell totals of the `apiclus1` schools under R's `dclus1` (districts as clusters, one stratum, fpc), with
/// their covariance computed directly from the district totals, independently of the weighting layer:
/// Cov = (1 − n/N) · n/(n − 1) · Σ (t_c − t̄)(t_c − t̄)ᵀ over the n sampled districts.
enum DClus1CellTotals {
    /// - Parameter cell: the flat cell index `(group · k + origin) · k + destination` of a school, given a
    ///   lookup of its fields by column name.
    static func make(classCount k: Int, groupCount: Int, cell: ((String) -> String) -> Int) throws -> CellTotals {
        let records = try DelimitedRecords(contentsOf: Fixtures.url("rsurvey/apiclus1.csv")).records
        let header = records[0].fields
        let m = groupCount * k * k
        var clusterTotals: [String: [Double]] = [:]
        var totals = [Double](repeating: 0, count: m)
        var counts = [Int](repeating: 0, count: m)
        var populationPSUs = 0.0
        for r in records.dropFirst() {
            func field(_ name: String) -> String { r.fields[header.firstIndex(of: name)!] }
            let c = cell(field)
            let w = Double(field("pw"))!
            clusterTotals[field("dnum"), default: [Double](repeating: 0, count: m)][c] += w
            totals[c] += w
            counts[c] += 1
            populationPSUs = Double(field("fpc"))!
        }
        let n = Double(clusterTotals.count)
        let mean = totals.map { $0 / n }
        var cov = [Double](repeating: 0, count: m * m)
        for t in clusterTotals.values {
            for a in 0..<m { for b in 0..<m { cov[a * m + b] += (t[a] - mean[a]) * (t[b] - mean[b]) } }
        }
        let factor = (1 - n / populationPSUs) * n / (n - 1)
        return CellTotals(
            classCount: k, groupCount: groupCount, totals: totals, covariance: cov.map { $0 * factor },
            unweightedCounts: counts, degreesOfFreedom: n - 1, rowsInDesign: records.count - 1)
    }
}
