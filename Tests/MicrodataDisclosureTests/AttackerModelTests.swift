import Foundation
import Testing
@testable import MicrodataDisclosure

/// Issue 20: each attack succeeds against a naive pattern (the audit must catch it), the protection
/// defeats it, and an independent attacker (`IndependentAttack`: integer enumeration or a whole-table LP)
/// agrees with the audit.
struct AttackerModelTests {
    /// A one-way table `region` with a `Total`, from (code, units, value, top contributions).
    static func oneWay(_ cells: [(String, Int, Double, [Double])], order: [String]? = nil) throws -> ProtectionTable {
        var given: [[String]: (evidence: CellEvidence, line: Int)] = [:]
        for (code, units, value, top) in cells {
            given[[code]] = (CellEvidence(units: units, value: value, topContributions: top), 0)
        }
        return try ProtectionTable.grid(
            dimensions: [TableDimension(name: "region", codes: order ?? cells.map(\.0), total: "Total")], given: given)
    }

    /// Audits `table` with the cells `hidden` suppressed (those in `primaries` as primaries).
    static func audit(
        _ table: ProtectionTable, hidden: [[String]], primaries: [[String]: [ProtectionRequirement]], rules: DisclosureRules,
        magnitude: Bool
    ) throws -> AuditReport {
        var statuses = Array(repeating: CellStatus.safe, count: table.cells.count)
        var requirements: [Int: [ProtectionRequirement]] = [:]
        for key in hidden { statuses[TestTables.index(table, key)] = .secondary }
        for (key, reqs) in primaries {
            statuses[TestTables.index(table, key)] = .primary("rule")
            requirements[TestTables.index(table, key)] = reqs
        }
        func published(_ m: Measure) -> [Double?] {
            table.cells.indices.map { statuses[$0].isSuppressed ? nil : table.amount($0, m) }
        }
        return try Auditor(table: table, rules: rules, solver: GLPKSolver()).audit(
            statuses: statuses, requirements: requirements, published: [.count: published(.count), .value: published(.value)],
            mainMeasure: magnitude ? .value : .count, consistency: [])
    }

    static func count(_ level: Double = 1) -> ProtectionRequirement {
        ProtectionRequirement(measure: .count, lower: level, upper: level, rule: "threshold")
    }

    static func hiddenKeys(_ checked: CheckedTable, _ table: ProtectionTable) -> Set<[String]> {
        Set(table.cells.indices.filter { checked.statuses[$0].isSuppressed }.map { table.cells[$0].key })
    }

    /// Every interval the audit reports for `measure` equals the independent enumeration's.
    static func expectAuditAgreesWithEnumeration(_ checked: CheckedTable, _ table: ProtectionTable) throws {
        let hidden = Set(table.cells.indices.filter { checked.statuses[$0].isSuppressed })
        let truth = IndependentAttack.enumerate(table, hidden: hidden)
        let audit = try #require(checked.audit)
        for cell in audit.cells where cell.measure == .count {
            let i = TestTables.index(table, cell.key)
            let (lo, hi) = try #require(truth[i])
            #expect(cell.lower == Double(lo) && cell.upper == Double(hi), "\(cell.cell): audit [\(cell.lower), \(cell.upper)], enumeration [\(lo), \(hi)]")
        }
    }

    // MARK: 1. Published zeros

    /// a = b = 1 suppressed with the total published: a + b = 2 and each is at least 1, so each is 1.
    @Test func publishedZerosMakeTwoSuppressedOnesExact() throws {
        let table = try Self.oneWay([("a", 1, 1, []), ("b", 1, 1, []), ("c", 30, 30, []), ("d", 25, 25, [])])
        let rules = try TestTables.rules()
        let naive = try Self.audit(
            table, hidden: [], primaries: [["a"]: [Self.count()], ["b"]: [Self.count()]], rules: rules, magnitude: false)
        #expect(!naive.passed)
        #expect(naive.cells.allSatisfy { $0.exactlyDetermined && $0.lower == 1 && $0.upper == 1 })
        let truth = IndependentAttack.enumerate(
            table, hidden: [TestTables.index(table, ["a"]), TestTables.index(table, ["b"])])
        #expect(truth[TestTables.index(table, ["a"])]! == (1, 1))

        let checked = try DisclosureControl(rules: rules).protect(table, hasMagnitude: false)
        #expect(checked.audit?.passed == true)
        #expect(Self.hiddenKeys(checked, table).count == 3)  // a, b and one more
        try Self.expectAuditAgreesWithEnumeration(checked, table)
    }

    /// The rectangle A/x, A/y, B/x, B/y protects under a lower bound of 0, but row A holds two ones:
    /// A/x + A/y = 2 with both at least 1.
    @Test func rectangleOfOnesIsExactUnderPublishedZeros() throws {
        let table = try TestTables.twoWay(
            rows: ["A", "B", "C"], cols: ["x", "y", "z"], counts: [[1, 1, 30], [20, 25, 30], [22, 27, 31]])
        let rules = try TestTables.rules()
        let naive = try Self.audit(
            table, hidden: [["B", "x"], ["B", "y"]], primaries: [["A", "x"]: [Self.count()], ["A", "y"]: [Self.count()]],
            rules: rules, magnitude: false)
        #expect(!naive.passed)
        let ax = try #require(naive.cells.first { $0.key == ["A", "x"] })
        #expect(ax.exactlyDetermined && ax.lower == 1 && ax.upper == 1)
        let checked = try DisclosureControl(rules: rules).protect(table, hasMagnitude: false)
        #expect(checked.audit?.passed == true)
        try Self.expectAuditAgreesWithEnumeration(checked, table)
    }

    /// The attacker model is in the audit JSON: bounds, integrality, coalitions and margins.
    @Test func auditStatesItsAttackerModel() throws {
        let table = try Self.oneWay([("a", 1, 1, []), ("b", 1, 1, []), ("c", 30, 30, []), ("d", 25, 25, [])])
        let checked = try DisclosureControl(rules: try TestTables.rules()).protect(table, hasMagnitude: false)
        let json = try JSONSerialization.jsonObject(with: try #require(checked.audit).json()) as? [String: Any]
        let model = try #require(json?["attackerModel"] as? [String: Any])
        #expect((model["bounds"] as? String)?.contains(">= 1") == true)
        #expect((model["integrality"] as? String)?.contains("integer") == true)
        #expect((model["margins"] as? String)?.contains("margins") == true)
        #expect(model["singletonsTried"] as? Int == 2)
        #expect(model["pairsTried"] as? Int == 1)
    }

    // MARK: 2. Coalitions

    /// tau-ARGUS's "two singletons in a row": s1 and s2 each know their own value; together they read
    /// p = total − q − s1 − s2 exactly. Each alone still leaves p in [0, 37].
    static func twoSingletons(order: [String]? = nil) throws -> ProtectionTable {
        try oneWay(
            [("s1", 1, 15, [15]), ("s2", 1, 20, [20]), ("p", 12, 17, [16, 0.5, 0.5]), ("q", 30, 100, [10, 9, 8, 7]),
             ("r", 25, 90, [8, 7, 6, 5])], order: order)
    }

    @Test func pairOfSingletonsIsCaughtAndDefeated() throws {
        let table = try Self.twoSingletons()
        let rules = try TestTables.rules()
        let control = DisclosureControl(rules: rules)
        let (_, requirements) = control.primaryStatuses(table, hasMagnitude: true)
        var primaries: [[String]: [ProtectionRequirement]] = [:]
        for (i, reqs) in requirements { primaries[table.cells[i].key] = reqs }
        #expect(Set(primaries.keys) == [["s1"], ["s2"], ["p"]])
        let naive = try Self.audit(table, hidden: [], primaries: primaries, rules: rules, magnitude: true)
        #expect(!naive.passed)
        let p = try #require(naive.cells.first { $0.key == ["p"] && $0.measure == .value })
        #expect(p.reason.contains("region=s1 and region=s2 pool their own values"), "\(p.reason)")
        // Each singleton alone does not break p (independent LP), the pair does.
        let hidden: Set<Int> = [TestTables.index(table, ["s1"]), TestTables.index(table, ["s2"]), TestTables.index(table, ["p"])]
        let alone = try IndependentAttack.valueInterval(
            table, hidden: hidden, known: [TestTables.index(table, ["s1"])], target: TestTables.index(table, ["p"]))
        #expect(alone.0 == 0 && alone.1 == 37)
        let pair = try IndependentAttack.valueInterval(
            table, hidden: hidden, known: [TestTables.index(table, ["s1"]), TestTables.index(table, ["s2"])],
            target: TestTables.index(table, ["p"]))
        #expect(pair.0 == 17 && pair.1 == 17)

        let checked = try control.protect(table, hasMagnitude: true)
        let audit = try #require(checked.audit)
        #expect(audit.passed)
        let protected = Set(table.cells.indices.filter { checked.statuses[$0].isSuppressed })
        let againstPair = try IndependentAttack.valueInterval(
            table, hidden: protected, known: [TestTables.index(table, ["s1"]), TestTables.index(table, ["s2"])],
            target: TestTables.index(table, ["p"]))
        let reported = try #require(audit.cells.first { $0.key == ["p"] && $0.measure == .value })
        let required = (try #require(reported.requiredLower), try #require(reported.requiredUpper))
        #expect(againstPair.0 <= required.0 && againstPair.1 >= required.1, "\(againstPair)")
    }

    // MARK: 3. Values of threshold primaries

    /// One person's value 50 in a magnitude table: the zero-valued cell z (3 people, value 0) protects the
    /// count but not the value (a ∈ [0, 50] stops at the truth); the value needs [45, 55].
    static func lonePerson(order: [String]? = nil) throws -> ProtectionTable {
        try oneWay([("a", 1, 50, []), ("z", 3, 0, []), ("b1", 20, 300, []), ("b2", 20, 300, [])], order: order)
    }

    @Test func valueOfAThresholdPrimaryNeedsProtection() throws {
        let table = try Self.lonePerson()
        let rules = try TestTables.rules { $0.threshold = 3 }
        let naive = try Self.audit(
            table, hidden: [["z"]], primaries: [["a"]: [Self.count()]], rules: rules, magnitude: true)
        // The requirements the rules give a threshold primary in a magnitude table include the value.
        let (_, requirements) = DisclosureControl(rules: rules).primaryStatuses(table, hasMagnitude: true)
        let a = TestTables.index(table, ["a"])
        #expect(requirements[a]?.contains { $0.measure == .value && $0.lower == 5 && $0.upper == 5 } == true)
        let withValue = try Self.audit(
            table, hidden: [["z"]], primaries: [["a"]: requirements[a]!], rules: rules, magnitude: true)
        #expect(naive.cells.first { $0.key == ["a"] && $0.measure == .value }.map { [$0.lower, $0.upper] } == [0, 50])
        #expect(!withValue.passed)

        let checked = try DisclosureControl(rules: rules).protect(table, hasMagnitude: true)
        #expect(checked.audit?.passed == true)
        #expect(!checked.statuses[TestTables.index(table, ["z"])].isSuppressed)
        let value = try #require(checked.audit?.cells.first { $0.key == ["a"] && $0.measure == .value })
        #expect(value.lower <= 45 && value.upper >= 55)
    }

    /// An interval [0, 0] (two zero-valued cells whose relation leaves nothing) is an exact disclosure even
    /// though elimination cannot isolate either cell.
    @Test func pointIntervalIsExactlyDetermined() throws {
        let table = try Self.oneWay([("z1", 2, 0, []), ("z2", 2, 0, []), ("b", 20, 300, [])])
        let report = try Self.audit(
            table, hidden: [["z1"], ["z2"]], primaries: [:], rules: try TestTables.rules(), magnitude: true)
        let z1 = try #require(report.cells.first { $0.key == ["z1"] && $0.measure == .value })
        #expect(z1.lower == 0 && z1.upper == 0)
        #expect(z1.exactlyDetermined && !z1.pass)
    }

    /// The same table with its codes in another order gives the same pattern: b1 and b2 cost the same, and
    /// the tie is broken by key, not by position.
    @Test func patternDoesNotDependOnRowOrder() throws {
        let rules = try TestTables.rules { $0.threshold = 3 }
        var patterns: Set<Set<[String]>> = []
        for order in [["a", "b1", "b2", "c"], ["c", "b2", "b1", "a"], ["b2", "a", "c", "b1"]] {
            let table = try Self.oneWay(
                [("a", 1, 50, []), ("b1", 20, 300, []), ("b2", 20, 300, []), ("c", 40, 500, [])], order: order)
            let checked = try DisclosureControl(rules: rules).protect(table, hasMagnitude: true)
            #expect(checked.audit?.passed == true)
            patterns.insert(Self.hiddenKeys(checked, table))
        }
        #expect(patterns == [[["a"], ["b1"]]], "\(patterns)")
    }

    // MARK: 4. Zero cells as secondaries, and honest refusals

    /// A/x's value 0 needs upward room only ([0, 1]). With the margins forced published the only rectangle
    /// is A/x, A/y, B/x, B/y, and B/y is zero-valued (3 people, value 0): it cannot move down, but moving up
    /// is exactly what A/x needs, so it is used rather than refusing the table.
    @Test func zeroValuedCellIsUsedWhenItIsTheOnlyWay() throws {
        let table = try TestTables.twoWay(
            rows: ["A", "B"], cols: ["x", "y"], counts: [[10, 5], [4, 3]], values: [[0, 40], [30, 0]])
        let rules = try TestTables.rules { $0.threshold = 3; $0.classDisclosureNeedsReview = false }
        let margins = Set(table.cells.indices.filter { !table.cells[$0].isInner })
        let ax = TestTables.index(table, ["A", "x"])
        let checked = try DisclosureControl(rules: rules).protect(
            table, hasMagnitude: true, forcedPublish: margins,
            primaries: [ax: [ProtectionRequirement(measure: .value, lower: 1, upper: 1, rule: "given")]])
        #expect(checked.audit?.passed == true)
        #expect(Self.hiddenKeys(checked, table) == [["A", "x"], ["A", "y"], ["B", "x"], ["B", "y"]])
        let value = try #require(checked.audit?.cells.first { $0.key == ["A", "x"] && $0.measure == .value })
        #expect(value.lower == 0 && value.upper >= 1)
        let independent = try IndependentAttack.valueInterval(
            table, hidden: Set(table.cells.indices.filter { checked.statuses[$0].isSuppressed }), target: ax)
        #expect(independent.0 == value.lower && independent.1 == value.upper)
    }

    /// A table that truly cannot be protected says why and what to do.
    @Test func unprotectableTableSaysWhatToDo() throws {
        // One person in a, b empty, and c and the total must be published: a is the total minus c.
        let table = try Self.oneWay([("a", 1, 1, []), ("b", 0, 0, []), ("c", 12, 12, [])])
        let forced: Set<Int> = [TestTables.index(table, ["c"]), TestTables.index(table, ["Total"])]
        do {
            _ = try DisclosureControl(rules: try TestTables.rules()).protect(table, hasMagnitude: false, forcedPublish: forced)
            Issue.record("expected a refusal")
        } catch let DisclosureError.unprotectable(cell, reason) {
            #expect(cell == "region=a")
            #expect(reason.contains("merge small categories") && reason.contains("rounded table"), "\(reason)")
        }
    }

    // MARK: Speed: one-way tables of primaries

    /// 300 one-person categories (a numeric column read as categorical): no LP is needed.
    @Test(.timeLimit(.minutes(1))) func oneWayTableOfPrimariesIsFast() throws {
        let cells = (0..<300).map { (String(format: "v%03d", $0), 1, 1.0, [Double]()) }
        let table = try Self.oneWay(cells)
        let start = ContinuousClock.now
        let checked = try DisclosureControl(rules: try TestTables.rules()).protect(table, hasMagnitude: false)
        let elapsed = ContinuousClock.now - start
        #expect(checked.audit?.passed == true)
        // With the total published every cell would be 1 exactly (300 ones summing to 300): it is hidden.
        #expect(checked.statuses[TestTables.index(table, ["Total"])].isSuppressed)
        #expect(elapsed < .seconds(3), "\(elapsed)")
    }
}
