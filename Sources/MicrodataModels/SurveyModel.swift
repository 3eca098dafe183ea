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
        /// Multiply imputed data: Rubin's degrees of freedom of this coefficient, else `nil` (the model's
        /// residual df apply).
        public var degreesOfFreedom: Double? = nil
        /// Multiply imputed data: the fraction of missing information (R `mitools` `missinfo`).
        public var fractionMissingInformation: Double? = nil
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
    /// Non-convergence and (quasi-)separation, in words, naming the coefficient concerned.
    public var warnings: [String] = []
    /// The number of imputations combined by Rubin's rules; `nil` for one dataset.
    public var imputations: Int? = nil

    /// Fits `formula` to `data` under `design`, on the rows where `subset` is true (all rows if `nil`).
    ///
    /// Rows outside the subset or missing a model variable stay in the design with no score (R's domain
    /// semantics and `na.omit`). Every design of `tabulate` except raking: Taylor linearisation (one or two
    /// stages, lonely-PSU rules, households as clusters, weights only), a design factor (the weights-only
    /// covariance times deft²), calibration (calibrated weights; scores residualised on the calibration
    /// columns, as R's `svyrecvar`), replicate weights and the jackknife built from the design (refitted per
    /// replicate).
    public init(
        formula text: String, family: GLMFamily, data: ModelData, design: SurveyDesign, subset: [Bool]? = nil,
        level: Double = 0.95, tests: [String] = []
    ) throws {
        if design.raking != nil {
            throw WeightingError.invalidDesign(
                "models on raked weights are not implemented (R rake() residualises by iterative fitting); "
                    + "calibrate with --calfun raking instead")
        }
        let taylor = design.replicates == nil && !design.jackknife && design.designFactor == nil
        if design.calibration != nil && !taylor {
            throw WeightingError.invalidDesign("calibration is for Taylor designs, not replicate weights, the jackknife or a design factor")
        }
        if design.weight == nil && !design.unitWeights && (design.replicates != nil || design.designFactor != nil) {
            throw WeightingError.invalidDesign("replicate weights and a design factor need a weight column")
        }
        if let deft = design.designFactor, !(deft > 0) {
            throw WeightingError.invalidDesign("the design factor must be positive, found \(deft)")
        }
        let formula = try Formula(text)
        let rows = data.rowCount
        func designColumn(_ name: String) throws -> Column {
            guard let c = data.column(name) else { throw WeightingError.missingColumn(name) }
            return c
        }
        // Design columns are coded by value once (no label per row).
        func labels(_ name: String?) throws -> CodedLabels? {
            guard let name else { return nil }
            return try CodedLabels(designColumn(name), name: name, rows: rows)
        }
        func numbers(_ name: String?) throws -> [Double]? {
            guard let name else { return nil }
            let c = try designColumn(name)
            if case .real(let v) = c.storage, v.count == rows {  // the column itself, when none is missing
                if let r = v.firstIndex(where: \.isNaN) { throw WeightingError.missingDesignValue(column: name, row: r + 1) }
                return v
            }
            return try (0..<rows).map { r in
                guard let v = c.double(at: r) else { throw WeightingError.missingDesignValue(column: name, row: r + 1) }
                return v
            }
        }
        // A design factor scales the weights-only (SRS with replacement) variance.
        let structured = design.designFactor == nil
        let kernel = try LinearisedVariance(
            design: design, rows: rows, strata: structured ? try labels(design.strata) : nil,
            psu: structured ? try labels(design.clusters.first) : nil,
            fpc: structured ? try numbers(design.fpc.first) : nil,
            ssu: structured && design.clusters.count > 1 ? try labels(design.clusters[1]) : nil,
            fpc2: structured && design.fpc.count > 1 ? try numbers(design.fpc[1]) : nil)
        let inputWeights = try numbers(design.weight)
            ?? (design.unitWeights || design.fpc.isEmpty || !structured
                ? [Double](repeating: 1, count: rows) : kernel.derivedWeights!)
        for (r, w) in inputWeights.enumerated()
        where !(w.isFinite && (w > 0 || (w == 0 && design.allowZeroWeights) || (w < 0 && design.allowNegativeWeights))) {
            throw WeightingError.invalidWeight(column: design.weight ?? "fpc", row: r + 1, value: String(w))
        }
        var weights = HugePages.array(count: rows) { (w: UnsafeMutableBufferPointer<Double>) in
            _ = w.initialize(from: inputWeights)
        }
        var calibrationX: [Double] = []
        if let calibration = design.calibration {
            calibrationX = try calibration.modelMatrix(rows: rows, column: data.column)
            let g = try calibration.gWeights(x: calibrationX, d: inputWeights)
            for r in 0..<rows { weights[r] *= g[r] }
        }
        let meanWeight = weights.reduce(0, +) / Double(max(rows, 1))
        for r in 0..<rows { weights[r] /= meanWeight }  // R's rescale = TRUE; the results do not depend on it

        let m = try DesignMatrix(formula: formula, text: text, data: data, subset: subset)
        let p = m.names.count
        var inFit = [Int](unsafeUninitializedCapacity: rows) { fitted, count in
            HugePages.advise(UnsafeMutableRawBufferPointer(fitted))
            count = 0
            for r in 0..<rows where m.domain[r] && weights[r] != 0 {
                fitted[count] = r
                count += 1
            }
        }
        guard !inFit.isEmpty else { throw WeightingError.invalidRequest("no rows in the model's domain") }
        for r in inFit where !family.check(m.y[r]) {
            throw WeightingError.invalidRequest(
                "row \(r + 1): response \(m.y[r]) is outside the range of the \(family.rawValue) family")
        }

        let fit = try IRLS(m, family: family, weights: weights, rows: inFit)
        let (solution, mu, muEta, working) = (fit.solution, fit.mu, fit.muEta, fit.working)
        inFit.removeAll { working[$0] == 0 }

        // Influence functions h_i = A⁻¹ x_i w_i (y_i − μ_i) μ'(η_i)/V(μ_i): the estimating-function rows
        // x_i w_i (y_i − μ_i) μ'/V are summed per variance unit (after calibration residuals, if any), then A⁻¹.
        let k = solution.kept.count
        var keptIndex = [Int](repeating: -1, count: p)
        for (b, j) in solution.kept.enumerated() { keptIndex[j] = b }
        // x_i w_i (y_i − μ_i) μ'/V of each fitted row, added at `base(row)` of `g`.
        func addEstimatingFunctions(into g: inout [Double], at base: (Int) -> Int) {
            let width = m.maximumEntriesPerRow
            let columns = UnsafeMutablePointer<Int32>.allocate(capacity: width)
            let values = UnsafeMutablePointer<Double>.allocate(capacity: width)
            defer { columns.deallocate(); values.deallocate() }
            m.withRows { matrixRows in
                g.withUnsafeMutableBufferPointer { g in
                    for r in inFit {
                        let resid = (m.y[r] - mu[r]) / muEta[r] * working[r], at = base(r)
                        for i in 0..<matrixRows.entries(r, columns, values) {
                            let b = keptIndex[Int(columns[i])]
                            if b >= 0 { g[at + b] += values[i] * resid }
                        }
                    }
                }
            }
        }
        func influenceTotals() throws -> [Double] {
            let unit = kernel.unitOfRow
            var totals = [Double](repeating: 0, count: kernel.unitCount * k)
            if let calibration = design.calibration {
                var rowsG = [Double](repeating: 0, count: rows * k)
                addEstimatingFunctions(into: &rowsG) { $0 * k }
                try Calibration.residualise(&rowsG, columns: k, x: calibrationX, terms: calibration.terms.count,
                                            d: inputWeights, w: weights)
                for r in 0..<rows { for b in 0..<k { totals[Int(unit[r]) * k + b] += rowsG[r * k + b] } }
            } else {
                addEstimatingFunctions(into: &totals) { Int(unit[$0]) * k }
            }
            var h = [Double](repeating: 0, count: totals.count)
            for u in 0..<kernel.unitCount {
                for a in 0..<k {
                    var s = 0.0
                    for b in 0..<k { s += solution.inverse[a * k + b] * totals[u * k + b] }
                    h[u * k + a] = s
                }
            }
            return h
        }
        var cov: [Double]
        let df: Double
        if design.replicates != nil || design.jackknife {
            let keep = subset ?? [Bool](repeating: true, count: rows)
            let (replicate, rscales, scale, mse, fixedDF) = try design.jackknife
                ? Self.jackknife(kernel, weights: inputWeights, keep: keep)
                : Self.replicateWeights(design.replicates!, data: data, weights: inputWeights, keep: keep)
            (cov, df) = try Self.replicateCovariance(
                replicate, rscales: rscales, scale: scale, mse: mse, degreesOfFreedom: fixedDF, matrix: m,
                family: family, full: solution)
        } else {
            cov = try kernel.covariance(unitTotals: influenceTotals(), columns: k, domain: m.domain)
            df = Double(kernel.degreesOfFreedom(domain: m.domain) + 1 - k)
            if let deft = design.designFactor { for i in cov.indices { cov[i] *= deft * deft } }
        }
        let tq = df > 0 ? Distributions.tQuantile(1 - (1 - level) / 2, df: df) : .nan
        var units = [Int](repeating: 0, count: p)
        m.withRows { matrixRows in
            let columns = UnsafeMutablePointer<Int32>.allocate(capacity: m.maximumEntriesPerRow)
            let values = UnsafeMutablePointer<Double>.allocate(capacity: m.maximumEntriesPerRow)
            defer { columns.deallocate(); values.deallocate() }
            units.withUnsafeMutableBufferPointer { units in
                for r in 0..<rows where m.domain[r] {
                    for i in 0..<matrixRows.entries(r, columns, values) { units[Int(columns[i])] += 1 }
                }
            }
        }
        var coefficients: [Coefficient] = []
        for j in 0..<p {
            var c = Coefficient(term: m.names[j], formulaTerm: m.termOf[j], units: 0, isIndicator: m.isIndicator[j])
            c.units = units[j]
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
        n = m.domain.count(where: { $0 })
        weightedN = inFit.reduce(0) { $0 + weights[$1] } * meanWeight
        missingRows = m.missingRows
        iterations = fit.iterations
        converged = fit.converged
        self.level = level
        designDescription = design.modeDescription
        let largest = coefficients.filter { $0.term != "(Intercept)" && $0.estimate != nil }
            .max { abs($0.estimate!) < abs($1.estimate!) }?.term ?? "(Intercept)"
        if !fit.converged {
            warnings.append("IRLS did not converge in \(fit.iterations) iterations (largest coefficient: \(largest))")
        }
        if family == .binomial && inFit.contains(where: { mu[$0] < 1e-10 || mu[$0] > 1 - 1e-10 }) {
            warnings.append("fitted probabilities numerically 0 or 1 occurred: possible separation on \(largest)")
        }
        self.tests = try tests.map { try waldTest($0) }
    }

    /// The replicate-weight columns matching `spec.pattern` as full weights (zero outside `keep`), with the
    /// variance constants of `spec`.
    static func replicateWeights(
        _ spec: ReplicateWeights, data: ModelData, weights: [Double], keep: [Bool]
    ) throws -> ([[Double]], [Double], Double, Bool, Double?) {
        let regex = try Regex(spec.pattern)
        let columns = data.names.filter { $0.firstMatch(of: regex) != nil }.compactMap { data.column($0) }
        guard !columns.isEmpty else {
            throw WeightingError.invalidDesign("no column matches the replicate-weight pattern /\(spec.pattern)/")
        }
        let R = columns.count
        let rscales = spec.rscales ?? [Double](repeating: 1, count: R)
        guard rscales.count == R else {
            throw WeightingError.invalidDesign("\(rscales.count) rscales for \(R) replicate-weight columns")
        }
        let replicate = columns.map { c in
            keep.indices.map { r in keep[r] ? (c.double(at: r) ?? 0) * (spec.combinedWeights ? 1 : weights[r]) : 0 }
        }
        return (replicate, rscales, try spec.effectiveScale(count: R), spec.usesMSE, spec.degreesOfFreedom)
    }

    /// The delete-one-PSU jackknife of the design (``LinearisedVariance/jackknifeReplicates(weights:)``).
    static func jackknife(
        _ kernel: LinearisedVariance, weights: [Double], keep: [Bool]
    ) throws -> ([[Double]], [Double], Double, Bool, Double?) {
        let (replicate, rscales, scale) = try kernel.jackknifeReplicates(weights: weights)
        return (replicate.map { w in keep.indices.map { keep[$0] ? w[$0] : 0 } }, rscales, scale, false, nil)
    }

    /// R `svyglm` on an `svyrep.design`: the model refitted with each replicate's weights (normalised to sum 1,
    /// started at the full-sample estimate), variance `scale Σ rscale_r (β_r − β̄)(β_r − β̄)'` (centred on the
    /// full-sample β with mse), residual df rank(replicate weights) − 1 + 1 − parameters.
    static func replicateCovariance(
        _ replicate: [[Double]], rscales: [Double], scale: Double, mse: Bool, degreesOfFreedom: Double?,
        matrix m: DesignMatrix, family: GLMFamily, full: WeightedLeastSquares
    ) throws -> ([Double], Double) {
        let R = replicate.count
        let rows = m.y.count, p = m.names.count, k = full.kept.count
        var start = [Double](repeating: 0, count: p)
        for (a, j) in full.kept.enumerated() { start[j] = full.beta[a] }
        var thetas: [[Double]] = []
        for w in replicate {
            let total = (0..<rows).reduce(0) { m.domain[$1] ? $0 + w[$1] : $0 }
            let normalised = w.map { $0 / total }
            let fit = try IRLS(m, family: family, weights: normalised, rows: (0..<rows).filter { m.domain[$0] && w[$0] != 0 },
                               start: start)
            guard fit.solution.kept == full.kept else {
                throw WeightingError.invalidRequest("a replicate aliases a different set of model columns")
            }
            thetas.append(fit.solution.beta)
        }
        let used = (0..<R).filter { rscales[$0] > 0 }
        let centre = mse ? full.beta
            : (0..<k).map { a in used.reduce(0) { $0 + thetas[$1][a] } / Double(used.count) }
        var cov = [Double](repeating: 0, count: k * k)
        for i in 0..<R {
            for a in 0..<k { for b in 0..<k {
                cov[a * k + b] += scale * rscales[i] * (thetas[i][a] - centre[a]) * (thetas[i][b] - centre[b])
            } }
        }
        var gram = [Double](repeating: 0, count: R * R)
        for r in 0..<rows {
            for i in 0..<R where replicate[i][r] != 0 { for j in i..<R { gram[i * R + j] += replicate[i][r] * replicate[j][r] } }
        }
        let designDF = degreesOfFreedom ?? Double(ReplicateWeights.rank(ofGram: gram, count: R) - 1)
        return (cov, designDF + 1 - Double(k))
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
