/// An interpolating cubic spline with Forsythe, Malcolm and Moler's end conditions, as R's
/// `spline(method = "fmm")` computes it, and the linear interpolation of R's `approx()`.
///
/// The coefficients follow R's `fmm_spline` (src/library/stats/src/splines.c) step by step, so a curve
/// evaluated here agrees with R's to rounding: the ends take their third derivatives from the divided
/// differences of the first and last four points.
struct CubicSpline {
    let x: [Double]
    let y: [Double]
    private var b: [Double]
    private var c: [Double]
    private var d: [Double]

    /// Fits the spline through points with strictly increasing `x`.
    ///
    /// - Precondition: `x.count == y.count`, at least two points, `x` increasing.
    init(x: [Double], y: [Double]) {
        precondition(x.count == y.count && x.count >= 2, "a spline needs at least two points")
        self.x = x
        self.y = y
        let n = x.count
        b = [Double](repeating: 0, count: n)
        c = [Double](repeating: 0, count: n)
        d = [Double](repeating: 0, count: n)
        if n < 3 {
            b[0] = (y[1] - y[0]) / (x[1] - x[0])
            b[1] = b[0]
            return
        }
        // Tridiagonal system: b = diagonal, d = off-diagonal, c = right-hand side (0-based from R's 1-based).
        d[0] = x[1] - x[0]
        c[1] = (y[1] - y[0]) / d[0]
        for i in 1..<(n - 1) {
            d[i] = x[i + 1] - x[i]
            b[i] = 2 * (d[i - 1] + d[i])
            c[i + 1] = (y[i + 1] - y[i]) / d[i]
            c[i] = c[i + 1] - c[i]
        }
        b[0] = -d[0]
        b[n - 1] = -d[n - 2]
        c[0] = 0
        c[n - 1] = 0
        if n > 3 {
            c[0] = c[2] / (x[3] - x[1]) - c[1] / (x[2] - x[0])
            c[n - 1] = c[n - 2] / (x[n - 1] - x[n - 3]) - c[n - 3] / (x[n - 2] - x[n - 4])
            c[0] = c[0] * d[0] * d[0] / (x[3] - x[0])
            c[n - 1] = -c[n - 1] * d[n - 2] * d[n - 2] / (x[n - 1] - x[n - 4])
        }
        for i in 1..<n {
            let t = d[i - 1] / b[i - 1]
            b[i] -= t * d[i - 1]
            c[i] -= t * c[i - 1]
        }
        c[n - 1] /= b[n - 1]
        for i in stride(from: n - 2, through: 0, by: -1) { c[i] = (c[i] - d[i] * c[i + 1]) / b[i] }
        b[n - 1] = (y[n - 1] - y[n - 2]) / d[n - 2] + d[n - 2] * (c[n - 2] + 2 * c[n - 1])
        for i in 0..<(n - 1) {
            b[i] = (y[i + 1] - y[i]) / d[i] - d[i] * (c[i + 1] + 2 * c[i])
            d[i] = (c[i + 1] - c[i]) / d[i]
            c[i] = 3 * c[i]
        }
        c[n - 1] = 3 * c[n - 1]
        d[n - 1] = d[n - 2]
    }

    /// The spline at each of `u` (R's `spline_eval`; outside the knots the end cubics are extended).
    func callAsFunction(_ u: [Double]) -> [Double] {
        let n = x.count
        var i = 0
        return u.map { ul in
            if ul < x[i] || (i < n - 1 && x[i + 1] < ul) {
                i = 0
                var j = n
                repeat {
                    let k = (i + j) / 2
                    if ul < x[k] { j = k } else { i = k }
                } while j > i + 1
            }
            let dx = ul - x[i]
            return y[i] + dx * (b[i] + dx * (c[i] + dx * d[i]))
        }
    }

    /// R's `spline(x, y)` with its default output: `3 × count` equally spaced points from the first knot to
    /// the last (spaced as R's `seq.int(from, to, length.out =)`).
    func sampled() -> (x: [Double], y: [Double]) {
        let m = 3 * x.count
        let from = x[0], to = x[x.count - 1]
        let by = (to - from) / Double(m - 1)
        let grid = (0..<m).map { i -> Double in
            if i == 0 { return from }
            if i == m - 1 { return to }
            return i < m / 2 ? from + Double(i) * by : to - Double(m - 1 - i) * by
        }
        return (grid, self(grid))
    }

    /// R's `approx(x, y, xout = v)$y` (linear, `rule = 1`): NaN outside `[min x, max x]`.
    ///
    /// The points are put in increasing `x` first; points with equal `x` are averaged, as R's
    /// `regularize.values(ties = mean)` does.
    static func approx(x: [Double], y: [Double], at v: Double) -> Double {
        let order = x.indices.sorted { x[$0] < x[$1] || (x[$0] == x[$1] && $0 < $1) }
        var xs: [Double] = [], ys: [Double] = [], counts: [Double] = []
        for k in order {
            if let last = xs.last, last == x[k] {
                ys[ys.count - 1] += y[k]
                counts[counts.count - 1] += 1
            } else {
                xs.append(x[k])
                ys.append(y[k])
                counts.append(1)
            }
        }
        for k in ys.indices { ys[k] /= counts[k] }
        guard !xs.isEmpty, !v.isNaN, v >= xs[0], v <= xs[xs.count - 1] else { return .nan }
        return linearInterpolation(xs, ys, at: v)
    }
}
