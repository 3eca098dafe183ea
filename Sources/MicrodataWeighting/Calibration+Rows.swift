import MicrodataReaders

/// Calibration of weights held in memory (design-based models), with the same terms, distances and bounds as the
/// streaming estimator.
extension Calibration {
    /// The calibration model matrix, row-major `rows × terms.count`: 1 for the intercept, the indicator of a
    /// level, the value of a numeric column.
    ///
    /// - Throws: ``WeightingError/missingColumn(_:)`` or ``WeightingError/missingDesignValue(column:row:)``.
    public func modelMatrix(rows: Int, column: (String) -> Column?) throws -> [Double] {
        let q = terms.count
        var x = [Double](repeating: 0, count: rows * q)
        for (k, term) in terms.enumerated() {
            switch term {
            case .intercept:
                for r in 0..<rows { x[r * q + k] = 1 }
            case .numeric(let name, _):
                guard let c = column(name) else { throw WeightingError.missingColumn(name) }
                for r in 0..<rows {
                    guard let v = c.double(at: r) else { throw WeightingError.missingDesignValue(column: name, row: r + 1) }
                    x[r * q + k] = v
                }
            case .level(let name, let value, _):
                guard let c = column(name) else { throw WeightingError.missingColumn(name) }
                var coder = ValueCoder()
                for r in 0..<rows {
                    guard let code = coder.code(c, r) else { throw WeightingError.missingDesignValue(column: name, row: r + 1) }
                    x[r * q + k] = coder.label(Int(code)) == value ? 1 : 0
                }
            }
        }
        return x
    }

    /// The g-weights (`calibrated / input weight`) of each row, as R `calibrate()`: the closed-form GREG for
    /// unbounded linear calibration, else R `grake`'s Newton iterations.
    ///
    /// - Parameters:
    ///   - x: the calibration model matrix (``modelMatrix(rows:column:)``).
    ///   - d: the input weight of each row.
    public func gWeights(x: [Double], d: [Double]) throws -> [Double] {
        let q = terms.count, n = d.count
        let totals = terms.map(\.total)
        if isIterative { return try NewtonCalibration(self).solve(x: x, d: d, totals: totals).g }
        var t = [Double](repeating: 0, count: q * q)
        var sx = [Double](repeating: 0, count: q)
        for r in 0..<n where d[r] != 0 {
            for a in 0..<q {
                sx[a] += d[r] * x[r * q + a]
                for b in 0..<q { t[a * q + b] += d[r] * x[r * q + a] * x[r * q + b] }
            }
        }
        let lambda = try solveLinear(t, (0..<q).map { totals[$0] - sx[$0] })
        return (0..<n).map { r in 1 + (0..<q).reduce(0) { $0 + x[r * q + $1] * lambda[$1] } }
    }

    /// R `svyrecvar` on a calibrated design: each row's scores `z` become `w (z/w − x'B)`, with `B` the
    /// regression of `z/w` on the calibration columns `x` weighted by the input weights `d`, over every row.
    ///
    /// - Parameters:
    ///   - scores: row-major `rows × columns`; `w`: the calibrated weights the scores were computed with.
    public static func residualise(
        _ scores: inout [Double], columns k: Int, x: [Double], terms q: Int, d: [Double], w: [Double]
    ) throws {
        let n = d.count
        var xtx = [Double](repeating: 0, count: q * q)
        var xtu = [Double](repeating: 0, count: q * k)
        for r in 0..<n where d[r] != 0 {
            for a in 0..<q {
                let dx = d[r] * x[r * q + a]
                for b in 0..<q { xtx[a * q + b] += dx * x[r * q + b] }
                if w[r] != 0 { for j in 0..<k { xtu[a * k + j] += dx * scores[r * k + j] / w[r] } }
            }
        }
        let inverse = pseudoInverse(symmetric: xtx, q)
        var beta = [Double](repeating: 0, count: q * k)
        for a in 0..<q { for b in 0..<q { for j in 0..<k { beta[a * k + j] += inverse[a * q + b] * xtu[b * k + j] } } }
        for r in 0..<n {
            for j in 0..<k {
                var fitted = 0.0
                for a in 0..<q { fitted += x[r * q + a] * beta[a * k + j] }
                let u = w[r] != 0 ? scores[r * k + j] / w[r] : 0
                scores[r * k + j] = w[r] * (u - fitted)
            }
        }
    }
}
