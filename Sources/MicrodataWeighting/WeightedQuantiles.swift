/// Weighted quantiles of values held in memory, under R survey's rules (the same kernel as `tabulate`'s).
public enum WeightedQuantiles {
    /// The quantiles of `x` with weights `w` at `probabilities` under `rule`; R `svyquantile`'s default
    /// (`math`) gives the smallest x whose weighted CDF is at least p. Zero weights are dropped first.
    public static func quantiles(
        _ x: [Double], weights w: [Double], probabilities: [Double], rule: QuantileRule = .math
    ) -> [Double] {
        precondition(x.count == w.count, "one weight per value")
        let sample = SortedSample(x: x, w: w)
        return probabilities.map { sample.quantile($0, rule: rule) }
    }
}
