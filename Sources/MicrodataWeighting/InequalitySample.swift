import Foundation

/// One domain's values in ascending order (ties in row order, as R's `order`) with their weights, and the
/// convey 1.0.1 formulas on them. Sums and cumulative sums accumulate in extended precision as R's `sum` and
/// `cumsum` do, so a cumulative share compares with p exactly as R compares it.
struct InequalitySample {
    /// Positions of the rows in the analysis's kept rows, in sorted order.
    let rows: [Int]
    let x: [Double]
    let w: [Double]
    /// Σw and Σwx.
    let N: Double
    let Y: Double

    /// Rows `rows` of `values`/`weights`, sorted by value; rows whose weight is not positive are dropped
    /// (convey filters `w > 0`).
    init(rows: [Int], values: [Double], weights: [Double], sorted: Bool = false) {
        let kept = rows.filter { weights[$0] > 0 }
        // Radix-sorted by value; `kept` is in row order, so ties stay in row order.
        let order = sorted ? kept : SortedSample.ascendingOrder(kept.map { values[$0] }).map { kept[Int($0)] }
        self.rows = order
        x = order.map { values[$0] }
        w = order.map { weights[$0] }
        var n: Float80 = 0, y: Float80 = 0
        for i in x.indices {
            n += Float80(w[i])
            y += Float80(x[i] * w[i])
        }
        N = Double(n)
        Y = Double(y)
    }

    var isEmpty: Bool { x.isEmpty }

    /// R `cumsum`: running sums in extended precision, each rounded to a double.
    static func cumulative(_ v: [Double]) -> [Double] {
        var acc: Float80 = 0
        return v.map { acc += Float80($0); return Double(acc) }
    }

    static func sum(_ n: Int, _ term: (Int) -> Double) -> Double {
        var acc: Float80 = 0
        for i in 0..<n { acc += Float80(term(i)) }
        return Double(acc)
    }

    /// convey's `computeQuantiles`: the smallest x whose share `cumsum(w)/Σw` is at least p.
    func quantile(_ p: Double) -> Double {
        Self.quantile(p, x: x[...], w: w[...], total: N)
    }

    /// `computeQuantiles` on sorted values with positive weights summing to `total`; NaN when empty.
    static func quantile(_ p: Double, x: ArraySlice<Double>, w: ArraySlice<Double>, total: Double) -> Double {
        var acc: Float80 = 0
        for i in x.indices {
            acc += Float80(w[i])
            if Double(acc) / total >= p { return x[i] }
        }
        return x.last ?? .nan
    }

    /// The number of values at or below `t` (the first ones in sorted order).
    func countAtOrBelow(_ t: Double) -> Int {
        var lo = 0, hi = x.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if x[mid] <= t { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// convey's `h_fun`: the weighted standard deviation over N^0.2.
    var bandwidth: Double {
        let sxx = Self.sum(x.count) { w[$0] * x[$0] * x[$0] }
        let sd = ((sxx - Y * Y / N) / N).squareRoot()
        return sd / exp(0.2 * log(N))
    }

    /// convey's `densfun`: the Gaussian kernel density of F at `t` (`FUN = "F"`), or of the partial total
    /// Σ w x (`"big_s"`) when `weighted`.
    func density(at t: Double, h: Double, weighted: Bool = false) -> Double {
        let s = Self.sum(x.count) { i in
            let u = (t - x[i]) / h
            let k = exp(-(u * u) / 2) / (2 * Double.pi).squareRoot()
            return weighted ? k * (w[i] * x[i]) : k * w[i]
        }
        return weighted ? s / h : s / (N * h)
    }

    // MARK: - Measures: the estimate and its linearised variable (in sorted order)

    /// `CalcGini` and `CalcGini_IF`.
    func gini() -> (Double, [Double]) {
        let r = Self.cumulative(w)
        let num = Self.sum(x.count) { (2 * r[$0] - 1) * x[$0] * w[$0] }
        let estimate = num / (N * Y) - 1
        let g = Self.cumulative(x.indices.map { x[$0] * w[$0] })
        let a = Self.sum(x.count) { r[$0] * x[$0] * w[$0] }, b = Y, c = N
        let da = 2 / (b * c)
        let db = -1 / (b * c) - (2 * a - b) / (b * b * c)
        let dc = -(2 * a - b) / (b * c * c)
        let lin = x.indices.map { i in da * (Y - g[i] + x[i] * w[i] + r[i] * x[i]) + db * x[i] + dc }
        return (estimate, lin)
    }

    /// `CalcLorenz` and `CalcLorenz_IF`: the share held by the bottom p, with convey's interpolated quantile.
    func lorenz(_ p: Double) -> (Double, [Double]) {
        let cum = Self.cumulative(w)
        let pN = p * N
        var yp: Float80 = 0
        var quant = Double.nan
        for i in x.indices {
            let before = cum[i] - w[i]
            let t = (pN - before) / w[i]
            yp += Float80(w[i] * x[i] * min(max(t, 0), 1))
            if quant.isNaN && before < pN && pN <= cum[i] {
                let previous = i == 0 ? x[0] : x[i - 1]
                quant = previous + (x[i] - previous) * t
            }
        }
        let L = Double(yp) / Y
        if p == 0 || p == 1 { return (L, [Double](repeating: 0, count: x.count)) }
        let lin = x.map { v in ((v - quant) * (v <= quant ? 1 : 0) + p * quant - v * L) / Y }
        return (L, lin)
    }

    /// `svyisq`: the total at or below the α quantile (above it when `upper`) and its linearised variable.
    func incomeShare(_ alpha: Double, upper: Bool) -> (Double, [Double]) {
        let q = quantile(alpha)
        let I = Self.sum(x.count) { x[$0] * (x[$0] <= q ? 1 : 0) * w[$0] }
        let h = bandwidth
        let f0 = density(at: q, h: h), f1 = density(at: q, h: h, weighted: true)
        var lin = x.map { v in
            let below: Double = v <= q ? 1 : 0
            return v * below + f1 * (-(1 / (N * f0)) * (below - alpha))
        }
        if upper { for i in lin.indices { lin[i] = x[i] - lin[i] } }
        return (upper ? Y - I : I, lin)
    }

    /// `svyqsr`: the total above the `top` quantile over the total at or below the `bottom` quantile.
    func quantileShareRatio(top: Double, bottom: Double) -> (Double, [Double]) {
        let (low, linLow) = incomeShare(bottom, upper: false)
        let (high, linHigh) = incomeShare(top, upper: true)
        let lin = linLow.indices.map { linHigh[$0] / low - high / (low * low) * linLow[$0] }
        return (high / low, lin)
    }

    /// `svyiqalpha`: the α quantile and its linearised variable −(1{x ≤ q} − α) / (N f(q)).
    func quantileWithInfluence(_ alpha: Double) -> (Double, [Double]) {
        let q = quantile(alpha)
        let f = density(at: q, h: bandwidth)
        return (q, x.map { v in -(1 / (N * f)) * ((v <= q ? 1 : 0) - alpha) })
    }

    /// The ratio of the `top` quantile to the `bottom` one, linearised as `contrastinf` does Q_t / Q_b.
    func percentileRatio(top: Double, bottom: Double) -> (Double, [Double]) {
        let (qt, linTop) = quantileWithInfluence(top)
        let (qb, linBottom) = quantileWithInfluence(bottom)
        let lin = linTop.indices.map { linTop[$0] / qb - qt / (qb * qb) * linBottom[$0] }
        return (qt / qb, lin)
    }

    /// `svyarpt`: `percent` × the `quantile`, and its linearised variable.
    func povertyThreshold(percent: Double, quantile Q: Double) -> (Double, [Double]) {
        let (q, lin) = quantileWithInfluence(Q)
        return (percent * q, lin.map { percent * $0 })
    }

    /// The median of the values at or below `t` (`svypoormed`'s median of the poor); NaN when none are.
    func poorMedian(_ t: Double) -> Double {
        let poor = countAtOrBelow(t)
        let total = Self.sum(poor) { w[$0] }
        return Self.quantile(0.5, x: x[..<poor], w: w[..<poor], total: total)
    }

    /// The weighted share at or below `t` (`svyarpr`'s estimate).
    func shareAtOrBelow(_ t: Double) -> Double {
        Self.sum(x.count) { x[$0] <= t ? w[$0] : 0 } / N
    }

    /// `CalcAtkinson` and `CalcAtkinson_IF` (positive values).
    func atkinson(_ epsilon: Double) -> (Double, [Double]) {
        let u0 = N, u1 = Y
        if epsilon == 1 {
            let t0 = Self.sum(x.count) { w[$0] * log(x[$0]) }
            let a = 1 - (u0 / u1) * exp(t0 / u0)
            let lin = x.map { v in (a - 1) * (1 - t0 / u0) / u0 + v * (1 - a) / u1 + log(v) * (a - 1) / u0 }
            return (a, lin)
        }
        let uneps = Self.sum(x.count) { w[$0] * pow(x[$0], 1 - epsilon) }
        let afac = epsilon / (1 - epsilon), bfac = 1 / (1 - epsilon)
        let a = 1 - pow(uneps, bfac) / (pow(u0, afac) * u1)
        let l1 = afac * pow(uneps, bfac) / (u1 * pow(u0, bfac))
        let lin = x.map { v in
            l1 + v * pow(uneps, bfac) / (pow(u0, afac) * u1 * u1)
                - bfac * pow(v, 1 - epsilon) * pow(uneps, afac) / (pow(u0, afac) * u1)
        }
        return (a, lin)
    }

    /// `CalcGEI` and `CalcGEI_IF` (positive values).
    func gei(_ epsilon: Double) -> (Double, [Double]) {
        let mean = Y / N
        func score(_ v: Double) -> Double {
            let u = v / mean
            if epsilon == 0 { return -log(u) }
            if epsilon == 1 { return u * log(u) }
            return (pow(u, epsilon) - 1) / (epsilon * epsilon - epsilon)
        }
        let g = Self.sum(x.count) { w[$0] * score(x[$0]) } / N
        let partial: Double
        if epsilon == 0 {
            partial = 1 / mean
        } else if epsilon == 1 {
            partial = -(1 / mean) * (g + 1)
        } else {
            partial = -(1 / (mean * (epsilon - 1))) * ((epsilon * epsilon - epsilon) * g + 1)
        }
        let lin = x.map { v in (1 / N) * (score(v) - g) + partial * ((v - mean) / N) }
        return (g, lin)
    }
}
