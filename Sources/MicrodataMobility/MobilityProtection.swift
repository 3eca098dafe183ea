import MicrodataDisclosure

/// The disclosure decision for a set of mobility tables: which cells, margins and rate numerators are
/// suppressed, from one protection run over all of them.
///
/// The model is the origin × destination (× group) table of unweighted counts with all its margins, plus one
/// published aggregate per group for each rate numerator (the diagonal, the upward and the downward cells), so
/// that no suppressed cell can be recovered by differencing a published rate against the cells around it.
/// Every published view (counts, shares, outflow and inflow rates, odds ratios) takes its mask from this one
/// pattern.
public struct MobilityProtection: Sendable {
    /// The checked protection table (one row per cell, margin and rate numerator) with its passed audit.
    public var checked: CheckedTable
    let classCount: Int
    let groupCount: Int
    let statuses: [CellStatus]
    /// Per "group|rate": the protection-table index of the rate's numerator (an aggregate, or its only cell).
    let rateIndex: [String: Int]

    /// Protects the tables of `totals` under `control`.
    ///
    /// - Throws: `DisclosureError.auditFailed` (with its report) when no safe pattern passes the audit: then
    ///   nothing may be written.
    public init(
        totals: CellTotals, classes: [String], groups: [String], direction: [[MoveDirection]],
        control: DisclosureControl
    ) throws {
        let k = totals.classCount
        let g = totals.groupCount
        var dimensions: [TableDimension] = []
        if g > 1 { dimensions.append(try TableDimension(name: "group", codes: groups, total: "All groups")) }
        dimensions.append(try TableDimension(name: "origin", codes: classes, total: "All origins"))
        dimensions.append(try TableDimension(name: "destination", codes: classes, total: "All destinations"))
        var given: [[String]: (evidence: CellEvidence, line: Int)] = [:]
        for group in 0..<g {
            for i in 0..<k {
                for j in 0..<k {
                    let c = totals.index(group: group, origin: i, destination: j)
                    let key = (g > 1 ? [groups[group]] : []) + [classes[i], classes[j]]
                    given[key] = (CellEvidence(units: totals.unitCounts[c], value: totals.totals[c]), c + 1)
                }
            }
        }
        let grid = try ProtectionTable.grid(dimensions: dimensions, given: given, source: "mobility table")
        // Flat index of (group, origin, destination) in the grid; the total code is last in each dimension.
        func flat(_ group: Int, _ i: Int, _ j: Int) -> Int {
            g > 1 ? (group * (k + 1) + i) * (k + 1) + j : i * (k + 1) + j
        }
        var cells = grid.cells
        var relations = grid.relations
        var rateIndex: [String: Int] = [:]
        for group in 0..<g {
            for name in ["immobile", "upward", "downward"] {
                var parts: [Int] = []
                for i in 0..<k {
                    for j in 0..<k {
                        let keep = name == "immobile" ? i == j : i != j && direction[i][j] == (name == "upward" ? .up : .down)
                        if keep { parts.append(flat(group, i, j)) }
                    }
                }
                if parts.count == 1 { rateIndex["\(group)|\(name)"] = parts[0] }
                guard parts.count > 1 else { continue }
                var evidence = CellEvidence(units: 0, value: 0)
                for p in parts { evidence = evidence.adding(cells[p].evidence) }
                rateIndex["\(group)|\(name)"] = cells.count
                relations.append(ProtectionTable.Relation(total: cells.count, parts: parts))
                cells.append(ProtectionTable.Cell(
                    key: (g > 1 ? [groups[group]] : []) + ["\(name) numerator", ""], evidence: evidence, isInner: false,
                    structuralZero: false, fromInput: false))
            }
        }
        let table = ProtectionTable(dimensions: dimensions, cells: cells, relations: relations)
        checked = try control.protect(table, hasMagnitude: false)
        statuses = checked.statuses
        classCount = k
        groupCount = g
        self.rateIndex = rateIndex
    }

    private func flat(_ group: Int, _ i: Int, _ j: Int) -> Int {
        let k = classCount
        return groupCount > 1 ? (group * (k + 1) + i) * (k + 1) + j : i * (k + 1) + j
    }

    /// Whether cell (origin `i`, destination `j`) of `group` is suppressed.
    public func cellSuppressed(group: Int, origin i: Int, destination j: Int) -> Bool {
        statuses[flat(group, i, j)].isSuppressed
    }

    /// Whether the origin total `i` (a row base) is suppressed.
    public func originTotalSuppressed(group: Int, origin i: Int) -> Bool {
        statuses[flat(group, i, classCount)].isSuppressed
    }

    /// Whether the destination total `j` (a column base) is suppressed.
    public func destinationTotalSuppressed(group: Int, destination j: Int) -> Bool {
        statuses[flat(group, classCount, j)].isSuppressed
    }

    /// Whether the group's table total is suppressed.
    public func totalSuppressed(group: Int) -> Bool {
        statuses[flat(group, classCount, classCount)].isSuppressed
    }

    /// Whether the table of every group together (the grand total) is suppressed: then nothing counted over the
    /// whole data (rows with both classes, design degrees of freedom) may be published either.
    public var allGroupsTotalSuppressed: Bool {
        let k = classCount
        let grand = groupCount > 1 ? (groupCount * (k + 1) + k) * (k + 1) + k : k * (k + 1) + k
        return statuses[grand].isSuppressed
    }

    /// Whether every cell and margin of `group`'s table is published, so that a statistic computed from all of
    /// them (the test of independence) gives nothing suppressed away.
    public func groupFullyPublished(group: Int) -> Bool {
        (0...classCount).allSatisfy { i in (0...classCount).allSatisfy { j in !statuses[flat(group, i, j)].isSuppressed } }
    }

    /// The review reason of cell (`i`, `j`) of `group` (`i` or `j` equal to the class count: a margin), as
    /// `check` gives it: `zero`, or `class-disclosure` for a cell holding its whole row or column; `nil` when
    /// the cell is not for review.
    public func reviewReason(group: Int, origin i: Int, destination j: Int) -> String? {
        if case .review(let reason) = statuses[flat(group, i, j)] { return reason }
        return nil
    }

    /// `text` with every number replaced by the marker: for facts counted over data that is all suppressed.
    public static func withholdingNumbers(_ text: String) -> String {
        text.replacing(#/[0-9]+(\.[0-9]+)?/#, with: CheckedTable.marker)
    }

    /// Whether a rate (`immobile`, `mobile`, `upward`, `downward`, `upward:downward`) cannot be published.
    public func rateSuppressed(group: Int, _ name: String) -> Bool {
        if totalSuppressed(group: group) { return true }
        func numerator(_ n: String) -> Bool {
            rateIndex["\(group)|\(n)"].map { statuses[$0].isSuppressed } ?? false
        }
        switch name {
        case "mobile": return numerator("immobile")
        case "upward:downward": return numerator("upward") || numerator("downward")
        default: return numerator(name)
        }
    }
}
