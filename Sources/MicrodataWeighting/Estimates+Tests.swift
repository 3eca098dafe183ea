import Foundation

/// A design-based t-test of the difference between two domain means (R `svyttest(y ~ g)`).
public struct DesignTTest: Sendable, Hashable, Codable {
    /// The second domain's mean minus the first's (R: the coefficient of the second level of `g`).
    public var estimate: Double
    public var standardError: Double
    public var t: Double
    /// The residual degrees of freedom of the two-group regression: the design's minus 1.
    public var degreesOfFreedom: Double
    /// Two-sided p-value on t with `degreesOfFreedom`.
    public var pValue: Double
    public var ciLow: Double
    public var ciHigh: Double
}

/// The two-way tests of independence of a table, with the levels of its rows and columns in R's order.
public struct IndependenceTable: Sendable, Hashable {
    public var rowLevels: [String]
    public var columnLevels: [String]
    /// The table's cells in ``Estimates/table`` (its weighted totals), which the test uses.
    public var cells: [Int]
    public var test: RaoScottTest
}

extension Estimates {
    /// The tests of independence of the two variables of a categorical total (``Analysis`` `.total` of
    /// `[A, B]`) in the block `b`, as R `svychisq(~A + B, design)`: every level of A and of B that occurs,
    /// a combination that does not occur being an empty cell. Under replicates (R `svychisq.svyrep.design`)
    /// the Rao–Scott tests need the replicate covariance of the cell proportions: estimate
    /// `Analysis(.proportion, [A, B])` in the same pass; its block is found by its variables. `nil` when
    /// either variable has fewer than two levels or the design-effect matrix is singular.
    public func independenceTest(block b: Int) throws -> IndependenceTable? {
        let block = blocks[b]
        guard block.analysis.kind == .total, block.analysis.variables.count == 2 else {
            throw WeightingError.invalidRequest("a test of independence needs the total of two categorical variables")
        }
        var parts: [Int: [String]] = [:]
        for i in block.cells {
            guard let level = table.cells[i].level, let p = block.levelComponents[level], p.count == 2 else {
                throw WeightingError.invalidRequest("cell \(i) has no levels of both variables")
            }
            parts[i] = p
        }
        let rowLevels = Set(parts.values.map { $0[0] }).sorted(by: naturalLess)
        let columnLevels = Set(parts.values.map { $0[1] }).sorted(by: naturalLess)
        let nr = rowLevels.count, nc = columnLevels.count
        var position = [Int](repeating: -1, count: nr * nc)  // cell (r, c) at c·nr + r, -1 when empty
        for (i, p) in parts {
            position[columnLevels.firstIndex(of: p[1])! * nr + rowLevels.firstIndex(of: p[0])!] = i
        }
        let totals = position.map { $0 < 0 ? 0 : table.cells[$0].estimate }
        var covariance = [Double](repeating: 0, count: totals.count * totals.count)
        for a in position.indices where position[a] >= 0 {
            for c in position.indices where position[c] >= 0 {
                guard let v = self.covariance(position[a], position[c]) else {
                    throw WeightingError.invalidRequest("the covariance of the table's cells is not kept")
                }
                covariance[a * totals.count + c] = v
            }
        }
        let proportions = try usesReplicates ? proportionCovariance(of: block.analysis.variables, position) : nil
        guard let test = RaoScottTest(rows: nr, columns: nc, totals: totals, covariance: covariance,
                                      rowsInDesign: rowsInDesign, degreesOfFreedom: degreesOfFreedom,
                                      proportionCovariance: proportions)
        else { return nil }
        return IndependenceTable(rowLevels: rowLevels, columnLevels: columnLevels,
                                 cells: position.filter { $0 >= 0 }, test: test)
    }

    /// The covariance of the proportions of the cells of a table (`position`: the total's cell at each
    /// place, −1 when empty) from the `.proportion` block of the same variables; 0 for an empty cell.
    private func proportionCovariance(of variables: [String], _ position: [Int]) throws -> [Double] {
        guard let block = blocks.first(where: { $0.analysis.kind == .proportion && $0.analysis.variables == variables })
        else {
            throw WeightingError.invalidRequest(
                "a test of independence under replicates needs the proportions of \(variables.joined(separator: ",")) "
                    + "estimated in the same pass")
        }
        var cellOfLevel: [String: Int] = [:]
        for i in block.cells { if let level = table.cells[i].level { cellOfLevel[level] = i } }
        let m = position.count
        var covariance = [Double](repeating: 0, count: m * m)
        for a in 0..<m where position[a] >= 0 {
            for c in 0..<m where position[c] >= 0 {
                guard let i = table.cells[position[a]].level.flatMap({ cellOfLevel[$0] }),
                      let j = table.cells[position[c]].level.flatMap({ cellOfLevel[$0] }),
                      let v = self.covariance(i, j)
                else { throw WeightingError.invalidRequest("the proportions do not cover the table's cells") }
                covariance[a * m + c] = v
            }
        }
        return covariance
    }

    /// The design-based t-test of `second − first`, two domain means of one analysis, on
    /// `degreesOfFreedom` (R `svyttest`: the design's degrees of freedom over the rows with both values, minus
    /// 1), with a `level` interval on t.
    public func tTest(first: Int, second: Int, degreesOfFreedom df: Double, level: Double = 0.95) throws -> DesignTTest {
        let (estimate, se) = try contrast([second: 1, first: -1])
        let t = estimate / se
        let p = Distributions.incompleteBeta(df / (df + t * t), df / 2, 0.5)  // P(|T| > |t|)
        let q = Distributions.tQuantile(1 - (1 - level) / 2, df: df)
        return DesignTTest(estimate: estimate, standardError: se, t: t, degreesOfFreedom: df, pValue: p,
                           ciLow: estimate - q * se, ciHigh: estimate + q * se)
    }
}
