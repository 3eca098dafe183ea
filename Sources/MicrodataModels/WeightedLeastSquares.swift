import MicrodataWeighting

/// One weighted least-squares step: `β = (X'WX)⁻¹ X'Wz` over the columns that are not aliased.
struct WeightedLeastSquares {
    /// Indices of the model columns kept (in order); the others are aliased, as R's pivoted QR drops them.
    var kept: [Int] = []
    var beta: [Double] = []
    /// `(X'WX)⁻¹` over the kept columns, row-major (R's `cov.unscaled`).
    var inverse: [Double] = []

    init(p: Int) {}

    /// The IRLS step at `eta`, `mu`, `muEta`: working response `z = η + (y − μ)/μ'` and working weights
    /// `w μ'²/V(μ)` (stored in `working`) of each row, then the weighted least squares.
    init(
        _ m: DesignMatrix, family: GLMFamily, weights: [Double], eta: [Double], mu: [Double], muEta: [Double],
        working: inout [Double], rows fitted: [Int]
    ) throws {
        let p = m.names.count
        // One spare row and column, for the padded entries (``MatrixRows/Reader/paddedEntries(_:_:_:)``).
        let stride = p + 1
        var sums = [Double](repeating: 0, count: stride * stride)
        var xz = [Double](repeating: 0, count: stride)
        let width = m.maximumEntriesPerRow
        var columns = [Int32](repeating: 0, count: width), values = [Double](repeating: 0, count: width)
        sums.withUnsafeMutableBufferPointer { gram in
        xz.withUnsafeMutableBufferPointer { xz in
        working.withUnsafeMutableBufferPointer { working in
        columns.withUnsafeMutableBufferPointer { column in
        values.withUnsafeMutableBufferPointer { value in
        m.y.withUnsafeBufferPointer { y in
        weights.withUnsafeBufferPointer { weights in
        eta.withUnsafeBufferPointer { eta in
        mu.withUnsafeBufferPointer { mu in
        muEta.withUnsafeBufferPointer { muEta in
        m.withRows { rows in
            for r in fitted {
                let d = muEta[r]
                let z = eta[r] + (y[r] - mu[r]) / d
                let wr = weights[r] * d * d / family.variance(mu[r])
                working[r] = wr
                if wr == 0 { continue }
                let end = rows.paddedEntries(r, column.baseAddress!, value.baseAddress!)
                for i in 0..<end {
                    let a = Int(column[i]), wxa = wr * value[i]
                    xz[a] += wxa * z
                    // Columns are ascending within a row (the spare one aside), so this fills the upper triangle.
                    for j in i..<end { gram[a * stride + Int(column[j])] += wxa * value[j] }
                }
            }
        } } } } } } } } } } }
        var gram = [Double](repeating: 0, count: p * p)
        for a in 0..<p { for b in a..<p { gram[a * p + b] = sums[a * stride + b] } }
        for a in 0..<p { for b in 0..<a { gram[a * p + b] = gram[b * p + a] } }
        let kept = SymmetricMatrix.independentColumns(gram, size: p)
        let k = kept.count
        guard k > 0 else { throw WeightingError.invalidRequest("the model matrix has no estimable column") }
        var g = [Double](repeating: 0, count: k * k)
        for a in 0..<k { for b in 0..<k { g[a * k + b] = gram[kept[a] * p + kept[b]] } }
        inverse = try SymmetricMatrix.inverse(g, size: k)
        beta = (0..<k).map { a in (0..<k).reduce(0) { $0 + inverse[a * k + $1] * xz[kept[$1]] } }
        self.kept = kept
    }
}

/// Small symmetric positive-(semi)definite matrices (row-major): aliased columns and inversion, by Cholesky factorisation.
enum SymmetricMatrix {
    /// The columns of a Gram matrix (row-major) that are not aliased: column-by-column Cholesky, a column whose
    /// remaining diagonal falls below 1e-7 of its own depending on the earlier ones.
    static func independentColumns(_ gram: [Double], size p: Int) -> [Int] {
        var l = [Double](repeating: 0, count: p * p)
        var kept: [Int] = []
        for j in 0..<p {
            var row = [Double](repeating: 0, count: kept.count)
            for (i, a) in kept.enumerated() {
                var s = gram[a * p + j]
                for m in 0..<i { s -= l[i * p + m] * row[m] }
                row[i] = s / l[i * p + i]
            }
            let d = gram[j * p + j] - row.reduce(0) { $0 + $1 * $1 }
            guard d > 1e-7 * gram[j * p + j], d > 0 else { continue }
            let i = kept.count
            for m in 0..<i { l[i * p + m] = row[m] }
            l[i * p + i] = d.squareRoot()
            kept.append(j)
        }
        return kept
    }

    static func inverse(_ a: [Double], size n: Int) throws -> [Double] {
        var l = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in 0...i {
                var s = a[i * n + j]
                for m in 0..<j { s -= l[i * n + m] * l[j * n + m] }
                if i == j {
                    guard s > 0 else { throw WeightingError.invalidRequest("the matrix is singular (not positive definite)") }
                    l[i * n + i] = s.squareRoot()
                } else {
                    l[i * n + j] = s / l[j * n + j]
                }
            }
        }
        // Solve L L' X = I column by column.
        var inv = [Double](repeating: 0, count: n * n)
        for c in 0..<n {
            var y = [Double](repeating: 0, count: n)
            for i in 0..<n {
                var s = i == c ? 1.0 : 0.0
                for m in 0..<i { s -= l[i * n + m] * y[m] }
                y[i] = s / l[i * n + i]
            }
            for i in stride(from: n - 1, through: 0, by: -1) {
                var s = y[i]
                for m in (i + 1)..<n { s -= l[m * n + i] * inv[m * n + c] }
                inv[i * n + c] = s / l[i * n + i]
            }
        }
        return inv
    }
}
