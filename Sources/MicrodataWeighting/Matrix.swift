/// A small dense row-major matrix for the test statistics (tens of rows, not a general linear-algebra type).
package struct Matrix: Sendable, Hashable {
    package var rows: Int
    package var cols: Int
    package var values: [Double]

    package init(rows: Int, cols: Int, values: [Double]? = nil) {
        self.rows = rows
        self.cols = cols
        self.values = values ?? [Double](repeating: 0, count: rows * cols)
    }

    package subscript(r: Int, c: Int) -> Double {
        get { values[r * cols + c] }
        set { values[r * cols + c] = newValue }
    }

    package var transposed: Matrix {
        var t = Matrix(rows: cols, cols: rows)
        for r in 0..<rows { for c in 0..<cols { t[c, r] = self[r, c] } }
        return t
    }

    package var trace: Double { (0..<min(rows, cols)).reduce(0) { $0 + self[$1, $1] } }

    package static func * (a: Matrix, b: Matrix) -> Matrix {
        precondition(a.cols == b.rows, "matrix dimensions")
        var out = Matrix(rows: a.rows, cols: b.cols)
        for i in 0..<a.rows {
            for k in 0..<a.cols {
                let x = a[i, k]
                if x == 0 { continue }
                for j in 0..<b.cols { out.values[i * b.cols + j] += x * b.values[k * b.cols + j] }
            }
        }
        return out
    }

    package static func * (a: Matrix, s: Double) -> Matrix {
        Matrix(rows: a.rows, cols: a.cols, values: a.values.map { $0 * s })
    }

    /// X solving `self · X = rhs` by Gaussian elimination with partial pivoting; `nil` when singular.
    package func solving(_ rhs: Matrix) -> Matrix? {
        precondition(rows == cols && rhs.rows == rows, "a square system")
        var a = self
        var b = rhs
        let n = rows
        for col in 0..<n {
            var pivot = col
            for r in col..<n where abs(a[r, col]) > abs(a[pivot, col]) { pivot = r }
            if abs(a[pivot, col]) < 1e-300 { return nil }
            if pivot != col {
                for c in 0..<n { (a[col, c], a[pivot, c]) = (a[pivot, c], a[col, c]) }
                for c in 0..<b.cols { (b[col, c], b[pivot, c]) = (b[pivot, c], b[col, c]) }
            }
            for r in 0..<n where r != col {
                let factor = a[r, col] / a[col, col]
                if factor == 0 { continue }
                for c in col..<n { a[r, c] -= factor * a[col, c] }
                for c in 0..<b.cols { b[r, c] -= factor * b[col, c] }
            }
        }
        for r in 0..<n { for c in 0..<b.cols { b[r, c] /= a[r, r] } }
        return b
    }

    /// The residual of each column after least-squares projection onto the columns of `x` (R `qr.resid`).
    package func residual(onColumnsOf x: Matrix) -> Matrix? {
        let xt = x.transposed
        guard let coefficients = (xt * x).solving(xt * self) else { return nil }
        let fitted = x * coefficients
        return Matrix(rows: rows, cols: cols, values: zip(values, fitted.values).map { $0 - $1 })
    }
}
