import Foundation
import MicrodataWeighting

/// The Shapiro–Wilk test of normality with Royston's approximations (algorithm AS R94, Royston 1995), as R's
/// `shapiro.test`: W and its p value for 3 to 5000 values, the p value exact for 3.
public struct ShapiroWilk: Sendable, Hashable {
    /// The statistic W (near 1 for normal data).
    public var w: Double
    /// The upper-tail p value of the normalising transformation of `1 − W`.
    public var p: Double
    /// The values tested (missing ones left out).
    public var count: Int

    /// Why the test cannot be computed, as R refuses it.
    public enum Failure: Error, Hashable, CustomStringConvertible {
        /// Fewer than 3 or more than 5000 values.
        case sampleSize(Int)
        /// Every value is the same.
        case identical

        public var description: String {
            switch self {
            case .sampleSize(let n): return "the Shapiro–Wilk test needs between 3 and 5000 values (as R shapiro.test); there are \(n)"
            case .identical: return "the Shapiro–Wilk test needs values that differ; all are identical"
            }
        }
    }

    /// Tests `values`; NaNs (missing) are left out, as R's `complete.cases`.
    ///
    /// - Throws: ``Failure`` for fewer than 3 or more than 5000 values, or values all identical.
    public init(_ values: [Double]) throws(Failure) {
        var x = values.filter { !$0.isNaN }.sorted()
        let n = x.count
        guard (3...5000).contains(n) else { throw Failure.sampleSize(n) }
        let range = x[n - 1] - x[0]
        guard range != 0 else { throw Failure.identical }
        // R rescales a tiny range so that the check of the range below passes.
        if range < 1e-10 { x = x.map { $0 / range } }
        count = n
        let coefficients = Self.coefficients(n)
        w = Self.statistic(x, coefficients)
        p = Self.pValue(w: w, n: n)
    }

    /// The antisymmetric coefficients `a[0..<n/2]` of the largest values (the smallest take `−a`): Royston's
    /// polynomial corrections of the two outermost and normal scores `Φ⁻¹((i − 3/8) / (n + 1/4))` for the rest.
    static func coefficients(_ n: Int) -> [Double] {
        let half = n / 2
        if n == 3 { return [(0.5).squareRoot()] }
        let an = Double(n)
        let m = (1...half).map { Distributions.normalQuantile((Double($0) - 0.375) / (an + 0.25)) }
        let sumSquares = 2 * m.reduce(0) { $0 + $1 * $1 }
        let root = sumSquares.squareRoot()
        let u = 1 / an.squareRoot()
        let a1 = polynomial([0, 0.221157, -0.147981, -2.07119, 4.434685, -2.706056], u) - m[0] / root
        var a = [Double](repeating: 0, count: half)
        let first: Int
        let scale: Double
        if n > 5 {
            let a2 = polynomial([0, 0.042981, -0.293762, -1.752461, 5.682633, -3.582633], u) - m[1] / root
            scale = ((sumSquares - 2 * m[0] * m[0] - 2 * m[1] * m[1]) / (1 - 2 * a1 * a1 - 2 * a2 * a2)).squareRoot()
            a[1] = a2
            first = 2
        } else {
            scale = ((sumSquares - 2 * m[0] * m[0]) / (1 - 2 * a1 * a1)).squareRoot()
            first = 1
        }
        a[0] = a1
        // The scores are negative for the lower half: dividing by −scale makes the upper coefficients positive.
        for i in first..<half { a[i] = -m[i] / scale }
        return a
    }

    /// `W = 1 − w1`, w1 computed as `(√(SaSx) − Sax)(√(SaSx) + Sax) / (SaSx)` (the squared correlation of the
    /// sorted values with the coefficients) to keep its precision near 1.
    static func statistic(_ x: [Double], _ a: [Double]) -> Double {
        let n = x.count
        let range = x[n - 1] - x[0]
        // The coefficient of the i-th smallest value: −a[i] in the lower half, a[n − 1 − i] in the upper, 0 in
        // the middle of an odd sample.
        func coefficient(_ i: Int) -> Double {
            let j = n - 1 - i
            return i == j ? 0 : (i < j ? -a[i] : a[j])
        }
        var meanA = 0.0, meanX = 0.0
        for i in 0..<n {
            meanA += coefficient(i)
            meanX += x[i] / range
        }
        meanA /= Double(n)
        meanX /= Double(n)
        var ssa = 0.0, ssx = 0.0, sax = 0.0
        for i in 0..<n {
            let da = coefficient(i) - meanA, dx = x[i] / range - meanX
            ssa += da * da
            ssx += dx * dx
            sax += da * dx
        }
        let root = (ssa * ssx).squareRoot()
        return 1 - (root - sax) * (root + sax) / (ssa * ssx)
    }

    /// Royston's p value: exact for n = 3; otherwise `log(1 − W)` (n ≥ 12) or `−log(γ − log(1 − W))` (n ≤ 11)
    /// is taken as normal with polynomial mean and SD in n or log n.
    static func pValue(w: Double, n: Int) -> Double {
        let an = Double(n)
        if n == 3 { return max(1.90985931710274 * (asin(w.squareRoot()) - 1.04719755119660), 0) }
        var y = log(1 - w)
        let mean: Double, sd: Double
        if n <= 11 {
            let gamma = polynomial([-2.273, 0.459], an)
            if y >= gamma { return 1e-99 }
            y = -log(gamma - y)
            mean = polynomial([0.544, -0.39978, 0.025054, -6.714e-4], an)
            sd = exp(polynomial([1.3822, -0.77857, 0.062767, -0.0020322], an))
        } else {
            let l = log(an)
            mean = polynomial([-1.5861, -0.31082, -0.083751, 0.0038915], l)
            sd = exp(polynomial([-0.4803, -0.082676, 0.0030302], l))
        }
        return 0.5 * erfc((y - mean) / sd / 2.0.squareRoot())
    }

    /// `c[0] + c[1] x + c[2] x² + …`, evaluated as AS 181.2 does (Horner on the terms above the constant).
    static func polynomial(_ c: [Double], _ x: Double) -> Double {
        guard c.count > 1 else { return c[0] }
        var p = x * c[c.count - 1]
        for j in stride(from: c.count - 2, to: 0, by: -1) { p = (p + c[j]) * x }
        return c[0] + p
    }
}

/// Moment skewness and kurtosis, as R's `moments::skewness` and `moments::kurtosis` (which emdi reports for the
/// standardised residuals): `m3 / m2^1.5` and `m4 / m2²` with `mk` the k-th central moment over n (the kurtosis
/// is 3, not 0, for a normal distribution).
public struct SampleMoments: Sendable, Hashable {
    public var skewness: Double
    public var kurtosis: Double

    /// `nil` for no values or values all equal.
    public init?(_ values: [Double]) {
        let x = values.filter { !$0.isNaN }
        guard !x.isEmpty else { return nil }
        let n = Double(x.count)
        let mean = x.reduce(0, +) / n
        var m2 = 0.0, m3 = 0.0, m4 = 0.0
        for v in x {
            let d = v - mean, d2 = d * d
            m2 += d2
            m3 += d2 * d
            m4 += d2 * d2
        }
        (m2, m3, m4) = (m2 / n, m3 / n, m4 / n)
        guard m2 > 0 else { return nil }
        skewness = m3 / pow(m2, 1.5)
        kurtosis = m4 / (m2 * m2)
    }
}
