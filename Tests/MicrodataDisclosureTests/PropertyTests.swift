import Testing
@testable import MicrodataDisclosure

/// Seeded random 2-D and 3-D tables with margins, empty cells and singletons, and random primaries: after
/// protection the audit finds no recoverable primary, an independent LP over the whole table (all cells as
/// variables, every relation, published cells fixed) agrees with the audit's intervals, and the same LP with
/// a singleton's cell known still gives every other primary its protection interval; with
/// `suppressedGroupMinimumUnits` the suppressed parts of every relation with a published total hold enough units.
struct PropertyTests {
    static func randomTable(sizes: [Int], rng: inout SplitMix64) throws -> ProtectionTable {
        let dims = try sizes.enumerated().map { d, n in
            try TableDimension(name: "d\(d)", codes: (0..<n).map { "c\($0)" }, total: "T")
        }
        var given: [[String]: (evidence: CellEvidence, line: Int)] = [:]
        func fill(_ prefix: [String], _ d: Int) {
            if d == sizes.count {
                // Mostly safe cells, some small ones, and empty cells and singletons (one respondent)
                // often enough that rows with a single non-empty cell, a singleton included, occur.
                let roll = rng.next() % 12
                let units = switch roll {
                case 0: Int(rng.next() % 3) + 1
                case 1, 2: 0
                case 3: 1
                default: Int(rng.next() % 40) + 10
                }
                given[prefix] = (CellEvidence(units: units, value: Double(units)), 0)
                return
            }
            for c in 0..<sizes[d] { fill(prefix + ["c\(c)"], d + 1) }
        }
        fill([], 0)
        return try ProtectionTable.grid(dimensions: dims, given: given)
    }

    /// Min and max of `target` over all tables consistent with the published cells.
    static func independentInterval(
        _ table: ProtectionTable, statuses: [CellStatus], target: Int, known: Int? = nil
    ) throws -> (Double, Double) {
        // The same a-priori upper bound as the audit: twice the largest cell.
        let upper = 2 * table.cells.map { Double($0.evidence.units) }.max()!
        var lower: [Double?] = [], up: [Double?] = []
        for (i, cell) in table.cells.enumerated() {
            let v = Double(cell.evidence.units)
            let hidden = statuses[i].isSuppressed && i != known
            // Published zeros: a hidden cell holds at least its non-empty inner cells (1 for an inner cell).
            lower.append(hidden ? Double(Self.nonEmptyAtoms(table, i)) : v)
            up.append(hidden ? upper : v)
        }
        let rows = table.relations.map { r in
            LinearProgram.Row(terms: [(r.total, 1.0)] + r.parts.map { ($0, -1.0) }, lower: 0, upper: 0)
        }
        let model = try GLPKSolver().load(LinearProgram(columnLower: lower, columnUpper: up, rows: rows))
        guard case let .optimal(lo) = try model.optimise([(target, 1)], .minimise, exact: true),
            case let .optimal(hi) = try model.optimise([(target, 1)], .maximise, exact: true)
        else { throw DisclosureError.solver("independent LP not optimal") }
        return (lo, hi)
    }

    /// Non-empty inner cells beneath cell `i`, by key (independently of the table's own count).
    static func nonEmptyAtoms(_ table: ProtectionTable, _ i: Int) -> Int {
        let key = table.cells[i].key
        return table.cells.filter { c in
            c.isInner && c.evidence.units > 0 && zip(c.key, key).allSatisfy { $0 == $1 || $1 == "T" }
        }.count
    }

    @Test(arguments: [[5, 4], [6, 6], [4, 7], [3, 3, 3], [4, 3, 3], [3, 2], [2, 2, 3]])
    func protectedTablesPassAnIndependentAudit(sizes: [Int]) throws {
        var rng = SplitMix64(seed: UInt64(sizes.reduce(17) { $0 * 31 + $1 }))
        for round in 0..<4 {
            let table = try Self.randomTable(sizes: sizes, rng: &rng)
            // Odd rounds also require 10 units in the suppressed parts of every relation with a published total.
            let groupMinimum = round % 2 == 1 ? 10 : 0
            let rules = try TestTables.rules {
                $0.classDisclosureNeedsReview = false
                $0.suppressedGroupMinimumUnits = groupMinimum
            }
            // Random extra primaries, inner cells and margins alike, on top of the threshold ones.
            var primaries: [Int: [ProtectionRequirement]] = [:]
            for i in table.cells.indices {
                let units = table.cells[i].evidence.units
                if rules.failsThreshold(units: units) || (units > 0 && rng.next() % 25 == 0) {
                    let level = Double(rng.next() % 3 + 1)
                    primaries[i] = [ProtectionRequirement(measure: .count, lower: level, upper: level, rule: "random")]
                }
            }
            let checked = try DisclosureControl(rules: rules).protect(table, hasMagnitude: false, primaries: primaries)
            let audit = try #require(checked.audit)
            #expect(audit.passed, "sizes \(sizes) round \(round)")
            #expect(audit.recoverableCells == 0)
            for (p, reqs) in primaries {
                let (lo, hi) = try Self.independentInterval(table, statuses: checked.statuses, target: p)
                let a = Double(table.cells[p].evidence.units)
                let floor = Double(Self.nonEmptyAtoms(table, p))
                #expect(lo <= max(floor, a - reqs[0].lower) + 1e-7 && hi >= a + reqs[0].upper - 1e-7,
                        "cell \(table.name(of: p)) = \(a): independent interval [\(lo), \(hi)]")
                let reported = try #require(audit.cells.first { $0.key == table.cells[p].key })
                #expect(reported.lower == (lo - 1e-7).rounded(.up) && reported.upper == (hi + 1e-7).rounded(.down))
            }
            for relation in table.relations where groupMinimum > 0 && !checked.statuses[relation.total].isSuppressed {
                let units = relation.parts.filter { checked.statuses[$0].isSuppressed }
                    .reduce(0) { $0 + table.cells[$1].evidence.units }
                #expect(units == 0 || units >= groupMinimum, "suppressed parts of \(table.name(of: relation.total))")
            }
            // Each singleton knows its own cell; every other primary, except cells whose only unit is
            // that singleton's, must keep its protection interval against it.
            for s in primaries.keys where table.cells[s].evidence.units == 1 {
                for (p, reqs) in primaries where p != s && !table.isOwnedBySingleton(p, singleton: s) {
                    let (lo, hi) = try Self.independentInterval(table, statuses: checked.statuses, target: p, known: s)
                    let a = Double(table.cells[p].evidence.units)
                    // The singleton's own unit inside p is known to it; the others' part is protected.
                    let own = table.singletonShare(of: s, in: p, .count)
                    let low = max(Double(Self.nonEmptyAtoms(table, p)), a - reqs[0].lower, own + max(0, a - own - reqs[0].lower))
                    #expect(lo <= low + 1e-7 && hi >= a + reqs[0].upper - 1e-7,
                            "\(table.name(of: p)) = \(a) against singleton \(table.name(of: s)): [\(lo), \(hi)]")
                }
            }
        }
    }
}
