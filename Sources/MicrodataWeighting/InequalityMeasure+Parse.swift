extension InequalityMeasure {
    /// Parses the value of a `tabulate` option (`gini`, `lorenz`, `top-share`, `quantile-share-ratio`,
    /// `poverty-threshold`, `poverty-rate`, `atkinson`, `gei`) into the variable and the measure.
    ///
    /// Forms: `V`, `V:P[,P…]` (Lorenz), `V:P` (top share), `V[:TOP/BOTTOM]` (default 0.8/0.2),
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
        case "quantile-share-ratio":
            guard let argument else { return (variable, .quantileShareRatio(top: 0.8, bottom: 0.2)) }
            let parts = argument.split(separator: "/")
            guard parts.count == 2 else { throw fail("give V:TOP/BOTTOM, for example V:0.8/0.2") }
            let top = try probability(parts[0]), bottom = try probability(parts[1])
            guard bottom <= top else { throw fail("the bottom quantile must not exceed the top one") }
            return (variable, .quantileShareRatio(top: top, bottom: bottom))
        case "poverty-threshold", "poverty-rate":
            var percent = 60.0, q = 0.5
            if let argument {
                let parts = argument.split(separator: ",")
                guard parts.count == 2, let pct = Double(parts[0]), pct > 0 else {
                    throw fail("give V:PCT,Q, for example V:60,0.5 (60% of the median)")
                }
                percent = pct
                q = try probability(parts[1])
            }
            return option == "poverty-rate"
                ? (variable, .povertyRate(percent: percent / 100, quantile: q))
                : (variable, .povertyThreshold(percent: percent / 100, quantile: q))
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
