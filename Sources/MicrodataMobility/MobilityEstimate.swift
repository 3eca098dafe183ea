import Foundation
import MicrodataWeighting

/// One mobility measure with its precision and the unweighted bases behind it.
public struct MobilityEstimate: Sendable, Hashable, Codable {
    public var estimate: Double
    public var standardError: Double
    public var ciLow: Double
    public var ciHigh: Double
    /// Respondents in the numerator (the cell, or the cells counted by a rate).
    public var numeratorCount: Int
    /// Respondents in the denominator (the row, column or table the share is of).
    public var denominatorCount: Int
    /// Distinct units (households) in the numerator and denominator, for the disclosure threshold.
    public var numeratorUnits: Int
    public var denominatorUnits: Int
    /// Multiply imputed data: Rubin's df, the fraction of missing information and the number of imputations.
    public var degreesOfFreedom: Double? = nil
    public var fractionMissingInformation: Double? = nil
    public var imputations: Int? = nil

    /// The coefficient of variation, or `nil` for a zero estimate.
    public var coefficientOfVariation: Double? {
        estimate == 0 ? nil : standardError / abs(estimate)
    }
}

/// How confidence intervals are formed.
enum IntervalShape {
    /// estimate ± t·SE.
    case wald
    /// On the logit scale and transformed back (R `svyciprop(method = "logit")`), for shares in (0, 1).
    case logit
    /// On the log scale: the estimate is already a log, the interval is reported as is (log odds ratios).
    case logScale
}

extension CellTotals {
    /// A measure `value` with gradient `gradient`, its SE by the delta method and its interval.
    func measure(
        _ value: Double, _ gradient: SparseGradient, shape: IntervalShape, level: Double,
        numerator: (Int, Int), denominator: (Int, Int)
    ) -> MobilityEstimate {
        let se = variance(of: gradient).squareRoot()
        let (low, high) = MobilityEstimate.interval(value, se, shape: shape, level: level, df: degreesOfFreedom)
        return MobilityEstimate(
            estimate: value, standardError: se, ciLow: low, ciHigh: high, numeratorCount: numerator.0,
            denominatorCount: denominator.0, numeratorUnits: numerator.1, denominatorUnits: denominator.1)
    }
}

extension MobilityEstimate {
    /// The interval of `value` with standard error `se` at `level`, with Student's t on `df` degrees of freedom
    /// (the normal when `df` is not finite and positive).
    static func interval(_ value: Double, _ se: Double, shape: IntervalShape, level: Double, df: Double) -> (Double, Double) {
        let q = df.isFinite && df > 0
            ? Distributions.tQuantile(1 - (1 - level) / 2, df: df)
            : Distributions.normalQuantile(1 - (1 - level) / 2)
        if case .logit = shape {
            guard value > 0, value < 1 else { return (value, value) }
            let logit = log(value / (1 - value))
            let half = q * se / (value * (1 - value))
            return (1 / (1 + exp(-(logit - half))), 1 / (1 + exp(-(logit + half))))
        }
        return (value - q * se, value + q * se)
    }
}
