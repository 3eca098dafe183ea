import Foundation
import MicrodataTestSupport
import Testing
@testable import MicrodataDisclosure

/// Secondary suppression against oracles/sdc: sdctable-opt-2x4, sdctable-singletons-1d,
/// tau-singleton-virtual-cell, and the tau-ARGUS pp.tab table with its own protection levels.
struct SecondarySuppressionTests {
    /// sdcTable microdata1: region × gender counts with margins.
    func microdata1() throws -> ProtectionTable {
        let rows = try TestTables.csv("microdata1.csv").dropFirst()
        var counts: [String: Int] = [:]
        for row in rows { counts[row[0] + "|" + row[1], default: 0] += 1 }
        let regions = ["A", "B", "C", "D"], genders = ["male", "female"]
        return try TestTables.twoWay(
            rows: regions, cols: genders, counts: regions.map { r in genders.map { counts[r + "|" + $0] ?? 0 } },
            rowName: "region", colName: "gender")
    }

    @Test func sdcTableOptimalPattern() throws {
        let table = try microdata1()
        #expect(table.cells[TestTables.index(table, ["Total", "Total"])].evidence.units == 100)
        #expect(table.cells[TestTables.index(table, ["A", "female"])].evidence.units == 2)
        // Primary A/female only (counts 1..2), cost = frequency, LPL = UPL = 1 (sdcTable defaults).
        let rules = try TestTables.rules { $0.threshold = 3; $0.cost = "count" }
        let checked = try DisclosureControl(rules: rules).protect(table, hasMagnitude: false)
        #expect(TestTables.suppressed(checked, dimensions: 2) == [["A", "male"], ["A", "female"], ["C", "male"], ["C", "female"]])
        #expect(checked.statuses.filter { $0 == .secondary }.count == 3)
        #expect(checked.statuses.filter { !$0.isSuppressed }.count == 11)
        #expect(checked.audit?.passed == true)
    }

    /// sdcTable's GAUSS visits cells in its index order (Total first, rows then columns): the
    /// elimination reproduces {A/m, A/f, D/m, D/f}, and {A/m, A/f, C/m, C/f} with D/male forced.
    @Test(arguments: [(false, "D"), (true, "C")])
    func sdcTableGaussPattern(forceDMale: Bool, partner: String) throws {
        let table = try microdata1()
        var order: [Int] = []
        for r in ["Total", "A", "B", "C", "D"] {
            for c in ["Total", "male", "female"] { order.append(TestTables.index(table, [r, c])) }
        }
        let primary = TestTables.index(table, ["A", "female"])
        order.removeAll { $0 == primary }
        let forced: Set<Int> = forceDMale ? [TestTables.index(table, ["D", "male"])] : []
        if forceDMale { order = Array(forced) + order.filter { !forced.contains($0) } }
        let secondaries = try GaussElimination(table: table).run(primaries: [primary], singletons: [], order: order, forced: forced)
        #expect(Set(secondaries.map { table.cells[$0].key }) == [["A", "male"], [partner, "male"], [partner, "female"]])
    }

    @Test func costOrderedGaussThenRepairGivesTheOptimum() throws {
        // With cost = frequency the elimination alone already finds sdcTable's OPT pattern (cost 42).
        let table = try microdata1()
        let rules = try TestTables.rules { $0.threshold = 3; $0.mipMaxCandidates = 0 }
        let checked = try DisclosureControl(rules: rules).protect(table, hasMagnitude: false)
        #expect(TestTables.suppressed(checked, dimensions: 2) == [["A", "male"], ["A", "female"], ["C", "male"], ["C", "female"]])
    }

    /// sdcTable 1-D: regions a, b, b, c under tot → a, b, c, d; freq primary for 1 respondent.
    func oneDimensional() throws -> ProtectionTable {
        try ProtectionTable.grid(
            dimensions: [TableDimension(name: "region", codes: ["a", "b", "c", "d"], total: "tot")],
            given: [
                ["a"]: (CellEvidence(units: 1, value: 1), 0), ["b"]: (CellEvidence(units: 2, value: 2), 0),
                ["c"]: (CellEvidence(units: 1, value: 1), 0),
            ])
    }

    /// sdcTable expects 0 secondaries without singleton detection; with zeros published a and c (a + c = 2,
    /// both ≥ 1) would each be known to be 1, so one secondary is needed either way.
    @Test(arguments: [(false, 1), (true, 1)])
    func sdcTableSingletons(detect: Bool, expected: Int) throws {
        let rules = try TestTables.rules { $0.threshold = 2; $0.singletonAttack = detect }
        let checked = try DisclosureControl(rules: rules).protect(try oneDimensional(), hasMagnitude: false)
        #expect(checked.statuses.filter { $0 == .secondary }.count == expected)
        #expect(checked.statuses[3] == .review("zero"))  // d is empty, never a secondary
    }

    @Test func tauSingletonNeedsAThirdSuppression() throws {
        // Manual §2.10: A/X2 is a singleton (15), A/X4 fails p% (17); the singleton knows its value, so
        // two suppressions in row A would let it recover A/X4.
        let values: [[Double]] = [[52, 15, 62, 17], [24, 18, 31, 8]]
        let cols = ["X1", "X2", "X3", "X4"]
        var given: [[String]: (evidence: CellEvidence, line: Int)] = [:]
        for (i, r) in ["A", "B"].enumerated() {
            for (j, c) in cols.enumerated() {
                given[[r, c]] = (CellEvidence(units: 20, value: values[i][j], topContributions: [values[i][j] / 20]), 0)
            }
        }
        given[["A", "X2"]] = (CellEvidence(units: 1, value: 15, topContributions: [15]), 0)
        given[["A", "X4"]] = (CellEvidence(units: 12, value: 17, topContributions: [16, 0.5]), 0)
        let table = try ProtectionTable.grid(
            dimensions: [
                TableDimension(name: "row", codes: ["A", "B"], total: "Total"),
                TableDimension(name: "col", codes: cols, total: "Total"),
            ], given: given)
        #expect(table.cells[TestTables.index(table, ["Total", "Total"])].evidence.value == 227)
        let rules = try TestTables.rules { $0.threshold = 1 }
        let singleton = try DisclosureControl(rules: rules).protect(table, hasMagnitude: true)
        let inRowA = TestTables.suppressed(singleton, dimensions: 2).filter { $0[0] == "A" && $0[1] != "Total" }
        #expect(inRowA.count >= 3)
        #expect(singleton.audit?.passed == true)
        // Without the singleton attack two cells in row A are enough.
        let plain = try DisclosureControl(rules: try TestTables.rules { $0.threshold = 1; $0.singletonAttack = false })
            .protect(table, hasMagnitude: true)
        #expect(TestTables.suppressed(plain, dimensions: 2).filter { $0[0] == "A" && $0[1] != "Total" }.count == 2)
    }

    @Test func tauArgusTableWithGivenProtectionLevels() throws {
        // pp.tab: Size × Region (Total → Nr, Os, Ws, Zd → provinces), statuses S/U/E, LPL/UPL given.
        // The fifth column is the additive one (the third is not: Size 4 has parts 5 + 4 + 15 = 24, total 25).
        let text = try String(contentsOf: Fixtures.url("sdc/pp.tab"), encoding: .utf8)
        var given: [[String]: (evidence: CellEvidence, line: Int)] = [:]
        var unsafe: [[String]: Double] = [:]
        var sizes: [String] = []
        func number(_ s: Substring) -> Double { Double(s.replacingOccurrences(of: ",", with: "."))! }
        for (n, line) in text.split(whereSeparator: \.isNewline).enumerated() {
            let f = line.split(separator: ";", omittingEmptySubsequences: false)
            let size = f[0].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            let region = f[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            if size != "Total", !sizes.contains(size) { sizes.append(size) }
            given[[size, region]] = (CellEvidence(units: Int(number(f[3])), value: number(f[4])), n + 1)
            if f[8] == "U" { unsafe[[size, region]] = number(f[9]) }
        }
        let provinces = (1...12).map { String(format: "%2d", $0) }
        let regions = try TableDimension(
            name: "Region", codes: provinces + ["99"], total: "Total",
            children: ["Nr": [" 1", " 2", " 3"], "Os": [" 4", " 5", " 6", " 7"], "Ws": [" 8", " 9", "10"], "Zd": ["11", "12"]])
        let table = try ProtectionTable.grid(
            dimensions: [TableDimension(name: "Size", codes: sizes, total: "Total"), regions], given: given)
        #expect(unsafe.count == 9)
        var primaries: [Int: [ProtectionRequirement]] = [:]
        for (key, level) in unsafe {
            primaries[TestTables.index(table, key)] = [ProtectionRequirement(measure: .value, lower: level, upper: level, rule: "tau")]
        }
        let rules = try TestTables.rules { $0.singletonAttack = false; $0.classDisclosureNeedsReview = false }
        let checked: CheckedTable
        do {
            checked = try DisclosureControl(rules: rules).protect(table, hasMagnitude: true, primaries: primaries)
        } catch let DisclosureError.auditFailed(report) {
            Issue.record("audit failed: \(report.cells.filter { !$0.pass })")
            return
        }
        #expect(checked.audit?.passed == true)
        #expect(checked.statuses.filter(\.isPrimary).count == 9)
        #expect(checked.statuses.contains(.secondary))
    }
}

/// Several outputs from the same data share one linear system: a second table with an overlapping
/// geography (North = A + B) must not let an attacker difference out a primary protected in the first
/// (Total = A + B + C).
struct LinkedTableTests {
    @Test func overlappingGeographiesAreProtectedTogether() throws {
        let dimension = try TableDimension(name: "area", codes: ["A", "B", "C", "North", "Total"])
        func cell(_ code: String, _ n: Int, inner: Bool) -> ProtectionTable.Cell {
            .init(key: [code], evidence: CellEvidence(units: n, value: Double(n)), isInner: inner, structuralZero: false, fromInput: true)
        }
        let cells = [cell("A", 3, inner: true), cell("B", 40, inner: true), cell("C", 30, inner: true),
                     cell("North", 43, inner: false), cell("Total", 73, inner: false)]
        let table = ProtectionTable(
            dimensions: [dimension], cells: cells,
            relations: [.init(total: 4, parts: [0, 1, 2]), .init(total: 3, parts: [0, 1])])
        let checked = try DisclosureControl(rules: try TestTables.rules()).protect(table, hasMagnitude: false)
        let hidden = TestTables.suppressed(checked, dimensions: 1)
        #expect(hidden.contains(["A"]))
        // A alone with C would fall to North − B; B (or North) must be suppressed too.
        #expect(hidden.contains(["B"]) || hidden.contains(["North"]))
        #expect(checked.audit?.passed == true)
    }
}

/// sdctable-singletons-1d with sdcTable's SIMPLEHEURISTIC `threshold` (rules key
/// `suppressedGroupMinimumUnits`): regions a (1), b (2), c (1), d (empty) under tot; a and c primary.
struct SuppressedGroupMinimumTests {
    static func table() throws -> ProtectionTable {
        try ProtectionTable.grid(
            dimensions: [TableDimension(name: "region", codes: ["a", "b", "c", "d"], total: "tot")],
            given: [
                ["a"]: (CellEvidence(units: 1, value: 1), 0), ["b"]: (CellEvidence(units: 2, value: 2), 0),
                ["c"]: (CellEvidence(units: 1, value: 1), 0),
            ])
    }

    /// threshold = 3: a + c hold 2 units, so b joins (4); threshold = 5: a + b + c hold 4 and nothing
    /// non-empty is left, so the total goes too ("the entire table needs to be suppressed").
    /// minimum = 0 gives b too: with zeros published, a and c alone would each be known to be exactly 1
    /// (a + c = 2, both ≥ 1), the leak sdcTable's attacker model (lower bound 0) does not see.
    @Test(arguments: [(0, 1, ["b"]), (3, 1, ["b"]), (5, 2, ["b", "tot"])])
    func sdcTableThreshold(minimum: Int, expected: Int, secondaries: [String]) throws {
        let rules = try TestTables.rules {
            $0.threshold = 2
            $0.singletonAttack = false
            $0.suppressedGroupMinimumUnits = minimum
        }
        let table = try Self.table()
        let checked = try DisclosureControl(rules: rules).protect(table, hasMagnitude: false)
        #expect(checked.statuses.filter { $0 == .secondary }.count == expected)
        #expect(checked.statuses.indices.filter { checked.statuses[$0] == .secondary }.map { table.cells[$0].key[0] } == secondaries)
        #expect(checked.statuses[3] == .review("zero"))  // d is empty, never a secondary
        #expect(checked.audit?.passed == true)
    }

    @Test func auditRejectsASuppressedGroupWithTooFewUnits() throws {
        let rules = try TestTables.rules {
            $0.threshold = 2
            $0.singletonAttack = false
            $0.suppressedGroupMinimumUnits = 3
        }
        let table = try Self.table()
        let control = DisclosureControl(rules: rules)
        var (statuses, requirements) = control.primaryStatuses(table, hasMagnitude: false)
        requirements = requirements.mapValues { $0.filter { $0.measure == .count } }
        #expect(statuses.filter(\.isPrimary).count == 2)
        do {
            _ = try control.render(table, statuses: statuses, requirements: requirements, hasMagnitude: false)
            Issue.record("a and c alone sum to 2 units, recoverable as tot − b − d")
        } catch let DisclosureError.auditFailed(report) {
            let a = try #require(report.cells.first { $0.key == ["a"] })
            #expect(!a.pass && a.reason.contains("together hold 2 units, fewer than 3"), "\(a.reason)")
        }
        statuses[TestTables.index(table, ["b"])] = .secondary
        #expect(try control.render(table, statuses: statuses, requirements: requirements, hasMagnitude: false).audit?.passed == true)
    }
}
