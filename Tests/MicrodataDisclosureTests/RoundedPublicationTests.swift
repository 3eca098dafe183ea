import Testing
@testable import MicrodataDisclosure

/// Rounding instead of suppression through `DisclosureControl.round` (opensafely-redact-then-round and
/// the conventional-rounding existence intervals of docs/disclosure.md §2.5), with the audit's intervals.
struct RoundedPublicationTests {
    static func column(_ counts: [Int]) throws -> ProtectionTable {
        let codes = ["21-30", "31-40", "41-50", "51+"]
        var given: [[String]: (evidence: CellEvidence, line: Int)] = [:]
        for (code, n) in zip(codes, counts) { given[[code]] = (CellEvidence(units: n, value: Double(n)), 0) }
        return try ProtectionTable.grid(
            dimensions: [TableDimension(name: "age_band", codes: codes, total: "Total")], given: given)
    }

    @Test func openSafelyRedactThenRoundStatesTotalsOfPublishedCells() throws {
        let control = DisclosureControl(rules: try TestTables.rules())
        let heart = try control.round(try Self.column([3, 8, 16, 23]), method: .redactThenRound(base: 5, redactAtOrBelow: 7))
        #expect(heart.rows.map { $0[1] } == ["[c]", "10", "15", "25", "50"])
        #expect(heart.rows.map { $0[2] } == [
            "redacted:threshold", "rounded:5", "rounded:5", "rounded:5", "total-of-published:5",
        ])
        let population = try control.round(try Self.column([18, 23, 31, 44]), method: .redactThenRound(base: 5, redactAtOrBelow: 7))
        #expect(population.rows.map { $0[1] } == ["20", "25", "30", "45", "120"])  // not round(116) = 115
        let audit = try #require(heart.audit)
        #expect(audit.passed)
        #expect(audit.publication?.contains("totals are sums of the published rounded cells") == true)
        let intervals = audit.cells.map { [$0.lower, $0.upper] }
        // Redacted → [0, 7]; 10 → [8, 12]; 15 → [13, 17]; 25 → [23, 27]; the true total is their sum.
        #expect(intervals == [[0, 7], [8, 12], [13, 17], [23, 27], [44, 63]])
    }

    @Test func defaultRedactionLimitIsBelowTheThreshold() throws {
        let rules = try TestTables.rules()
        #expect(rules.redactAtOrBelow == nil && rules.redactionLimit == rules.threshold - 1)
        let checked = try DisclosureControl(rules: rules).round(
            try Self.column([3, 9, 10, 23]), method: .redactThenRound(base: 5, redactAtOrBelow: rules.redactionLimit))
        #expect(checked.rows.map { $0[1] } == ["[c]", "[c]", "10", "25", "35"])
        #expect(checked.audit?.cells[1].upper == 9)
        #expect(checked.audit?.cells[2].lower == 10)  // published 10 after redaction of 0–9: [10, 12]
    }

    @Test func conventionalRoundingRoundsMarginsIndependently() throws {
        let checked = try DisclosureControl(rules: try TestTables.rules()).round(
            try Self.column([3, 8, 16, 23]), method: .conventional(base: 5))
        #expect(checked.rows.map { $0[1] } == ["5", "10", "15", "25", "50"])  // true total 50
        let audit = try #require(checked.audit)
        #expect(audit.passed)
        let eight = try #require(audit.cells.first { $0.key == ["31-40"] })
        #expect(eight.lower == 8 && eight.upper == 12)  // published 10, base 5
        let three = try #require(audit.cells.first { $0.key == ["21-30"] })
        #expect(three.lower == 3 && three.upper == 7)
        #expect(audit.summary == "rounded to base 5: 0 of 2 cells below the threshold exactly determined")
    }

    @Test func roundingThatDeterminesASmallCountFailsTheAudit() throws {
        do {
            _ = try DisclosureControl(rules: try TestTables.rules()).round(
                try Self.column([3, 8, 16, 23]), method: .conventional(base: 1))
            Issue.record("base 1 publishes the true counts; the audit must fail")
        } catch let DisclosureError.auditFailed(report) {
            #expect(!report.passed && report.recoverableCells == 2)
            #expect(report.cells.filter { !$0.pass }.map(\.key) == [["21-30"], ["31-40"]])
        }
    }
}
