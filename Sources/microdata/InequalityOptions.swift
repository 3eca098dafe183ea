import ArgumentParser
import MicrodataWeighting

/// `tabulate`'s inequality and poverty measures (R convey 1.0.1); each is one analysis.
struct InequalityOptions: ParsableArguments {
    @Option(help: "Gini coefficient of V (convey svygini).") var gini: String?
    @Option(help: "Lorenz ordinates V:P[,P...]: the share of the total held by the bottom P (svylorenz).")
    var lorenz: String?
    @Option(name: .customLong("top-share"), help: "V:P: the share held by the top P (V:0.1 = top 10%).")
    var topShare: String?
    @Option(name: .customLong("quantile-share-ratio"), help: "V[:TOP/BOTTOM]: quantile share ratio (default S80/S20; svyqsr).")
    var quantileShareRatio: String?
    @Option(name: .customLong("percentile-ratio"), help: "V[:TOP/BOTTOM]: ratio of two quantiles (default P90/P10).")
    var percentileRatio: String?
    @Option(name: .customLong("poverty-threshold"), help: "V[:PCT,Q]: PCT% of the Q quantile (default 60,0.5; svyarpt).")
    var povertyThreshold: String?
    @Option(name: .customLong("poverty-rate"), help: "V[:PCT,Q]: share at or below the whole sample's threshold (svyarpr).")
    var povertyRate: String?
    @Option(name: .customLong("poverty-gap"), help: "V[:PCT,Q]: relative median poverty gap of the poor (svyrmpg).")
    var povertyGap: String?
    @Flag(name: .customLong("threshold-by-domain"),
          help: "Poverty rates and gaps use each domain's own line (default: the whole sample's, as convey).")
    var thresholdByDomain = false
    @Option(help: "V:EPSILON: Atkinson index (svyatk); values must be positive.") var atkinson: String?
    @Option(help: "V:ALPHA: generalised entropy (svygei; 0 = mean log deviation, 1 = Theil T); positive values.")
    var gei: String?

    /// The analyses asked for.
    func analyses() throws -> [Analysis] {
        let given: [(String, String?)] = [
            ("gini", gini), ("lorenz", lorenz), ("top-share", topShare), ("quantile-share-ratio", quantileShareRatio),
            ("percentile-ratio", percentileRatio), ("poverty-threshold", povertyThreshold),
            ("poverty-rate", povertyRate), ("poverty-gap", povertyGap), ("atkinson", atkinson), ("gei", gei),
        ]
        return try given.compactMap { option, value in
            guard let value else { return nil }
            do {
                let (v, m) = try InequalityMeasure.parse(option: option, value)
                return .inequality(v, m)
            } catch let error as WeightingError {
                throw ValidationError("\(error)")
            }
        }
    }
}
