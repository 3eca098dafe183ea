import Testing
@testable import MicrodataDisclosure

/// The reuse behind secondary suppression's "already protected" check: components of the suppressed set
/// and loaded attacker models must give what a fresh computation gives.
@Suite struct AttackCacheTests {
    /// A 3×3 table with margins; inner counts are small so several cells are primaries.
    func table() throws -> ProtectionTable {
        try TestTables.twoWay(
            rows: ["a", "b", "c"], cols: ["x", "y", "z"], counts: [[2, 15, 30], [20, 3, 25], [18, 22, 1]])
    }

    @Test func componentsAreTheAuditorsGroupsOfSuppressedCells() throws {
        let table = try table()
        let keys = [["a", "x"], ["a", "y"], ["b", "x"], ["b", "y"], ["c", "z"], ["c", "Total"]]
        let suppressed = Set(keys.map { TestTables.index(table, $0) })
        let cache = AttackCache(table)
        let groups = Auditor(table: table, rules: try TestTables.rules(), solver: GLPKSolver()).components(suppressed.sorted())
        #expect(groups.count == 2)
        for group in groups {
            let component = cache.component(of: group[0], suppressed)
            #expect(component.cells == group)
            #expect(group.allSatisfy { cache.component(of: $0, suppressed).id == component.id })
        }
    }

    @Test func growingTheSuppressedSetRebuildsTheComponents() throws {
        let table = try table()
        let ax = TestTables.index(table, ["a", "x"]), cz = TestTables.index(table, ["c", "z"])
        let cache = AttackCache(table)
        #expect(cache.component(of: ax, [ax, cz]).cells == [ax])
        // [a, z] shares row a with [a, x] and column z with [c, z]: one component.
        let az = TestTables.index(table, ["a", "z"])
        #expect(cache.component(of: ax, [ax, cz, az]).cells == [ax, az, cz].sorted())
    }

    @Test func warmStartedIntervalsEqualFreshOnes() throws {
        let table = try table()
        let keys = [["a", "x"], ["a", "y"], ["b", "x"], ["b", "y"], ["c", "z"], ["c", "y"], ["b", "z"]]
        let component = keys.map { TestTables.index(table, $0) }.sorted()
        let bounds = AttackerBounds(table: table, measure: .count)
        let problem = try AttackProblem(
            table: table, component: component, measure: .count, bounds: bounds, integral: true,
            value: { table.amount($0, .count) })
        #expect(problem.rows.count > 1)
        let truth = { (i: Int) in table.amount(i, .count) }
        for known in [[], [TestTables.index(table, ["c", "z"])]] {
            let model = try AttackModel(problem, known: known, truth: truth, solver: GLPKSolver(), exact: false)
            for (k, cell) in component.enumerated().reversed() {
                let fresh = try problem.intervals(
                    known: known, truth: truth, targets: [cell], solver: GLPKSolver(), exact: false)[k]
                let reused = try model.interval(k)
                #expect(reused == fresh, "cell \(table.name(of: cell)) knowing \(known)")
                #expect(reused.0 <= truth(cell) && truth(cell) <= reused.1)
            }
        }
        // [b, x] moves with [a, x], [a, y] and [b, y] around the 2×2 square: a real width, not a point.
        let bx = component.firstIndex(of: TestTables.index(table, ["b", "x"]))!
        let open = try AttackModel(problem, known: [], truth: truth, solver: GLPKSolver(), exact: false).interval(bx)
        #expect(open.1 - open.0 >= 2)
    }
}
