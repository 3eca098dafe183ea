import ArgumentParser
import Foundation
import MicrodataDisclosure
import MicrodataWeighting
import MicrodataWrite

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
    @Option(name: .customLong("lorenz-report"),
            help: "With --lorenz: also write the checked ordinates as FILE.html (Lorenz-curve chart) or FILE.xlsx.")
    var lorenzReport: String?
    @Option(help: "V:EPSILON: Atkinson index (svyatk); values must be positive.") var atkinson: String?
    @Option(help: "V:ALPHA: generalised entropy (svygei; 0 = mean log deviation, 1 = Theil T); positive values.")
    var gei: String?

    /// The analyses asked for.
    func analyses() throws -> [Analysis] {
        if let lorenzReport {
            guard lorenz != nil else { throw ValidationError("--lorenz-report needs --lorenz") }
            guard Self.reportFormat(lorenzReport) != nil else {
                throw ValidationError("--lorenz-report '\(lorenzReport)': give a .html or .xlsx file")
            }
        }
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

extension InequalityOptions {
    static func reportFormat(_ path: String) -> OutputFormat? {
        switch URL(fileURLWithPath: path).pathExtension.lowercased() {
        case "html", "htm": return .html
        case "xlsx": return .xlsx
        default: return nil
        }
    }

    /// Writes the checked Lorenz ordinates of `checked` to `path` (HTML with the chart, or XLSX).
    static func writeLorenzReport(_ checked: CheckedEstimates, to path: String, source: String, design: String) throws {
        guard let publication = checked.lorenzPublication(source: source, design: design),
            let format = reportFormat(path)
        else { return }
        try publication.write(to: URL(fileURLWithPath: path), format: format)
    }
}
