import Foundation
import MicrodataReaders
import MicrodataWeighting

/// The direct estimates and variances a Fay–Herriot fit receives: as estimated, smoothed by a GVF, or on the arcsine
/// scale. Only usable (publishable) direct estimates enter, so the GVF, the design effects and the effective
/// sample sizes depend on no withheld area.
struct SmallAreaInputs {
    /// Area → (estimate, variance) on the scale of the fit.
    var used: [String: (estimate: Double, variance: Double)] = [:]
    /// Area key (``SmallAreaData/key(_:)``) → (estimate, design variance) as estimated.
    var original: [String: (Double, Double)] = [:]
    /// Areas left out for a zero variance (``SmallAreaEstimation/ZeroVariance/synthetic``).
    var zero: [String] = []
    var gvf: GeneralisedVarianceFunction?
    var effective: ArcsineTransformation.EffectiveSizes?

    init(directs: [DirectEstimate], zeroVariance: SmallAreaEstimation.ZeroVariance, arcsine: ArcsineTransformation?,
         smoothVariances: Bool) throws {
        let usable = directs.filter(\.usable)
        if arcsine == nil && !smoothVariances {
            for d in usable {
                let v = d.standardError! * d.standardError!
                if !(v > 0) && zeroVariance == .synthetic { zero.append(d.area); continue }
                used[d.area] = (d.estimate!, v)
            }
            return
        }
        let unsized = usable.filter { ($0.sampleSize ?? 0) < 1 }.map(\.area)
        if !unsized.isEmpty { throw SmallAreaAdjustmentError.missingSampleSize(areas: unsized) }
        let estimates = usable.map { $0.estimate! }, sizes = usable.map { $0.sampleSize! }
        let variances = usable.map { $0.standardError! * $0.standardError! }
        for (d, (y, v)) in zip(usable, zip(estimates, variances)) { original[SmallAreaData.key(d.area)] = (y, v) }
        if let arcsine {
            let outside = usable.filter { !(0...1).contains($0.estimate!) }.map(\.area)
            if !outside.isEmpty { throw SmallAreaAdjustmentError.notAProportion(areas: outside) }
            let e = try arcsine.effectiveSampleSizes(estimates: estimates, variances: variances, sizes: sizes)
            for (i, d) in usable.enumerated() {
                used[d.area] = (ArcsineTransformation.transform(estimates[i]), 1 / (4 * e.sizes[i]))
            }
            effective = e
        } else {
            let g = try GeneralisedVarianceFunction(variances: variances, sizes: sizes)
            for (i, d) in usable.enumerated() { used[d.area] = (estimates[i], g.variance(size: sizes[i])) }
            gvf = g
        }
    }
}

extension SmallAreaDirect {
    /// Each cell's area sample size: for a proportion the respondents over every level of its area, else the
    /// cell's own count.
    public static func sampleSizes(of table: EstimateTable) -> [Int] {
        var byArea: [[String]: Int] = [:]
        for c in table.cells where c.level != nil { byArea[c.byValues, default: 0] += c.unweightedCount }
        return table.cells.map { $0.level == nil ? $0.unweightedCount : byArea[$0.byValues]! }
    }

    /// Attaches the sample sizes of a `--direct` file's column to its estimates.
    ///
    /// - Throws: ``SmallAreaError/missingColumn(column:file:)``.
    public static func attachSampleSizes(
        _ directs: inout [DirectEstimate], data: ModelData, area: String, column: String, file: String
    ) throws {
        guard let c = data.column(column) else { throw SmallAreaError.missingColumn(column: column, file: file) }
        guard let a = data.column(area) else { throw SmallAreaError.missingColumn(column: area, file: file) }
        var size: [String: Int] = [:]
        for r in 0..<data.rowCount {
            if let name = a.text(at: r), let n = c.double(at: r), n >= 0, n == n.rounded() { size[SmallAreaData.key(name)] = Int(n) }
        }
        for i in directs.indices { directs[i].sampleSize = size[SmallAreaData.key(directs[i].area)] }
    }
}
