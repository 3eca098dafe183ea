import Foundation

/// Confidence intervals as R survey computes them.
public enum Intervals {
    /// The two-sided critical value t_{df, 1−α/2} (normal when `df` is infinite).
    public static func critical(level: Double, df: Double) -> Double {
        Distributions.tQuantile(1 - (1 - level) / 2, df: df)
    }

    /// A Wald interval `θ ∓ t·se`.
    public static func wald(_ estimate: Double, _ se: Double, level: Double, df: Double) -> (Double, Double) {
        let t = critical(level: level, df: df)
        return (estimate - t * se, estimate + t * se)
    }

    /// An interval for a proportion `p` with standard error `se` (R `svyciprop`).
    ///
    /// `designRows` is the number of rows in the (domain) design, used by Korn–Graubard's df correction.
    /// `.likelihood` needs the rows themselves (``ProfileLikelihoodInterval``) and gives NaN limits here.
    public static func proportion(
        _ p: Double, se: Double, method: ProportionCIMethod, level: Double, df: Double, designRows: Int
    ) -> (Double, Double) {
        let alpha = 1 - level
        let t = critical(level: level, df: df)
        let v = se * se
        switch method {
        case .mean, .wald:
            return (p - t * se, p + t * se)
        case .logit, .xlogit:
            let l = log(p / (1 - p))
            let s = se / (p * (1 - p))
            return (expit(l - t * s), expit(l + t * s))
        case .asin:
            let a = asin(p.squareRoot())
            let s = se / (2 * (p * (1 - p)).squareRoot())
            let lo = sin(a - t * s), hi = sin(a + t * s)
            return (lo * lo, hi * hi)
        case .beta:
            var nEff = p * (1 - p) / v
            let ratio = Distributions.tQuantile(alpha / 2, df: Double(designRows - 1))
                / Distributions.tQuantile(alpha / 2, df: df)
            nEff *= ratio * ratio
            let lo = p == 0 ? 0 : Distributions.betaQuantile(alpha / 2, nEff * p, nEff * (1 - p) + 1)
            let hi = p == 1 ? 1 : Distributions.betaQuantile(1 - alpha / 2, nEff * p + 1, nEff * (1 - p))
            return (lo, hi)
        case .likelihood:
            return (.nan, .nan)
        case .wilson:
            let nEff = p * (1 - p) / v
            let t2 = t * t
            let centre = p + t2 / (2 * nEff)
            let half = t / (2 * nEff) * (4 * nEff * p * (1 - p) + t2).squareRoot()
            let denom = 1 + t2 / nEff
            return ((centre - half) / denom, (centre + half) / denom)
        }
    }

    static func expit(_ x: Double) -> Double { 1 / (1 + exp(-x)) }
}
