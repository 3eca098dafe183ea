import Foundation

/// Design-based tests of independence of the rows and columns of a two-way table of weighted totals, as R
/// `svychisq`: Pearson's X² with the Rao–Scott second-order correction referred to F (`statistic = "F"`,
/// the default), the first-order correction referred to χ² (`"Chisq"`), and the Wald tests of the
/// interaction (`"Wald"`, `"adjWald"`).
public struct RaoScottTest: Sendable, Hashable, Codable {
    /// Pearson's X² on the weighted table scaled to the number of rows in the design.
    public var pearson: Double
    /// X² divided by the trace of the design-effect matrix.
    public var f: Double
    public var numeratorDF: Double
    public var denominatorDF: Double
    public var pValue: Double
    /// The first-order correction: the mean of the generalised design effects δ (trace of Δ over its order).
    public var meanDesignEffect: Double
    /// The χ² degrees of freedom of the first-order test: (rows − 1)(columns − 1).
    public var chiSquareDF: Double
    /// The first-order p-value, P(χ²_df > X² / mean δ). R reports X² itself as the statistic.
    public var chiSquarePValue: Double
    /// The Wald F of the interaction (`nil` when its covariance is singular) contrasts N_ij − N_i· N_·j / N: the quadratic form over (r − 1)(c − 1),
    /// on (r − 1)(c − 1) and ν degrees of freedom.
    public var waldF: Double?
    public var waldPValue: Double?
    /// The adjusted Wald F: the quadratic form times (ν − d + 1)/(d ν), d = (r − 1)(c − 1), on d and ν − d + 1 df.
    public var adjustedWaldF: Double?
    public var adjustedWaldDenominatorDF: Double?
    public var adjustedWaldPValue: Double?

    /// The tests of an `rows × columns` table. `totals` are the weighted totals of the cells with rows varying
    /// fastest (cell (r, c) at `c·rows + r`), `covariance` their row-major design covariance; `rowsInDesign`
    /// is R's N (every row of the design, those with a missing row or column value included) and
    /// `degreesOfFreedom` the design's ν (PSUs − strata; a replicate design's rank − 1). The Rao–Scott tests use
    /// the covariance of the cell proportions: `proportionCovariance` when given (replicate designs, as R's
    /// `svymean` of the cells), otherwise its linearisation from `covariance`. `nil` with fewer than two rows
    /// or columns, or when the design-effect matrix is singular.
    public init?(rows nr: Int, columns nc: Int, totals: [Double], covariance: [Double], rowsInDesign: Int,
                 degreesOfFreedom nu: Double, proportionCovariance: [Double]? = nil)
    {
        let m = nr * nc
        guard nr >= 2, nc >= 2, totals.count == m, covariance.count == m * m,
              proportionCovariance.map({ $0.count == m * m }) ?? true
        else { return nil }
        let grand = totals.reduce(0, +)
        guard grand > 0 else { return nil }
        let p = totals.map { $0 / grand }
        let nRows = Double(rowsInDesign)
        let sigma = Matrix(rows: m, cols: m, values: covariance)

        // V = J Σ Jᵀ with J = ∂p/∂N, unless given.
        let v: Matrix
        if let proportionCovariance {
            v = Matrix(rows: m, cols: m, values: proportionCovariance)
        } else {
            var jac = Matrix(rows: m, cols: m)
            for a in 0..<m { for b in 0..<m { jac[a, b] = ((a == b ? 1 : 0) - p[a]) / grand } }
            v = jac * sigma * jac.transposed
        }

        // Main-effects design X1 and the interaction contrasts, made orthogonal to X1 (R `qr.resid`).
        var x1 = Matrix(rows: m, cols: nr + nc - 1)
        var x12 = Matrix(rows: m, cols: (nr - 1) * (nc - 1))
        for c in 0..<nc {
            for r in 0..<nr {
                let row = c * nr + r
                x1[row, 0] = 1
                if r > 0 { x1[row, r] = 1 }
                if c > 0 { x1[row, nr - 1 + c] = 1 }
                if r > 0 && c > 0 { x12[row, (c - 1) * (nr - 1) + (r - 1)] = 1 }
            }
        }
        guard let cmat = x12.residual(onColumnsOf: x1) else { return nil }
        var inverseD = Matrix(rows: m, cols: m)
        for a in 0..<m { inverseD[a, a] = p[a] == 0 ? 0 : 1 / p[a] }
        let denominator = cmat.transposed * inverseD * cmat * (1 / nRows)
        let numerator = cmat.transposed * inverseD * v * inverseD * cmat
        guard let delta = denominator.solving(numerator) else { return nil }
        let traceDelta = delta.trace
        let traceDelta2 = (delta * delta).trace
        guard traceDelta > 0, traceDelta2 > 0 else { return nil }
        let d0 = traceDelta * traceDelta / traceDelta2

        // Pearson X² on the table scaled to the rows in the design.
        let scale = nRows / grand
        var rowSums = [Double](repeating: 0, count: nr)
        var colSums = [Double](repeating: 0, count: nc)
        for c in 0..<nc { for r in 0..<nr {
            rowSums[r] += totals[c * nr + r] * scale
            colSums[c] += totals[c * nr + r] * scale
        } }
        var x2 = 0.0
        for c in 0..<nc { for r in 0..<nr {
            let observed = totals[c * nr + r] * scale
            let expected = rowSums[r] * colSums[c] / nRows
            x2 += (observed - expected) * (observed - expected) / expected
        } }
        let order = Double(delta.rows)
        let meanDelta = traceDelta / order
        pearson = x2
        f = x2 / traceDelta
        numeratorDF = d0
        denominatorDF = d0 * nu
        pValue = Self.fUpperTail(f, d0, d0 * nu)
        meanDesignEffect = meanDelta
        chiSquareDF = order
        chiSquarePValue = Distributions.chiSquareUpperTail(x2 / meanDelta, df: order)

        // Wald: Y = N_ij − N_i· N_·j / N over the cells with r, c > 0, with its delta-method covariance.
        var rowTotals = [Double](repeating: 0, count: nr)
        var colTotals = [Double](repeating: 0, count: nc)
        for c in 0..<nc { for r in 0..<nr {
            rowTotals[r] += totals[c * nr + r]
            colTotals[c] += totals[c * nr + r]
        } }
        let used = (1..<nc).flatMap { c in (1..<nr).map { r in (r, c) } }
        let d = used.count
        var jy = Matrix(rows: d, cols: m)
        var y = Matrix(rows: d, cols: 1)
        for (k, (r, c)) in used.enumerated() {
            y[k, 0] = totals[c * nr + r] - rowTotals[r] * colTotals[c] / grand
            for cc in 0..<nc { for rr in 0..<nr {
                var g = (rr == r && cc == c) ? 1.0 : 0
                if rr == r { g -= colTotals[c] / grand }
                if cc == c { g -= rowTotals[r] / grand }
                g += rowTotals[r] * colTotals[c] / (grand * grand)
                jy[k, cc * nr + rr] = g
            } }
        }
        let vy = jy * sigma * jy.transposed
        if let solved = vy.solving(y) {
            let q = (y.transposed * solved)[0, 0]
            let df = Double(d)
            let adjustedDF = nu - df + 1
            waldF = q / df
            waldPValue = Self.fUpperTail(q / df, df, nu)
            adjustedWaldDenominatorDF = adjustedDF
            adjustedWaldF = q * adjustedDF / (df * nu)
            adjustedWaldPValue = Self.fUpperTail(q * adjustedDF / (df * nu), df, adjustedDF)
        }
    }

    /// P(F_{d1, d2} > f).
    static func fUpperTail(_ f: Double, _ d1: Double, _ d2: Double) -> Double {
        guard f.isFinite, d2 > 0 else { return .nan }
        return Distributions.incompleteBeta(d2 / (d2 + d1 * f), d2 / 2, d1 / 2)
    }
}
