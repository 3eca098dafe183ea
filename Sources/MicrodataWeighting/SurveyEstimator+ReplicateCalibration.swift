extension SurveyEstimator {
    /// R `calibrate()` on an `svyrep.design`: every replicate's weights are calibrated to the same totals, by
    /// the closed form of `regcalibrate` for unbounded linear calibration and by `grake` otherwise. Returns g of
    /// every stored calibration row in every replicate (rows × replicates, row-major).
    func replicateCalibration(_ calibration: Calibration) throws -> [Double] {
        let R = replicateNames?.count ?? 0
        let n = calibrationRowD.count
        let p = calibrationTerms
        let totals = calibration.terms.map(\.total)
        var g = [Double](repeating: 1, count: n * R)
        for r in 0..<R {
            let d = (0..<n).map { calibrationRowReplicates[$0 * R + r] }
            var gr: [Double]
            if calibration.isIterative {
                gr = try NewtonCalibration(calibration).solve(x: calibrationRowX, d: d, totals: totals).g
            } else {
                var t = [Double](repeating: 0, count: p * p)
                var sampleTotal = [Double](repeating: 0, count: p)
                for k in 0..<n where d[k] != 0 {
                    for a in 0..<p {
                        let xa = calibrationRowX[k * p + a]
                        sampleTotal[a] += d[k] * xa
                        for b in 0..<p { t[a * p + b] += d[k] * xa * calibrationRowX[k * p + b] }
                    }
                }
                let lambda = try solveLinear(t, (0..<p).map { totals[$0] - sampleTotal[$0] })
                gr = (0..<n).map { k in 1 + (0..<p).reduce(0) { $0 + calibrationRowX[k * p + $1] * lambda[$1] } }
            }
            for k in 0..<n { g[k * R + r] = gr[k] }
        }
        return g
    }

    /// Applies the replicate g-weights to an analysis's replicate sums: each stored row's replicate contribution
    /// `w_r·q` (its `d·q` times `w_r / d`) is scaled by `g_r`.
    func calibrateReplicates(_ st: inout AnalysisState, _ g: [Double]) {
        guard !g.isEmpty else { return }
        let R = st.replicateCount
        let RW = AnalysisState.repWidth
        for i in st.calibrationRow.indices {
            let k = Int(st.calibrationRow[i])
            let s = Int(st.calibrationSlot[i])
            for r in 0..<R {
                let wr = calibrationRowReplicates[k * R + r]
                if wr == 0 { continue }
                let f = (g[k * R + r] - 1) * wr / calibrationRowD[k]
                for q in 0..<4 { st.rep[(s * R + r) * RW + q] += f * st.calibrationDQ[i * 4 + q] }
            }
        }
    }
}
