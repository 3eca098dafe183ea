import MicrodataReaders
import MicrodataWeighting

extension ModelData {
    /// The columns an expression in the `--subpop` language reads.
    public static func variables(in expression: String) throws -> [String] {
        var parser = try ExpressionParser(expression)
        return try parser.parse(level: 1).variables
    }

    /// The rows where `expression` (the `--subpop` language: comparisons, `&`, `|`, `!`, arithmetic) is true;
    /// a missing value is false.
    public func rows(where expression: String) throws -> [Bool] {
        var parser = try ExpressionParser(expression)
        let tree = try parser.parse(level: 1)
        guard parser.peek == .end else { throw parser.error("unexpected text") }
        return try (0..<rowCount).map { r in
            let v = try tree.evaluate(self, row: r, text: expression)
            return v != .missing && (v.double ?? 0) != 0
        }
    }
}

extension SurveyModel {
    /// Fits one model per group of `by` (one model without), on the rows of `subpop` (all rows if `nil`).
    public static func fitGroups(
        formula: String, family: GLMFamily, data: ModelData, design: SurveyDesign, subpop: String? = nil,
        by: String? = nil, level: Double = 0.95, tests: [String] = []
    ) throws -> [ModelReport.Group] {
        let base = try subpop.map { try data.rows(where: $0) } ?? [Bool](repeating: true, count: data.rowCount)
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
