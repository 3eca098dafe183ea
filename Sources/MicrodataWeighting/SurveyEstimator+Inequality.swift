import Foundation

extension SurveyEstimator {
    /// Inequality and poverty measures (R `convey` 1.0.1) per domain, from the kept rows sorted by value.
    ///
    /// Taylor designs push each measure's linearised variable, times the weight, through the design's
    /// variance (`svyrecvar`); replicate designs re-estimate the measure under every replicate's weights. A
    /// poverty rate or gap takes its threshold from all rows in a domain (convey's `full_design`), so its score
    /// has terms outside the domain; with ``EstimationOptions/thresholdByDomain`` each domain is its own full
    /// design (convey on `convey_prep(subset(…))`). Returns the cells and, per domain, its cells' range and
    /// covariance matrix.
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
        let byDomainLine = options.thresholdByDomain && measure.usesPovertyLine
        let wholeSampleTerms: Bool
        switch measure {
        case .povertyRate, .povertyGap: wholeSampleTerms = !byDomainLine
        case .povertyThreshold: wholeSampleTerms = true
        default: wholeSampleTerms = false
        }
        var whole: InequalitySample? = nil
        var wholeLine: PovertyLine? = nil
        if measure.usesPovertyLine && !byDomainLine {
            let sample = InequalitySample(rows: Array(st.qx.indices), values: st.qx, weights: st.qw)
            whole = sample
            wholeLine = PovertyLine(measure, sample)
        }
        // The whole sample's line enters every domain's score as (coefficient × its weighted linearised
        // variable): summed per unit once, not per domain.
        var wholeLineUnits: [Double] = []
        if let wholeLine, structure != nil {
            wholeLineUnits = [Double](repeating: 0, count: Int(st.qunit.max() ?? -1) + 1)
            for (k, row) in wholeLine.sample.rows.enumerated() {
                wholeLineUnits[Int(st.qunit[row])] += st.qw[row] * wholeLine.lin[k]
            }
        }
        let W = AnalysisState.width
        let domainDF = structure == nil ? [] : domainDegreesOfFreedom(st, structure: structure)
        let replicateWeights = try design.replicates == nil ? nil : loadReplicateWeights(st)

        var cells: [CellEstimate] = []
        var blocks: [(Range<Int>, [Double])] = []
        for d in domainOrder.map(Int.init) where domainRows[d] > 0 {
            let sample = InequalitySample(rows: rowsOfDomain[d], values: st.qx, weights: st.qw)
            if sample.isEmpty { continue }
            let line = wholeLine ?? PovertyLine(measure, sample)
            let (estimates, lins) = Self.measureWithInfluence(measure, sample, line: line)
            let E = estimates.count
            var cov: [Double]
            if let structure {
                var scores = Scores()
                for e in 0..<E {
                    for (position, row) in lins[e].rows.enumerated() {
                        scores.append(unit: st.qunit[row], estimate: Int32(e), value: st.qw[row] * lins[e].values[position])
                    }
                    let c = lins[e].lineCoefficient
                    if c == 0 { continue }
                    if wholeLine != nil {
                        for (unit, total) in wholeLineUnits.enumerated() {
                            scores.append(unit: Int32(unit), estimate: Int32(e), value: c * total)
                        }
                    } else if let line {
                        for (k, row) in line.sample.rows.enumerated() {
                            scores.append(unit: st.qunit[row], estimate: Int32(e), value: c * st.qw[row] * line.lin[k])
                        }
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
                let se = estimates[e].isNaN ? .nan : max(cov[e * E + e], 0).squareRoot()
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

    /// A linearised variable: values on kept rows (positions in the analysis's row arrays), plus
    /// `lineCoefficient` × the poverty line's linearised variable (on the line's rows).
    struct Influence {
        var rows: [Int]
        var values: [Double]
        var lineCoefficient: Double = 0
    }

    /// A poverty line: `percent` × the `quantile` of `sample`, and its linearised variable on `sample.rows`.
    struct PovertyLine {
        let sample: InequalitySample
        let threshold: Double
        let lin: [Double]

        /// The line of a rate or gap; nil for other measures.
        init?(_ measure: InequalityMeasure, _ sample: InequalitySample) {
            switch measure {
            case .povertyRate(let percent, let q), .povertyGap(let percent, let q):
                self.sample = sample
                (threshold, lin) = sample.povertyThreshold(percent: percent, quantile: q)
            default: return nil
            }
        }
    }

    /// The estimates of `measure` on `sample` and their linearised variables; `line` is the poverty line a
    /// rate or gap uses (the domain's own when nil).
    static func measureWithInfluence(_ measure: InequalityMeasure, _ sample: InequalitySample, line: PovertyLine?)
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
        case .percentileRatio(let top, let bottom):
            return one(sample.percentileRatio(top: top, bottom: bottom))
        case .povertyThreshold(let percent, let q):
            return one(sample.povertyThreshold(percent: percent, quantile: q))
        case .povertyRate:
            let line = line!
            let (rate, slope, values) = povertyRateInfluence(sample, line: line)
            return ([rate], [Influence(rows: sample.rows, values: values, lineCoefficient: slope)])
        case .povertyGap:
            // svyrmpg: (ARPT − MEDP) / ARPT by contrastinf, with svypoormed's linearised median of the poor:
            // (0.5 × the rate's variable − the poor-median CDF's) / f(MEDP).
            let line = line!
            let arpt = line.threshold
            let (rate, rateSlope, rateTerms) = povertyRateInfluence(sample, line: line)
            let medp = sample.poorMedian(arpt)
            if medp.isNaN { return ([.nan], [Influence(rows: sample.rows, values: sample.x.map { _ in 0 })]) }
            let slope = sample.density(at: medp, h: sample.bandwidth)
            let values = sample.x.indices.map { k in
                let cdf = (1 / sample.N) * ((sample.x[k] <= medp ? 1 : 0) - 0.5 * rate)
                return -(1 / arpt) * ((0.5 * rateTerms[k] - cdf) / slope)
            }
            let coefficient = -(1 / arpt) * (0.5 * rateSlope / slope) + medp / (arpt * arpt)
            return ([(arpt - medp) / arpt], [Influence(rows: sample.rows, values: values, lineCoefficient: coefficient)])
        case .atkinson(let epsilon): return one(sample.atkinson(epsilon))
        case .gei(let alpha): return one(sample.gei(alpha))
        }
    }

    /// `svyarpr` in `sample` with the poverty line `line`: the rate, the slope f(threshold) that multiplies
    /// the line's linearised variable, and the domain's own terms (on `sample`'s rows).
    static func povertyRateInfluence(_ sample: InequalitySample, line: PovertyLine) -> (Double, Double, [Double]) {
        let threshold = line.threshold
        let rate = sample.shareAtOrBelow(threshold)
        let slope = sample.density(at: threshold, h: sample.bandwidth)
        let terms = sample.x.map { (1 / sample.N) * (($0 <= threshold ? 1 : 0) - rate) }
        return (rate, slope, terms)
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
        case .percentileRatio(let top, let bottom): return [sample.quantile(top) / sample.quantile(bottom)]
        case .povertyThreshold(let percent, let q): return [percent * sample.quantile(q)]
        case .povertyRate(let percent, let q):
            return [sample.shareAtOrBelow(percent * (whole ?? sample).quantile(q))]
        case .povertyGap(let percent, let q):
            let threshold = percent * (whole ?? sample).quantile(q)
            return [1 - sample.poorMedian(threshold) / threshold]
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
        case .quantileShareRatio(let top, let bottom), .percentileRatio(let top, let bottom):
            let a = sides(top), b = sides(bottom)
            return QuantileSides(below: min(a.below, b.below), above: min(a.above, b.above))
        case .povertyThreshold(_, let q): return sides(q)
        case .povertyRate(let percent, let q):
            let t = percent * (whole ?? sample).quantile(q)
            let poor = sample.countAtOrBelow(t)
            return QuantileSides(below: poor, above: sample.x.count - poor)
        case .povertyGap(let percent, let q):
            // The median of the poor is one poor unit's value: the poor on either side of it.
            let t = percent * (whole ?? sample).quantile(q)
            let poor = sample.countAtOrBelow(t)
            let medp = sample.poorMedian(t)
            let below = sample.x[..<poor].filter { $0 < medp }.count
            return QuantileSides(below: below, above: sample.x[..<poor].filter { $0 > medp }.count)
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
        if measure.usesPovertyLine && !options.thresholdByDomain {
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
