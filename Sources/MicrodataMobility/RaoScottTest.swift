import Foundation
import MicrodataWeighting

/// The design-based test of independence of origin and destination: Pearson's X² with the Rao–Scott
/// second-order correction, referred to an F distribution (R `svychisq(statistic = "F")`), and the
/// first-order correction referred to χ² (R `svychisq(statistic = "Chisq")`).
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
}

extension CellTotals {
    /// The Rao–Scott tests for `group`, over the origin and destination classes that occur; `nil` when fewer
    /// than two of either occur.
    func raoScottTest(group g: Int) -> RaoScottTest? {
        let k = classCount
        func total(_ i: Int, _ j: Int) -> Double { totals[index(group: g, origin: i, destination: j)] }
        let rows = (0..<k).filter { i in (0..<k).contains { total(i, $0) > 0 } }
        let cols = (0..<k).filter { j in (0..<k).contains { total($0, j) > 0 } }
        let nr = rows.count, nc = cols.count
        guard nr >= 2, nc >= 2 else { return nil }
        // Cells in R's order: rows vary fastest.
        var cells: [Int] = []
        for c in cols { for r in rows { cells.append(index(group: g, origin: r, destination: c)) } }
        let m = cells.count
        let grand = cells.reduce(0) { $0 + totals[$1] }
        let p = cells.map { totals[$0] / grand }
        let nRows = Double(rowsInDesign)

        // V = J Σ Jᵀ with J = ∂p/∂N over these cells.
        let all = totals.count
        var jac = [Double](repeating: 0, count: m * m)
        for a in 0..<m { for b in 0..<m { jac[a * m + b] = ((a == b ? 1 : 0) - p[a]) / grand } }
        var sigma = [Double](repeating: 0, count: m * m)
        for a in 0..<m { for b in 0..<m { sigma[a * m + b] = covariance[cells[a] * all + cells[b]] } }
        let v = Matrix(rows: m, cols: m, values: jac) * Matrix(rows: m, cols: m, values: sigma)
            * Matrix(rows: m, cols: m, values: jac).transposed

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
            let t = totals[cells[c * nr + r]] * scale
            rowSums[r] += t
            colSums[c] += t
        } }
        var x2 = 0.0
        for c in 0..<nc { for r in 0..<nr {
            let observed = totals[cells[c * nr + r]] * scale
            let expected = rowSums[r] * colSums[c] / nRows
            x2 += (observed - expected) * (observed - expected) / expected
        } }
        let f = x2 / traceDelta
        let ddf = d0 * degreesOfFreedom
        let pValue = Distributions.incompleteBeta(ddf / (ddf + d0 * f), ddf / 2, d0 / 2)
        let order = Double(delta.rows)
        let meanDelta = traceDelta / order
        return RaoScottTest(
            pearson: x2, f: f, numeratorDF: d0, denominatorDF: ddf, pValue: pValue, meanDesignEffect: meanDelta,
            chiSquareDF: order, chiSquarePValue: Distributions.chiSquareUpperTail(x2 / meanDelta, df: order))
    }
}
