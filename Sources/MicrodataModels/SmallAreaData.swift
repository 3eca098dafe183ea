import Foundation
import MicrodataReaders

/// The input of a small-area model: every area's auxiliary row, and the direct estimate and its variance for
/// the areas that have one.
public struct SmallAreaData: Sendable, Hashable {
    /// Area names, in the auxiliary file's order.
    public var areas: [String]
    /// Model column names as R prints them (`(Intercept)`, `factor(region)2`).
    public var columns: [String]
    /// Row-major, `areas.count × columns.count`.
    public var x: [Double]
    /// Per area: the direct estimate, or `nil` for an area without one.
    public var direct: [Double?]
    /// Per area: the direct estimate's variance (ψ), `nil` where there is no direct estimate.
    public var variance: [Double?]

    public init(areas: [String], columns: [String], x: [Double], direct: [Double?], variance: [Double?]) {
        self.areas = areas
        self.columns = columns
        self.x = x
        self.direct = direct
        self.variance = variance
    }

    /// Builds the design matrix of the right-hand side `formula` (`x1 + factor(region)`, or with a response
    /// `y ~ …` whose left side is ignored) over the auxiliary rows, one per area, and attaches the direct
    /// estimates by area.
    ///
    /// - Parameters:
    ///   - auxiliary: one row per area.
    ///   - area: the area column of `auxiliary`.
    ///   - direct: area → (estimate, variance), areas named as in the data.
    ///   - required: further areas of the data that must be in `auxiliary` (those without a usable estimate).
    ///   - file: the auxiliary file's name, for messages.
    /// - Throws: ``SmallAreaError`` naming the area or column at fault; `FormulaError` for a malformed formula.
    public init(
        auxiliary: ModelData, area: String, formula: String, direct: [String: (estimate: Double, variance: Double)],
        required: [String] = [], file: String = "the auxiliary file"
    ) throws {
        guard let areaColumn = auxiliary.column(area) else {
            throw SmallAreaError.missingColumn(column: area, file: file)
        }
        var areas: [String] = []
        var row: [String: Int] = [:]
        for r in 0..<auxiliary.rowCount {
            guard let name = areaColumn.text(at: r) else { throw SmallAreaError.missingArea(file: file, row: r + 2) }
            let key = Self.key(name)
            if row[key] != nil { throw SmallAreaError.duplicateArea(area: name, file: file) }
            row[key] = r
            areas.append(name)
        }
        let absent = Set(direct.keys).union(required).filter { row[Self.key($0)] == nil }.sorted()
        if !absent.isEmpty { throw SmallAreaError.areasNotInAuxiliary(areas: absent, file: file) }

        let rhs = formula.split(separator: "~", maxSplits: 1).last.map(String.init) ?? formula
        let text = "0 ~" + rhs
        let parsed = try Formula(text)
        for name in Set(parsed.terms.flatMap { $0.components.flatMap(\.variables) }).sorted() {
            guard let column = auxiliary.column(name) else { throw SmallAreaError.missingColumn(column: name, file: file) }
            let missing = (0..<auxiliary.rowCount).filter { column.text(at: $0) == nil }
            if !missing.isEmpty {
                throw SmallAreaError.missingCovariate(column: name, areas: missing.map { areas[$0] }, file: file)
            }
        }
        let design = try DesignMatrix(formula: parsed, text: text, data: auxiliary)
        if let r = design.domain.firstIndex(of: false) {
            // A value the formula cannot use (log of a negative number, text where a number is needed).
            throw SmallAreaError.missingCovariate(column: rhs.trimmingCharacters(in: .whitespaces), areas: [areas[r]], file: file)
        }
        self.areas = areas
        columns = design.names
        x = design.x
        var estimates = [Double?](repeating: nil, count: areas.count)
        var variances = [Double?](repeating: nil, count: areas.count)
        for (name, value) in direct {
            let r = row[Self.key(name)]!
            estimates[r] = value.estimate
            variances[r] = value.variance
        }
        self.direct = estimates
        variance = variances
    }

    /// An area's identity: numbers compare as numbers (`01` is `1`), text as written.
    static func key(_ name: String) -> String {
        let t = name.trimmingCharacters(in: .whitespaces)
        return Double(t).map(DesignMatrix.key) ?? t
    }
}

/// Why a small-area model cannot be fitted; each names the areas or columns at fault.
public enum SmallAreaError: Error, Hashable, CustomStringConvertible {
    case missingColumn(column: String, file: String)
    case missingArea(file: String, row: Int)
    case duplicateArea(area: String, file: String)
    case areasNotInAuxiliary(areas: [String], file: String)
    case missingCovariate(column: String, areas: [String], file: String)
    case singularDesign(columns: [String])
    case tooFewAreas(areas: Int, parameters: Int)
    case nonPositiveVariance(areas: [String])
    case notConverged(method: String, iterations: Int, change: Double)

    public var description: String {
        func list(_ a: [String]) -> String {
            a.prefix(10).joined(separator: ", ") + (a.count > 10 ? " and \(a.count - 10) more" : "")
        }
        switch self {
        case .missingColumn(let c, let f): return "\(f) has no column '\(c)'"
        case .missingArea(let f, let r): return "\(f), line \(r): the area is missing"
        case .duplicateArea(let a, let f): return "\(f): area '\(a)' appears more than once"
        case .areasNotInAuxiliary(let a, let f):
            return "\(a.count == 1 ? "area" : "areas") \(list(a)) in the data \(a.count == 1 ? "is" : "are") not in \(f)"
        case .missingCovariate(let c, let a, let f):
            return "\(f): covariate '\(c)' is missing for \(a.count == 1 ? "area" : "areas") \(list(a))"
        case .singularDesign(let c):
            return c.isEmpty
                ? "the design matrix is singular"
                : "the design matrix is singular: \(list(c)) \(c.count == 1 ? "is a linear combination" : "are linear combinations") of the other columns (over the areas with a direct estimate)"
        case .tooFewAreas(let m, let p):
            return "\(m) areas with a direct estimate for \(p) parameters: the model needs at least \(p + 2)"
        case .nonPositiveVariance(let a):
            return "zero direct variance in \(a.count == 1 ? "area" : "areas") \(list(a)) (the model needs each area's sampling variance): "
                + "drop the \(a.count == 1 ? "area" : "areas"), smooth the variances (--gvf), or for a proportion use --transform arcsin"
        case .notConverged(let m, let k, let d):
            return "the \(m.uppercased()) fit did not converge in \(k) iterations (relative change of A \(d))"
        }
    }
}
