import Foundation
import MicrodataReaders
import MicrodataWeighting

/// How adjusted weights are capped.
public enum WeightCap: Sendable, Hashable {
    /// At the `p` quantile of the adjusted weights of the responders, R `quantile(w, p, type = 7)`.
    case quantile(Double)
    /// At a fixed maximum.
    case maximum(Double)
}

/// Attrition (non-response) weights: a design-based logistic model of response on baseline variables (R
/// `svyglm(respond ~ …, design, family = quasibinomial())`), and for each responder the base weight over the
/// fitted propensity, `W0 / p̂`, optionally capped (R `pmin(w, cap)`: the excess is dropped, not redistributed
/// as `survey::trimWeights` does).
///
/// Later estimates with these weights treat them as fixed: their variance ignores that p̂ was estimated.
public struct NonresponseWeights: Sendable {
    /// One responder's weight.
    public struct Responder: Sendable, Hashable {
        public var id: String
        /// The responder's row in the baseline data (0-based).
        public var row: Int
        public var propensity: Double
        public var baseWeight: Double
        /// `baseWeight / propensity`, before capping.
        public var adjusted: Double
        /// The weight written: `adjusted`, capped.
        public var weight: Double
    }

    /// Baseline rows sharing the values of the model variables, with their fitted propensity.
    public struct Pattern: Sendable, Hashable {
        /// `origin=3, sex=1, region=5`.
        public var description: String
        public var rows: Int
        public var propensity: Double
    }

    /// Propensities below this are warned about (their weights are large and unstable).
    public static let lowPropensity = 0.01
    /// Propensities within this of 0 or 1 are taken as separation.
    public static let separationTolerance = 1e-6

    public var model: SurveyModel
    /// `respond ~ model`.
    public var formula: String
    public var respond: String
    public var idColumn: String
    /// The model variables in formula order.
    public var variables: [String]
    /// Responders with a propensity, in data order.
    public var responders: [Responder]
    /// The cap applied (`nil`: none), and how many weights it lowered.
    public var cap: Double?
    public var capRule: WeightCap?
    public var capped: Int
    /// Covariate patterns whose propensity is below ``lowPropensity``.
    public var lowPropensityPatterns: [Pattern]
    /// Responders left without a weight because a model variable is missing (R `na.omit`).
    public var respondersWithoutWeight: Int
    /// Baseline rows in the model.
    public var baselineRows: Int

    /// Fits the response model and makes the weights.
    ///
    /// - Parameters:
    ///   - respond: the 0/1 response indicator (1: responded), on every row of `data`.
    ///   - model: the right-hand side, such as `factor(origin) + factor(sex) + region`.
    ///   - id: the column identifying rows, written beside each weight.
    /// - Throws: ``NonresponseError`` for bad input or separation; the model's own errors.
    public init(
        data: ModelData, design: SurveyDesign, respond: String, model rhs: String, id: String, cap: WeightCap? = nil,
        level: Double = 0.95
    ) throws {
        guard let weightName = design.weight else { throw NonresponseError.noBaseWeight }
        if design.replicates != nil {
            throw NonresponseError.unsupportedDesign(
                "attrition weights with replicate weights would need each replicate's weights adjusted by its own "
                    + "refitted model; give the Taylor design (--strata/--psu) instead")
        }
        if design.calibration != nil || design.raking != nil {
            throw NonresponseError.unsupportedDesign("calibrate the attrition weights afterwards, not the base weights here")
        }
        let rows = data.rowCount
        func column(_ name: String) throws -> Column {
            guard let c = data.column(name) else { throw NonresponseError.missingColumn(name) }
            return c
        }
        let ids = try Self.identifiers(try column(id))
        let response = try Self.responses(try column(respond))
        if let only = Set(response).first, Set(response).count == 1 {
            throw NonresponseError.responseConstant(column: respond, value: Int(only))
        }
        let baseWeights = try column(weightName)
        let text = "\(respond) ~ \(rhs)"
        let parsed = try Formula(text)
        var seen = Set<String>()
        variables = parsed.terms.flatMap { $0.components.flatMap(\.variables) }.filter { seen.insert($0).inserted }
        let terms = Array(Set(try Formula.terms(of: rhs).map(\.label))).sorted {
            rhs.range(of: $0)?.lowerBound ?? rhs.endIndex < rhs.range(of: $1)?.lowerBound ?? rhs.endIndex
        }
        let fitted = try SurveyModel(formula: text, family: .binomial, data: data, design: design, level: level, tests: terms)
        let matrix = try DesignMatrix(formula: parsed, text: text, data: data)
        let beta = fitted.coefficients.map { $0.estimate ?? 0 }  // an aliased column adds nothing (R's predict)
        var propensity = [Double?](repeating: nil, count: rows)
        matrix.withRows { matrixRows in
            beta.withUnsafeBufferPointer { beta in
                for r in 0..<rows where matrix.domain[r] {
                    propensity[r] = GLMFamily.binomial.inverseLink(matrixRows.dot(r, beta))
                }
            }
        }
        let patternOf = try Self.patterns(data, variables: variables)
        func group(_ chosen: [Int]) -> [Pattern] {
            var found: [String: Pattern] = [:]
            for r in chosen {
                found[patternOf(r), default: Pattern(description: patternOf(r), rows: 0, propensity: propensity[r]!)].rows += 1
            }
            return found.values.sorted { ($0.propensity, $0.description) < ($1.propensity, $1.description) }
        }
        let tol = Self.separationTolerance
        let extreme = (0..<rows).filter { propensity[$0].map { $0 < tol || $0 > 1 - tol } ?? false }
        if !fitted.converged || !extreme.isEmpty {
            let largest = fitted.coefficients.filter { $0.term != "(Intercept)" && $0.estimate != nil }
                .max { abs($0.estimate!) < abs($1.estimate!) }?.term ?? "(Intercept)"
            throw NonresponseError.separation(
                term: largest,
                patterns: group(extreme).prefix(5).map { "\($0.description) (\($0.rows) rows, p̂ = \(formatNumber($0.propensity)))" })
        }
        lowPropensityPatterns = group((0..<rows).filter { (propensity[$0] ?? 1) < Self.lowPropensity })

        var responders: [Responder] = []
        var without = 0
        for r in 0..<rows where response[r] == 1 {
            guard let p = propensity[r] else { without += 1; continue }
            let w0 = baseWeights.double(at: r)!  // checked by the model
            responders.append(Responder(id: ids[r], row: r, propensity: p, baseWeight: w0, adjusted: w0 / p, weight: w0 / p))
        }
        var limit: Double? = nil
        switch cap {
        case .quantile(let p)?: limit = Self.quantile7(responders.map(\.adjusted), p)
        case .maximum(let m)?: limit = m
        case nil: break
        }
        var capped = 0
        if let limit {
            for i in responders.indices where responders[i].adjusted > limit {
                responders[i].weight = limit
                capped += 1
            }
        }
        self.model = fitted
        self.formula = text
        self.respond = respond
        self.idColumn = id
        self.responders = responders
        self.cap = limit
        self.capRule = cap
        self.capped = capped
        self.respondersWithoutWeight = without
        self.baselineRows = fitted.n
    }

    /// The `p` quantile of `x` by R's default rule (`quantile(x, p, type = 7)`).
    public static func quantile7(_ x: [Double], _ p: Double) -> Double {
        let s = x.sorted()
        guard !s.isEmpty else { return .nan }
        let index = 1 + Double(s.count - 1) * p
        let lo = Int(index.rounded(.down)), hi = Int(index.rounded(.up))
        let q = s[lo - 1]
        guard index > Double(lo), s[hi - 1] != q else { return q }
        let h = index - Double(lo)
        return (1 - h) * q + h * s[hi - 1]
    }

    /// Each row's id as text; missing or repeated ids are errors.
    static func identifiers(_ c: Column) throws -> [String] {
        var rowsOf: [String: [Int]] = [:]
        var order: [String] = []
        let ids = try (0..<c.count).map { r -> String in
            guard let v = c.text(at: r), !v.isEmpty else { throw NonresponseError.missingID(column: c.name, row: r + 1) }
            if rowsOf[v] == nil { order.append(v) }
            rowsOf[v, default: []].append(r + 1)
            return v
        }
        let repeated = order.filter { rowsOf[$0]!.count > 1 }
        if !repeated.isEmpty {
            throw NonresponseError.repeatedIDs(
                column: c.name, count: repeated.count,
                examples: repeated.prefix(5).map {
                    .init(row: rowsOf[$0]![0], value: "\($0) on rows " + rowsOf[$0]!.map(String.init).joined(separator: ", "))
                })
        }
        return ids
    }

    /// The response indicator as 0 or 1 on every row.
    static func responses(_ c: Column) throws -> [Double] {
        var bad: [NonresponseError.Example] = []
        var count = 0
        let values = (0..<c.count).map { r -> Double in
            if let v = c.double(at: r), v == 0 || v == 1 { return v }
            count += 1
            if bad.count < 5 { bad.append(.init(row: r + 1, value: c.text(at: r).map { "'\($0)'" } ?? "missing")) }
            return .nan
        }
        guard count == 0 else { throw NonresponseError.responseNotBinary(column: c.name, count: count, examples: bad) }
        return values
    }

    /// A row's values of the model variables, as `origin=3, sex=1`.
    static func patterns(_ data: ModelData, variables: [String]) throws -> (Int) -> String {
        let columns = try variables.map { v in
            guard let c = data.column(v) else { throw NonresponseError.missingColumn(v) }
            return c
        }
        return { r in zip(variables, columns).map { "\($0)=\($1.text(at: r) ?? "NA")" }.joined(separator: ", ") }
    }

    /// The weights file: the id, the fitted propensity and the weight of each responder, full precision.
    public func csv(weightName: String) -> String {
        var out = "\(idColumn),propensity,\(weightName)\n"
        for r in responders {
            let id = r.id.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" })
                ? "\"" + r.id.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : r.id
            out += "\(id),\(r.propensity),\(r.weight)\n"
        }
        return out
    }
}
