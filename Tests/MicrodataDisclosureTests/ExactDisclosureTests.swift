import Testing
@testable import MicrodataDisclosure

/// Sparse rational elimination against a dense rank test on random 0/±1 systems.
struct ExactDisclosureTests {
    /// Rank of a dense matrix by Gaussian elimination with partial pivoting (small integer entries).
    static func rank(_ m: [[Double]]) -> Int {
        var a = m
        var rank = 0
        let cols = a.first?.count ?? 0
        for c in 0..<cols {
            guard let p = (rank..<a.count).max(by: { abs(a[$0][c]) < abs(a[$1][c]) }), abs(a[p][c]) > 1e-9 else { continue }
            a.swapAt(rank, p)
            for r in 0..<a.count where r != rank {
                let f = a[r][c] / a[rank][c]
                for k in 0..<cols { a[r][k] -= f * a[rank][k] }
            }
            rank += 1
        }
        return rank
    }

    @Test func agreesWithDenseRankTest() throws {
        var rng = SplitMix64(seed: 42)
        for _ in 0..<300 {
            let unknowns = Int(rng.next() % 7) + 1
            let rowCount = Int(rng.next() % 7) + 1
            var rows: [[(Int, Int64)]] = []
            var dense: [[Double]] = []
            for _ in 0..<rowCount {
                var row: [(Int, Int64)] = []
                var d = Array(repeating: 0.0, count: unknowns)
                for j in 0..<unknowns where rng.next() % 3 == 0 {
                    let c: Int64 = rng.next() % 2 == 0 ? 1 : -1
                    row.append((j, c))
                    d[j] = Double(c)
                }
                rows.append(row)
                dense.append(d)
            }
            let determined = try ExactDisclosure.determined(rows: rows, unknowns: unknowns)
            let r = Self.rank(dense)
            for s in 0..<unknowns {
                var unit = Array(repeating: 0.0, count: unknowns)
                unit[s] = 1
                let inRowSpace = Self.rank(dense + [unit]) == r
                #expect(determined.contains(s) == inRowSpace, "unknown \(s) of \(rows)")
            }
        }
    }
}

/// A small seeded generator so the random tests are reproducible.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
