import Foundation
import MicrodataWeighting

/// The weighted mid-rank of each value in percent within a domain: the weight strictly below plus half the
/// weight tied (its own included), over the domain's total weight, × 100 (the model issue's `rank()`).
public enum WeightedRank {
    /// Ranks of `x[rows]` with weights `w[rows]`, in the order of `rows`.
    public static func percent(_ x: [Double], weights w: [Double], rows: [Int]) -> [Double] {
        let order = rows.indices.sorted { x[rows[$0]] < x[rows[$1]] }
        let total = rows.reduce(0) { $0 + w[$1] }
        var out = [Double](repeating: 0, count: rows.count)
        var below = 0.0
        var a = 0
        while a < order.count {
            var b = a
            var tied = 0.0
            while b < order.count && x[rows[order[b]]] == x[rows[order[a]]] {
                tied += w[rows[order[b]]]
                b += 1
            }
            let rank = 100 * (below + tied / 2) / total
            for k in a..<b { out[order[k]] = rank }
            below += tied
            a = b
        }
        return out
    }
}

extension IncomeMobilitySample {
    /// The measures of every group with design-based standard errors: by linearisation (influence functions
    /// of each measure, totalled under the design as R `svyrecvar`), or by recomputing every measure with each
    /// replicate weight (R on an `svyrep.design`). Ranks and boundaries come from the full-sample weights.
    ///
    /// - Throws: `MobilityError` when no row has both incomes; `WeightingError` for a bad weight or design.
    public func estimate() throws -> IncomeMobilityResults {
        let n = rowCount
        let kernel: LinearisedVariance? = design.replicates == nil
            ? try LinearisedVariance(design: design, rows: n, strata: strata, psu: psu, fpc: fpc) : nil
        var w = weight
        if design.weight == nil {
            let derived = kernel?.derivedWeights ?? []
            w = derived.count == n && derived.allSatisfy(\.isFinite) ? derived : [Double](repeating: 1, count: n)
        }
        // Negative weights are refused (a weighted quantile or rank needs non-negative weights), zero ones unless
        // allowed, as `model` does.
        for (r, v) in w.enumerated() where !(v.isFinite && v >= 0) || (v == 0 && !design.allowZeroWeights) {
            throw WeightingError.invalidWeight(column: design.weight ?? "fpc", row: r + 1, value: String(v))
        }
        let order = groupOrder()
        var rowsOf = [[Int]](repeating: [], count: order.count)
        let position = Dictionary(uniqueKeysWithValues: order.enumerated().map { ($1, $0) })
        for r in 0..<n where group[r] >= 0 && x[r].isFinite && y[r].isFinite && w[r] > 0 {
            rowsOf[position[group[r]]!].append(r)
        }
        let kept = rowsOf.indices.filter { !rowsOf[$0].isEmpty }
        guard !kept.isEmpty else { throw MobilityError("no row has both an origin and a destination income") }
        let layout = IncomeLayout(groups: kept.count, k: spec.groups)
        var prepared = kept.map { prepare(rows: rowsOf[$0], weights: w) }

        // Estimates and (linearisation) scores totalled per variance unit, then the covariance of every measure
        // of every group.
        let m = layout.perGroup * kept.count
        var values = [Double](repeating: .nan, count: m)
        var scores = UnitScores(columns: m)
        for (g, p) in prepared.enumerated() {
            if let kernel {
                p.measures(weights: w, into: &values, offset: layout.offset(g), kernel: kernel, scores: &scores)
            } else {
                p.measures(weights: w, into: &values, offset: layout.offset(g))
            }
        }
        var inDomain = [Bool](repeating: false, count: n)
        for g in kept { for r in rowsOf[g] { inDomain[r] = true } }
        let covariance: [Double]
        let df: Double
        if let kernel {
            covariance = try kernel.covariance(scores, domain: inDomain)
            df = Double(kernel.degreesOfFreedom(domain: inDomain))
        } else {
            (covariance, df) = try replicateCovariance(values: values, prepared: prepared, layout: layout, inDomain: inDomain)
        }
        func se(_ i: Int) -> Double { max(covariance[i * m + i], 0).squareRoot() }
        let level = spec.level
        func estimate(_ i: Int, shape: IntervalShape, df: Double, n: (Int, Int)) -> MobilityEstimate? {
            guard values[i].isFinite else { return nil }
            let (low, high) = MobilityEstimate.interval(values[i], se(i), shape: shape, level: level, df: df)
            return MobilityEstimate(
                estimate: values[i], standardError: se(i), ciLow: low, ciHigh: high, numeratorCount: n.0,
                denominatorCount: n.1, numeratorUnits: n.0, denominatorUnits: n.1)
        }
        let k = spec.groups
        var groups: [IncomeMobilityGroup] = []
        for (g, p) in prepared.enumerated() {
            let o = layout.offset(g)
            let transition = (0..<k).map { i in
                (0..<k).map { j in
                    estimate(o + i * k + j, shape: .logit, df: df, n: (p.counts[i][j], p.counts[i].reduce(0, +)))
                }
            }
            let domain = p.rows.count
            let igeRows = domain - p.igeExcluded
            var rankRank: [String: MobilityEstimate] = [:]
            var ige: [String: MobilityEstimate] = [:]
            var absolute: [String: MobilityEstimate] = [:]
            for (name, i) in [("slope", layout.slope), ("intercept", layout.intercept)] {
                rankRank[name] = estimate(o + i, shape: .wald, df: df - 1, n: (domain, domain))
            }
            for (name, i) in [("elasticity", layout.elasticity), ("intercept", layout.igeIntercept)] {
                ige[name] = estimate(o + i, shape: .wald, df: df - 1, n: (igeRows, igeRows))
            }
            for (name, i) in [("upward", layout.upward), ("downward", layout.downward)] {
                // n is the domain's: the rows above and below together would give away the rows equal.
                absolute[name] = estimate(o + i, shape: .logit, df: df, n: (domain, domain))
            }
            groups.append(IncomeMobilityGroup(
                name: groupName(order[kept[g]]), originBoundaries: p.originBoundaries,
                destinationBoundaries: p.destinationBoundaries, originSides: p.originSides,
                destinationSides: p.destinationSides, transition: transition, weightedCounts: p.weightedCounts,
                counts: p.counts, rankRank: rankRank, ige: ige, igeExcluded: p.igeExcluded, absolute: absolute,
                absoluteCounts: p.absoluteCounts, domainRows: domain,
                rankBins: p.rankBins(weights: w, slope: values[o + layout.slope], intercept: values[o + layout.intercept])))
            groups[groups.count - 1].values = groupValues(order[kept[g]])
        }
        prepared.removeAll()
        var differences: [IncomeDifference] = []
        if kept.count > 1 {
            let measures = [("rank_rank:slope", layout.slope, IntervalShape.wald, df - 1),
                            ("ige:elasticity", layout.elasticity, .wald, df - 1),
                            ("absolute_income:upward", layout.upward, .wald, df),
                            ("absolute_income:downward", layout.downward, .wald, df)]
            for (name, i, shape, dfUsed) in measures {
                for a in 0..<kept.count {
                    for b in (a + 1)..<kept.count {
                        let (ia, ib) = (layout.offset(a) + i, layout.offset(b) + i)
                        guard values[ia].isFinite && values[ib].isFinite else { continue }
                        let value = values[ia] - values[ib]
                        let v = covariance[ia * m + ia] + covariance[ib * m + ib] - 2 * covariance[ia * m + ib]
                        let s = max(v, 0).squareRoot()
                        let (low, high) = MobilityEstimate.interval(value, s, shape: shape, level: level, df: dfUsed)
                        let nA = groups[a].domainRows, nB = groups[b].domainRows
                        differences.append(IncomeDifference(
                            measure: name, groupA: a, groupB: b,
                            difference: MobilityEstimate(
                                estimate: value, standardError: s, ciLow: low, ciHigh: high,
                                numeratorCount: min(nA, nB), denominatorCount: min(nA, nB),
                                numeratorUnits: min(nA, nB), denominatorUnits: min(nA, nB))))
                    }
                }
            }
        }
        return IncomeMobilityResults(
            groups: groups, differences: differences, quantileGroups: k, level: level, degreesOfFreedom: df,
            rows: n, validRows: inDomain.filter { $0 }.count, designDescription: design.modeDescription)
    }

    /// Boundaries, groups and ranks of one domain (from the full-sample weights).
    private func prepare(rows: [Int], weights w: [Double]) -> PreparedGroup {
        let k = spec.groups
        let xs = rows.map { x[$0] }, ys = rows.map { y[$0] }, ws = rows.map { w[$0] }
        let p = (1..<k).map { Double($0) / Double(k) }
        let qx = WeightedQuantiles.quantiles(xs, weights: ws, probabilities: p)
        let qy = WeightedQuantiles.quantiles(ys, weights: ws, probabilities: p)
        func band(_ v: Double, _ q: [Double]) -> Int { q.firstIndex { v <= $0 } ?? k - 1 }
        func sides(_ v: [Double], _ q: [Double]) -> [(below: Int, above: Int)] {
            q.map { b in (v.filter { $0 < b }.count, v.filter { $0 > b }.count) }
        }
        var prepared = PreparedGroup(
            rows: rows, k: k, originBand: xs.map { band($0, qx) }, destinationBand: ys.map { band($0, qy) },
            originRank: WeightedRank.percent(x, weights: w, rows: rows),
            destinationRank: WeightedRank.percent(y, weights: w, rows: rows),
            logOrigin: xs.map { $0 > 0 ? log($0) : .nan }, logDestination: ys.map { $0 > 0 ? log($0) : .nan },
            direction: zip(xs, ys).map { $1 > $0 ? 1 : $1 < $0 ? -1 : 0 })
        prepared.originBoundaries = qx
        prepared.destinationBoundaries = qy
        prepared.originSides = sides(xs, qx)
        prepared.destinationSides = sides(ys, qy)
        for (a, b) in zip(prepared.originBand, prepared.destinationBand) { prepared.counts[a][b] += 1 }
        for (r, (a, b)) in zip(rows, zip(prepared.originBand, prepared.destinationBand)) {
            prepared.weightedCounts[a][b] += w[r]
        }
        prepared.igeExcluded = prepared.logOrigin.indices.filter {
            !(prepared.logOrigin[$0].isFinite && prepared.logDestination[$0].isFinite)
        }.count
        prepared.absoluteCounts = [
            "upward": prepared.direction.filter { $0 > 0 }.count, "downward": prepared.direction.filter { $0 < 0 }.count,
            "equal": prepared.direction.filter { $0 == 0 }.count,
        ]
        return prepared
    }

    /// R's replicate variance `scale Σ rscale_r (θ_r − θ̄)(θ_r − θ̄)'` (θ̄ the full-sample estimate with mse),
    /// every measure recomputed with each replicate's weights; df = rank of the replicate weights − 1.
    private func replicateCovariance(
        values: [Double], prepared: [PreparedGroup], layout: IncomeLayout, inDomain: [Bool]
    ) throws -> ([Double], Double) {
        let spec = design.replicates!
        let count = replicates.count
        let scale = try spec.effectiveScale(count: count)
        let rscales = spec.rscales ?? [Double](repeating: 1, count: count)
        guard rscales.count == count else {
            throw WeightingError.invalidDesign("\(rscales.count) rscales for \(count) replicate-weight columns")
        }
        let m = values.count
        var thetas: [[Double]] = []
        for column in replicates {
            let w = spec.combinedWeights ? column : zip(column, weight).map { $0 * $1 }
            var theta = [Double](repeating: .nan, count: m)
            for (g, p) in prepared.enumerated() {
                p.measures(weights: w, into: &theta, offset: layout.offset(g))
            }
            thetas.append(theta)
        }
        let used = (0..<count).filter { rscales[$0] > 0 }
        let centre = spec.usesMSE ? values
            : (0..<m).map { a in used.reduce(0) { $0 + thetas[$1][a] } / Double(used.count) }
        var cov = [Double](repeating: 0, count: m * m)
        for i in 0..<count {
            let d = (0..<m).map { thetas[i][$0] - centre[$0] }
            for a in 0..<m where d[a] != 0 { for b in 0..<m { cov[a * m + b] += scale * rscales[i] * d[a] * d[b] } }
        }
        if let given = spec.degreesOfFreedom { return (cov, given) }
        var gram = [Double](repeating: 0, count: count * count)
        for r in inDomain.indices where inDomain[r] {
            for i in 0..<count {
                let wi = replicates[i][r] * (spec.combinedWeights ? 1 : weight[r])
                guard wi != 0 else { continue }
                for j in i..<count { gram[i * count + j] += wi * replicates[j][r] * (spec.combinedWeights ? 1 : weight[r]) }
            }
        }
        return (cov, Double(ReplicateWeights.rank(ofGram: gram, count: count) - 1))
    }
}

/// Where each measure of a group sits in the flat vector of estimates.
struct IncomeLayout {
    let groups: Int
    let k: Int
    var perGroup: Int { k * k + 6 }
    func offset(_ g: Int) -> Int { g * perGroup }
    var slope: Int { k * k }
    var intercept: Int { k * k + 1 }
    var elasticity: Int { k * k + 2 }
    var igeIntercept: Int { k * k + 3 }
    var upward: Int { k * k + 4 }
    var downward: Int { k * k + 5 }
}

/// One domain's rows with their quantile groups, ranks, logs and directions (fixed across replicates).
struct PreparedGroup {
    let rows: [Int]
    let k: Int
    let originBand: [Int]
    let destinationBand: [Int]
    let originRank: [Double]
    let destinationRank: [Double]
    let logOrigin: [Double]
    let logDestination: [Double]
    /// +1 when destination income is above origin income, −1 below, 0 equal.
    let direction: [Int]
    var originBoundaries: [Double] = []
    var destinationBoundaries: [Double] = []
    var originSides: [(below: Int, above: Int)] = []
    var destinationSides: [(below: Int, above: Int)] = []
    var counts: [[Int]]
    var weightedCounts: [[Double]]
    var igeExcluded = 0
    var absoluteCounts: [String: Int] = [:]

    init(
        rows: [Int], k: Int, originBand: [Int], destinationBand: [Int], originRank: [Double],
        destinationRank: [Double], logOrigin: [Double], logDestination: [Double], direction: [Int]
    ) {
        self.rows = rows
        self.k = k
        self.originBand = originBand
        self.destinationBand = destinationBand
        self.originRank = originRank
        self.destinationRank = destinationRank
        self.logOrigin = logOrigin
        self.logDestination = logDestination
        self.direction = direction
        counts = [[Int]](repeating: [Int](repeating: 0, count: k), count: k)
        weightedCounts = [[Double]](repeating: [Double](repeating: 0, count: k), count: k)
    }

    /// Writes the group's measures under weights `w` (indexed by data row) at `offset` in `values`; with
    /// `withScores`, also passes each row's score `w·z` (z the influence function) of each measure to
    /// `score(row, measure, value)`: data row, measure within the group, rows in increasing order for each measure.
    func measures(
        weights w: [Double], into values: inout [Double], offset: Int, withScores: Bool = false,
        score put: (Int, Int, Double) -> Void = { _, _, _ in }
    ) {
        func score(_ local: Int, _ measure: Int, _ z: Double) { put(rows[local], measure, w[rows[local]] * z) }
        // Transition: share of origin group i in destination group j.
        var rowTotal = [Double](repeating: 0, count: k)
        var cell = [Double](repeating: 0, count: k * k)
        for (t, r) in rows.enumerated() {
            rowTotal[originBand[t]] += w[r]
            cell[originBand[t] * k + destinationBand[t]] += w[r]
        }
        for i in 0..<k {
            for j in 0..<k { values[offset + i * k + j] = rowTotal[i] > 0 ? cell[i * k + j] / rowTotal[i] : .nan }
        }
        if withScores {
            for t in rows.indices {
                let i = originBand[t]
                guard rowTotal[i] > 0 else { continue }
                for j in 0..<k {
                    let p = values[offset + i * k + j]
                    score(t, i * k + j, ((destinationBand[t] == j ? 1 : 0) - p) / rowTotal[i])
                }
            }
        }
        let base = k * k
        for (at, (u, v)) in [(base, (originRank, destinationRank)), (base + 2, (logOrigin, logDestination))] {
            let fit = leastSquares(u, v, w, withScores: withScores)
            values[offset + at] = fit.slope
            values[offset + at + 1] = fit.intercept
            for (t, z) in fit.influence {
                score(t, at, z.slope)
                score(t, at + 1, z.intercept)
            }
        }
        // Absolute mobility: shares of the domain above and below.
        var total = 0.0, up = 0.0, down = 0.0
        for (t, r) in rows.enumerated() {
            total += w[r]
            if direction[t] > 0 { up += w[r] } else if direction[t] < 0 { down += w[r] }
        }
        let pu = total > 0 ? up / total : .nan, pd = total > 0 ? down / total : .nan
        values[offset + base + 4] = pu
        values[offset + base + 5] = pd
        if withScores, total > 0 {
            for t in rows.indices {
                score(t, base + 4, ((direction[t] > 0 ? 1 : 0) - pu) / total)
                score(t, base + 5, ((direction[t] < 0 ? 1 : 0) - pd) / total)
            }
        }
    }

    /// The binned scatter of child rank on parent rank by ventile of parent rank, with the fitted line.
    func rankBins(weights w: [Double], slope: Double, intercept: Double) -> [RankBin] {
        var total = [Double](repeating: 0, count: 20), x = total, y = total
        var count = [Int](repeating: 0, count: 20)
        for (t, r) in rows.enumerated() {
            let b = min(max(Int((originRank[t] / 5).rounded(.up)) - 1, 0), 19)
            total[b] += w[r]
            x[b] += w[r] * originRank[t]
            y[b] += w[r] * destinationRank[t]
            count[b] += 1
        }
        return (0..<20).map { b in
            let px = x[b] / total[b]
            return RankBin(parentRank: px, childRank: y[b] / total[b], fitted: intercept + slope * px, count: count[b])
        }
    }

    /// Weighted least squares of `v` on `u` over the rows where both are finite (NaN without two distinct
    /// values), with each row's influence functions T⁻¹ (1, u) e when asked.
    private func leastSquares(_ u: [Double], _ v: [Double], _ w: [Double], withScores: Bool)
        -> (slope: Double, intercept: Double, influence: [(Int, (slope: Double, intercept: Double))])
    {
        var s0 = 0.0, s1 = 0.0, s2 = 0.0, sy = 0.0, sxy = 0.0
        for (t, r) in rows.enumerated() where u[t].isFinite && v[t].isFinite {
            s0 += w[r]
            s1 += w[r] * u[t]
            s2 += w[r] * u[t] * u[t]
            sy += w[r] * v[t]
            sxy += w[r] * u[t] * v[t]
        }
        let det = s0 * s2 - s1 * s1
        guard s0 > 0, det > 1e-12 * s0 * s2 else { return (.nan, .nan, []) }
        let b = (s0 * sxy - s1 * sy) / det
        let a = (sy - b * s1) / s0
        guard withScores else { return (b, a, []) }
        var influence: [(Int, (slope: Double, intercept: Double))] = []
        for t in rows.indices where u[t].isFinite && v[t].isFinite {
            let e = v[t] - a - b * u[t]
            influence.append((t, ((s0 * u[t] - s1) * e / det, (s2 - s1 * u[t]) * e / det)))
        }
        return (b, a, influence)
    }
}
