import MicrodataWeighting

extension CellTotals {
    /// The Rao–Scott tests for `group`, over the origin and destination classes that occur; `nil` when fewer
    /// than two of either occur. Under replicates they use ``proportionCovariance``.
    func raoScottTest(group g: Int) -> RaoScottTest? {
        let k = classCount
        func total(_ i: Int, _ j: Int) -> Double { totals[index(group: g, origin: i, destination: j)] }
        let rows = (0..<k).filter { i in (0..<k).contains { total(i, $0) > 0 } }
        let cols = (0..<k).filter { j in (0..<k).contains { total($0, j) > 0 } }
        // Cells in R's order: rows vary fastest.
        var cells: [Int] = []
        for c in cols { for r in rows { cells.append(index(group: g, origin: r, destination: c)) } }
        let all = totals.count
        return RaoScottTest(
            rows: rows.count, columns: cols.count, totals: cells.map { totals[$0] },
            covariance: cells.flatMap { a in cells.map { b in covariance[a * all + b] } },
            rowsInDesign: rowsInDesign, degreesOfFreedom: degreesOfFreedom,
            proportionCovariance: proportionCovariance.map { v in cells.flatMap { a in cells.map { b in v[a * all + b] } } })
    }
}
