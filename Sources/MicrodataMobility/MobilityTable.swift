import MicrodataWeighting
import Foundation

/// Origin-by-destination mobility measures for one group, each with SE, CI and unweighted bases.
///
/// Classes are ordered highest first. A cell share with an empty base, or an odds ratio with an empty cell, is
/// `nil` (published as `[x]`).
public struct MobilityTable: Sendable, Hashable, Codable {
    /// The group's name ("All" without `--by`).
    public var group: String
    /// Weighted counts N̂ᵢⱼ.
    public var counts: [[MobilityEstimate]]
    /// Weighted origin totals N̂ᵢ. (row margins), destination totals N̂.ⱼ (column margins) and the table total.
    public var originTotals: [MobilityEstimate]
    public var destinationTotals: [MobilityEstimate]
    public var total: MobilityEstimate
    /// Joint shares N̂ᵢⱼ / N̂.
    public var joint: [[MobilityEstimate?]]
    /// Outflow rates P(destination j | origin i) (row shares).
    public var outflow: [[MobilityEstimate?]]
    /// Inflow rates P(origin i | destination j) (column shares).
    public var inflow: [[MobilityEstimate?]]
    /// Absolute rates: `immobile`, `mobile`, `upward`, `downward`, and `upward:downward` (a ratio).
    public var rates: [String: MobilityEstimate]
    /// Log odds ratios for every pair of origins and pair of destinations.
    public var logOddsRatios: [OddsRatio]
    /// The design-based (Rao–Scott) test of independence, when it can be computed.
    public var independenceTest: RaoScottTest?
}

/// The log odds ratio of origins `originA` < `originB` against destinations `destinationA` < `destinationB`:
/// log(N̂_aA · N̂_bB / (N̂_aB · N̂_bA)). Positive means origin `a` is more likely than origin `b` to reach `A`.
public struct OddsRatio: Sendable, Hashable, Codable {
    public var originA: Int
    public var originB: Int
    public var destinationA: Int
    public var destinationB: Int
    /// The log odds ratio; `nil` when a cell is empty.
    public var logOddsRatio: MobilityEstimate?
}

extension OddsRatio {
    /// The local form: adjacent origin classes against adjacent destination classes.
    public var isLocal: Bool { originB == originA + 1 && destinationB == destinationA + 1 }

    /// The reference-cell form: an origin and a destination against the lowest of `classCount` classes.
    public func isReferenceCell(classCount k: Int) -> Bool { originB == k - 1 && destinationB == k - 1 }
}

/// The direction of a move from an origin class to a destination class.
public enum MoveDirection: String, Sendable, Hashable, Codable {
    case up, down, none
}

/// The names of the absolute rates, in the order they are reported.
public let absoluteRateNames = ["immobile", "mobile", "upward", "downward", "upward:downward"]

extension CellTotals {
    /// Every measure of `group`.
    ///
    /// - Parameters:
    ///   - direction: `direction[i][j]` for a move from origin `i` to destination `j`; by default, a move to a
    ///     lower index (a higher class) is up.
    ///   - level: the confidence level.
    func mobilityTable(group g: Int, name: String, direction: [[MoveDirection]], level: Double) -> MobilityTable {
        let k = classCount
        func idx(_ i: Int, _ j: Int) -> Int { index(group: g, origin: i, destination: j) }
        func n(_ cells: [Int]) -> (Int, Int) { counts(of: cells) }
        let all = groupCells(g)
        let grandN = n(all)

        func share(_ cells: [Int], of base: [Int]) -> MobilityEstimate? {
            shareEstimate(cells, of: base, level: level)?.0
        }

        var countTable: [[MobilityEstimate]] = []
        var joint: [[MobilityEstimate?]] = []
        var outflow: [[MobilityEstimate?]] = []
        var inflow: [[MobilityEstimate?]] = []
        for i in 0..<k {
            let row = (0..<k).map { idx(i, $0) }
            var countRow: [MobilityEstimate] = []
            var jointRow: [MobilityEstimate?] = []
            var outRow: [MobilityEstimate?] = []
            var inRow: [MobilityEstimate?] = []
            for j in 0..<k {
                let c = idx(i, j)
                var gradient = SparseGradient()
                gradient.add(c, 1)
                countRow.append(
                    measure(totals[c], gradient, shape: .wald, level: level, numerator: n([c]), denominator: n(all)))
                jointRow.append(share([c], of: all))
                outRow.append(share([c], of: row))
                inRow.append(share([c], of: (0..<k).map { idx($0, j) }))
            }
            countTable.append(countRow)
            joint.append(jointRow)
            outflow.append(outRow)
            inflow.append(inRow)
        }

        func sum(_ cells: [Int]) -> MobilityEstimate {
            var gradient = SparseGradient()
            for c in cells { gradient.add(c, 1) }
            return measure(
                cells.reduce(0) { $0 + totals[$1] }, gradient, shape: .wald, level: level, numerator: n(cells),
                denominator: grandN)
        }
        let originTotals = (0..<k).map { i in sum((0..<k).map { idx(i, $0) }) }
        let destinationTotals = (0..<k).map { j in sum((0..<k).map { idx($0, j) }) }

        var rates: [String: MobilityEstimate] = [:]
        for name in ["immobile", "mobile", "upward", "downward"] {
            rates[name] = share(rateCells(name, group: g, direction: direction), of: all)
        }
        let up = rateCells("upward", group: g, direction: direction)
        let down = rateCells("downward", group: g, direction: direction)
        let upTotal = up.reduce(0) { $0 + totals[$1] }
        let downTotal = down.reduce(0) { $0 + totals[$1] }
        if downTotal > 0 {
            var gradient = SparseGradient()
            for c in up { gradient.add(c, 1 / downTotal) }
            for c in down { gradient.add(c, -upTotal / (downTotal * downTotal)) }
            rates["upward:downward"] = measure(
                upTotal / downTotal, gradient, shape: .wald, level: level, numerator: n(up), denominator: n(down))
        }

        var odds: [OddsRatio] = []
        for a in 0..<k {
            for b in (a + 1)..<max(k, a + 1) {
                for x in 0..<k {
                    for y in (x + 1)..<max(k, x + 1) {
                        let cells = [idx(a, x), idx(b, y), idx(a, y), idx(b, x)]
                        var estimate: MobilityEstimate?
                        if cells.allSatisfy({ totals[$0] > 0 }) {
                            let value = log(totals[cells[0]]) + log(totals[cells[1]])
                                - log(totals[cells[2]]) - log(totals[cells[3]])
                            var gradient = SparseGradient()
                            gradient.add(cells[0], 1 / totals[cells[0]])
                            gradient.add(cells[1], 1 / totals[cells[1]])
                            gradient.add(cells[2], -1 / totals[cells[2]])
                            gradient.add(cells[3], -1 / totals[cells[3]])
                            let minimum = cells.map { n([$0]) }.min { $0.0 < $1.0 } ?? (0, 0)
                            estimate = measure(
                                value, gradient, shape: .logScale, level: level, numerator: minimum,
                                denominator: n(cells))
                        }
                        odds.append(
                            OddsRatio(originA: a, originB: b, destinationA: x, destinationB: y, logOddsRatio: estimate))
                    }
                }
            }
        }
        return MobilityTable(
            group: name, counts: countTable, originTotals: originTotals, destinationTotals: destinationTotals,
            total: sum(all), joint: joint, outflow: outflow, inflow: inflow, rates: rates,
            logOddsRatios: odds, independenceTest: raoScottTest(group: g))
    }
}

extension CellTotals {
    /// All cells of `group`.
    func groupCells(_ g: Int) -> [Int] {
        (0..<classCount).flatMap { i in (0..<classCount).map { index(group: g, origin: i, destination: $0) } }
    }

    /// The cells an absolute rate counts: `immobile` (the diagonal), `mobile`, `upward`, `downward`.
    func rateCells(_ name: String, group g: Int, direction: [[MoveDirection]]) -> [Int] {
        var cells: [Int] = []
        for i in 0..<classCount {
            for j in 0..<classCount {
                let keep: Bool
                switch name {
                case "immobile": keep = i == j
                case "mobile": keep = i != j
                case "upward": keep = i != j && direction[i][j] == .up
                case "downward": keep = i != j && direction[i][j] == .down
                default: keep = false
                }
                if keep { cells.append(index(group: g, origin: i, destination: j)) }
            }
        }
        return cells
    }

    /// The share Σ cells / Σ base with its delta-method gradient; `nil` when the base is empty.
    func shareEstimate(_ cells: [Int], of base: [Int], level: Double) -> (MobilityEstimate, SparseGradient)? {
        let denominator = base.reduce(0) { $0 + totals[$1] }
        guard denominator > 0 else { return nil }
        let numerator = cells.reduce(0) { $0 + totals[$1] }
        let p = numerator / denominator
        let inCells = Set(cells)
        var gradient = SparseGradient()
        for b in base { gradient.add(b, ((inCells.contains(b) ? 1 : 0) - p) / denominator) }
        let estimate = measure(
            p, gradient, shape: .logit, level: level, numerator: counts(of: cells), denominator: counts(of: base))
        return (estimate, gradient)
    }

    /// Unweighted respondents and distinct units over `cells`.
    func counts(of cells: [Int]) -> (Int, Int) {
        (cells.reduce(0) { $0 + unweightedCounts[$1] }, cells.reduce(0) { $0 + unitCounts[$1] })
    }
}

/// The default directions for classes ordered highest first: to a lower index is up, to a higher is down.
public func defaultDirections(classCount k: Int) -> [[MoveDirection]] {
    (0..<k).map { i in (0..<k).map { j in j < i ? .up : j > i ? .down : .none } }
}
