import Foundation

extension SurveyEstimator {
    /// The estimate of one table cell and how its score is built from slot sums.
    struct EstimateSpec {
        var domain: Int32
        var level: Int32
        var estimate: Double
        // Score = cw·Σw + cwy·Σwy + cwyy·Σwy² + cwx·Σwx (same level) + cDomain·Σw (whole domain).
        var cw = 0.0, cwy = 0.0, cwyy = 0.0, cwx = 0.0, cDomain = 0.0
        var count = 0
        var weighted = 0.0
        var srsVariance: Double? = nil
        var isProportion = false
        var domainRows = 0
        /// The same score of a numeric analysis about a centre, for ``SurveyEstimator/momentCovariance``.
        var score = CentredScore()
    }

    /// Ends the pass and computes every estimate, its variance, interval and design effect.
    public func finish() throws -> Estimates {
        guard rowsSeen > 0, !domainLabels.isEmpty else {
            throw WeightingError.invalidRequest("no rows with positive weight to estimate from")
        }
        let structure: DesignStructure? = taylor ? try buildStructure() : nil
        let unitWeight: [Double]? = weightsFromFPC ? try derivedWeights(structure!) : nil
        let designDF = try designDegreesOfFreedom(structure)
        var kish = KishWeighting(n: kishN, sumWeights: kishSum, sumSquaredWeights: kishSum2)
        if let unitWeight {
            kish.sumWeights = 0
            kish.sumSquaredWeights = 0
            for u in unitRows.indices {
                kish.sumWeights += Double(unitRows[u]) * unitWeight[u]
                kish.sumSquaredWeights += Double(unitRows[u]) * unitWeight[u] * unitWeight[u]
            }
        }
        let domainOrder = sortedDomains()
        var table = EstimateTable(
            byVariables: options.by, cells: [],
            designDescription: design.modeDescription + "; df \(formatDF(options.degreesOfFreedom ?? designDF))",
            level: options.level, usesTDistribution: options.useT)
        var blocks: [Estimates.Block] = []
        var fit = try calibrationFit()
        if fit != nil, let calibration = design.calibration, design.replicates != nil {
            fit!.replicateG = try replicateCalibration(calibration)
        }
        for state in states {
            var st = state
            if let unitWeight { scaleByUnitWeights(&st, unitWeight) }
            if let fit {
                calibrate(&st, fit)
                if !fit.note.isEmpty && !table.designDescription.contains(fit.note) {
                    table.designDescription += "; " + fit.note
                }
            }
            let start = table.cells.count
            let (cells, cov) = try finishAnalysis(st, structure: structure, domainOrder: domainOrder, designDF: designDF,
                                                  calibration: fit)
            table.cells.append(contentsOf: cells)
            var components: [String: [String]] = [:]
            if st.analysis.variables.count > 1 && st.categorical == true {
                for l in st.levelLabels.indices.dropFirst() { components[st.levelLabels[l]] = st.levelParts[l] }
            }
            for k in 0..<cov.blockCount {
                var block = Estimates.Block(
                    analysis: st.analysis, cells: (start + cov.bounds[k])..<(start + cov.bounds[k + 1]),
                    covariance: cov.matrix(k))
                block.levelComponents = components
                blocks.append(block)
            }
        }
        if options.kish {
            var index: [[String]: Int] = [:]
            for d in domainLabels.indices { index[domainLabels[d]] = d }
            for i in table.cells.indices {
                if let d = index[table.cells[i].byValues], d < domainKish.count { table.cells[i].kish = domainKish[d] }
            }
        }
        var estimates = Estimates(
            table: table, blocks: blocks, degreesOfFreedom: options.degreesOfFreedom ?? designDF, kish: kish,
            rowsWithMissingDomain: excludedByMissingDomain, calibration: fit?.summary)
        estimates.negativeWeightRows = negativeWeightRows
        estimates.rowsInDesign = rowsSeen
        estimates.usesReplicates = design.replicates != nil || design.jackknife
        return estimates
    }

    /// The fitted linear calibration: λ, Σ d x x' and per-unit Σ w x (calibrated weights).
    struct CalibrationFit {
        var lambda: [Double]
        var t: [Double]
        var unitWX: [Double]
        /// Raking: g after each margin's step in the final sweep, and a note on convergence.
        var rakingSteps: [[Double]] = []
        var note = ""
        /// Iterative calibration: g of every stored calibration row (λ is then unused).
        var rowG: [Double] = []
        /// Replicate designs: g of every stored calibration row in every replicate (rows × replicates).
        var replicateG: [Double] = []
        var summary: CalibrationSummary? = nil
    }

    func calibrationFit() throws -> CalibrationFit? {
        if let raking = design.raking { return try rakingFit(raking) }
        guard let calibration = design.calibration else { return nil }
        let p = calibrationTerms
        var t = [Double](repeating: 0, count: p * p)
        var sx = [Double](repeating: 0, count: p)
        let U = unitDX.count / p
        for u in 0..<U {
            for a in 0..<p {
                sx[a] += unitDX[u * p + a]
                for b in 0..<p { t[a * p + b] += unitDXX[(u * p + a) * p + b] }
            }
        }
        let target = calibration.terms.map(\.total)
        if iterativeCalibration { return try newtonFit(calibration, t: t) }
        let lambda = try solveLinear(t, (0..<p).map { target[$0] - sx[$0] })
        var wx = unitDX
        for u in 0..<U {
            for a in 0..<p {
                var s = 0.0
                for b in 0..<p { s += unitDXX[(u * p + a) * p + b] * lambda[b] }
                wx[u * p + a] += s
            }
        }
        return CalibrationFit(lambda: lambda, t: t, unitWX: wx)
    }

    /// R `grake`: g per stored row, and Σ_unit w x with the calibrated weights for the residuals.
    private func newtonFit(_ calibration: Calibration, t: [Double]) throws -> CalibrationFit {
        let p = calibrationTerms
        let solver = try NewtonCalibration(calibration)
        let (g, iterations) = try solver.solve(
            x: calibrationRowX, d: calibrationRowD, totals: calibration.terms.map(\.total))
        var wx = [Double](repeating: 0, count: unitDX.count)
        var achieved = [Double](repeating: 0, count: p)
        var smallest = Double.infinity, largest = -Double.infinity
        for k in g.indices {
            let w = g[k] * calibrationRowD[k]
            let u = Int(calibrationRowUnit[k])
            for a in 0..<p {
                wx[u * p + a] += w * calibrationRowX[k * p + a]
                achieved[a] += w * calibrationRowX[k * p + a]
            }
            smallest = min(smallest, g[k])
            largest = max(largest, g[k])
        }
        let summary = CalibrationSummary(
            iterations: iterations, smallestG: smallest, largestG: largest, achievedTotals: achieved)
        let note = "calibration (\(calibration.summary)) converged in \(iterations) iterations, g from "
            + "\(String(format: "%.4g", smallest)) to \(String(format: "%.4g", largest))"
        return CalibrationFit(lambda: [], t: t, unitWX: wx, note: note, rowG: g, summary: summary)
    }

    /// The margin category of each joint cell, per margin.
    func jointCategories() -> [[Int]] {
        let sizes = rakingLevels.map(\.count)
        let p = calibrationTerms
        var out = [[Int]](repeating: [Int](repeating: 0, count: p), count: sizes.count)
        for j in 0..<p {
            var rest = j
            for m in stride(from: sizes.count - 1, through: 0, by: -1) {
                out[m][j] = rest % sizes[m]
                rest /= sizes[m]
            }
        }
        return out
    }

    /// Iterative proportional fitting on the joint table of the margins, as R `rake()` does it; on a replicate
    /// design every replicate is raked too.
    private func rakingFit(_ raking: Raking) throws -> CalibrationFit {
        let p = calibrationTerms
        let U = unitDX.count / p
        var w = [Double](repeating: 0, count: p)
        for u in 0..<U { for j in 0..<p { w[j] += unitDX[u * p + j] } }
        let eps = raking.epsilon < 1 ? raking.epsilon * w.reduce(0, +) : raking.epsilon
        let run = try rakeJointCells(w, raking, tolerance: eps, maxSweeps: raking.maxIterations)
        let note = run.converged ? "raking converged after \(run.sweeps) sweeps"
            : "raking did NOT converge in \(raking.maxIterations) sweeps"
        var fit = CalibrationFit(lambda: run.g.map { $0 - 1 }, t: [], unitWX: [], rakingSteps: run.steps, note: note)
        if design.replicates != nil {
            (fit.rowG, fit.replicateG) = try replicateRaking(raking, fullSample: run.g, sweeps: run.sweeps)
        }
        return fit
    }

    /// Slot sums under the calibrated weights: Σ w q = Σ d q + λ'Σ d x q, or (iterative calibration)
    /// Σ d q + Σ (g − 1) d q over the rows of the slot.
    private func calibrate(_ st: inout AnalysisState, _ fit: CalibrationFit) {
        let W = AnalysisState.width
        let p = calibrationTerms
        calibrateQuantileRows(&st, fit)
        if !fit.rowG.isEmpty {
            for i in st.calibrationRow.indices {
                let s = Int(st.calibrationSlot[i])
                let f = fit.rowG[Int(st.calibrationRow[i])] - 1
                for q in 0..<4 { st.sums[s * W + 2 + q] += f * st.calibrationDQ[i * 4 + q] }
            }
            calibrateReplicates(&st, fit.replicateG)
            return
        }
        for s in st.slotDomain.indices {
            for q in 0..<4 {
                var add = 0.0
                for j in 0..<p { add += fit.lambda[j] * st.dxq[s * 4 * p + q * p + j] }
                st.sums[s * W + 2 + q] += add
            }
        }
    }

    private func formatDF(_ df: Double) -> String {
        df.isInfinite ? "Inf" : (df == df.rounded() ? String(Int(df)) : String(df))
    }

    // MARK: - Design structure

    func buildStructure() throws -> DesignStructure {
        let H = max(stratumFPC.count, 1)
        let P = psuStratum.count
        var nh = [Int](repeating: 0, count: H)
        for p in 0..<P { nh[Int(psuStratum[p])] += 1 }
        for h in stratumRows.indices { nh[h] = stratumRows[h] }  // momentVariance: every row is a PSU
        var fh = [Double](repeating: 0, count: H)
        if !design.fpc.isEmpty {
            let values = stratumFPC
            let fractions = try fpcKind(values, column: design.fpc[0])
            for h in 0..<H where nh[h] > 0 {
                if fractions {
                    fh[h] = values[h]
                } else {
                    if values[h] < Double(nh[h]) {
                        throw WeightingError.fpcSmallerThanSample(
                            column: design.fpc[0], stratum: stratumLabel(Int32(h)), population: values[h], sample: nh[h])
                    }
                    fh[h] = Double(nh[h]) / values[h]
                }
            }
        }
        var mi: [Int] = []
        var fi: [Double] = []
        if twoStage {
            mi = [Int](repeating: 0, count: P)
            for u in unitPSU { mi[Int(u)] += 1 }
            fi = [Double](repeating: 0, count: P)
            let fractions = try fpcKind(psuFPC2, column: design.fpc[1])
            for p in 0..<P {
                if fractions {
                    fi[p] = psuFPC2[p]
                } else {
                    if psuFPC2[p] < Double(mi[p]) {
                        throw WeightingError.fpcSmallerThanSample(
                            column: design.fpc[1], stratum: "PSU \(psuLabelText(p))", population: psuFPC2[p],
                            sample: mi[p])
                    }
                    fi[p] = Double(mi[p]) / psuFPC2[p]
                }
            }
        }
        return DesignStructure(
            strataCount: H, psuStratum: psuStratum, unitPSU: twoStage ? unitPSU : nil, nh: nh, fh: fh, mi: mi, fi: fi,
            twoStage: twoStage && !design.ultimateCluster, lonely: design.lonelyPSU,
            domainLonely: design.adjustDomainLonely, stratumColumn: design.strata ?? "(one stratum)",
            stratumLabels: (0..<H).map { stratumLabel(Int32($0)) }, psuLabels: (0..<P).map { psuLabelText($0) })
    }

    private func psuLabelText(_ p: Int) -> String {
        let l = psuLabel[p]
        return l < 0 ? "row \(p + 1)" : psuCoder.label(Int(l))
    }

    /// Whether FPC values are sampling fractions (all ≤ 1) rather than population sizes (all ≥ 1).
    private func fpcKind(_ values: [Double], column: String) throws -> Bool {
        let present = values.filter { !$0.isNaN }
        if present.contains(where: { $0 <= 0 }) {
            throw WeightingError.invalidDesign("fpc column '\(column)' has values ≤ 0")
        }
        if present.allSatisfy({ $0 <= 1 }) { return true }
        if present.allSatisfy({ $0 >= 1 }) { return false }
        throw WeightingError.invalidDesign(
            "fpc column '\(column)' mixes sampling fractions (≤ 1) and population sizes (> 1)")
    }

    private func derivedWeights(_ s: DesignStructure) throws -> [Double] {
        if momentVariance { return s.fh.map { 1 / $0 } }  // the unit of a slot is its stratum
        let U = twoStage ? unitPSU.count : psuStratum.count
        var w = [Double](repeating: 0, count: U)
        for u in 0..<U {
            let p = twoStage ? Int(unitPSU[u]) : u
            let f1 = s.fh[Int(psuStratum[p])]
            let f2 = twoStage ? s.fi[p] : 1
            w[u] = 1 / (f1 * f2)
        }
        return w
    }

    private func scaleByUnitWeights(_ st: inout AnalysisState, _ w: [Double]) {
        let W = AnalysisState.width
        for s in st.slotUnit.indices {
            let f = w[Int(st.slotUnit[s])]
            for k in 2..<W { st.sums[s * W + k] *= f }
        }
        for i in st.qw.indices { st.qw[i] *= w[Int(st.qunit[i])] }
        if let layout = st.momentLayout {
            st.moments.withUnsafeMutableBufferPointer { m in
                for s in st.slotUnit.indices {
                    layout.scaleWeights(m.baseAddress! + s * layout.stride, by: w[Int(st.slotUnit[s])])
                }
            }
        }
        for i in st.rowWeight.indices { st.rowWeight[i] *= w[Int(st.rowUnit[i])] }
    }

    private func designDegreesOfFreedom(_ s: DesignStructure?) throws -> Double {
        if momentVariance {
            return Double(stratumPositive.reduce(0, +) - stratumPositive.filter { $0 > 0 }.count)
        }
        if let s {
            var strata = Set<Int32>()
            var psus = 0
            for p in psuPositive.indices where psuPositive[p] {
                psus += 1
                strata.insert(s.psuStratum[p])
            }
            return Double(psus - strata.count)
        }
        if let spec = design.replicates {
            if let df = spec.degreesOfFreedom { return df }
            if !gram.isEmpty { return Double(gramRank()) - 1 }
            return Double(replicateNames?.count ?? 1) - 1
        }
        return Double(kishN - 1)
    }

    /// Rank of the replicate-weight matrix from its Gram matrix (column-wise, tolerance 1e-5 as R's `qr`).
    func gramRank() -> Int { Self.rank(ofGram: gram, count: replicateNames?.count ?? 0) }

    /// Rank of an R-column matrix from its Gram matrix (upper triangle used), by pivot-free Cholesky with
    /// R `qr`'s tolerance 1e-5 on each column's remaining norm.
    static func rank(ofGram gram: [Double], count R: Int) -> Int {
        var L = [Double](repeating: 0, count: R * R)
        var accepted: [Int] = []
        for j in 0..<R {
            let gjj = gram[j * R + j]
            if gjj <= 0 { continue }
            var r2 = gjj
            for (pos, k) in accepted.enumerated() {
                var s = gram[min(j, k) * R + max(j, k)]
                for m in accepted[0..<pos] { s -= L[j * R + m] * L[k * R + m] }
                let ljk = s / L[k * R + k]
                L[j * R + k] = ljk
                r2 -= ljk * ljk
            }
            if r2 > 0 && r2.squareRoot() >= 1e-5 * gjj.squareRoot() {
                L[j * R + j] = r2.squareRoot()
                accepted.append(j)
            }
        }
        return accepted.count
    }

    /// Domains in output order: the last by-variable varies slowest, values in natural order.
    func sortedDomains() -> [Int32] {
        let idx = (0..<domainLabels.count).map { Int32($0) }
        guard !options.by.isEmpty else { return idx }
        return idx.sorted { a, b in
            let la = domainLabels[Int(a)], lb = domainLabels[Int(b)]
            for k in la.indices.reversed() where la[k] != lb[k] { return naturalLess(la[k], lb[k]) }
            return false
        }
    }
}

/// Numbers before text, numbers by value, text by code units.
func naturalLess(_ a: String, _ b: String) -> Bool {
    switch (Double(a), Double(b)) {
    case let (x?, y?): return x < y
    case (_?, nil): return true
    case (nil, _?): return false
    default: return a < b
    }
}
