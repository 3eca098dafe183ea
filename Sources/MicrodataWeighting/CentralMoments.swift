/// Mergeable central power sums of a row's weight, value and denominator `(w, y, x)`.
///
/// A block of `stride` doubles holds the centres `(c_w, c_y, c_x)` (unweighted means of the rows) and then
/// `T[a, b, c] = Σ (w − c_w)^a (y − c_y)^b (x − c_x)^c` for `a ≤ maxW, b ≤ maxY, c ≤ maxX`; `T[0, 0, 0]` is the
/// row count. Blocks are filled a batch at a time with two passes over the batch (means, then powers of the
/// deviations) and merged by moving both to the pooled centre (Chan, Golub and LeVeque; Pébay 2008), so sums of
/// squares never come from differences of large raw sums: values of 1e9 with noise of 1e-3 keep their variance.
struct MomentLayout: Sendable, Hashable {
    let maxW: Int
    let maxY: Int
    let maxX: Int

    /// Layout for scores of degree one in w and up to `y` in y and `x` in x (products need twice the degree).
    init(w: Int = 2, y: Int, x: Int) {
        maxW = w
        maxY = y
        maxX = x
    }

    /// The layout an analysis of `kind` needs: categories only w, means and totals y², ratios x², variances y⁴.
    init(kind: Analysis.Kind, categorical: Bool) {
        if categorical {
            self.init(y: 0, x: 0)
        } else {
            switch kind {
            case .ratio: self.init(y: 2, x: 2)
            case .variance: self.init(y: 4, x: 0)
            default: self.init(y: 2, x: 0)
            }
        }
    }

    var size: Int { (maxW + 1) * (maxY + 1) * (maxX + 1) }
    /// Doubles per block: three centres, then the sums.
    var stride: Int { 3 + size }

    @inline(__always)
    func index(_ a: Int, _ b: Int, _ c: Int) -> Int { 3 + (a * (maxY + 1) + b) * (maxX + 1) + c }

    /// Adds one deviation `(dw, dy, dx)` to the sums of the block at `base`.
    @inline(__always)
    func add(_ m: UnsafeMutablePointer<Double>, _ dw: Double, _ dy: Double, _ dx: Double) {
        var k = 3
        var pw = 1.0
        for _ in 0...maxW {
            var pwy = pw
            for _ in 0...maxY {
                var p = pwy
                for _ in 0...maxX {
                    m[k] += p
                    k += 1
                    p *= dx
                }
                pwy *= dy
            }
            pw *= dw
        }
    }

    /// Moves the sums of the block at `m` from its centre to `centre` (binomial expansion, one axis at a time).
    func recentre(_ m: UnsafeMutablePointer<Double>, to centre: (Double, Double, Double)) {
        let shifts = [centre.0 - m[0], centre.1 - m[1], centre.2 - m[2]]
        let limits = [maxW, maxY, maxX]
        for axis in 0..<3 where shifts[axis] != 0 {
            let d = -shifts[axis]
            let top = limits[axis]
            // Each line along the axis: v'[k] = Σ_{i ≤ k} C(k, i) d^(k−i) v[i], highest k first.
            for a in 0...(axis == 0 ? 0 : maxW) {
                for b in 0...(axis == 1 ? 0 : maxY) {
                    for c in 0...(axis == 2 ? 0 : maxX) {
                        func at(_ k: Int) -> Int {
                            axis == 0 ? index(k, b, c) : axis == 1 ? index(a, k, c) : index(a, b, k)
                        }
                        for k in Swift.stride(from: top, through: 1, by: -1) {
                            var sum = m[at(k)]
                            var coefficient = 1.0  // C(k, i) d^(k−i), from i = k − 1 down
                            for i in Swift.stride(from: k - 1, through: 0, by: -1) {
                                coefficient *= d * Double(i + 1) / Double(k - i)
                                sum += coefficient * m[at(i)]
                            }
                            m[at(k)] = sum
                        }
                    }
                }
            }
        }
        m[0] = centre.0
        m[1] = centre.1
        m[2] = centre.2
    }

    /// Merges block `b` into block `a` (`b` is moved to the pooled centre and left there).
    func merge(into a: UnsafeMutablePointer<Double>, from b: UnsafeMutablePointer<Double>) {
        let nb = b[index(0, 0, 0)]
        if nb == 0 { return }
        let na = a[index(0, 0, 0)]
        if na == 0 {
            for k in 0..<stride { a[k] = b[k] }
            return
        }
        let f = nb / (na + nb)
        let centre = (a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f, a[2] + (b[2] - a[2]) * f)
        recentre(a, to: centre)
        recentre(b, to: centre)
        for k in 3..<stride { a[k] += b[k] }
    }

    /// Multiplies every row's weight by `f` (weights derived from FPCs, known only at the end).
    func scaleWeights(_ m: UnsafeMutablePointer<Double>, by f: Double) {
        m[0] *= f
        var fa = 1.0
        for a in 0...maxW {
            for b in 0...maxY { for c in 0...maxX { m[index(a, b, c)] *= fa } }
            fa *= f
        }
    }
}

/// A row's score `z = w · g(y, x)` with `g = a0 + b1 (y − μ) + c2 (y − μ)² + ex · x`, written about a centre so
/// that a mean's `(y − ȳ)` is never formed from two large sums.
struct CentredScore: Sendable {
    var a0 = 0.0
    var b1 = 0.0
    var c2 = 0.0
    var ex = 0.0
    var mu = 0.0
    /// A small correction to `mu`, kept apart so that `y − μ` is exact where `mu` is a value near the data
    /// and the rounding of a mean of 1e9 (1e-7) does not enter the scores.
    var muOffset = 0.0

    /// The coefficients of `z` in the deviations `(dw, dy, dx)` of a block with the given centre, as
    /// `(index, coefficient)` pairs of the layout (at most eight).
    func terms(_ layout: MomentLayout, centre: (Double, Double, Double)) -> [(Int, Double)] {
        let t = (centre.1 - mu) - muOffset
        let g0 = a0 + b1 * t + c2 * t * t + ex * centre.2
        let g1 = b1 + 2 * c2 * t
        let cw = centre.0
        var out: [(Int, Double)] = [(layout.index(0, 0, 0), cw * g0), (layout.index(1, 0, 0), g0)]
        if layout.maxY >= 1 && g1 != 0 {
            out.append((layout.index(0, 1, 0), cw * g1))
            out.append((layout.index(1, 1, 0), g1))
        }
        if layout.maxY >= 2 && c2 != 0 {
            out.append((layout.index(0, 2, 0), cw * c2))
            out.append((layout.index(1, 2, 0), c2))
        }
        if layout.maxX >= 1 && ex != 0 {
            out.append((layout.index(0, 0, 1), cw * ex))
            out.append((layout.index(1, 0, 1), ex))
        }
        return out
    }
}
