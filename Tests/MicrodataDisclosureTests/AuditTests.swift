import Foundation
import Testing
@testable import MicrodataDisclosure

/// The audit against oracles/sdc: tau-audit-3x2 (manual §2.15) and exact disclosure in rational arithmetic.
struct AuditTests {
    /// tau-ARGUS manual §2.15: rows 1–3 × columns 1–2 with totals; X11, X12, X21, X22 suppressed.
    /// The manual gives only the published cells; the inner values below are one table consistent with them.
    func tauTable() throws -> ProtectionTable {
        try TestTables.twoWay(rows: ["1", "2", "3"], cols: ["1", "2"], counts: [[5, 2], [1, 2], [3, 3]])
    }

    /// The manual's intervals are for magnitudes (lower bound 0): audited as values here. As a frequency
    /// table with published zeros every suppressed count is at least 1, which narrows X11 to [4, 5].
    @Test(arguments: [(Measure.value, [[3.0, 6], [1, 4], [0, 3], [0, 3]]), (.count, [[4, 5], [2, 3], [1, 2], [1, 2]])])
    func tauAuditIntervals(measure: Measure, expected: [[Double]]) throws {
        let table = try tauTable()
        let rules = try TestTables.rules { $0.singletonAttack = false }
        var statuses = Array(repeating: CellStatus.safe, count: table.cells.count)
        for key in [["1", "1"], ["1", "2"], ["2", "1"], ["2", "2"]] { statuses[TestTables.index(table, key)] = .secondary }
        let published: [Double?] = table.cells.indices.map { statuses[$0].isSuppressed ? nil : table.amount($0, .count) }
        let report = try Auditor(table: table, rules: rules, solver: GLPKSolver()).audit(
            statuses: statuses, requirements: [:], published: [measure: published], mainMeasure: measure, consistency: [])
        func interval(_ key: [String]) -> [Double] {
            let c = report.cells.first { $0.key == key }!
            return [c.lower, c.upper]
        }
        // Values: the manual's X11 ∈ [3, 6], the others independently re-derived (GLPK glp_exact, scipy).
        #expect([["1", "1"], ["1", "2"], ["2", "1"], ["2", "2"]].map(interval) == expected)
        #expect(report.passed)
        #expect(report.summary == "0 of 4 suppressed cells recoverable")
    }

    @Test func auditFailsWhenAPrimaryIsRecoverable() throws {
        // X11 = 5 needs [4, 6] here but only one suppression in its row: exactly determined.
        let table = try tauTable()
        let rules = try TestTables.rules()
        var statuses = Array(repeating: CellStatus.safe, count: table.cells.count)
        let p = TestTables.index(table, ["1", "1"])
        statuses[p] = .primary("threshold")
        let requirement = ProtectionRequirement(measure: .count, lower: 1, upper: 1, rule: "threshold")
        let published: [Double?] = table.cells.indices.map { statuses[$0].isSuppressed ? nil : table.amount($0, .count) }
        let report = try Auditor(table: table, rules: rules, solver: GLPKSolver()).audit(
            statuses: statuses, requirements: [p: [requirement]], published: [.count: published], mainMeasure: .count,
            consistency: [])
        #expect(!report.passed)
        #expect(report.recoverableCells == 1)
        #expect(report.cells[0].exactlyDetermined)
        #expect(report.cells[0].lower == 5 && report.cells[0].upper == 5)
        #expect(report.summary == "1 of 1 suppressed cells recoverable")
    }

    @Test func exactEliminationFindsCombinationDisclosure() throws {
        // Two suppressions in every row and column do not rule out exact disclosure:
        // y0 + y1 = b, y1 + y2 = c, y0 + y2 = d determine all three (rank 3).
        let determined = try ExactDisclosure.determined(rows: [[(0, 1), (1, 1)], [(1, 1), (2, 1)], [(0, 1), (2, 1)]], unknowns: 3)
        #expect(determined == [0, 1, 2])
        // A 2×2 rectangle of unknowns is not determined.
        let rectangle = try ExactDisclosure.determined(
            rows: [[(0, 1), (1, 1)], [(2, 1), (3, 1)], [(0, 1), (2, 1)], [(1, 1), (3, 1)]], unknowns: 4)
        #expect(rectangle.isEmpty)
    }
}
