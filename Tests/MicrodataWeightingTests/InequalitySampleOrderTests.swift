@testable import MicrodataWeighting
import Testing

@Suite("Inequality measures: rows sorted by value")
struct InequalitySampleOrderTests {
    /// convey's order (R `order`): by value, ties by row.
    private func comparatorOrder(_ rows: [Int], _ values: [Double]) -> [Int] {
        rows.sorted { values[$0] < values[$1] || (values[$0] == values[$1] && $0 < $1) }
    }

    @Test func radixSortedRowsEqualSortingByValueThenRow() {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state >> 11
        }
        // Below and above the size where the radix sort takes over.
        for n in [3, 4_095, 4_096, 20_000] {
            // Ties (few distinct values), negatives, both zeros, infinities, tiny and huge magnitudes.
            let special: [Double] = [0, -0.0, -1, 1, .infinity, -.infinity, 1e-310, -1e-310, 1e300, -1e300]
            let values = (0..<n).map { _ -> Double in
                switch next() % 4 {
                case 0: return special[Int(next() % UInt64(special.count))]
                case 1: return Double(Int(next() % 7) - 3)
                default: return (Double(next() % 2_000_001) - 1_000_000) / 37
                }
            }
            let rows = (0..<n).filter { _ in next() % 5 != 0 }
            let sample = InequalitySample(rows: rows, values: values, weights: [Double](repeating: 1, count: n))
            #expect(sample.rows == comparatorOrder(rows, values), "n = \(n)")
            #expect(sample.x == sample.rows.map { values[$0] })
        }
    }

    @Test func negativeZeroTiesWithZeroInRowOrder() {
        let values = [Double](repeating: 1, count: 5_000) + [0.0, -0.0, 0.0, -0.0]
        let sample = InequalitySample(rows: Array(values.indices), values: values,
                                      weights: [Double](repeating: 1, count: values.count))
        #expect(Array(sample.rows.prefix(4)) == [5_000, 5_001, 5_002, 5_003])
    }
}
