import Foundation
@testable import MicrodataDisclosure

/// A second attacker written for the tests, sharing no code with the audit: it enumerates every integer
/// table consistent with a published count table (whole-table relations, published zeros so a hidden cell
/// holds at least one unit per non-empty inner cell below it, the audit's ceiling of twice the largest
/// cell) and returns each hidden cell's smallest and largest value. For magnitudes it solves the
/// whole-table LP instead.
enum IndependentAttack {
    /// Non-empty inner cells below cell `i`, found by key (a margin code is `total`).
    static func nonEmptyInner(_ table: ProtectionTable, _ i: Int, total: String) -> Int {
        let key = table.cells[i].key
        return table.cells.filter { c in
            c.isInner && c.evidence.units > 0 && zip(c.key, key).allSatisfy { $0 == $1 || $1 == total }
        }.count
    }

    /// Min and max of every hidden cell over all integer count tables, with the cells in `known` fixed.
    /// Branches on one free cell at a time and fills a cell as soon as a relation leaves it alone.
    static func enumerate(
        _ table: ProtectionTable, hidden: Set<Int>, known: Set<Int> = [], total: String = "Total"
    ) -> [Int: (Int, Int)] {
        let ceiling = 2 * table.cells.map(\.evidence.units).max()!
        var value: [Int?] = table.cells.indices.map { hidden.contains($0) && !known.contains($0) ? nil : table.cells[$0].evidence.units }
        let floor = table.cells.indices.map { max(1, nonEmptyInner(table, $0, total: total)) }
        var result: [Int: (Int, Int)] = [:]
        func consistent() -> Bool {
            table.relations.allSatisfy { r in
                let cells = [r.total] + r.parts
                guard cells.allSatisfy({ value[$0] != nil }) else { return true }
                return value[r.total]! == r.parts.reduce(0) { $0 + value[$1]! }
            }
        }
        func search() {
            guard consistent() else { return }
            // A relation with one unknown left determines it.
            for r in table.relations {
                let open = ([r.total] + r.parts).filter { value[$0] == nil }
                guard open.count == 1, let j = open.first else { continue }
                let sum = r.parts.reduce(0) { $0 + (value[$1] ?? 0) }
                let v = j == r.total ? sum : value[r.total]! - sum
                guard v >= floor[j], v <= ceiling else { return }
                value[j] = v
                search()
                value[j] = nil
                return
            }
            guard let j = value.indices.first(where: { value[$0] == nil }) else {
                for i in hidden where !known.contains(i) {
                    let v = value[i]!
                    result[i] = result[i].map { (min($0.0, v), max($0.1, v)) } ?? (v, v)
                }
                return
            }
            for v in floor[j]...ceiling {
                value[j] = v
                search()
            }
            value[j] = nil
        }
        search()
        return result
    }

    /// Min and max of cell `target`'s value over the whole-table LP (values ≥ 0, ≤ twice the largest),
    /// with hidden cells free and `known` ones fixed.
    static func valueInterval(_ table: ProtectionTable, hidden: Set<Int>, known: Set<Int> = [], target: Int) throws
        -> (Double, Double)
    {
        let ceiling = 2 * table.cells.map { abs($0.evidence.value) }.max()!
        let free = table.cells.indices.map { hidden.contains($0) && !known.contains($0) }
        let rows = table.relations.map { r in
            LinearProgram.Row(terms: [(r.total, 1.0)] + r.parts.map { ($0, -1.0) }, lower: 0, upper: 0)
        }
        let model = try GLPKSolver().load(LinearProgram(
            columnLower: table.cells.indices.map { free[$0] ? 0 : table.cells[$0].evidence.value },
            columnUpper: table.cells.indices.map { free[$0] ? ceiling : table.cells[$0].evidence.value }, rows: rows))
        guard case let .optimal(lo) = try model.optimise([(target, 1)], .minimise, exact: true),
            case let .optimal(hi) = try model.optimise([(target, 1)], .maximise, exact: true)
        else { throw DisclosureError.solver("independent LP not optimal") }
        return (lo, hi)
    }
}
