import Foundation
import MicrodataDisclosure
import MicrodataWeighting
import MicrodataWrite

/// The distribution of a set of weights: quartiles by R's default rule (`quantile(type = 7)`, as `summary`),
/// and Kish's design effect from unequal weighting, `n Σw² / (Σw)²`.
public struct WeightSummary: Sendable, Hashable {
    public var n: Int
    public var minimum: Double
    public var lowerQuartile: Double
    public var median: Double
    public var upperQuartile: Double
    public var maximum: Double
    public var kish: Double

    public init(_ w: [Double]) {
        n = w.count
        minimum = w.min() ?? .nan
        maximum = w.max() ?? .nan
        lowerQuartile = NonresponseWeights.quantile7(w, 0.25)
        median = NonresponseWeights.quantile7(w, 0.5)
        upperQuartile = NonresponseWeights.quantile7(w, 0.75)
        let sum = w.reduce(0, +), squares = w.reduce(0) { $0 + $1 * $1 }
        kish = Double(w.count) * squares / (sum * sum)
    }

    /// The statistics in row order, with their labels.
    var rows: [(String, Double)] {
        [("Minimum", minimum), ("Lower quartile", lowerQuartile), ("Median", median), ("Upper quartile", upperQuartile),
         ("Maximum", maximum), ("Kish design effect (n Σw² / (Σw)²)", kish)]
    }
}

/// The report of `weights nonresponse`: the response model, the distribution of the weights and the balance
/// table, as one publication (the model and the balance checked as `model` and `tabulate` check theirs).
public enum NonresponseReport {
    /// The caveat stated with the design and in the README.
    public static let fixedWeights = "attrition weights W0/p̂ treated as fixed: later variances ignore the estimation of p̂"

    /// The publication; `checks` (nil: off) withholds model coefficients as `model` does, and `stamp` marks
    /// output made without checks (the balance is then unchecked too).
    public static func publication(
        _ weights: NonresponseWeights, balance: NonresponseBalance, checks: ModelChecks?, stamp: String?, source: String,
        weightName: String, version: String
    ) -> Publication {
        let group = ModelReport.Group(by: [:], model: weights.model)
        var publication = ModelReport.publication(
            [group], byVariables: [], exponentiate: false, checks: checks, stamp: stamp, source: source,
            formula: weights.formula, version: version)
        publication.title = "Attrition weights: response model \(weights.formula)"
        let design = "design: \(weights.model.designDescription); response model quasibinomial; " + fixedWeights
        publication.design = design
        publication.metadata[0] = MetadataItem("Design", design)
        publication.tables.append(distributionTable(weights, weightName: weightName))
        publication.tables.append(balanceTable(balance, checked: stamp == nil))
        var capText = "none"
        switch weights.capRule {
        case .quantile(let p)?:
            capText = "at the \(formatNumber(p)) quantile of W0/p̂ among responders (R quantile type 7) = "
                + "\(formatNumber(weights.cap!))"
        case .maximum(let m)?: capText = "at \(formatNumber(m))"
        case nil: break
        }
        publication.metadata.append(MetadataItem(
            "Weights", "\(weightName) = W0/p̂ for \(weights.responders.count) responders; capped \(capText)"
                + (weights.capRule == nil ? "" : ": \(weights.capped) weights capped (the excess is dropped, not redistributed)")))
        if weights.respondersWithoutWeight > 0 {
            publication.metadata.append(MetadataItem(
                "Responders without a weight", "\(weights.respondersWithoutWeight) (a model variable is missing)"))
        }
        let low = weights.lowPropensityPatterns.reduce(0) { $0 + $1.rows }
        publication.metadata.append(MetadataItem(
            "Propensities below \(formatNumber(NonresponseWeights.lowPropensity))", "\(low) baseline rows"))
        return publication
    }

    /// The weights' distribution: the base weights and the adjusted weights of the responders, and the capped
    /// weights when capped.
    static func distributionTable(_ weights: NonresponseWeights, weightName: String) -> PublishedTable {
        var columns = [WeightSummary(weights.responders.map(\.baseWeight)), WeightSummary(weights.responders.map(\.adjusted))]
        var names = ["W0", "W0/p̂"]
        if weights.capRule != nil {
            columns.append(WeightSummary(weights.responders.map(\.weight)))
            names.append("\(weightName) (capped)")
        }
        let rows = columns[0].rows.indices.map { i in
            PublishedRow(label: columns[0].rows[i].0, cells: columns.map { PublishedCell(estimate: $0.rows[i].1) })
        }
        return PublishedTable(
            id: "weights", title: "Distribution of the weights among responders", unit: "Weights", rowHeading: "Statistic",
            columns: names, rows: rows, decimals: 4)
    }

    /// The balance table: a row per level (or numeric variable), a column per sample.
    static func balanceTable(_ balance: NonresponseBalance, checked: Bool) -> PublishedTable {
        var rows: [PublishedRow] = []
        for block in balance.blocks {
            for level in block.levels {
                let label = level.map { "\(block.variable) = \($0)" } ?? "\(block.variable) (mean)"
                let withheld = block.withheld(level: level)
                let cells = NonresponseBalance.samples.indices.map { s -> PublishedCell in
                    if withheld { return .suppressed }
                    guard let c = block.cell(s, level: level) else { return .notAvailable }
                    return PublishedCell(
                        estimate: c.estimate, standardError: c.standardError, ciLow: c.ciLow, ciHigh: c.ciHigh,
                        unweightedCount: c.unweightedCount)
                }
                rows.append(PublishedRow(label: label, cells: cells))
            }
        }
        return PublishedTable(
            id: "balance", title: "Balance: weighted distribution of the model variables",
            unit: "Proportions of each level (means of numeric variables)", rowHeading: "Variable",
            columns: NonresponseBalance.samples, rows: rows, decimals: 4)
    }

    /// The checks for the report's audit sidecar: the model's, and every balance cell's status.
    public static func outputChecks(_ weights: NonresponseWeights, balance: NonresponseBalance, checks: ModelChecks)
        -> [OutputCheck]
    {
        var out = checks.outputChecks([ModelReport.Group(by: [:], model: weights.model)])
        for block in balance.blocks {
            guard let statuses = block.statuses else { continue }
            for level in block.levels {
                let withheld = block.withheld(level: level)
                for (s, sample) in NonresponseBalance.samples.enumerated() {
                    guard let i = block.tables[s].cells.firstIndex(where: { $0.level == level }) else { continue }
                    let status = statuses[s][i]
                    out.append(OutputCheck(
                        rule: "balance-cell", subject: "\(sample) \(block.variable)" + (level.map { "=\($0)" } ?? ""),
                        status: status.isPrimary ? .fail : .pass, withheld: withheld,
                        evidence: withheld ? "\(status.label); the row is withheld in every sample" : status.label))
                }
            }
        }
        return out
    }
}
