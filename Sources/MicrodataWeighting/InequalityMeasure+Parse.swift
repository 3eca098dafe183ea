extension InequalityMeasure {
    /// Parses the value of a `tabulate` option (`gini`, `lorenz`, `top-share`, `quantile-share-ratio`,
    /// `percentile-ratio`, `poverty-threshold`, `poverty-rate`, `poverty-gap`, `atkinson`, `gei`) into the
    /// variable and the measure.
    ///
    /// Forms: `V`, `V:P[,P…]` (Lorenz), `V:P` (top share), `V[:TOP/BOTTOM]` (quantile share ratio, default
    /// 0.8/0.2; percentile ratio, default 0.9/0.1),
    /// `V[:PCT,Q]` (poverty: PCT percent of the Q quantile, default 60,0.5), `V:EPS` (Atkinson, GEI).
    public static func parse(option: String, _ text: String) throws -> (variable: String, measure: InequalityMeasure) {
        func fail(_ why: String) -> WeightingError {
            WeightingError.invalidRequest("--\(option) '\(text)': \(why)")
        }
        let colon = text.lastIndex(of: ":")
        let variable = colon.map { String(text[..<$0]) } ?? text
        let argument = colon.map { String(text[text.index(after: $0)...]) }
        guard !variable.isEmpty else { throw fail("no variable") }
        func probability(_ s: Substring) throws -> Double {
            guard let p = Double(s), p > 0, p < 1 else { throw fail("'\(s)' must be strictly between 0 and 1") }
            return p
        }
        switch option {
        case "gini":
            guard argument == nil else { throw fail("takes a variable only") }
            return (variable, .gini)
        case "lorenz":
            guard let argument else { throw fail("give V:P[,P...]") }
            return (variable, .lorenz(try argument.split(separator: ",").map(probability)))
        case "top-share":
            guard let argument else { throw fail("give V:P (V:0.1 is the top 10% share)") }
            return (variable, .topShare(try probability(Substring(argument))))
        case "quantile-share-ratio", "percentile-ratio":
            let shares = option == "quantile-share-ratio"
            var top = shares ? 0.8 : 0.9, bottom = shares ? 0.2 : 0.1
            if let argument {
                let parts = argument.split(separator: "/")
                guard parts.count == 2 else {
                    throw fail("give V:TOP/BOTTOM, for example V:\(shares ? "0.8/0.2" : "0.9/0.1")")
                }
                top = try probability(parts[0])
                bottom = try probability(parts[1])
                guard bottom <= top else { throw fail("the bottom quantile must not exceed the top one") }
            }
            return (variable, shares ? .quantileShareRatio(top: top, bottom: bottom)
                : .percentileRatio(top: top, bottom: bottom))
        case "poverty-threshold", "poverty-rate", "poverty-gap":
            var percent = 60.0, q = 0.5
            if let argument {
                let parts = argument.split(separator: ",")
                guard parts.count == 2, let pct = Double(parts[0]), pct > 0 else {
                    throw fail("give V:PCT,Q, for example V:60,0.5 (60% of the median)")
                }
                percent = pct
                q = try probability(parts[1])
            }
            switch option {
            case "poverty-rate": return (variable, .povertyRate(percent: percent / 100, quantile: q))
            case "poverty-gap": return (variable, .povertyGap(percent: percent / 100, quantile: q))
            default: return (variable, .povertyThreshold(percent: percent / 100, quantile: q))
            }
        case "atkinson", "gei":
            guard let argument, let value = Double(argument), value.isFinite else {
                throw fail(option == "gei" ? "give V:ALPHA (0 = mean log deviation, 1 = Theil T)" : "give V:EPSILON")
            }
            if option == "atkinson" && !(value > 0) { throw fail("epsilon must be positive") }
            return (variable, option == "gei" ? .gei(value) : .atkinson(value))
        default:
            throw fail("not an inequality option")
        }
    }
}
