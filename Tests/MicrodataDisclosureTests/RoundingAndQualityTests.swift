import Testing
@testable import MicrodataDisclosure

/// Rounding alternatives (opensafely-redact-then-round, tau-controlled-rounding-intervals) and the
/// quality layer (nomis-aps-flags, ons-cv-quality-bands).
struct RoundingAndQualityTests {
    @Test func openSafelyRedactThenRound() {
        let heart = Rounding.redactThenRound([3, 8, 16, 23], redactAtOrBelow: 7, base: 5)
        #expect(heart.cells.map(\.published) == [nil, 10, 15, 25])
        #expect(heart.totalOfPublished == 50)
        let population = Rounding.redactThenRound([18, 23, 31, 44], redactAtOrBelow: 7, base: 5)
        #expect(population.cells.map(\.published) == [20, 25, 30, 45])
        #expect(population.totalOfPublished == 120)  // not round(116) = 115
        // Attacker intervals: redacted → [0, 7]; 10 → [8, 12].
        #expect(heart.cells[0].lower == 0 && heart.cells[0].upper == 7)
        #expect(heart.cells[1].lower == 8 && heart.cells[1].upper == 12)
    }

    @Test func conventionalRoundingInterval() {
        let zero = Rounding.conventional(2, base: 5)
        #expect(zero.published == 0 && zero.lower == 0 && zero.upper == 2)  // "0" means 0–2
        let r = Rounding.conventional(23, base: 5)
        #expect(r.published == 25 && r.lower == 23 && r.upper == 27)
    }

    @Test func openSafelyMidpoint6() {
        #expect(Rounding.midpoint(0, base: 6).published == 0)
        #expect((1...6).allSatisfy { Rounding.midpoint($0, base: 6).published == 3 })
        #expect((7...12).allSatisfy { Rounding.midpoint($0, base: 6).published == 9 })
        #expect((13...18).allSatisfy { Rounding.midpoint($0, base: 6).published == 15 })
        let nine = Rounding.midpoint(8, base: 6)
        #expect(nine.lower == 7 && nine.upper == 12)
    }

    @Test func tauControlledRoundingIntervals() {
        #expect(Rounding.controlledInterval(published: 0, base: 5, steps: 0) == (0, 4))
        #expect(Rounding.controlledInterval(published: 15, base: 5, steps: 1) == (6, 24))
        #expect(Rounding.controlledInterval(published: 15, base: 5, steps: 0) == (11, 19))  // [a−b+1, a+b−1]
    }

    @Test func onsCVBands() throws {
        let rules = try TestTables.rules()
        #expect(rules.cvBand(0.05) == .precise)
        #expect(rules.cvBand(0.0501) == .reasonablyPrecise)
        #expect(rules.cvBand(0.10) == .reasonablyPrecise)
        #expect(rules.cvBand(0.20) == .acceptable)
        #expect(rules.cvBand(0.2001) == .unreliable)
        #expect(rules.quality(estimate: 0, standardError: 1, sampleSize: 50).cvBand == nil)
    }

    @Test func nomisFlags() throws {
        let rules = try TestTables.rules()
        #expect([0, 1, 2].allSatisfy { rules.nomisFlag(sampleSize: $0) == .disclosive })
        #expect([3, 9].allSatisfy { rules.nomisFlag(sampleSize: $0) == .unreliable })
        #expect(rules.nomisFlag(sampleSize: 10) == NomisFlag.none)
        #expect(NomisFlag.disclosive.rawValue == "!" && NomisFlag.unreliable.rawValue == "*")
    }
}

/// Quality columns on a protected table: present on published cells, empty on suppressed ones.
struct QualityColumnTests {
    @Test func protectAddsQualityColumns() throws {
        let table = try ProtectionTable.grid(
            dimensions: [TableDimension(name: "region", codes: ["A", "B", "C", "D"], total: "Total")],
            given: [
                ["A"]: (CellEvidence(units: 120, value: 5000), 0), ["B"]: (CellEvidence(units: 8, value: 300), 0),
                ["C"]: (CellEvidence(units: 40, value: 2000), 0), ["D"]: (CellEvidence(units: 25, value: 900), 0),
            ])
        let se: [Int: Double] = [0: 150, 1: 90, 2: 300, 3: 40]
        let checked = try DisclosureControl(rules: try TestTables.rules()).protect(
            table, hasMagnitude: true, standardErrors: se)
        #expect(checked.header == ["region", "count", "value", "cv_band", "nomis", "status"])
        #expect(checked.rows[0] == ["A", "120", "5000", "precise", "", "safe"])  // CV 3%
        #expect(checked.rows[1] == ["B", "[c]", "[c]", "", "", "primary:threshold"])
        #expect(checked.rows[2][3] == "acceptable")  // CV 15%
        #expect(checked.rows[4][3] == "")  // the total has no standard error given
    }
}
