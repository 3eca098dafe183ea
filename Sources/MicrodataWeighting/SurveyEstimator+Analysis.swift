import Foundation

extension SurveyEstimator {
    /// The point estimate of a cell from its sums (used for the full sample and for every replicate).
    private func theta(
        _ kind: Analysis.Kind, categorical: Bool, count: Double, w: Double, wy: Double, wyy: Double, wx: Double,
        domainW: Double
    ) -> Double {
        if categorical { return kind == .total ? w : w / domainW }
        switch kind {
        case .total: return wy
        case .ratio: return wy / wx
        case .variance:
            let m = wy / w
            return count / (count - 1) * (wyy - 2 * m * wy + m * m * w) / w
        default: return wy / w
        }
    }

    /// Variance under simple random sampling of the same n (for design effects and design factors).
    /// `squares` is `Σ w (y − ȳ)²` of a numeric analysis.
    private func srsVariance(
        _ kind: Analysis.Kind, categorical: Bool, estimate: Double, n: Double, N: Double, squares: Double,
        replace: Bool
    ) -> Double? {
        let s2: Double
        if categorical {
            s2 = n / (n - 1) * estimate * (1 - estimate / (kind == .total ? N : 1)) / (kind == .total ? N : 1)
        } else if kind == .mean || kind == .total {
            s2 = n / (n - 1) * squares / N
        } else {
            return nil
        }
        let base = replace ? s2 / n : s2 * (N - n) / (N * n)
        return kind == .total ? base * N * N : base
    }

    func finishAnalysis(
        _ st: AnalysisState, structure: DesignStructure?, domainOrder: [Int32], designDF: Double,
        calibration: CalibrationFit? = nil
    ) throws -> ([CellEstimate], CovarianceBlocks) {
        if st.analysis.kind == .quantile {
            var (cells, variances) = try finishQuantile(
                st, structure: structure, domainOrder: domainOrder, designDF: designDF, calibration: calibration)
            addQuantileSides(&cells, st)
            return (cells, CovarianceBlocks(
                blocks: variances.indices.map { ($0..<$0 + 1, [variances[$0]]) }, full: options.fullCovariance))
        }
        if st.analysis.kind == .inequality {
            let (cells, blocks) = try finishInequality(st, structure: structure, domainOrder: domainOrder,
                                                       designDF: designDF)
            return (cells, CovarianceBlocks(blocks: blocks, full: options.fullCovariance))
        }
        let W = AnalysisState.width
        let RW = AnalysisState.repWidth
        let kind = st.analysis.kind
        let categorical = st.categorical ?? false
        let D = domainLabels.count
        let S = st.slotDomain.count
        let R = st.replicateCount

        // Cell and domain sums.
        var cellIndex = IndexTable(capacity: 64)
        var cellSums: [Double] = []
        var cellRep: [Double] = []
        var domainRows = [Int](repeating: 0, count: D)
        var domainCount = [Double](repeating: 0, count: D)
        var domainW = [Double](repeating: 0, count: D)
        var domainRepW = [Double](repeating: 0, count: D * R)
        for s in 0..<S {
            let d = Int(st.slotDomain[s])
            let l = st.slotLevel[s]
            domainRows[d] += Int(st.sums[s * W + 1])
            domainCount[d] += st.sums[s * W]
            domainW[d] += st.sums[s * W + 2]
            let key = UInt64(d) << 32 | UInt64(UInt32(l))
            let c: Int
            if let existing = cellIndex[key] {
                c = Int(existing)
            } else {
                c = cellSums.count / W
                cellIndex.insert(key, Int32(c))
                cellSums.append(contentsOf: repeatElement(0, count: W))
                cellRep.append(contentsOf: repeatElement(0, count: R * RW))
            }
            for k in 0..<W { cellSums[c * W + k] += st.sums[s * W + k] }
            for k in 0..<(R * RW) { cellRep[c * R * RW + k] += st.rep[s * R * RW + k] }
            for r in 0..<R { domainRepW[d * R + r] += st.rep[(s * R + r) * RW] }
        }

        let levels: [Int32] = categorical
            ? (1..<Int32(st.levelLabels.count)).sorted { naturalLess(st.levelLabels[Int($0)], st.levelLabels[Int($1)]) }
            : [0]

        // Estimates and their score coefficients.
        var specs: [EstimateSpec] = []
        var squares: [Double]? = nil  // Σ w (y − ȳ)² per domain, from moments
        let means = !categorical && st.momentLayout != nil ? momentMeans(st) : nil
        var estimatesOfDomain = [[Int]](repeating: [], count: D)
        var cellOfEstimate: [Int?] = []
        for d in domainOrder {
            let di = Int(d)
            if domainRows[di] == 0 { continue }
            for l in levels {
                let c = cellIndex[UInt64(di) << 32 | UInt64(UInt32(l))].map(Int.init)
                var v = [Double](repeating: 0, count: W)
                if let c { for k in 0..<W { v[k] = cellSums[c * W + k] } }
                let est = theta(kind, categorical: categorical, count: v[0], w: v[2], wy: v[3], wyy: v[4], wx: v[5],
                                domainW: domainW[di])
                var spec = EstimateSpec(domain: d, level: l, estimate: est)
                spec.count = Int(v[0])
                spec.weighted = v[2]
                spec.domainRows = domainRows[di]
                if categorical {
                    spec.isProportion = kind != .total
                    if kind == .total {
                        spec.cw = 1
                    } else {
                        spec.cw = 1 / domainW[di]
                        spec.cDomain = -est / domainW[di]
                    }
                } else {
                    switch kind {
                    case .total:
                        spec.cwy = 1
                        spec.score.b1 = 1
                    case .ratio:
                        spec.cwy = 1 / v[5]
                        spec.cwx = -est / v[5]
                        spec.score.b1 = 1 / v[5]
                        spec.score.ex = -est / v[5]
                    case .variance:
                        let n = v[0], m = v[3] / v[2], k = n / (n - 1)
                        spec.cwyy = k / v[2]
                        spec.cwy = -2 * k * m / v[2]
                        spec.cw = (k * m * m - est) / v[2]
                        spec.score = CentredScore(a0: -est / v[2], c2: k / v[2], mu: means?[di].reference ?? m,
                                                  muOffset: means?[di].offset ?? 0)
                    default:
                        spec.cwy = 1 / v[2]
                        spec.cw = -est / v[2]
                        spec.score = CentredScore(b1: 1 / v[2], mu: means?[di].reference ?? est,
                                                  muOffset: means?[di].offset ?? 0)
                    }
                }
                if design.designFactor != nil || options.deff != nil {
                    let n = categorical ? domainCount[di] : v[0]
                    let N = categorical ? domainW[di] : v[2]
                    if let means, squares == nil { squares = momentSquares(st, means: means) }
                    spec.srsVariance = srsVariance(
                        kind, categorical: categorical, estimate: est, n: n, N: N,
                        squares: squares?[di] ?? v[4] - v[3] * v[3] / v[2],
                        replace: design.designFactor != nil || options.deff == .replace)
                }
                estimatesOfDomain[di].append(specs.count)
                specs.append(spec)
                cellOfEstimate.append(c)
            }
        }
        let E = specs.count
        // Each domain's estimates are consecutive; without the full matrix, only their blocks are kept.
        var bounds = [0]
        if options.fullCovariance {
            bounds.append(E)
        } else {
            for d in domainOrder where !estimatesOfDomain[Int(d)].isEmpty {
                bounds.append(bounds.last! + estimatesOfDomain[Int(d)].count)
            }
        }
        var cov = CovarianceBlocks(bounds: bounds, fill: .nan)

        if let structure, design.jackknife {
            var cellOfSlot = [Int](repeating: 0, count: S)
            for s in 0..<S {
                cellOfSlot[s] = Int(cellIndex[UInt64(st.slotDomain[s]) << 32 | UInt64(UInt32(st.slotLevel[s]))]!)
            }
            let (thetas, rscales, scale) = try jackknifeReplicates(
                st, structure: structure, cellSums: cellSums, cellOfSlot: cellOfSlot, specs: specs,
                cellOfEstimate: cellOfEstimate, kind: kind, categorical: categorical)
            cov = replicateCovariance(thetas: thetas, estimates: specs.map(\.estimate), rscales: rscales, scale: scale,
                                      mse: false, bounds: bounds)
        } else if let structure {
            var scores = Scores()
            let localIndex = localIndices(estimatesOfDomain, E)
            let perDomain = !options.by.isEmpty
                && ((design.adjustDomainLonely && (design.lonelyPSU == .adjust || design.lonelyPSU == .average))
                    || (design.lonelyPSU == .average && structure.nh.contains(1)))
            func addScores(_ s: Int, _ into: inout Scores, local: Bool) {
                let d = Int(st.slotDomain[s])
                let l = st.slotLevel[s]
                let u = st.slotUnit[s]
                let base = s * W
                for e in estimatesOfDomain[d] {
                    let p = specs[e]
                    var v: Double
                    if categorical {
                        if l == 0 { continue }
                        let qw = st.sums[base + 2]
                        v = p.cDomain * qw + (p.level == l ? p.cw * qw : 0)
                    } else {
                        v = p.cw * st.sums[base + 2] + p.cwy * st.sums[base + 3] + p.cwyy * st.sums[base + 4]
                            + p.cwx * st.sums[base + 5]
                    }
                    into.append(unit: u, estimate: Int32(local ? localIndex[e] : e), value: v)
                }
            }
            if momentVariance {
                cov = try momentCovariance(st, specs: specs, estimatesOfDomain: estimatesOfDomain, structure: structure,
                                           perDomain: perDomain, bounds: bounds)
            } else if perDomain && calibration != nil {
                throw WeightingError.invalidRequest(
                    "calibration with per-domain lonely-PSU handling is not implemented")
            } else if perDomain {
                var slotsOfDomain = [[Int]](repeating: [], count: D)
                for s in 0..<S { slotsOfDomain[Int(st.slotDomain[s])].append(s) }
                for d in 0..<D where !estimatesOfDomain[d].isEmpty {
                    var local = Scores()
                    var present = [Bool](repeating: false, count: structure.psuStratum.count)
                    for s in slotsOfDomain[d] {
                        if st.sums[s * W + 1] > 0 { present[psuOf(Int(st.slotUnit[s]), structure)] = true }
                        addScores(s, &local, local: true)
                    }
                    let ids = estimatesOfDomain[d]
                    let block = try structure.covariance(estimates: ids.count, scores: local, present: present)
                    for (a, ea) in ids.enumerated() {
                        for (b, eb) in ids.enumerated() { cov[ea, eb] = block[a * ids.count + b] }
                    }
                }
            } else {
                if categorical {
                    scores = categoricalScores(st, specs: specs, estimatesOfDomain: estimatesOfDomain)
                } else {
                    for s in 0..<S { addScores(s, &scores, local: false) }
                }
                if let calibration {
                    if design.raking != nil {
                        addRakingResiduals(st, calibration, specs, estimatesOfDomain, &scores)
                    } else {
                        addCalibrationResiduals(st, calibration, specs, estimatesOfDomain, &scores)
                    }
                }
                cov = try structure.covariance(CovarianceBlocks(bounds: bounds, fill: 0), scores: scores, present: nil)
            }
        } else if let spec = design.replicates {
            let scale = try spec.effectiveScale(count: R)
            let rscales = spec.rscales ?? [Double](repeating: 1, count: R)
            var thetas = [Double](repeating: 0, count: R * E)
            for (e, p) in specs.enumerated() {
                let d = Int(p.domain)
                for r in 0..<R {
                    var v = [Double](repeating: 0, count: RW)
                    if let c = cellOfEstimate[e] { for k in 0..<RW { v[k] = cellRep[(c * R + r) * RW + k] } }
                    thetas[r * E + e] = theta(kind, categorical: categorical, count: Double(p.count), w: v[0], wy: v[1],
                                              wyy: v[2], wx: v[3], domainW: domainRepW[d * R + r])
                }
            }
            cov = replicateCovariance(thetas: thetas, estimates: specs.map(\.estimate), rscales: rscales, scale: scale,
                                      mse: spec.usesMSE, bounds: bounds)
        } else if let deft = design.designFactor {
            for (e, p) in specs.enumerated() {
                guard let v = p.srsVariance else {
                    throw WeightingError.invalidRequest("\(kind.rawValue) is not available with a design factor")
                }
                cov[e, e] = deft * deft * v
            }
        }

        let domainDF = domainDegreesOfFreedom(st, structure: structure)
        var cells: [CellEstimate] = []
        for (e, p) in specs.enumerated() {
            let v = max(cov[e, e], 0)  // rounding can leave −1e-20 where the variance is exactly 0
            let se = v.squareRoot()
            let df = cellDF(domain: Int(p.domain), domainDF: domainDF, designDF: designDF, domainRows: p.domainRows)
            let ci: (Double, Double)
            if p.isProportion && options.ciMethod == .likelihood {
                let rows = st.rowDomain.indices.filter { st.rowDomain[$0] == p.domain }
                ci = try ProfileLikelihoodInterval().limits(
                    weights: rows.map { st.rowWeight[$0] }, inCategory: rows.map { st.rowLevel[$0] == p.level },
                    variance: v, level: options.level, degreesOfFreedom: df)
            } else if p.isProportion {
                ci = Intervals.proportion(p.estimate, se: se, method: options.ciMethod, level: options.level, df: df,
                                          designRows: p.domainRows)
            } else {
                ci = Intervals.wald(p.estimate, se, level: options.level, df: df)
            }
            var deff: Double? = nil
            if options.deff != nil, let srs = p.srsVariance { deff = v / srs }
            let statistic = categorical ? (kind == .total ? "total" : "proportion") : kind.rawValue
            var cell = CellEstimate(
                byValues: domainLabels[Int(p.domain)], statistic: statistic, variable: st.analysis.label,
                level: categorical ? st.levelLabels[Int(p.level)] : nil, estimate: p.estimate, standardError: se,
                ciLow: ci.0, ciHigh: ci.1, designEffect: deff, degreesOfFreedom: df, unweightedCount: p.count,
                weightedCount: p.weighted)
            if !categorical {
                cell.contributors = st.numerators.evidence(Int(p.domain))
                if kind == .ratio { cell.denominatorContributors = st.denominators.evidence(Int(p.domain)) }
            }
            cells.append(cell)
        }
        return (cells, cov)
    }

    /// Raking residual scores as R computes them: ten sweeps over the margins of
    /// `z ← z − w⁽ᵐ⁾ · ave_c(z / w⁽ᵐ⁾)` (unweighted category means, weights after margin m's last step),
    /// carried per joint cell: every unit gets −Σ_j (Σ_unit d·I_j) · A_j.
    private func addRakingResiduals(
        _ st: AnalysisState, _ fit: CalibrationFit, _ specs: [EstimateSpec], _ estimatesOfDomain: [[Int]],
        _ scores: inout Scores
    ) {
        let p = calibrationTerms
        let categorical = st.categorical ?? false
        // U[e][j]: unweighted Σ u over the rows of joint cell j.
        var u = [Double](repeating: 0, count: specs.count * p)
        for s in st.slotDomain.indices {
            let d = Int(st.slotDomain[s])
            let l = st.slotLevel[s]
            let base = s * 4 * p
            for e in estimatesOfDomain[d] {
                let c = specs[e]
                for j in 0..<p {
                    var v: Double
                    if categorical {
                        if l == 0 { continue }
                        v = c.cDomain * st.uxq[base + j] + (c.level == l ? c.cw * st.uxq[base + j] : 0)
                    } else {
                        v = c.cw * st.uxq[base + j] + c.cwy * st.uxq[base + p + j] + c.cwyy * st.uxq[base + 2 * p + j]
                            + c.cwx * st.uxq[base + 3 * p + j]
                    }
                    u[e * p + j] += v
                }
            }
        }
        appendRakingResiduals(fit, sums: u, estimates: specs.count, to: &scores)
    }

    /// Appends every unit's raking residual −Σ_j (Σ_unit d·I_j) · A_j of `E` estimates whose unweighted sums of
    /// `z/w` per joint cell are `sums` (E × cells).
    func appendRakingResiduals(_ fit: CalibrationFit, sums u: [Double], estimates E: Int, to scores: inout Scores) {
        let p = calibrationTerms
        let categories = jointCategories()
        let G = fit.lambda.map { $0 + 1 }
        var A = [Double](repeating: 0, count: E * p)
        for e in 0..<E {
            var S = (0..<p).map { G[$0] * u[e * p + $0] }
            for _ in 0..<10 {
                for (m, levels) in rakingLevels.enumerated() {
                    let g = fit.rakingSteps[m]
                    var num = [Double](repeating: 0, count: levels.count)
                    var rows = [Double](repeating: 0, count: levels.count)
                    for j in 0..<p where jointRows[j] > 0 {
                        num[categories[m][j]] += S[j] / g[j]
                        rows[categories[m][j]] += jointRows[j]
                    }
                    for j in 0..<p where jointRows[j] > 0 {
                        let c = categories[m][j]
                        let a = num[c] / rows[c]
                        S[j] -= jointRows[j] * g[j] * a
                        A[e * p + j] += g[j] * a
                    }
                }
            }
        }
        let U = unitDX.count / p
        for unit in 0..<U {
            for e in 0..<E {
                var v = 0.0
                for j in 0..<p { v += A[e * p + j] * unitDX[unit * p + j] }
                scores.append(unit: Int32(unit), estimate: Int32(e), value: -v)
            }
        }
    }

    /// GREG residual scores: every unit gets −B_e'·Σ_unit w x, with B_e = (Σ d x x')⁻¹ Σ d x u_e.
    private func addCalibrationResiduals(
        _ st: AnalysisState, _ fit: CalibrationFit, _ specs: [EstimateSpec], _ estimatesOfDomain: [[Int]],
        _ scores: inout Scores
    ) {
        let p = calibrationTerms
        let categorical = st.categorical ?? false
        var g = [Double](repeating: 0, count: specs.count * p)
        for s in st.slotDomain.indices {
            let d = Int(st.slotDomain[s])
            let l = st.slotLevel[s]
            let base = s * 4 * p
            for e in estimatesOfDomain[d] {
                let c = specs[e]
                for j in 0..<p {
                    var v: Double
                    if categorical {
                        if l == 0 { continue }
                        v = c.cDomain * st.dxq[base + j] + (c.level == l ? c.cw * st.dxq[base + j] : 0)
                    } else {
                        v = c.cw * st.dxq[base + j] + c.cwy * st.dxq[base + p + j] + c.cwyy * st.dxq[base + 2 * p + j]
                            + c.cwx * st.dxq[base + 3 * p + j]
                    }
                    g[e * p + j] += v
                }
            }
        }
        appendCalibrationResiduals(fit, sums: g, estimates: specs.count, to: &scores)
    }

    /// Appends every unit's GREG residual −B_e'·Σ_unit w x of `E` estimates whose `Σ d x u_e` are `sums` (E × terms).
    func appendCalibrationResiduals(_ fit: CalibrationFit, sums g: [Double], estimates E: Int, to scores: inout Scores) {
        let p = calibrationTerms
        var b = [[Double]]()
        for e in 0..<E {
            b.append((try? solveLinear(fit.t, Array(g[(e * p)..<((e + 1) * p)]))) ?? [Double](repeating: .nan, count: p))
        }
        let U = fit.unitWX.count / p
        for u in 0..<U {
            for e in 0..<E {
                var v = 0.0
                for j in 0..<p { v += b[e][j] * fit.unitWX[u * p + j] }
                scores.append(unit: Int32(u), estimate: Int32(e), value: -v)
            }
        }
    }

    /// `scale · Σ_r rscale_r (θ_r − c)(θ_r − c)'`, centred on the replicate mean or (mse) the estimate.
    func replicateCovariance(thetas: [Double], estimates: [Double], rscales: [Double], scale: Double, mse: Bool)
        -> [Double]
    {
        replicateCovariance(thetas: thetas, estimates: estimates, rscales: rscales, scale: scale, mse: mse,
                            bounds: [0, estimates.count]).values
    }

    /// The replicate covariance within the blocks of consecutive estimates starting at `bounds`.
    func replicateCovariance(
        thetas: [Double], estimates: [Double], rscales: [Double], scale: Double, mse: Bool, bounds: [Int]
    ) -> CovarianceBlocks {
        let E = estimates.count
        let R = rscales.count
        var centre = estimates
        if !mse {
            let used = (0..<R).filter { rscales[$0] > 0 }
            for e in 0..<E { centre[e] = used.reduce(0) { $0 + thetas[$1 * E + e] } / Double(used.count) }
        }
        var cov = CovarianceBlocks(bounds: bounds, fill: 0)
        for r in 0..<R {
            let c = scale * rscales[r]
            for a in 0..<E {
                let da = thetas[r * E + a] - centre[a]
                if da == 0 { continue }
                let row = cov.position(a, a) - a
                for b in cov.block(of: a) { cov.values[row + b] += c * da * (thetas[r * E + b] - centre[b]) }
            }
        }
        return cov
    }

    /// Delete-one-PSU jackknife replicate estimates built from slot sums (R `jknweights`/`jk1weights`):
    /// replicate (h, i) drops PSU i and multiplies the other PSUs of stratum h by n_h/(n_h−1).
    private func jackknifeReplicates(
        _ st: AnalysisState, structure: DesignStructure, cellSums: [Double], cellOfSlot: [Int], specs: [EstimateSpec],
        cellOfEstimate: [Int?], kind: Analysis.Kind, categorical: Bool
    ) throws -> (thetas: [Double], rscales: [Double], scale: Double) {
        let W = AnalysisState.width
        let C = cellSums.count / W
        let H = structure.strataCount
        let P = structure.psuStratum.count
        var stratumCell = [Double](repeating: 0, count: H * C * W)
        // Sums per (PSU, cell) with rows, W each in one flat array (nothing allocated per PSU).
        var psuCellIndex = IndexTable(capacity: st.slotDomain.count)
        var psuCell: [Double] = []
        for s in st.slotDomain.indices {
            let p = psuOf(Int(st.slotUnit[s]), structure)
            let h = Int(structure.psuStratum[p])
            let c = cellOfSlot[s]
            let key = UInt64(p * C + c)
            let at: Int
            if let existing = psuCellIndex[key] {
                at = Int(existing) * W
            } else {
                at = psuCell.count
                psuCellIndex.insert(key, Int32(at / W))
                psuCell.append(contentsOf: repeatElement(0, count: W))
            }
            for k in 0..<W {
                psuCell[at + k] += st.sums[s * W + k]
                stratumCell[(h * C + c) * W + k] += st.sums[s * W + k]
            }
        }
        var psusOf = [[Int]](repeating: [], count: H)
        for p in 0..<P { psusOf[Int(structure.psuStratum[p])].append(p) }
        let D = domainLabels.count
        var thetas: [Double] = []
        var rscales: [Double] = []
        var repSums = [Double](repeating: 0, count: C * W)
        var domainW = [Double](repeating: 0, count: D)
        var v = [Double](repeating: 0, count: W)
        thetas.reserveCapacity(P * specs.count)
        func addReplicate(_ fill: (inout [Double]) -> Void, rscale: Double) {
            repSums = cellSums
            fill(&repSums)
            for d in 0..<D { domainW[d] = 0 }
            for (e, p) in specs.enumerated() where categorical {
                if let c = cellOfEstimate[e] { domainW[Int(p.domain)] += repSums[c * W + 2] }
            }
            for (e, p) in specs.enumerated() {
                for k in 0..<W { v[k] = 0 }
                if let c = cellOfEstimate[e] { for k in 0..<W { v[k] = repSums[c * W + k] } }
                thetas.append(theta(kind, categorical: categorical, count: Double(p.count), w: v[2], wy: v[3],
                                    wyy: v[4], wx: v[5], domainW: domainW[Int(p.domain)]))
            }
            rscales.append(rscale)
        }
        for h in 0..<H where !psusOf[h].isEmpty {
            let n = psusOf[h].count
            let correction = 1 - structure.fh[h]
            if n == 1 {
                switch structure.lonely {
                case .fail:
                    throw WeightingError.lonelyPSU(stratumColumn: structure.stratumColumn,
                                                   stratum: structure.stratumLabels[h], stage: 1)
                case .remove, .certainty, .average: continue
                case .adjust:
                    let k = Double(H) / Double(H - 1)
                    addReplicate({ sums in
                        for c in 0..<C {
                            for j in 2..<W {
                                sums[c * W + j] = k * (cellSums[c * W + j] - stratumCell[(h * C + c) * W + j])
                            }
                        }
                    }, rscale: Double(H - 1) / Double(H))
                    continue
                }
            }
            let grow = Double(n) / Double(n - 1)
            for p in psusOf[h] {
                addReplicate({ sums in
                    for c in 0..<C {
                        let dropped = psuCellIndex[UInt64(p * C + c)].map { Int($0) * W }
                        for j in 2..<W {
                            let sh = stratumCell[(h * C + c) * W + j]
                            sums[c * W + j] += (grow - 1) * sh - grow * (dropped.map { psuCell[$0 + j] } ?? 0)
                        }
                    }
                }, rscale: correction * Double(n - 1) / Double(n))
            }
        }
        if rscales.isEmpty {
            throw WeightingError.invalidDesign("every stratum was sampled exhaustively: no jackknife replicates")
        }
        let scale = structure.lonely == .average && rscales.count < P ? Double(P) / Double(rscales.count) : 1
        return (thetas, rscales, scale)
    }

    private func localIndices(_ byDomain: [[Int]], _ E: Int) -> [Int] {
        var local = [Int](repeating: 0, count: E)
        for ids in byDomain { for (k, e) in ids.enumerated() { local[e] = k } }
        return local
    }

    private func psuOf(_ unit: Int, _ s: DesignStructure) -> Int {
        s.unitPSU.map { Int($0[unit]) } ?? unit
    }

    /// Per domain: PSUs minus strata among the rows of the domain (R `degf` of the subset design).
    func domainDegreesOfFreedom(_ st: AnalysisState, structure: DesignStructure?) -> [Double] {
        let D = domainLabels.count
        guard let structure, !options.by.isEmpty else { return [] }
        if momentVariance { return momentDegreesOfFreedom(st) }
        var df = [Double](repeating: 0, count: D)
        let W = AnalysisState.width
        let P = structure.psuStratum.count, H = structure.strataCount
        if D * P <= 1 << 24 && D * H <= 1 << 24 {
            // The same count with flags instead of a hash (the usual sizes).
            var psuSeen = [Bool](repeating: false, count: D * P)
            var stratumSeen = [Bool](repeating: false, count: D * H)
            for s in st.slotDomain.indices where st.sums[s * W + 1] > 0 {
                let d = Int(st.slotDomain[s])
                let p = psuOf(Int(st.slotUnit[s]), structure)
                if psuSeen[d * P + p] { continue }
                psuSeen[d * P + p] = true
                df[d] += 1
                let h = Int(structure.psuStratum[p])
                if !stratumSeen[d * H + h] {
                    stratumSeen[d * H + h] = true
                    df[d] -= 1
                }
            }
            return df
        }
        var seen = IndexTable(capacity: 1024)
        for s in st.slotDomain.indices where st.sums[s * W + 1] > 0 {
            let d = UInt64(UInt32(st.slotDomain[s]))
            let p = psuOf(Int(st.slotUnit[s]), structure)
            // Distinct (domain, PSU) add one, distinct (domain, stratum) take one away.
            let psuKey = d << 33 | UInt64(UInt32(p)) << 1
            if seen[psuKey] == nil {
                seen.insert(psuKey, 0)
                df[Int(d)] += 1
                let stratumKey = d << 33 | UInt64(UInt32(structure.psuStratum[p])) << 1 | 1
                if seen[stratumKey] == nil {
                    seen.insert(stratumKey, 0)
                    df[Int(d)] -= 1
                }
            }
        }
        return df
    }

    func cellDF(domain: Int, domainDF: [Double], designDF: Double, domainRows: Int) -> Double {
        if let df = options.degreesOfFreedom { return df }
        if !options.useT { return .infinity }
        if !domainDF.isEmpty { return domainDF[domain] }
        if design.designFactor != nil && !options.by.isEmpty { return Double(domainRows - 1) }
        return designDF
    }

    // MARK: - Quantiles

    /// The quantile cells and their variances (quantiles of one domain have no covariance computed).
    private func finishQuantile(
        _ st: AnalysisState, structure: DesignStructure?, domainOrder: [Int32], designDF: Double,
        calibration: CalibrationFit?
    ) throws -> ([CellEstimate], [Double]) {
        if design.jackknife, let structure {
            return try finishJackknifeQuantile(st, structure: structure, domainOrder: domainOrder, designDF: designDF)
        }
        if design.replicates != nil {
            return try finishReplicateQuantile(st, domainOrder: domainOrder, designDF: designDF,
                                               calibration: calibration)
        }
        let (rowsOfDomain, domainRows) = quantileRows(st)
        let W = AnalysisState.width
        let domainDF = domainDegreesOfFreedom(st, structure: structure)
        var perDomain = !options.by.isEmpty
        if let structure, calibration != nil, perDomain {
            // Calibration residuals reach PSUs outside the domain: only the design-wide lonely-PSU rules apply.
            if (design.adjustDomainLonely && (design.lonelyPSU == .adjust || design.lonelyPSU == .average))
                || (design.lonelyPSU == .average && structure.nh.contains(1))
            {
                throw WeightingError.invalidRequest(
                    "calibration with per-domain lonely-PSU handling is not implemented")
            }
            perDomain = false
        }
        var cells: [CellEstimate] = []
        var variances: [Double] = []
        for d in domainOrder where domainRows[Int(d)] > 0 {
            let rows = rowsOfDomain[Int(d)]
            let sample = SortedSample(x: rows.map { st.qx[$0] }, w: rows.map { st.qw[$0] })
            var present: [Bool]? = nil
            if perDomain, let structure {
                var pr = [Bool](repeating: false, count: structure.psuStratum.count)
                for s in st.slotDomain.indices where Int(st.slotDomain[s]) == Int(d) && st.sums[s * W + 1] > 0 {
                    pr[psuOf(Int(st.slotUnit[s]), structure)] = true
                }
                present = pr
            }
            let df = cellDF(domain: Int(d), domainDF: domainDF, designDF: designDF, domainRows: domainRows[Int(d)])
            let t = Intervals.critical(level: options.level, df: df)
            for p in st.analysis.probabilities {
                let q = sample.quantile(p, rule: options.quantileRule)
                let F = sample.cdf(q)
                var varF: Double
                if let structure {
                    var scores = Scores()
                    for i in rows {
                        let ind: Double = st.qx[i] <= q ? 1 : 0
                        scores.append(unit: st.qunit[i], estimate: 0, value: st.qw[i] * (ind - F) / sample.total)
                    }
                    if let calibration {
                        appendQuantileResiduals(st, calibration, rows: rows, theta: q, F: F, total: sample.total,
                                                to: &scores)
                    }
                    varF = try structure.covariance(estimates: 1, scores: scores, present: present)[0]
                } else {
                    let n = Double(rows.count)
                    let deft = design.designFactor ?? 1
                    varF = deft * deft * F * (1 - F) / (n - 1)
                }
                let seF = max(varF, 0).squareRoot()  // F̂ = 1 leaves a rounding-level negative
                var lo: Double, hi: Double
                if options.scoreQuantileInterval, let structure {
                    let score = ScoreQuantileInterval(
                        x: rows.map { st.qx[$0] }, w: rows.map { st.qw[$0] }, standardErrorOfCDF: { theta in
                            let f = sample.cdf(theta)
                            var scores = Scores()
                            for i in rows {
                                scores.append(unit: st.qunit[i], estimate: 0,
                                              value: st.qw[i] * ((st.qx[i] <= theta ? 1 : 0) - f) / sample.total)
                            }
                            if let calibration {
                                appendQuantileResiduals(st, calibration, rows: rows, theta: theta, F: f,
                                                        total: sample.total, to: &scores)
                            }
                            return max(try structure.covariance(estimates: 1, scores: scores, present: present)[0], 0).squareRoot()
                        }, sample: sample, rule: options.quantileRule)
                    (lo, hi) = try score.interval(p: p, critical: t)
                } else {
                    let method = options.quantileInterval == .logit ? ProportionCIMethod.xlogit : options.quantileInterval
                    let pci = Intervals.proportion(F, se: seF, method: method, level: options.level, df: df,
                                                   designRows: domainRows[Int(d)])
                    lo = (pci.0.isNaN || pci.0 < 0) ? Double.nan : sample.quantile(pci.0, rule: options.quantileRule)
                    hi = (pci.1.isNaN || pci.1 > 1) ? Double.nan : sample.quantile(pci.1, rule: options.quantileRule)
                }
                let se = (hi - lo) / (2 * t)
                variances.append(se * se)
                var weighted = 0.0
                for i in rows { weighted += st.qw[i] }
                cells.append(CellEstimate(
                    byValues: domainLabels[Int(d)], statistic: "quantile", variable: st.analysis.label,
                    level: formatProbability(p), estimate: q, standardError: se, ciLow: lo, ciHigh: hi,
                    designEffect: nil, degreesOfFreedom: df, unweightedCount: rows.count, weightedCount: weighted))
            }
        }
        return (cells, variances)
    }

    /// Records, for every quantile cell, how many of its domain's units lie strictly below it (and its interval's
    /// lower end) and strictly above it (and its upper end).
    private func addQuantileSides(_ cells: inout [CellEstimate], _ st: AnalysisState) {
        let rowsOfDomain = quantileRows(st).rows
        var domainOf: [[String]: Int] = [:]
        for (d, labels) in domainLabels.enumerated() { domainOf[labels] = d }
        for i in cells.indices {
            guard let d = domainOf[cells[i].byValues] else { continue }
            // The interval's ends are order statistics too: count outside them when they are wider.
            let q = cells[i].estimate
            let low = cells[i].ciLow.isFinite ? min(q, cells[i].ciLow) : q
            let high = cells[i].ciHigh.isFinite ? max(q, cells[i].ciHigh) : q
            var below = 0, above = 0
            for r in rowsOfDomain[d] {
                if st.qx[r] < low { below += 1 } else if st.qx[r] > high { above += 1 }
            }
            cells[i].quantileSides = QuantileSides(below: below, above: above)
        }
    }

    /// Per domain: the indices of its quantile rows, and its row count (missing values included).
    func quantileRows(_ st: AnalysisState) -> (rows: [[Int]], domainRows: [Int]) {
        let D = domainLabels.count
        var rowsOfDomain = [[Int]](repeating: [], count: D)
        for i in st.qdomain.indices { rowsOfDomain[Int(st.qdomain[i])].append(i) }
        var domainRows = [Int](repeating: 0, count: D)
        let W = AnalysisState.width
        for s in st.slotDomain.indices { domainRows[Int(st.slotDomain[s])] += Int(st.sums[s * W + 1]) }
        return (rowsOfDomain, domainRows)
    }

    func formatProbability(_ p: Double) -> String {
        var s = String(p)
        if s.hasSuffix(".0") { s.removeLast(2) }
        return s
    }
}
