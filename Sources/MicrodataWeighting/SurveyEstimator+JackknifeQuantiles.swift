extension SurveyEstimator {
    /// Quantiles under the jackknife built from the design (`--jackknife`), as R's `svyquantile` computes them
    /// on `as.svrepdesign(design, type = "JK1"|"JKn")`: a Woodruff interval from the jackknife variance of
    /// F̂(q̂) = Σ w·1(x ≤ q̂) / Σ w over the domain, each replicate's weights at the full-sample q̂.
    ///
    /// Replicate (h, i) drops PSU i and multiplies the other PSUs of stratum h by n_h/(n_h−1), so every
    /// replicate's F is found from per-PSU sums of w and w·1(x ≤ q̂); no replicate weight is stored.
    func finishJackknifeQuantile(
        _ st: AnalysisState, structure: DesignStructure, domainOrder: [Int32], designDF: Double
    ) throws -> ([CellEstimate], [Double]) {
        let probabilities = st.analysis.probabilities
        let K = probabilities.count
        let H = structure.strataCount
        let P = structure.psuStratum.count
        let (rowsOfDomain, domainRows) = quantileRows(st)
        let domains = domainOrder.map(Int.init).filter { domainRows[$0] > 0 }
        var psusOf = [[Int]](repeating: [], count: H)
        for p in 0..<P { psusOf[Int(structure.psuStratum[p])].append(p) }
        let domainDF = domainDegreesOfFreedom(st, structure: structure)

        var cells: [CellEstimate] = []
        var variances: [Double] = []
        for d in domains {
            let rows = rowsOfDomain[d]
            let sample = SortedSample(x: rows.map { st.qx[$0] }, w: rows.map { st.qw[$0] })
            let q = probabilities.map { sample.quantile($0, rule: options.quantileRule) }
            // Per PSU: Σ w (slot 0) and Σ w·1(x ≤ q̂_k) (slot 1 + k); per stratum the same sums.
            var psuSums = [Double](repeating: 0, count: P * (K + 1))
            for i in rows {
                let p = structure.unitPSU.map { Int($0[Int(st.qunit[i])]) } ?? Int(st.qunit[i])
                psuSums[p * (K + 1)] += st.qw[i]
                for k in 0..<K where st.qx[i] <= q[k] { psuSums[p * (K + 1) + 1 + k] += st.qw[i] }
            }
            var stratumSums = [Double](repeating: 0, count: H * (K + 1))
            var full = [Double](repeating: 0, count: K + 1)
            for p in 0..<P {
                let h = Int(structure.psuStratum[p])
                for j in 0...K {
                    stratumSums[h * (K + 1) + j] += psuSums[p * (K + 1) + j]
                    full[j] += psuSums[p * (K + 1) + j]
                }
            }
            // Replicate CDFs at q̂, laid out [replicate][k].
            var thetas: [Double] = []
            var rscales: [Double] = []
            func addReplicate(_ sums: (Int) -> Double, rscale: Double) {
                let total = sums(0)
                for k in 0..<K { thetas.append(sums(1 + k) / total) }
                rscales.append(rscale)
            }
            for h in 0..<H where !psusOf[h].isEmpty {
                let n = psusOf[h].count
                if n == 1 {
                    switch structure.lonely {
                    case .fail:
                        throw WeightingError.lonelyPSU(
                            stratumColumn: structure.stratumColumn, stratum: structure.stratumLabels[h], stage: 1)
                    case .remove, .certainty, .average: continue
                    case .adjust:
                        let grow = Double(H) / Double(H - 1)
                        addReplicate({ grow * (full[$0] - stratumSums[h * (K + 1) + $0]) },
                                     rscale: Double(H - 1) / Double(H))
                        continue
                    }
                }
                let grow = Double(n) / Double(n - 1)
                for p in psusOf[h] {
                    addReplicate({ j in
                        full[j] + (grow - 1) * stratumSums[h * (K + 1) + j] - grow * psuSums[p * (K + 1) + j]
                    }, rscale: (1 - structure.fh[h]) * Double(n - 1) / Double(n))
                }
            }
            if rscales.isEmpty {
                throw WeightingError.invalidDesign("every stratum was sampled exhaustively: no jackknife replicates")
            }
            let scale = structure.lonely == .average && rscales.count < P ? Double(P) / Double(rscales.count) : 1
            let F = (0..<K).map { full[1 + $0] / full[0] }
            let variance = replicateVariances(thetas: thetas, estimates: F, rscales: rscales, scale: scale, mse: false)
            let df = cellDF(domain: d, domainDF: domainDF, designDF: designDF, domainRows: domainRows[d])
            let t = Intervals.critical(level: options.level, df: df)
            let method = options.quantileInterval == .logit ? ProportionCIMethod.xlogit : options.quantileInterval
            for (k, p) in probabilities.enumerated() {
                let pci = Intervals.proportion(F[k], se: max(variance[k], 0).squareRoot(), method: method,
                                               level: options.level, df: df, designRows: domainRows[d])
                let lo = (pci.0.isNaN || pci.0 < 0) ? Double.nan : sample.quantile(pci.0, rule: options.quantileRule)
                let hi = (pci.1.isNaN || pci.1 > 1) ? Double.nan : sample.quantile(pci.1, rule: options.quantileRule)
                let se = (hi - lo) / (2 * t)
                variances.append(se * se)
                cells.append(CellEstimate(
                    byValues: domainLabels[d], statistic: "quantile", variable: st.analysis.label,
                    level: formatProbability(p), estimate: q[k], standardError: se, ciLow: lo, ciHigh: hi,
                    designEffect: nil, degreesOfFreedom: df, unweightedCount: rows.count, weightedCount: sample.total))
            }
        }
        return (cells, variances)
    }
}
