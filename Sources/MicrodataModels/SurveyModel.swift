import Foundation
import MicrodataReaders
import MicrodataWeighting

/// A design-based generalised linear model, fitted as R `svyglm`: IRLS on the (rescaled) sampling weights, and
/// the sandwich variance `A⁻¹ B A⁻¹` with `B` the design's Taylor variance of the score totals.
public struct SurveyModel: Sendable {
    /// One coefficient; the numbers are `nil` when the column is aliased (R prints NA).
    public struct Coefficient: Sendable, Hashable {
        public var term: String
        /// The formula term the coefficient belongs to (`factor(stype)` for `factor(stype)H`).
        public var formulaTerm: String
        public var estimate: Double?
        public var standardError: Double?
        public var t: Double?
        public var p: Double?
        public var ciLow: Double?
        public var ciHigh: Double?
        /// Rows of the domain with a non-zero value in the column (for indicators: the units in the cell).
        public var units: Int
        public var isIndicator: Bool
    }

    /// A Wald test that a set of coefficients is zero (R `regTermTest(method = "Wald")`).
    public struct WaldTest: Sendable, Hashable {
        public var term: String
        public var f: Double
        public var df: Int
        public var ddf: Double
        public var p: Double
    }

    public var family: GLMFamily
    public var coefficients: [Coefficient]
    /// The covariance of the non-aliased coefficients, in their order (row-major).
    public var covariance: [Double]
    public var residualDF: Double
    public var n: Int
    public var weightedN: Double
    /// Rows of the domain left out because a model variable is missing.
    public var missingRows: Int
    public var iterations: Int
    public var converged: Bool
    public var level: Double
    public var tests: [WaldTest] = []
    public var designDescription: String

    /// Fits `formula` to `data` under `design`, on the rows where `subset` is true (all rows if `nil`).
    ///
    /// Rows outside the subset or missing a model variable stay in the design with no score (R's domain
    /// semantics and `na.omit`). Linearisation designs only; replicate weights are not implemented yet.
    public init(
        formula text: String, family: GLMFamily, data: ModelData, design: SurveyDesign, subset: [Bool]? = nil,
        level: Double = 0.95, tests: [String] = []
    ) throws {
        if design.replicates != nil || design.designFactor != nil || design.jackknife || design.calibration != nil
            || design.raking != nil {
            throw WeightingError.invalidDesign(
                "models are implemented for linearisation designs (strata, PSUs, FPC) and weights only")
        }
        let formula = try Formula(text)
        let rows = data.rowCount
        func designColumn(_ name: String) throws -> Column {
            guard let c = data.column(name) else { throw WeightingError.missingColumn(name) }
            return c
        }
        func labels(_ name: String?) throws -> [String]? {
            guard let name else { return nil }
            let c = try designColumn(name)
            return try (0..<rows).map { r in
                guard let t = c.text(at: r) else { throw WeightingError.missingDesignValue(column: name, row: r + 1) }
                return t
            }
        }
        func numbers(_ name: String?) throws -> [Double]? {
            guard let name else { return nil }
            let c = try designColumn(name)
            return try (0..<rows).map { r in
                guard let v = c.double(at: r) else { throw WeightingError.missingDesignValue(column: name, row: r + 1) }
                return v
            }
        }
        let kernel = try LinearisedVariance(
            design: design, rows: rows, strata: try labels(design.strata), psu: try labels(design.clusters.first),
            fpc: try numbers(design.fpc.first))
        var weights = try numbers(design.weight) ?? kernel.derivedWeights!
        for (r, w) in weights.enumerated() where !(w >= 0 && w.isFinite) || (w == 0 && !design.allowZeroWeights) {
            throw WeightingError.invalidWeight(column: design.weight ?? "fpc", row: r + 1, value: String(w))
        }
        let meanWeight = weights.reduce(0, +) / Double(max(rows, 1))
        for r in 0..<rows { weights[r] /= meanWeight }  // R's rescale = TRUE; the results do not depend on it

        let m = try DesignMatrix(formula: formula, text: text, data: data, subset: subset)
        let p = m.names.count
        var inFit = (0..<rows).filter { m.domain[$0] && weights[$0] > 0 }
        guard !inFit.isEmpty else { throw WeightingError.invalidRequest("no rows in the model's domain") }
        for r in inFit where !family.check(m.y[r]) {
            throw WeightingError.invalidRequest(
                "row \(r + 1): response \(m.y[r]) is outside the range of the \(family.rawValue) family")
        }

        // IRLS exactly as R's glm.fit: start, then weighted least squares on the working response until the
        // relative change in deviance is below 1e-8.
        var eta = [Double](repeating: 0, count: rows)
        var mu = [Double](repeating: 0, count: rows)
        for r in inFit {
            eta[r] = family.link(family.start(m.y[r], weight: weights[r]))
            mu[r] = family.inverseLink(eta[r])
        }
        func deviance() -> Double { inFit.reduce(0) { $0 + family.deviance(m.y[$1], mu[$1], weight: weights[$1]) } }
        var devOld = deviance()
        var working = [Double](repeating: 0, count: rows)
        var solution = WeightedLeastSquares(p: 0)
        var iterations = 0
        var converged = false
        while iterations < 25 {
            iterations += 1
            var z = [Double](repeating: 0, count: rows)
            for r in inFit {
                let d = family.muEta(eta[r])
                z[r] = eta[r] + (m.y[r] - mu[r]) / d
                working[r] = weights[r] * d * d / family.variance(mu[r])
            }
            solution = try WeightedLeastSquares(x: m.x, p: p, z: z, w: working, rows: inFit, names: m.names)
            for r in inFit {
                var e = 0.0
                for (k, j) in solution.kept.enumerated() { e += m.x[r * p + j] * solution.beta[k] }
                eta[r] = e
                mu[r] = family.inverseLink(e)
            }
            let dev = deviance()
            if abs(dev - devOld) / (abs(dev) + 0.1) < 1e-8 { converged = true; break }
            devOld = dev
        }
        inFit = inFit.filter { working[$0] > 0 }

        // Influence functions h_i = A⁻¹ x_i w_i (y_i − μ_i) μ'(η_i)/V(μ_i), then their design covariance.
        let k = solution.kept.count
        var scores = [Double](repeating: 0, count: rows * k)
        for r in inFit {
            let resid = (m.y[r] - mu[r]) / family.muEta(eta[r]) * working[r]
            for a in 0..<k {
                var s = 0.0
                for b in 0..<k { s += solution.inverse[a * k + b] * m.x[r * p + solution.kept[b]] }
                scores[r * k + a] = s * resid
            }
        }
        let cov = try kernel.covariance(scores, columns: k, domain: m.domain)
        let df = Double(kernel.degreesOfFreedom(domain: m.domain) + 1 - k)
        let tq = df > 0 ? Distributions.tQuantile(1 - (1 - level) / 2, df: df) : .nan
        var coefficients: [Coefficient] = []
        for j in 0..<p {
            var c = Coefficient(term: m.names[j], formulaTerm: m.termOf[j], units: 0, isIndicator: m.isIndicator[j])
            for r in 0..<rows where m.domain[r] && m.x[r * p + j] != 0 { c.units += 1 }
            if let a = solution.kept.firstIndex(of: j) {
                let b = solution.beta[a], se = cov[a * k + a].squareRoot()
                c.estimate = b
                c.standardError = se
                c.t = b / se
                c.p = df > 0 ? 2 * Distributions.tCDF(-abs(b / se), df: df) : .nan
                c.ciLow = b - tq * se
                c.ciHigh = b + tq * se
            }
            coefficients.append(c)
        }
        self.family = family
        self.coefficients = coefficients
        self.covariance = cov
        residualDF = df
        n = m.domain.filter { $0 }.count
        weightedN = inFit.reduce(0) { $0 + weights[$1] } * meanWeight
        missingRows = m.missingRows
        self.iterations = iterations
        self.converged = converged
        self.level = level
        designDescription = design.modeDescription
        self.tests = try tests.map { try waldTest($0) }
    }

    /// The Wald F test that every coefficient of the terms in `text` (`factor(stype)`, `ell + meals`) is zero.
    public func waldTest(_ text: String) throws -> WaldTest {
        let labels = Set(try Formula.terms(of: text).map(\.label))
        let kept = coefficients.filter { $0.estimate != nil }
        let index = kept.indices.filter { labels.contains(kept[$0].formulaTerm) }
        guard !index.isEmpty else {
            throw WeightingError.invalidRequest(
                "--test '\(text)': no coefficient of the model belongs to it (terms: "
                    + Set(coefficients.map(\.formulaTerm)).sorted().joined(separator: ", ") + ")")
        }
        let k = kept.count, q = index.count
        var v = [Double](repeating: 0, count: q * q)
        for a in 0..<q { for b in 0..<q { v[a * q + b] = covariance[index[a] * k + index[b]] } }
        let vInv = try SymmetricMatrix.inverse(v, size: q)
        let beta = index.map { kept[$0].estimate! }
        var chi = 0.0
        for a in 0..<q { for b in 0..<q { chi += beta[a] * vInv[a * q + b] * beta[b] } }
        let f = chi / Double(q)
        let ddf = residualDF
        let p = Distributions.incompleteBeta(ddf / (ddf + Double(q) * f), ddf / 2, Double(q) / 2)
        return WaldTest(term: text, f: f, df: q, ddf: ddf, p: p)
    }
}
