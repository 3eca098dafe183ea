import Foundation
import MicrodataReaders

/// A whole small-area job: direct estimates per area, the auxiliary data, the Fay–Herriot fit and the optional
/// ratio benchmark.
public struct SmallAreaEstimation: Sendable {
    /// What to do with areas whose direct variance is zero (a proportion of 0 or 1, a single PSU).
    public enum ZeroVariance: String, Sendable, CaseIterable {
        /// Refuse, naming the areas.
        case fail
        /// Fit them as areas without sample: their estimate is synthetic.
        case synthetic
    }

    /// How the estimates are ratio-benchmarked.
    public enum Benchmark: Sendable, Hashable {
        /// Population shares from this auxiliary column (means and proportions).
        case population(String)
        /// Plain sums (totals).
        case sum
    }

    public var fit: FayHerriotFit
    /// The direct estimate of each area of ``fit``'s areas that has one in the data (`nil`: not in the data).
    public var directs: [DirectEstimate?]
    /// The ratio-benchmarking factor, when asked for.
    public var benchmarkFactor: Double?
    /// Areas with a direct estimate the model did not use because its variance is zero.
    public var zeroVarianceAreas: [String]
    /// With the arcsine transformation: the fit on that scale and the effective sample sizes (``fit`` is then
    /// back-transformed, its MSEs bootstrapped).
    public var arcsine: ArcsineTransformation.Outcome?
    /// The arcsine transformation asked for.
    public var arcsineSettings: ArcsineTransformation?
    /// With smoothed variances: the generalised variance function that smoothed them.
    public var gvf: GeneralisedVarianceFunction?

    /// Fits the model.
    ///
    /// - Throws: ``SmallAreaError`` naming the area or column at fault.
    public init(
        directs: [DirectEstimate], auxiliary: ModelData, area: String, formula: String, model: FayHerriot = FayHerriot(),
        zeroVariance: ZeroVariance = .fail, benchmark: Benchmark? = nil, file: String = "the auxiliary file",
        arcsine: ArcsineTransformation? = nil, smoothVariances: Bool = false
    ) throws {
        let inputs = try SmallAreaInputs(
            directs: directs, zeroVariance: zeroVariance, arcsine: arcsine, smoothVariances: smoothVariances)
        let data = try SmallAreaData(
            auxiliary: auxiliary, area: area, formula: formula, direct: inputs.used, required: directs.map(\.area), file: file)
        fit = try model.fit(data)
        if let arcsine, let effective = inputs.effective {
            let transformed = fit
            let original = data.areas.map { inputs.original[SmallAreaData.key($0)] }
            let (back, successful) = try arcsine.backTransform(transformed, data: data, model: model, original: original)
            fit = back
            self.arcsine = .init(transformedFit: transformed, effective: effective, successfulReplicates: successful)
            arcsineSettings = arcsine
        }
        gvf = inputs.gvf
        let byKey = Dictionary(directs.map { (SmallAreaData.key($0.area), $0) }) { a, _ in a }
        self.directs = data.areas.map { byKey[SmallAreaData.key($0)] }
        zeroVarianceAreas = inputs.zero
        switch benchmark {
        case nil: benchmarkFactor = nil
        case .sum: benchmarkFactor = fit.benchmarkFactor(weights: Array(repeating: 1, count: data.areas.count))
        case .population(let name):
            guard let column = auxiliary.column(name) else { throw SmallAreaError.missingColumn(column: name, file: file) }
            var weights: [Double] = []
            var missing: [String] = []
            for (r, e) in fit.areas.enumerated() {
                let w = column.double(at: r)
                if e.kind == .eblup && !(w.map { $0 > 0 } ?? false) { missing.append(e.area) }
                weights.append(w ?? 0)
            }
            if !missing.isEmpty { throw SmallAreaError.missingCovariate(column: name, areas: missing, file: file) }
            let total = weights.enumerated().reduce(0) { $0 + (fit.areas[$1.offset].kind == .eblup ? $1.element : 0) }
            benchmarkFactor = fit.benchmarkFactor(weights: weights.map { $0 / total })
        }
    }
}
