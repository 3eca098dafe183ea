/// The non-zero entries of a model matrix by row, in ascending column order, in one of two forms: per term
/// when every term is one factor or one plain number (a row's level of each factor and its numbers, no list of
/// entries), else compressed rows.
struct MatrixRows: Sendable {
    /// Per term, the form: `.factor` terms pick a column by level, `.number` terms give their one column the value.
    var intercept = false
    var termIsFactor: [Bool] = []
    /// A number term's column.
    var termColumn: [Int32] = []
    /// A factor term's column of each level (−1: none, the reference level) starts at `tableStart[t]`.
    var tableStart: [Int] = []
    var table: [Int32] = []
    /// `table` with the spare column (one past the last) for "none": see ``Reader/paddedEntries(_:_:_:)``.
    var paddedTable: [Int32] = []
    var spare: Int32 = 0
    /// Row-major: each row's level of its factor terms, and its value of its number terms.
    var levels: [Int32] = []
    var numbers: [Double] = []
    var factorTerms = 0, numberTerms = 0
    /// Compressed rows (when `compressed`): row r's entries are at `start[r]..<start[r + 1]`.
    var compressed = false
    var start: [Int] = []
    var column: [Int32] = []
    var value: [Double] = []
    /// The most entries a row can have.
    var maximumPerRow = 0

    /// Reads the rows through raw buffers (valid only inside `body`).
    func withReader<T>(domain: [Bool], _ body: (Reader) throws -> T) rethrows -> T {
        try domain.withUnsafeBufferPointer { domain in
        try termIsFactor.withUnsafeBufferPointer { termIsFactor in
        try termColumn.withUnsafeBufferPointer { termColumn in
        try tableStart.withUnsafeBufferPointer { tableStart in
        try table.withUnsafeBufferPointer { table in
        try paddedTable.withUnsafeBufferPointer { paddedTable in
        try levels.withUnsafeBufferPointer { levels in
        try numbers.withUnsafeBufferPointer { numbers in
        try start.withUnsafeBufferPointer { start in
        try column.withUnsafeBufferPointer { column in
        try value.withUnsafeBufferPointer { value in
            try body(Reader(
                domain: domain, intercept: intercept, termIsFactor: termIsFactor, termColumn: termColumn,
                tableStart: tableStart, table: table, paddedTable: paddedTable, spare: spare, levels: levels,
                numbers: numbers, factorTerms: factorTerms, numberTerms: numberTerms, compressed: compressed,
                start: start, column: column, value: value))
        } } } } } } } } } } }
    }

    struct Reader {
        let domain: UnsafeBufferPointer<Bool>
        let intercept: Bool
        let termIsFactor: UnsafeBufferPointer<Bool>
        let termColumn: UnsafeBufferPointer<Int32>
        let tableStart: UnsafeBufferPointer<Int>
        let table: UnsafeBufferPointer<Int32>
        let paddedTable: UnsafeBufferPointer<Int32>
        /// The spare column: padded entries that are not in the row point to it.
        let spare: Int32
        let levels: UnsafeBufferPointer<Int32>
        let numbers: UnsafeBufferPointer<Double>
        let factorTerms: Int, numberTerms: Int
        let compressed: Bool
        let start: UnsafeBufferPointer<Int>
        let column: UnsafeBufferPointer<Int32>
        let value: UnsafeBufferPointer<Double>

        /// Writes row `r`'s entries (ascending columns) to `columns` and `values`; returns how many.
        @inline(__always)
        func entries(_ r: Int, _ columns: UnsafeMutablePointer<Int32>, _ values: UnsafeMutablePointer<Double>) -> Int {
            if compressed {
                let s = start[r], e = start[r + 1]
                for i in s..<e {
                    columns[i - s] = column[i]
                    values[i - s] = value[i]
                }
                return e - s
            }
            // The padded entries without the spare ones.
            var k = 0
            for i in 0..<paddedEntries(r, columns, values) where columns[i] != spare {
                columns[k] = columns[i]
                values[k] = values[i]
                k += 1
            }
            return k
        }

        /// Row `r`'s entries as ``entries(_:_:_:)``, but in per-term form every row of the domain gives the same
        /// number: an entry not in the row (a reference level, a zero) is written with column ``spare``. Sums
        /// over the row's entries then add the same terms in the same order to every other column, with no
        /// branch on the row's levels; only the spare column's sums differ.
        @inline(__always)
        func paddedEntries(_ r: Int, _ columns: UnsafeMutablePointer<Int32>, _ values: UnsafeMutablePointer<Double>) -> Int {
            if compressed { return entries(r, columns, values) }
            guard domain[r] else { return 0 }
            var k = 0
            if intercept {
                columns[0] = 0
                values[0] = 1
                k = 1
            }
            var f = r * factorTerms, q = r * numberTerms
            for t in 0..<termIsFactor.count {
                if termIsFactor[t] {
                    columns[k] = paddedTable[tableStart[t] + Int(levels[f])]
                    values[k] = 1
                    f += 1
                } else {
                    let x = numbers[q]
                    columns[k] = x != 0 ? termColumn[t] : spare
                    values[k] = x
                    q += 1
                }
                k += 1
            }
            return k
        }

        /// ``dot(_:_:)`` without branches on the row's levels: `beta` has one more entry, 0, for ``spare`` (adding
        /// +0 leaves the sum as it was, and a sum started at +0 is never −0).
        @inline(__always)
        func paddedDot(_ r: Int, _ beta: UnsafeBufferPointer<Double>) -> Double {
            if compressed { return dot(r, beta) }
            guard domain[r] else { return 0 }
            var e = 0.0
            if intercept { e += 1 * beta[0] }
            var f = r * factorTerms, q = r * numberTerms
            for t in 0..<termIsFactor.count {
                if termIsFactor[t] {
                    e += 1 * beta[Int(paddedTable[tableStart[t] + Int(levels[f])])]
                    f += 1
                } else {
                    let x = numbers[q]
                    e += x * beta[Int(x != 0 ? termColumn[t] : spare)]
                    q += 1
                }
            }
            return e
        }

        /// Row `r` times `beta` (over all columns), added up in column order.
        @inline(__always)
        func dot(_ r: Int, _ beta: UnsafeBufferPointer<Double>) -> Double {
            var e = 0.0
            if compressed {
                for i in start[r]..<start[r + 1] { e += value[i] * beta[Int(column[i])] }
                return e
            }
            guard domain[r] else { return 0 }
            if intercept { e += 1 * beta[0] }
            var f = r * factorTerms, q = r * numberTerms
            for t in 0..<termIsFactor.count {
                if termIsFactor[t] {
                    let c = table[tableStart[t] + Int(levels[f])]
                    f += 1
                    if c >= 0 { e += 1 * beta[Int(c)] }
                } else {
                    let x = numbers[q]
                    q += 1
                    if x != 0 { e += x * beta[Int(termColumn[t])] }
                }
            }
            return e
        }
    }
}
