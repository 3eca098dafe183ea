import Foundation

extension SurveyEstimator {
    /// Quantiles under replicate weights, as R's `svyquantile` on a replicate design computes them.
    ///
    /// By default a Woodruff interval: the replicate variance of F̂(q̂) = Σ w·1(x ≤ q̂) / Σ w over the domain,
    /// with each replicate's weights at the full-sample q̂, mapped back through the quantile rule (one read of the
    /// spilled replicate weights). With ``EstimationOptions/replicateQuantiles`` the quantile is taken in each
    /// replicate and its replicate variance gives q̂ ± t·SE (R `interval.type = "quantile"`); that holds the
    /// domain's replicate weights in memory. Domain intervals use the domain's own degrees of freedom (the rank
    /// of its replicate weights − 1, R's `degf` of the subset) unless they are given.
    func finishReplicateQuantile(
        _ st: AnalysisState, domainOrder: [Int32], designDF: Double, calibration: CalibrationFit? = nil
    ) throws -> ([CellEstimate], [Double]) {
        guard let spec = design.replicates else { return ([], []) }
        let R = st.replicateCount
        let scale = try spec.effectiveScale(count: R)
        let rscales = spec.rscales ?? [Double](repeating: 1, count: R)
        let probabilities = st.analysis.probabilities
        let P = probabilities.count
        let D = domainLabels.count
        let (rowsOfDomain, domainRows) = quantileRows(st)
        let domains = domainOrder.filter { domainRows[Int($0)] > 0 }

        // Full-sample quantiles and F̂(q̂).
        var q = [Double](repeating: .nan, count: D * P)
        var F = [Double](repeating: .nan, count: D * P)
        var samples: [Int: SortedSample] = [:]
        for d in domains.map(Int.init) {
            let sample = SortedSample(x: rowsOfDomain[d].map { st.qx[$0] }, w: rowsOfDomain[d].map { st.qw[$0] })
            samples[d] = sample
            for (k, p) in probabilities.enumerated() {
                q[d * P + k] = sample.quantile(p, rule: options.quantileRule)
                F[d * P + k] = sample.cdf(q[d * P + k])
            }
        }

        // One read of the spilled replicate weights: per domain, the rows' weights (replicate quantiles) or the
        // weights below each q̂ (Woodruff), and the Gram matrix for the domain's degrees of freedom (R's degf()
        // of the subset: rank of its replicate weights − 1) unless those are given.
        let E = D * P
        let needDF = !options.by.isEmpty && spec.degreesOfFreedom == nil && options.degreesOfFreedom == nil
        var grams = [Double](repeating: 0, count: needDF ? D * R * R : 0)
        var weights = [[Double]](repeating: [], count: options.replicateQuantiles ? D : 0)  // rows × R
        var below = [Double](repeating: 0, count: options.replicateQuantiles ? 0 : R * E)
        var total = [Double](repeating: 0, count: options.replicateQuantiles ? 0 : R * D)
        // Calibrated or raked designs: each replicate's weights times that replicate's g (R calibrate, rake on an
        // svyrep.design).
        let replicateG = calibration?.replicateG ?? []
        var calibrated = [Double](repeating: 0, count: replicateG.isEmpty ? 0 : R)
        func add(_ i: Int, _ values: UnsafeBufferPointer<Double>) {
            let d = Int(st.qdomain[i])
            if needDF {
                let base = d * R * R
                for a in 0..<R where values[a] != 0 {
                    for b in a..<R { grams[base + a * R + b] += values[a] * values[b] }
                }
            }
            if options.replicateQuantiles {
                weights[d].append(contentsOf: values)
                return
            }
            let x = st.qx[i]
            for r in 0..<R { total[r * D + d] += values[r] }
            for k in 0..<P where x <= q[d * P + k] {
                for r in 0..<R { below[r * E + d * P + k] += values[r] }
            }
        }
        try st.qreplicates?.forEachRow { i, stored in
            if !replicateG.isEmpty, st.qcalibrationRow[i] >= 0 {
                let k = Int(st.qcalibrationRow[i])
                for r in 0..<R { calibrated[r] = stored[r] * replicateG[k * R + r] }
                calibrated.withUnsafeBufferPointer { add(i, $0) }
            } else {
                add(i, stored)
            }
        }
        let domainDF = needDF
            ? (0..<D).map { d in Double(Self.rank(ofGram: Array(grams[(d * R * R)..<((d + 1) * R * R)]), count: R) - 1) }
            : []

        // Replicate estimates, laid out [r][domain × probability].
        var thetas = [Double](repeating: .nan, count: R * E)
        if options.replicateQuantiles {
            for d in domains.map(Int.init) {
                let rows = rowsOfDomain[d]
                let x = rows.map { st.qx[$0] }
                for r in 0..<R {
                    let sample = SortedSample(x: x, w: rows.indices.map { weights[d][$0 * R + r] })
                    for (k, p) in probabilities.enumerated() {
                        thetas[r * E + d * P + k] = sample.quantile(p, rule: options.quantileRule)
                    }
                }
            }
        } else {
            for r in 0..<R {
                for e in 0..<E { thetas[r * E + e] = below[r * E + e] / total[r * D + e / P] }
            }
        }
        let variance = replicateVariances(thetas: thetas, estimates: options.replicateQuantiles ? q : F,
                                          rscales: rscales, scale: scale, mse: spec.usesMSE)

        var cells: [CellEstimate] = []
        var variances: [Double] = []
        for d in domains.map(Int.init) {
            let sample = samples[d]!
            let df = cellDF(domain: d, domainDF: domainDF, designDF: designDF, domainRows: domainRows[d])
            let t = Intervals.critical(level: options.level, df: df)
            for (k, p) in probabilities.enumerated() {
                let e = d * P + k
                let lo: Double, hi: Double, se: Double
                if options.replicateQuantiles {
                    se = max(variance[e], 0).squareRoot()
                    (lo, hi) = (q[e] - t * se, q[e] + t * se)
                } else {
                    let method = options.quantileInterval == .logit ? ProportionCIMethod.xlogit : options.quantileInterval
                    let pci = Intervals.proportion(F[e], se: max(variance[e], 0).squareRoot(), method: method,
                                                   level: options.level, df: df, designRows: domainRows[d])
                    lo = (pci.0.isNaN || pci.0 < 0) ? .nan : sample.quantile(pci.0, rule: options.quantileRule)
                    hi = (pci.1.isNaN || pci.1 > 1) ? .nan : sample.quantile(pci.1, rule: options.quantileRule)
                    se = (hi - lo) / (2 * t)
                }
                variances.append(se * se)
                cells.append(CellEstimate(
                    byValues: domainLabels[d], statistic: "quantile", variable: st.analysis.label,
                    level: formatProbability(p), estimate: q[e], standardError: se, ciLow: lo, ciHigh: hi,
                    designEffect: nil, degreesOfFreedom: df, unweightedCount: rowsOfDomain[d].count,
                    weightedCount: sample.total))
            }
        }
        return (cells, variances)
    }

    /// `scale · Σ_r rscale_r (θ_r − centre)²` for each estimate; the centre is the full-sample estimate under
    /// `mse`, else the mean of the replicates with a positive rscale.
    func replicateVariances(
        thetas: [Double], estimates: [Double], rscales: [Double], scale: Double, mse: Bool
    ) -> [Double] {
        let E = estimates.count
        let used = rscales.indices.filter { rscales[$0] > 0 }
        return (0..<E).map { e in
            let centre = mse ? estimates[e] : used.reduce(0) { $0 + thetas[$1 * E + e] } / Double(used.count)
            var v = 0.0
            for r in rscales.indices { v += scale * rscales[r] * (thetas[r * E + e] - centre) * (thetas[r * E + e] - centre) }
            return v
        }
    }
}
