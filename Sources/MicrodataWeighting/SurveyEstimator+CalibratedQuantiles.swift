extension SurveyEstimator {
    /// Puts the quantile rows under the calibrated (or raked) weights `w = g·d`, keeping each row's input weight
    /// `d` for the residuals; R's `svyquantile` on a calibrated design takes its quantiles with `weights(design)`.
    func calibrateQuantileRows(_ st: inout AnalysisState, _ fit: CalibrationFit) {
        guard !st.qcalibrationRow.isEmpty else { return }
        let p = calibrationTerms
        st.qinputWeight = st.qw
        for i in st.qw.indices {
            let g: Double
            if !fit.rowG.isEmpty {
                let k = Int(st.qcalibrationRow[i])
                g = k >= 0 ? fit.rowG[k] : 1
            } else if design.raking != nil {
                g = fit.lambda[Int(st.qjoint[i])] + 1
            } else {
                var u = 0.0
                for j in 0..<p { u += st.qcalibrationX[i * p + j] * fit.lambda[j] }
                g = 1 + u
            }
            st.qw[i] *= g
        }
    }

    /// Appends the calibration residual of the scores of `F̂(θ) = Σ w 1(x ≤ θ) / total` over `rows` (R: the
    /// scores of `svymean(I(x <= θ))` on the calibrated design, through `svyrecvar`'s `postStrata`).
    func appendQuantileResiduals(
        _ st: AnalysisState, _ fit: CalibrationFit, rows: [Int], theta: Double, F: Double, total: Double,
        to scores: inout Scores
    ) {
        let p = calibrationTerms
        var sums = [Double](repeating: 0, count: p)
        if design.raking != nil {
            // Unweighted Σ z/w = Σ (1(x ≤ θ) − F̂)/total per joint cell.
            for i in rows { sums[Int(st.qjoint[i])] += ((st.qx[i] <= theta ? 1 : 0) - F) / total }
            appendRakingResiduals(fit, sums: sums, estimates: 1, to: &scores)
        } else {
            // Σ d x z/w.
            for i in rows {
                let u = st.qinputWeight[i] * ((st.qx[i] <= theta ? 1 : 0) - F) / total
                for j in 0..<p { sums[j] += u * st.qcalibrationX[i * p + j] }
            }
            appendCalibrationResiduals(fit, sums: sums, estimates: 1, to: &scores)
        }
    }
}
