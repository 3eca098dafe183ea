import MicrodataReaders
import MicrodataWeighting

/// The differencing rule for `--subpop` outputs: the rows of each domain outside the subpopulation, counted
/// in the same pass as the estimates.
///
/// The whole population (every row) is taken as already published by another call. A cell of the
/// subpopulation whose domain holds between 1 and `threshold − 1` rows outside it is then as good as that
/// small group published by subtraction ("all" minus "all but three"), so the cell is a primary
/// (`subpop-complement`). Rows are counted as the estimator counts contributors: a non-zero weight, every
/// by-value present, and the analysis variables present (per level for a categorical analysis).
public struct SubpopulationComplement: Sendable {
    public typealias Cell = DomainCell

    public let marker: String
    public let by: [String]
    public let analysis: Analysis
    public let weight: String?
    /// Per cell, rows inside and outside the subpopulation.
    public private(set) var counts: [Cell: (inside: Int, outside: Int)] = [:]
    private var categorical: Bool?

    /// - Parameter marker: the column holding 1 inside the subpopulation (`EstimationOptions.subpopulation`).
    public init(marker: String, by: [String], analysis: Analysis, weight: String?) {
        self.marker = marker
        self.by = by
        self.analysis = analysis
        self.weight = weight
    }

    /// Counts one batch (marked with the subpopulation column).
    /// - Throws: `WeightingError.missingColumn` for a column the batch lacks.
    public mutating func add(_ batch: Batch) throws {
        func column(_ name: String) throws -> Column {
            guard let c = batch.column(named: name) else { throw WeightingError.missingColumn(name) }
            return c
        }
        let inside = try column(marker).doubles
        let byColumns = try by.map(column)
        let analysisColumns = try analysis.variables.map(column)
        let weights = try weight.map { try column($0).doubles }
        if categorical == nil {
            categorical = ContributingRows.isCategorical(analysis, firstColumn: analysisColumns.first)
        }
        let rows = ContributingRows(
            byColumns: byColumns, analysisColumns: analysisColumns, weights: weights, perLevel: categorical!)
        for row in 0..<batch.rowCount {
            guard let (byValues, level) = rows.cell(row) else { continue }
            let isInside = inside[row] == 1
            for cell in [Cell(byValues: byValues, level: nil)] + (level.map { [Cell(byValues: byValues, level: $0)] } ?? []) {
                var c = counts[cell] ?? (0, 0)
                if isInside { c.inside += 1 } else { c.outside += 1 }
                counts[cell] = c
            }
        }
    }

    /// Whether the analysis is per level (known after the first batch).
    public var isCategorical: Bool { categorical ?? false }

    /// Rows of the cell's domain (and level) outside the subpopulation; `nil` for a cell never seen.
    public func outside(byValues: [String], level: String?) -> Int? {
        counts[Cell(byValues: byValues, level: level)]?.outside
    }

    /// Whether publishing the cell differences a small group out of the whole population's figure.
    /// The level is ignored for a numeric analysis (a quantile's level is its probability).
    public func flags(byValues: [String], level: String?, rules: DisclosureRules) -> Bool {
        guard let outside = outside(byValues: byValues, level: isCategorical ? level : nil) else { return false }
        return rules.failsThreshold(units: outside)
    }
}
