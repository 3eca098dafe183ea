import Foundation

extension SurveyEstimator {
    /// Inequality and poverty measures (R `convey` 1.0.1) per domain, from the kept rows sorted by value.
    ///
    /// Taylor designs push each measure's linearised variable, times the weight, through the design's
    /// variance (`svyrecvar`); replicate designs re-estimate the measure under every replicate's weights. A
    /// poverty rate takes its threshold from all rows in a domain (convey's `full_design`), so its score has
    /// terms outside the domain. Returns the cells and, per domain, its cells' range and covariance matrix.
    func finishInequality(
        _ st: AnalysisState, structure: DesignStructure?, domainOrder: [Int32], designDF: Double
    ) throws -> ([CellEstimate], [(Range<Int>, [Double])]) {
        guard let measure = st.analysis.measure else {
            throw WeightingError.invalidRequest("an inequality analysis needs a measure")
        }
        if design.jackknife || design.calibration != nil || design.raking != nil
            || (structure == nil && design.replicates == nil)
        {
            throw WeightingError.invalidRequest(
                "\(measure.statistic) is implemented for linearisation and replicate-weight designs (not design "
                    + "factors, design-built jackknives or calibration)")
        }
        let (rowsOfDomain, domainRows) = quantileRows(st)
        if measure.needsPositiveValues {
            let nonPositive = st.qx.filter { $0 <= 0 }.count
            if nonPositive > 0 {
                throw WeightingError.invalidRequest(
                    "\(measure.statistic) is defined for positive values only: \(nonPositive) rows of "
                        + "'\(st.analysis.label)' are ≤ 0; restrict to \(st.analysis.label) > 0 first "
                        + "(for example --subpop '\(st.analysis.label) > 0')")
            }
        }
        let wholeSampleTerms: Bool
        switch measure {
        case .povertyRate, .povertyThreshold: wholeSampleTerms = true
        default: wholeSampleTerms = false
        }
        var whole: InequalitySample? = nil
        if case .povertyRate = measure {
            whole = InequalitySample(rows: Array(st.qx.indices), values: st.qx, weights: st.qw)
        }
        let W = AnalysisState.width
        let domainDF = structure == nil ? [] : domainDegreesOfFreedom(st, structure: structure)
        let replicateWeights = try design.replicates == nil ? nil : loadReplicateWeights(st)

        var cells: [CellEstimate] = []
        var blocks: [(Range<Int>, [Double])] = []
        for d in domainOrder.map(Int.init) where domainRows[d] > 0 {
            let sample = InequalitySample(rows: rowsOfDomain[d], values: st.qx, weights: st.qw)
            if sample.isEmpty { continue }
            let (estimates, lins) = Self.measureWithInfluence(measure, sample, whole: whole)
            let E = estimates.count
            var cov: [Double]
            if let structure {
                var scores = Scores()
                for e in 0..<E {
                    for (position, row) in lins[e].rows.enumerated() {
                        scores.append(unit: st.qunit[row], estimate: Int32(e), value: st.qw[row] * lins[e].values[position])
                    }
                }
                var present: [Bool]? = nil
                if !options.by.isEmpty && !wholeSampleTerms {
                    var pr = [Bool](repeating: false, count: structure.psuStratum.count)
                    for s in st.slotDomain.indices where Int(st.slotDomain[s]) == d && st.sums[s * W + 1] > 0 {
                        let u = Int(st.slotUnit[s])
                        pr[structure.unitPSU.map { Int($0[u]) } ?? u] = true
                    }
                    present = pr
                }
                cov = try structure.covariance(estimates: E, scores: scores, present: present)
            } else {
                cov = try replicateInequalityCovariance(
                    measure, st: st, rows: rowsOfDomain[d], estimates: estimates, weights: replicateWeights!)
            }
            let df = cellDF(domain: d, domainDF: domainDF, designDF: designDF, domainRows: domainRows[d])
            let t = Intervals.critical(level: options.level, df: df)
            let start = cells.count
            let levels = measure.levels
            for e in 0..<E {
                let se = max(cov[e * E + e], 0).squareRoot()
                var cell = CellEstimate(
                    byValues: domainLabels[d], statistic: measure.statistic, variable: st.analysis.label,
                    level: levels[e], estimate: estimates[e], standardError: se, ciLow: estimates[e] - t * se,
                    ciHigh: estimates[e] + t * se, designEffect: nil, degreesOfFreedom: df,
                    unweightedCount: rowsOfDomain[d].count, weightedCount: sample.N)
                cell.quantileSides = Self.groupSides(measure, sample, e, whole: whole)
                cells.append(cell)
            }
            blocks.append((start..<cells.count, cov))
        }
        // Covariances within a domain; between domains not computed.
        return (cells, blocks)
    }

    /// A linearised variable: values on kept rows (positions in the analysis's row arrays).
    struct Influence {
        var rows: [Int]
        var values: [Double]
    }

    /// The estimates of `measure` on `sample` and their linearised variables.
    static func measureWithInfluence(_ measure: InequalityMeasure, _ sample: InequalitySample, whole: InequalitySample?)
        -> ([Double], [Influence])
    {
        func one(_ r: (Double, [Double])) -> ([Double], [Influence]) {
            ([r.0], [Influence(rows: sample.rows, values: r.1)])
        }
        switch measure {
        case .gini: return one(sample.gini())
        case .lorenz(let ps):
            let results = ps.map { sample.lorenz($0) }
            return (results.map(\.0), results.map { Influence(rows: sample.rows, values: $0.1) })
        case .topShare(let p):
            let (L, lin) = sample.lorenz(1 - p)
            return ([1 - L], [Influence(rows: sample.rows, values: lin.map { -$0 })])
        case .quantileShareRatio(let top, let bottom):
            return one(sample.quantileShareRatio(top: top, bottom: bottom))
        case .povertyThreshold(let percent, let q):
            return one(sample.povertyThreshold(percent: percent, quantile: q))
        case .povertyRate(let percent, let q):
            let whole = whole!
            let (threshold, linThreshold) = whole.povertyThreshold(percent: percent, quantile: q)
            let rate = sample.shareAtOrBelow(threshold)
            let slope = sample.density(at: threshold, h: sample.bandwidth)
            // Terms of the threshold over the whole sample, plus the domain's own indicator terms.
            var values = [Double](repeating: 0, count: 0)
            var index: [Int: Int] = [:]
            var rows: [Int] = []
            for (k, row) in whole.rows.enumerated() {
                index[row] = rows.count
                rows.append(row)
                values.append(slope * linThreshold[k])
            }
            for (k, row) in sample.rows.enumerated() {
                let term = (1 / sample.N) * ((sample.x[k] <= threshold ? 1 : 0) - rate)
                if let i = index[row] { values[i] = term + values[i] } else {
                    rows.append(row)
                    values.append(term)
                }
            }
            return ([rate], [Influence(rows: rows, values: values)])
        case .atkinson(let epsilon): return one(sample.atkinson(epsilon))
        case .gei(let alpha): return one(sample.gei(alpha))
        }
    }

    /// The estimate alone (for replicate weights).
    static func measureEstimate(_ measure: InequalityMeasure, _ sample: InequalitySample, whole: InequalitySample?)
        -> [Double]
    {
        switch measure {
        case .gini: return [sample.gini().0]
        case .lorenz(let ps): return ps.map { sample.lorenz($0).0 }
        case .topShare(let p): return [1 - sample.lorenz(1 - p).0]
        case .quantileShareRatio(let top, let bottom): return [sample.quantileShareRatio(top: top, bottom: bottom).0]
        case .povertyThreshold(let percent, let q): return [percent * sample.quantile(q)]
        case .povertyRate(let percent, let q):
            return [sample.shareAtOrBelow(percent * whole!.quantile(q))]
        case .atkinson(let epsilon): return [sample.atkinson(epsilon).0]
        case .gei(let alpha): return [sample.gei(alpha).0]
        }
    }

    /// Units strictly below and above the quantile that splits the groups a share or ratio reveals; for a
    /// poverty rate, the units at or below the threshold and above it (the rate is a proportion of them).
    static func groupSides(_ measure: InequalityMeasure, _ sample: InequalitySample, _ e: Int,
                           whole: InequalitySample?) -> QuantileSides? {
        func sides(_ p: Double) -> QuantileSides {
            let q = sample.quantile(p)
            return QuantileSides(below: sample.x.filter { $0 < q }.count, above: sample.x.filter { $0 > q }.count)
        }
        switch measure {
        case .lorenz(let ps): return sides(ps[e])
        case .topShare(let p): return sides(1 - p)
        case .quantileShareRatio(let top, let bottom):
            let a = sides(top), b = sides(bottom)
            return QuantileSides(below: min(a.below, b.below), above: min(a.above, b.above))
        case .povertyRate(let percent, let q):
            let t = percent * whole!.quantile(q)
            let poor = sample.x.filter { $0 <= t }.count
            return QuantileSides(below: poor, above: sample.x.count - poor)
        default: return nil
        }
    }

    /// The replicate weights of every kept row, row-major (rows × R).
    private func loadReplicateWeights(_ st: AnalysisState) throws -> [Double] {
        let R = st.replicateCount
        var out = [Double](repeating: 0, count: st.qx.count * R)
        try st.qreplicates?.forEachRow { i, values in
            for r in 0..<R { out[i * R + r] = values[r] }
        }
        return out
    }

    /// The replicate covariance of the measure in one domain: the measure under each replicate's weights.
    private func replicateInequalityCovariance(
        _ measure: InequalityMeasure, st: AnalysisState, rows: [Int], estimates: [Double], weights: [Double]
    ) throws -> [Double] {
        let spec = design.replicates!
        let R = st.replicateCount
        let scale = try spec.effectiveScale(count: R)
        let rscales = spec.rscales ?? [Double](repeating: 1, count: R)
        let E = estimates.count
        let order = InequalitySample(rows: rows, values: st.qx, weights: [Double](repeating: 1, count: st.qx.count)).rows
        var wholeOrder: [Int] = []
        if case .povertyRate = measure {
            wholeOrder = InequalitySample(rows: Array(st.qx.indices), values: st.qx,
                                          weights: [Double](repeating: 1, count: st.qx.count)).rows
        }
        var thetas = [Double](repeating: .nan, count: R * E)
        var wr = [Double](repeating: 0, count: st.qx.count)
        for r in 0..<R {
            for i in st.qx.indices { wr[i] = weights[i * R + r] }
            let sample = InequalitySample(rows: order, values: st.qx, weights: wr, sorted: true)
            let whole = wholeOrder.isEmpty ? nil
                : InequalitySample(rows: wholeOrder, values: st.qx, weights: wr, sorted: true)
            let values = Self.measureEstimate(measure, sample, whole: whole)
            for e in 0..<E { thetas[r * E + e] = values[e] }
        }
        return replicateCovariance(thetas: thetas, estimates: estimates, rscales: rscales, scale: scale,
                                   mse: spec.usesMSE)
    }
}
