import MicrodataLink
import MicrodataReaders
import MicrodataWeighting

extension SurveyModel {
    /// Fits one model per group of `by` (one model without), on the rows where `subpop` (a ``RowExpression``)
    /// is true (all rows if `nil`).
    public static func fitGroups(
        formula: String, family: GLMFamily, data: ModelData, design: SurveyDesign, subpop: String? = nil,
        by: String? = nil, level: Double = 0.95, tests: [String] = []
    ) throws -> [ModelReport.Group] {
        let base = try subpop.map { try RowExpression(parsing: $0).select(data.batch) }
            ?? [Bool](repeating: true, count: data.rowCount)
        guard let by else {
            return [ModelReport.Group(by: [:], model: try SurveyModel(
                formula: formula, family: family, data: data, design: design, subset: base, level: level, tests: tests))]
        }
        guard let column = data.column(by) else { throw WeightingError.missingColumn(by) }
        let values = (0..<data.rowCount).map { column.text(at: $0) }
        let levels = DesignMatrix.sortLevels(Array(Set(values.indices.compactMap { base[$0] ? values[$0] : nil })))
        return try levels.map { group in
            let subset = values.indices.map { base[$0] && values[$0] == group }
            return ModelReport.Group(by: [by: group], model: try SurveyModel(
                formula: formula, family: family, data: data, design: design, subset: subset, level: level, tests: tests))
        }
    }
}
