/// R survey's quantile rules (`qrule`): `math` (the inverse weighted CDF, the default), `school`, `shahvaish`,
/// `hf1`–`hf9`.
public enum QuantileRule: String, Sendable, Hashable, CaseIterable {
    case math, school, shahvaish, hf1, hf2, hf3, hf4, hf5, hf6, hf7, hf8, hf9

    /// Whether the rule returns data values only (so interval limits are exact data values).
    public var isDiscrete: Bool { [.math, .school, .shahvaish, .hf1, .hf2, .hf3].contains(self) }
}

/// A weighted sample sorted once, from which quantiles under any rule are read.
///
/// Zero weights are dropped first and ties keep data order, as in R.
struct SortedSample {
    let x: [Double]
    let w: [Double]
    let cumw: [Double]
    /// Σw in data order (R's `sum(w)` on the unsorted vector).
    let total: Double

    init(x: [Double], w: [Double]) {
        var xs: [Double] = []
        var ws: [Double] = []
        xs.reserveCapacity(x.count)
        ws.reserveCapacity(x.count)
        var total = LongSum()
        for i in x.indices where w[i] != 0 {
            xs.append(x[i])
            ws.append(w[i])
            total.add(w[i])
        }
        let order = Self.ascendingOrder(xs)
        self.x = order.map { xs[Int($0)] }
        self.w = order.map { ws[Int($0)] }
        // R's sum() and cumsum() accumulate in long double; matching them decides ties at p·Σw exactly.
        var c = LongSum()
        var cumw = [Double](repeating: 0, count: order.count)
        for i in order.indices {
            c.add(self.w[i])
            cumw[i] = c.value
        }
        self.cumw = cumw
        self.total = total.value
    }

    var count: Int { x.count }

    /// The positions of `xs` (no NaN) in ascending order, equal values in data order: a stable radix sort of
    /// order-preserving 64-bit keys, 16 bits a pass (−0 and 0 share a key, as `<` has them equal).
    static func ascendingOrder(_ xs: [Double]) -> [Int32] {
        let n = xs.count
        if n < 1 << 12 {
            return xs.indices.sorted { xs[$0] < xs[$1] || (xs[$0] == xs[$1] && $0 < $1) }.map { Int32($0) }
        }
        let sign: UInt64 = 1 << 63
        var keys = xs.map { x -> UInt64 in
            let bits = (x == 0 ? 0.0 : x).bitPattern
            return bits & sign != 0 ? ~bits : bits | sign
        }
        var order = (0..<n).map { Int32($0) }
        var keys2 = [UInt64](repeating: 0, count: n)
        var order2 = [Int32](repeating: 0, count: n)
        var count = [Int](repeating: 0, count: 1 << 16)
        for shift in stride(from: UInt64(0), to: 64, by: 16) {
            for i in count.indices { count[i] = 0 }
            for k in keys { count[Int(truncatingIfNeeded: (k >> shift) & 0xFFFF)] += 1 }
            if count.contains(n) { continue }  // every key has this digit: the pass would change nothing
            var start = 0
            for i in count.indices {
                let c = count[i]
                count[i] = start
                start += c
            }
            keys.withUnsafeBufferPointer { k in
                order.withUnsafeBufferPointer { o in
                    keys2.withUnsafeMutableBufferPointer { k2 in
                        order2.withUnsafeMutableBufferPointer { o2 in
                            count.withUnsafeMutableBufferPointer { c in
                                for i in 0..<n {
                                    let d = Int(truncatingIfNeeded: (k[i] >> shift) & 0xFFFF)
                                    let j = c[d]
                                    c[d] = j + 1
                                    k2[j] = k[i]
                                    o2[j] = o[i]
                                }
                            }
                        }
                    }
                }
            }
            swap(&keys, &keys2)
            swap(&order, &order2)
        }
        return order
    }

    /// The weighted share with x ≤ q.
    func cdf(_ q: Double) -> Double {
        var s = 0.0
        for i in x.indices where x[i] <= q { s += w[i] }
        return s / total
    }

    func quantile(_ p: Double, rule: QuantileRule) -> Double {
        let n = x.count
        if n == 0 || p.isNaN { return .nan }
        switch rule {
        case .math, .hf1:
            let q = qs(x: x, cumw: cumw, total: total, p: p)
            return q.wlow <= 0 ? q.qlow : q.qup
        case .school, .hf2:
            let q = qs(x: x, cumw: cumw, total: total, p: p)
            // Below the first cumulative share (wlow < 0) the minimum, as quantile(type = 2); R survey's qs()
            // starts at the first value there and returns the second.
            if q.wlow < 0 { return q.qlow }
            return q.wlow == 0 ? (q.qlow + q.qup) / 2 : q.qup
        case .hf3:
            var ux: [Double] = []
            var uw: [Double] = []
            for i in 0..<n {
                if let last = ux.last, last == x[i] { uw[uw.count - 1] += w[i] } else { ux.append(x[i]); uw.append(w[i]) }
            }
            var c = 0.0
            let ucum = uw.map { c += $0; return c }
            let total = uw.reduce(0, +)
            let q = qs(x: ux, cumw: ucum, total: total, p: p)
            // R survey's hf3 (nearest even order statistic on the cumulative weights) is not quantile(type = 3)
            // even at equal weights: it is kept for parity with R survey, except below the first share.
            if q.wlow < 0 { return q.qlow }
            return (q.wlow == 0 && (q.ilow + 1) % 2 == 0) ? q.qlow : q.qup
        case .hf4:
            let q = qs(x: x, cumw: cumw, total: total, p: p)
            // Below the first share the minimum and at p = 1 the maximum, as quantile(type = 4); R survey
            // extrapolates below the minimum there and gives NaN (0/0) at p = 1.
            if q.wlow < 0 || q.wup + q.wlow == 0 { return q.qlow }
            let gamma = q.wlow / (q.wup + q.wlow)
            return q.qlow * (1 - gamma) + q.qup * gamma
        case .shahvaish:
            return shahVaish(p)
        case .hf5, .hf6, .hf7, .hf8, .hf9:
            if n == 1 { return x[0] }
            let cn = cumw[n - 1]
            let wn = w[n - 1]
            var pk = [Double](repeating: 0, count: n)
            for k in 0..<n {
                let prev = k == 0 ? 0 : cumw[k - 1]
                switch rule {
                case .hf5: pk[k] = (cumw[k] - w[k] / 2) / cn
                case .hf6: pk[k] = cumw[k] / (cn + wn)
                case .hf7: pk[k] = prev / cumw[n - 2]
                case .hf8: pk[k] = (prev * 1 / 3 + cumw[k] * 2 / 3) / (cn + wn / 3)
                default: pk[k] = (prev * 3 / 8 + cumw[k] * 5 / 8) / (cn + wn / 4)
                }
            }
            return approxLinear(pk, x, p)
        }
    }

    /// R survey's `qrule_shahvaish`: plotting positions p_k = (S_k + 1/2 − w_k/2)/(n + 1) with S the cumulative
    /// weights over their mean and w_k the raw weight (R's quirk), read as a left step function (`approx(method =
    /// "constant", f = 0, rule = 2)`, which orders the positions first and averages values at tied positions).
    private func shahVaish(_ p: Double) -> Double {
        let n = x.count
        let mean = total / Double(n)
        var s = LongSum()
        var points: [(pk: Double, x: Double)] = []
        points.reserveCapacity(n)
        for k in 0..<n {
            s.add(w[k] / mean)
            points.append(((s.value + 0.5 - w[k] / 2) / Double(n + 1), x[k]))
        }
        // Stable order by position, then tied positions collapsed to the mean of their values (R `regularize.values`).
        let order = points.indices.sorted { points[$0].pk < points[$1].pk || (points[$0].pk == points[$1].pk && $0 < $1) }
        var pk: [Double] = []
        var xs: [Double] = []
        var k = 0
        while k < order.count {
            var j = k
            var sum = 0.0
            while j < order.count && points[order[j]].pk == points[order[k]].pk { sum += points[order[j]].x; j += 1 }
            pk.append(points[order[k]].pk)
            xs.append(sum / Double(j - k))
            k = j
        }
        if p <= pk[0] { return xs[0] }
        if p >= pk[pk.count - 1] { return xs[xs.count - 1] }
        var lo = 0, hi = pk.count - 1  // pk[lo] <= p < pk[hi]
        while lo < hi - 1 {
            let mid = (lo + hi) / 2
            if p < pk[mid] { hi = mid } else { lo = mid }
        }
        return xs[lo]
    }

    private func qs(x: [Double], cumw: [Double], total: Double, p: Double)
        -> (qlow: Double, qup: Double, ilow: Int, wlow: Double, wup: Double)
    {
        let target = p * total
        // The last position with cumw <= p·Σw (cumw is increasing), or the first when there is none.
        var lo = 0, hi = cumw.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if cumw[mid] <= target { lo = mid + 1 } else { hi = mid }
        }
        let pos = max(lo - 1, 0)
        let next = pos == x.count - 1 ? pos : pos + 1
        return (x[pos], x[next], pos, p - cumw[pos] / total, cumw[next] / total - p)
    }

    /// R `approx(xs, ys, v, method="linear", rule=2)` for increasing `xs`.
    private func approxLinear(_ xs: [Double], _ ys: [Double], _ v: Double) -> Double {
        let n = xs.count
        if v <= xs[0] { return ys[0] }
        if v >= xs[n - 1] { return ys[n - 1] }
        return linearInterpolation(xs, ys, at: v)
    }
}

/// A running sum in extended precision where the platform has it (R accumulates in long double).
struct LongSum {
    #if arch(x86_64) && !os(Windows)
    private var s: Float80 = 0
    mutating func add(_ x: Double) { s += Float80(x) }
    var value: Double { Double(s) }
    #else
    private var s: Double = 0
    mutating func add(_ x: Double) { s += x }
    var value: Double { s }
    #endif
}

/// Linear interpolation at `v` in increasing `xs` with `xs[0] ≤ v ≤ xs.last` (R's `approx` kernel: binary search
/// for the bracketing pair, exact at the knots).
func linearInterpolation(_ xs: [Double], _ ys: [Double], at v: Double) -> Double {
    var i = 0, j = xs.count - 1
    while i < j - 1 {
        let ij = (i + j) / 2
        if v < xs[ij] { j = ij } else { i = ij }
    }
    if v == xs[j] { return ys[j] }
    if v == xs[i] { return ys[i] }
    return ys[i] + (ys[j] - ys[i]) * ((v - xs[i]) / (xs[j] - xs[i]))
}
