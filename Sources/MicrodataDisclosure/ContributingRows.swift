import MicrodataReaders
import MicrodataWeighting

/// A cell of a `tabulate` analysis: domain (by-values) and, for a categorical analysis, level (`nil`: the
/// whole domain).
public struct DomainCell: Sendable, Hashable {
    public var byValues: [String]
    public var level: String?
    public init(byValues: [String], level: String?) {
        self.byValues = byValues
        self.level = level
    }
}

/// The rows of a batch that the estimator counts in a cell, and the cell of each: a non-zero weight, every
/// by-value present, and, for a categorical analysis, every part of the level present (the level is the
/// parts joined by `.`); for a numeric one the analysis variable(s) present. Shared by the passes that
/// follow the estimator's cells (cell keys, the `--subpop` complement).
struct ContributingRows {
    let byColumns: [Column]
    let analysisColumns: [Column]
    let weights: [Double]?
    let perLevel: Bool
    private let numbers: [[Double]]

    /// As the estimator decides: proportions, and means/totals of a text column, are per level.
    static func isCategorical(_ analysis: Analysis, firstColumn: Column?) -> Bool {
        if analysis.kind == .proportion { return true }
        guard analysis.kind == .mean || analysis.kind == .total, case .text = firstColumn?.storage else { return false }
        return true
    }

    init(byColumns: [Column], analysisColumns: [Column], weights: [Double]?, perLevel: Bool) {
        self.byColumns = byColumns
        self.analysisColumns = analysisColumns
        self.weights = weights
        self.perLevel = perLevel
        numbers = perLevel ? [] : analysisColumns.map(\.doubles)
    }

    /// The row's by-values and level (`nil` for a numeric analysis), or `nil` when the row is in no cell.
    func cell(_ row: Int) -> (byValues: [String], level: String?)? {
        if let weights, weights[row] == 0 { return nil }
        var byValues: [String] = []
        for c in byColumns {
            guard let v = c.text(at: row) else { return nil }
            byValues.append(v)
        }
        guard perLevel else { return numbers.contains(where: { $0[row].isNaN }) ? nil : (byValues, nil) }
        var parts: [String] = []
        for c in analysisColumns {
            guard let v = c.text(at: row) else { return nil }
            parts.append(v)
        }
        return (byValues, parts.joined(separator: "."))
    }
}
