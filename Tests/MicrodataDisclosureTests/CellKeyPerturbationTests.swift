import Foundation
import MicrodataReaders
import MicrodataTestSupport
import MicrodataWeighting
import Testing

@testable import MicrodataDisclosure

/// The cell-key method (issue 21 §3): record keys, the shipped ptable, and noise that is the same for the same
/// cell, follows the ptable, and does not give one record away by differencing.
struct CellKeyPerturbationTests {
    static let ptable = try! PerturbationTable.load(from: Fixtures.codebook("disclosure/cell-key-ptable.json"))

    /// The probability of each noise value for a count, from the shipped table.
    static func probabilities(_ count: Int) -> [Int: Double] {
        Dictionary(uniqueKeysWithValues: ptable.row(for: count).map { ($0.noise, $0.probability) })
    }

    @Test func sipHashMatchesTheReferenceVector() {
        // Aumasson and Bernstein (2012), appendix A: key 00…0f, message 00…0e.
        let message = (0..<15).map(UInt8.init)
        #expect(SipHash24.hash(message, k0: 0x0706_0504_0302_0100, k1: 0x0f0e_0d0c_0b0a_0908) == 0xa129_ca61_49be_45e5)
    }

    @Test func shippedPtableHasItsStatedDesign() {
        let t = Self.ptable
        #expect(t.label == "D3V200js2" && t.maximumNoise == 3 && t.variance == 2 && t.blockedSmallCounts == 2)
        #expect(t.rows.count == 7)
        #expect(t.row(for: 0).map(\.target) == [0])
        for i in 1..<t.rows.count {
            let row = t.rows[i]
            let mean = row.reduce(0) { $0 + Double($1.noise) * $1.probability }
            let variance = row.reduce(0) { $0 + Double($1.noise * $1.noise) * $1.probability }
            #expect(abs(row.reduce(0) { $0 + $1.probability } - 1) < 1e-12, "row \(i)")
            #expect(abs(mean) < 1e-9, "row \(i) is unbiased")
            #expect(abs(variance - 2) < 1e-9, "row \(i) has variance V")
            #expect(row.allSatisfy { abs($0.noise) <= 3 && !(1...2).contains($0.target) && $0.target >= 0 })
            #expect(row.last?.upper == 1)
        }
        // Counts 1 and 2 go to 0 or 3; large counts by the maximum-entropy shape.
        #expect(Self.probabilities(1).mapValues { ($0 * 1e4).rounded() } == [-1: 6667, 2: 3333])
        #expect(Self.probabilities(2).mapValues { ($0 * 1e4).rounded() } == [-2: 3333, 1: 6667])
        let large = Self.probabilities(1000)
        #expect(abs(large[0]! - 0.26923) < 1e-4 && abs(large[1]! - 0.21612) < 1e-4 && abs(large[3]! - 0.03738) < 1e-4)
        #expect(large[1] == large[-1] && large[3] == large[-3])
    }

    @Test func ptableThatBreaksItsDesignIsRefused() throws {
        func load(_ rows: String) throws -> PerturbationTable {
            let url = try Fixtures.temporaryDirectory().appendingPathComponent("ptable.json")
            try Data(("""
                {"_source": "test", "_date": "2026-12-04", "_licence": "test", "label": "t", "maximumNoise": 2,
                 "variance": 1, "blockedSmallCounts": 2, "rows": [\(rows)]}
                """).utf8).write(to: url)
            return try PerturbationTable.load(from: url)
        }
        let zero = #"{"i": 0, "j": 0, "p": 1}"#
        // A count of 3 published as 2 (a blocked small count).
        #expect(throws: CellKeyError.self) { try load(zero + #", {"i": 3, "j": 2, "p": 0.5}, {"i": 3, "j": 4, "p": 0.5}"#) }
        // Probabilities of a row not summing to 1; a biased row; a zero that moves.
        #expect(throws: CellKeyError.self) { try load(zero + #", {"i": 1, "j": 0, "p": 0.5}"#) }
        #expect(throws: CellKeyError.self) { try load(zero + #", {"i": 4, "j": 5, "p": 1}"#) }
        #expect(throws: CellKeyError.self) { try load(#"{"i": 0, "j": 3, "p": 1}, {"i": 1, "j": 0, "p": 1}"#) }
        let fine = try load(zero + #", {"i": 1, "j": 0, "p": 0.666666666667}, {"i": 1, "j": 3, "p": 0.333333333333}"#)
        #expect(fine.noise(count: 1, cellKey: 0.66) == -1 && fine.noise(count: 1, cellKey: 0.67) == 2)
        // The last row serves every larger count.
        #expect(fine.noise(count: 50, cellKey: 0.9) == 2)
    }

    @Test func zerosStayZeroAndCountsOneAndTwoAreNeverPublishedAsThemselves() {
        let keys = CellKeyAccumulator(
            generator: RecordKeyGenerator(seed: "s"), identity: .allFields, by: [], analysis: .mean("x"), weight: nil)
        let perturbation = CellKeyPerturbation(table: Self.ptable, keys: keys)
        let generator = RecordKeyGenerator(seed: "zeros")
        var published: [Int: Set<Int>] = [:]
        for k in 0..<3000 {
            let key = generator.key(identifier: String(k))
            #expect(perturbation.perturbed(count: 0, key: key) == 0)
            for n in 1...2 { published[n, default: []].insert(perturbation.perturbed(count: n, key: key)) }
        }
        #expect(published[1] == [0, 3])
        #expect(published[2] == [0, 3])
    }

    @Test func noiseOverManyCellsFollowsThePtable() {
        // 14,000 cells of 25 records each, keys from record identifiers under a fixed seed.
        let generator = RecordKeyGenerator(seed: "distribution")
        let cells = 14_000
        var observed: [Int: Int] = [:]
        for c in 0..<cells {
            var key: UInt64 = 0
            for r in 0..<25 { key &+= generator.key(identifier: "\(c)-\(r)") }
            observed[Self.ptable.noise(count: 25, cellKey: RecordKeyGenerator.fraction(key)), default: 0] += 1
        }
        let expected = Self.probabilities(25)
        #expect(Set(observed.keys).isSubset(of: Set(expected.keys)))
        var chiSquare = 0.0
        for (v, p) in expected {
            let e = p * Double(cells)
            let o = Double(observed[v] ?? 0)
            chiSquare += (o - e) * (o - e) / e
            #expect(abs(o / Double(cells) - p) < 0.01, "noise \(v): \(o / Double(cells)) against \(p)")
        }
        // 7 noise values: 6 df; the 0.999 quantile of χ²(6) is 22.46.
        #expect(chiSquare < 22.46, "χ² = \(chiSquare)")
        #expect(chiSquare > 0.1, "χ² = \(chiSquare): too good to be chance")
    }

    /// A batch of `rows` records (id, A, B, X, w).
    static func batch(_ rows: [(id: Int, a: String, b: String, x: Double, w: Double)]) -> Batch {
        Batch(columns: [
            Column(name: "id", storage: .integer(rows.map { Int64($0.id) }, missing: rows.map { _ in false })),
            Column(name: "A", storage: .text(rows.map(\.a))),
            Column(name: "B", storage: .text(rows.map(\.b))),
            Column(name: "X", storage: .real(rows.map(\.x))),
            Column(name: "w", storage: .real(rows.map(\.w))),
        ], rowCount: rows.count)
    }

    static let people: [(id: Int, a: String, b: String, x: Double, w: Double)] = (0..<500).map { i in
        (i, ["a", "b", "c"][(i * 7) % 3], ["p", "q"][(i * 5 / 3) % 2], Double(i % 50), 1 + Double(i % 9) / 4)
    }

    static func keys(by: [String], analysis: Analysis, seed: String = "release-1", identity: CellKeyAccumulator.Identity = .columns(["id"]),
                     rows: [(id: Int, a: String, b: String, x: Double, w: Double)] = people) throws -> CellKeyAccumulator {
        var keys = CellKeyAccumulator(
            generator: RecordKeyGenerator(seed: seed), identity: identity, by: by, analysis: analysis, weight: "w")
        // Two batches, in a different order from the file: the keys must not depend on it.
        try keys.add(batch(Array(rows.suffix(from: 200))))
        try keys.add(batch(Array(rows.prefix(200))))
        return keys
    }

    @Test func aCellReachedAsAMarginOfAFinerTableHasTheSameKeyAndNoise() throws {
        let coarse = try Self.keys(by: ["A"], analysis: .mean("X"))
        let fine = try Self.keys(by: ["A", "B"], analysis: .mean("X"))
        let perturbation = CellKeyPerturbation(table: Self.ptable, keys: coarse)
        for a in ["a", "b", "c"] {
            let direct = try #require(coarse.cell(byValues: [a], level: nil))
            var key: UInt64 = 0
            var count = 0
            for b in ["p", "q"] {
                let part = try #require(fine.cell(byValues: [a, b], level: nil))
                key &+= part.key
                count += part.count
            }
            #expect(key == direct.key && count == direct.count)
            #expect(perturbation.perturbed(count: count, key: key) == perturbation.perturbed(count: direct.count, key: direct.key))
            // The same people as the level a of a proportion (no by): same key.
            let level = try #require(try Self.keys(by: [], analysis: .proportion("A")).cell(byValues: [], level: a))
            #expect(level.key == direct.key && level.count == direct.count)
        }
        // Keyed by all fields instead of the identifier: other keys, the same additivity.
        let byFields = try Self.keys(by: ["A"], analysis: .mean("X"), identity: .allFields)
        #expect(byFields.cell(byValues: ["a"], level: nil)?.key != coarse.cell(byValues: ["a"], level: nil)?.key)
    }

    @Test func differentSeedsGiveDifferentNoise() throws {
        let one = try Self.keys(by: ["A", "B"], analysis: .proportion("X"), seed: "release-1")
        let two = try Self.keys(by: ["A", "B"], analysis: .proportion("X"), seed: "release-2")
        let p1 = CellKeyPerturbation(table: Self.ptable, keys: one)
        let p2 = CellKeyPerturbation(table: Self.ptable, keys: two)
        var differ = 0, cells = 0
        for (cell, value) in one.cells {
            let other = try #require(two.cells[cell])
            #expect(other.count == value.count && other.key != value.key)
            cells += 1
            if p1.perturbed(count: value.count, key: value.key) != p2.perturbed(count: other.count, key: other.key) {
                differ += 1
            }
        }
        #expect(cells == 150)
        // Two independent draws from the ptable agree with probability Σp²: 0.35 for these cells of about 3
        // records, 0.19 for counts of 6 or more.
        #expect(differ > cells / 2, "\(differ) of \(cells) cells differ")
    }

    @Test func differencingWithAndWithoutOneRecordNoLongerGivesItsValue() throws {
        // The attacker tabulates B by A with and without each record in turn and subtracts.
        let full = try Self.keys(by: ["A"], analysis: .proportion("B"))
        let perturbation = CellKeyPerturbation(table: Self.ptable, keys: full)
        var exact = 0, hidden = 0
        let trials = 300
        for r in 0..<trials {
            let person = Self.people[r]
            let without = try Self.keys(by: ["A"], analysis: .proportion("B"), rows: Self.people.filter { $0.id != person.id })
            let a = try #require(full.cell(byValues: [person.a], level: person.b))
            let b = try #require(without.cell(byValues: [person.a], level: person.b))
            #expect(a.count == b.count + 1)
            let difference = perturbation.perturbed(count: a.count, key: a.key) - perturbation.perturbed(count: b.count, key: b.key)
            if difference == 1 { exact += 1 }
            if difference == 0 { hidden += 1 }
        }
        // Unperturbed, the difference is 1 every time. Perturbed, it is 1 only when both draws agree (Σp² ≈ 0.19),
        // and 0, hiding where the record was, when they differ by one the right way (≈ 0.17).
        #expect(Double(exact) / Double(trials) < 0.27, "\(exact) of \(trials) differences give the record exactly")
        #expect(Double(exact) / Double(trials) > 0.12)
        #expect(Double(hidden) / Double(trials) > 0.10, "\(hidden) of \(trials) differences are 0")
    }
}
