import MicrodataDisclosure
import MicrodataReaders
import MicrodataWeighting

/// The balance check of attrition weights: each model variable's weighted distribution (proportions of its
/// levels, or its mean) in the whole baseline sample with the base weights, among responders with the base
/// weights (complete cases) and among responders with the new weights; responders are a domain of the
/// baseline design (R `svymean(~v, subset(design, respond == 1))`), the new weights treated as fixed.
///
/// Disclosure control, per variable and sample, is `tabulate`'s: thresholds and dominance on each cell, the
/// levels protected with their margin, and the responders' cells also checked for the non-responders they
/// difference out of the baseline column (`subpop-complement`). A cell withheld in one sample is withheld in
/// all three, since the samples share their units.
public struct NonresponseBalance: Sendable {
    /// The samples compared, in column order.
    public static let samples = ["Baseline (W0)", "Responders (W0)", "Responders (new weight)"]

    /// One model variable in the three samples.
    public struct Block: Sendable {
        public var variable: String
        public var categorical: Bool
        /// One table per sample of ``samples``.
        public var tables: [EstimateTable]
        /// Per table, each cell's disclosure status (`nil`: not checked).
        public var statuses: [[CellStatus]]?
        /// The levels (for a numeric variable, one `nil`) in baseline order.
        public var levels: [String?]

        /// The cell of sample `s` at `level`, if estimated.
        public func cell(_ s: Int, level: String?) -> CellEstimate? {
            tables[s].cells.first { $0.level == level }
        }

        /// Whether the row of `level` is withheld: suppressed in any sample.
        public func withheld(level: String?) -> Bool {
            guard let statuses else { return false }
            return tables.indices.contains { s in
                tables[s].cells.indices.contains { tables[s].cells[$0].level == level && statuses[s][$0].isSuppressed }
            }
        }
    }

    public var blocks: [Block]
    public var designDescription: String

    /// The marker and weight columns added to the baseline rows.
    static let respondedColumn = "__responded", newWeightColumn = "__new_weight"

    /// Estimates the three samples for every model variable of `weights`, on `data` under `design` (the base
    /// design), and checks them with `rules` (`nil`: unchecked).
    public init(weights: NonresponseWeights, data: ModelData, design: SurveyDesign, rules: DisclosureRules?, level: Double = 0.95)
        throws
    {
        guard let base = design.weight else { throw NonresponseError.noBaseWeight }
        guard let baseWeights = data.column(base) else { throw NonresponseError.missingColumn(base) }
        var responded = [Double](repeating: 0, count: data.rowCount)
        var newWeight = (0..<data.rowCount).map { baseWeights.double(at: $0) ?? 0 }
        for r in weights.responders {
            responded[r.row] = 1
            newWeight[r.row] = r.weight
        }
        var batch = data.batch
        batch = Batch(
            columns: batch.columns + [Column(name: Self.respondedColumn, storage: .real(responded)),
                                      Column(name: Self.newWeightColumn, storage: .real(newWeight))],
            rowCount: batch.rowCount)
        let factors = Self.factorVariables(try Formula(weights.formula))
        var designs = [design, design, design]
        designs[2].weight = Self.newWeightColumn
        var blocks: [Block] = []
        var description = ""
        for v in weights.variables {
            guard let column = data.column(v) else { throw NonresponseError.missingColumn(v) }
            var categorical = factors.contains(v)
            if case .text = column.storage { categorical = true }
            let analysis = categorical ? Analysis(.proportion, [v]) : .mean(v)
            var tables: [EstimateTable] = []
            var statuses: [[CellStatus]] = []
            for s in 0..<3 {
                var options = EstimationOptions(level: level, subpopulation: s == 0 ? nil : Self.respondedColumn)
                options.fullCovariance = false
                if let rules { options.keptContributions = max(2, rules.nkN) }
                var estimator = try SurveyEstimator(design: designs[s], analyses: [analysis], options: options)
                try estimator.add(batch)
                let table = try estimator.finish().table
                description = table.designDescription
                tables.append(table)
                guard let rules else { continue }
                var complement: SubpopulationComplement? = nil
                if s > 0 {
                    complement = SubpopulationComplement(
                        marker: Self.respondedColumn, by: [], analysis: analysis, weight: designs[s].weight)
                    try complement!.add(batch)
                }
                statuses.append(try DisclosureControl(rules: rules).check(table, complement: complement).statuses)
            }
            var seen = Set<String?>()
            let levels = tables[0].cells.map(\.level).filter { seen.insert($0).inserted }
            blocks.append(Block(
                variable: v, categorical: categorical, tables: tables, statuses: rules == nil ? nil : statuses, levels: levels))
        }
        self.blocks = blocks
        designDescription = description
    }

    /// Variables inside `factor()` or `as.factor()` in any term.
    static func factorVariables(_ formula: Formula) -> Set<String> {
        var out = Set<String>()
        for term in formula.terms {
            for c in term.components {
                if let inner = DesignMatrix.factorArgument(c) { out.formUnion(inner.variables) }
            }
        }
        return out
    }
}
