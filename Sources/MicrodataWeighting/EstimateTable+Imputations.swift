extension EstimateTable {
    /// The tables of `m` completed datasets (same design, same analysis) combined cell by cell by Rubin's rules
    /// (``RubinsRules``): each cell's estimate, SE, Rubin df, fraction of missing information and `m`, with a
    /// Wald interval on t with those df (R `summary(MIcombine(...))`).
    ///
    /// Cells are matched by domain, statistic, variable and level. A level of a categorical that one imputation
    /// does not have in a domain it has is a zero there (estimate and variance 0, no units). The disclosure
    /// evidence is the worst case over the imputations: the smallest non-zero count (`n`), the smallest
    /// non-zero contributor counts, the largest contributions, any negative value; the weighted count is the
    /// mean.
    ///
    /// - Throws: ``RubinsRulesError`` for fewer than two tables, or a cell missing from one (a domain with no
    ///   rows in one imputation).
    public static func combiningImputations(_ tables: [EstimateTable]) throws(RubinsRulesError) -> EstimateTable {
        guard tables.count >= 2 else { throw .tooFewImputations(tables.count) }
        struct Key: Hashable { var by: [String], statistic: String, variable: String, level: String? }
        func key(_ c: CellEstimate) -> Key { Key(by: c.byValues, statistic: c.statistic, variable: c.variable, level: c.level) }
        var order: [Key] = []
        var templates: [Key: CellEstimate] = [:]
        let indexed = tables.map { t in Dictionary(t.cells.map { (key($0), $0) }, uniquingKeysWith: { a, _ in a }) }
        for table in tables {
            for cell in table.cells where templates[key(cell)] == nil {
                templates[key(cell)] = cell
                order.append(key(cell))
            }
        }
        let domains = tables.map { t in Set(t.cells.map { Key(by: $0.byValues, statistic: $0.statistic, variable: $0.variable, level: nil) }) }
        var out = tables[0]
        out.cells = []
        out.imputations = tables.count
        out.designDescription += "; " + RubinsRules.designText(imputations: tables.count)
        for k in order {
            var cells: [CellEstimate] = []
            for (t, index) in indexed.enumerated() {
                if let c = index[k] {
                    cells.append(c)
                } else if k.level != nil, ["proportion", "total"].contains(k.statistic),
                    domains[t].contains(Key(by: k.by, statistic: k.statistic, variable: k.variable, level: nil))
                {
                    var zero = templates[k]!
                    (zero.estimate, zero.standardError, zero.unweightedCount, zero.weightedCount) = (0, 0, 0, 0)
                    cells.append(zero)
                } else {
                    let domain = k.by.isEmpty ? "" : " in domain \(zip(tables[0].byVariables, k.by).map { "\($0)=\($1)" }.joined(separator: ", "))"
                    throw .missingEstimate("\(k.statistic) of \(k.variable)\(k.level.map { " (\($0))" } ?? "")\(domain)", imputation: t + 1)
                }
            }
            out.cells.append(try combined(cells, level: tables[0].level))
        }
        return out
    }

    /// One cell from its value in each imputation.
    private static func combined(_ cells: [CellEstimate], level: Double) throws(RubinsRulesError) -> CellEstimate {
        var out = cells[0]
        (out.estimate, out.standardError, out.ciLow, out.ciHigh, out.degreesOfFreedom, out.fractionMissingInformation) =
            try RubinsRules.scalar(cells.map(\.estimate), standardErrors: cells.map(\.standardError), level: level)
        out.designEffect = nil
        out.imputations = cells.count
        out.unweightedCount = smallestNonZero(cells.map(\.unweightedCount))
        out.weightedCount = cells.map(\.weightedCount).reduce(0, +) / Double(cells.count)
        out.contributors = worstCase(cells.map(\.contributors))
        out.denominatorContributors = worstCase(cells.map(\.denominatorContributors))
        out.quantileSides = cells.allSatisfy { $0.quantileSides != nil }
            ? QuantileSides(below: cells.map { $0.quantileSides!.below }.min()!, above: cells.map { $0.quantileSides!.above }.min()!)
            : nil
        out.kish = nil
        return out
    }

    /// The smallest count that is not zero (0 when all are): a cell small in any imputation is small here.
    public static func smallestNonZero(_ counts: [Int]) -> Int { counts.filter { $0 > 0 }.min() ?? 0 }

    /// The contributor evidence no imputation is safer than: the smallest non-zero counts, the mean total and,
    /// per rank, the largest contribution of any imputation.
    private static func worstCase(_ all: [ContributorEvidence?]) -> ContributorEvidence? {
        let given = all.compactMap { $0 }
        guard given.count == all.count, let first = given.first else { return nil }
        var top = first.top
        for e in given.dropFirst() {
            for (r, x) in e.top.enumerated() { if r < top.count { top[r] = max(top[r], x) } else { top.append(x) } }
        }
        return ContributorEvidence(
            nonZero: smallestNonZero(given.map(\.nonZero)), zero: smallestNonZero(given.map(\.zero)),
            indicator: given.allSatisfy(\.indicator), total: given.map(\.total).reduce(0, +) / Double(given.count),
            top: top, hasNegative: given.contains(where: \.hasNegative))
    }
}
