import Foundation

/// Quantile functions used for confidence intervals (normal, Student's t, beta).
///
/// Accurate to about 1e-14 relative: the t and beta quantiles invert the regularised incomplete beta
/// function (continued fraction) by safeguarded Newton steps.
public enum Distributions {
    /// The standard normal quantile.
    public static func normalQuantile(_ p: Double) -> Double {
        if p <= 0 { return -.infinity }
        if p >= 1 { return .infinity }
        // Acklam's rational approximation, then two Halley refinements with erfc.
        let a = [-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02,
                 -3.066479806614716e+01, 2.506628277459239e+00]
        let b = [-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01,
                 -1.328068155288572e+01]
        let c = [-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00,
                 4.374664141464968e+00, 2.938163982698783e+00]
        let d = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00]
        var x: Double
        if p < 0.02425 {
            let q = (-2 * log(p)).squareRoot()
            x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
                / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
        } else if p <= 1 - 0.02425 {
            let q = p - 0.5
            let r = q * q
            x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q
                / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
        } else {
            let q = (-2 * log(1 - p)).squareRoot()
            x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
                / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
        }
        for _ in 0..<2 {
            let e = 0.5 * erfc(-x / 2.0.squareRoot()) - p
            let u = e * (2 * Double.pi).squareRoot() * exp(x * x / 2)
            x = x - u / (1 + x * u / 2)
        }
        return x
    }

    /// The standard normal distribution function.
    public static func normalCDF(_ x: Double) -> Double { 0.5 * erfc(-x / 2.0.squareRoot()) }

    /// The regularised incomplete beta function I_x(a, b).
    public static func incompleteBeta(_ x: Double, _ a: Double, _ b: Double) -> Double {
        if x <= 0 { return 0 }
        if x >= 1 { return 1 }
        let lbeta = lgamma(a + b) - lgamma(a) - lgamma(b)
        let front = exp(lbeta + a * log(x) + b * log1p(-x))
        if x < (a + 1) / (a + b + 2) {
            return front * betaContinuedFraction(x, a, b) / a
        } else {
            return 1 - front * betaContinuedFraction(1 - x, b, a) / b
        }
    }

    private static func betaContinuedFraction(_ x: Double, _ a: Double, _ b: Double) -> Double {
        let tiny = 1e-300
        var c = 1.0
        var d = 1 - (a + b) * x / (a + 1)
        if abs(d) < tiny { d = tiny }
        d = 1 / d
        var h = d
        for m in 1...10_000 {
            let m = Double(m)
            let m2 = 2 * m
            var aa = m * (b - m) * x / ((a + m2 - 1) * (a + m2))
            d = 1 + aa * d
            if abs(d) < tiny { d = tiny }
            c = 1 + aa / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            h *= d * c
            aa = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1))
            d = 1 + aa * d
            if abs(d) < tiny { d = tiny }
            c = 1 + aa / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            let del = d * c
            h *= del
            if abs(del - 1) < 1e-16 { break }
        }
        return h
    }

    /// The upper tail of the χ² distribution with `df` degrees of freedom: P(X > x) (R `pchisq(lower = FALSE)`).
    public static func chiSquareUpperTail(_ x: Double, df: Double) -> Double {
        upperIncompleteGamma(df / 2, x / 2)
    }

    /// The regularised upper incomplete gamma function Q(a, x) = Γ(a, x)/Γ(a): a power series below
    /// x = a + 1, Lentz's continued fraction above.
    public static func upperIncompleteGamma(_ a: Double, _ x: Double) -> Double {
        if x <= 0 { return 1 }
        let front = exp(a * log(x) - x - lgamma(a))
        if x < a + 1 {
            var term = 1 / a, sum = term, ap = a
            for _ in 0..<10_000 {
                ap += 1
                term *= x / ap
                sum += term
                if abs(term) < abs(sum) * 1e-17 { break }
            }
            return 1 - front * sum
        }
        let tiny = 1e-300
        var b = x + 1 - a
        var c = 1 / tiny
        var d = 1 / b
        var h = d
        for i in 1...10_000 {
            let an = -Double(i) * (Double(i) - a)
            b += 2
            d = an * d + b
            if abs(d) < tiny { d = tiny }
            c = b + an / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            let del = d * c
            h *= del
            if abs(del - 1) < 1e-16 { break }
        }
        return front * h
    }

    /// The beta quantile: x with I_x(a, b) = p.
    public static func betaQuantile(_ p: Double, _ a: Double, _ b: Double) -> Double {
        if p <= 0 { return 0 }
        if p >= 1 { return 1 }
        if !(a > 0) { return 0 }
        if !(b > 0) { return 1 }
        let lbeta = lgamma(a + b) - lgamma(a) - lgamma(b)
        return invert(lower: 0, upper: 1, target: p, start: a / (a + b)) { x in
            let f = incompleteBeta(x, a, b)
            let dens = exp(lbeta + (a - 1) * log(x) + (b - 1) * log1p(-x))
            return (f, dens)
        }
    }

    /// Student's t distribution function.
    public static func tCDF(_ t: Double, df: Double) -> Double {
        if df.isInfinite { return normalCDF(t) }
        let x = df / (df + t * t)
        let tail = 0.5 * incompleteBeta(x, df / 2, 0.5)
        return t > 0 ? 1 - tail : tail
    }

    /// Student's t quantile; the normal quantile when `df` is infinite.
    public static func tQuantile(_ p: Double, df: Double) -> Double {
        if df.isInfinite || df > 1e10 { return normalQuantile(p) }
        if p == 0.5 { return 0 }
        if p < 0.5 { return -tQuantile(1 - p, df: df) }
        let logNorm = lgamma((df + 1) / 2) - lgamma(df / 2) - 0.5 * log(df * Double.pi)
        var hi = max(1.0, normalQuantile(p) * 2)
        while tCDF(hi, df: df) < p { hi *= 2 }
        return invert(lower: 0, upper: hi, target: p, start: normalQuantile(p)) { t in
            (tCDF(t, df: df), exp(logNorm - (df + 1) / 2 * log1p(t * t / df)))
        }
    }

    /// Safeguarded Newton: solves f(x) = target on [lower, upper] for increasing f.
    private static func invert(
        lower: Double, upper: Double, target: Double, start: Double, _ f: (Double) -> (Double, Double)
    ) -> Double {
        var lo = lower, hi = upper
        var x = min(max(start, lo), hi)
        if x <= lo || x >= hi { x = (lo + hi) / 2 }
        for _ in 0..<400 {
            let (fx, dfx) = f(x)
            let diff = fx - target
            if diff == 0 { return x }
            if diff < 0 { lo = x } else { hi = x }
            var next = x - diff / dfx
            if !(next > lo && next < hi) || !dfx.isFinite || dfx <= 0 { next = (lo + hi) / 2 }
            if abs(next - x) <= 1e-15 * max(abs(x), 1e-300) { return next }
            x = next
            if hi - lo <= 1e-16 * max(abs(x), 1e-300) { return x }
        }
        return x
    }
}
