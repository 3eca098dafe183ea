/// Rows ordered by value, ties in row order: the order of a stable sort by value, found by a least-significant-
/// digit radix sort of the values' bit patterns (16 bits a pass, passes that cannot reorder skipped).
enum ValueOrder {
    /// `rows` (ascending) ordered by `values[row]`, ties in row order. `-0.0` ties with `0.0`; values must
    /// not be NaN.
    static func sorted(_ rows: [Int], by values: [Double]) -> [Int] {
        let n = rows.count
        if n < 512 {
            var pairs = rows.map { (values[$0], $0) }
            pairs.sort { $0.0 < $1.0 || ($0.0 == $1.0 && $0.1 < $1.1) }
            return pairs.map(\.1)
        }
        // A double's bits as an unsigned key in the same order: flip every bit of a negative, the sign bit of
        // a positive.
        var keys = [UInt64](repeating: 0, count: n)
        var order = rows
        for (i, row) in rows.enumerated() {
            let bits = (values[row] + 0.0).bitPattern
            keys[i] = bits & (1 << 63) != 0 ? ~bits : bits | (1 << 63)
        }
        var nextKeys = [UInt64](repeating: 0, count: n)
        var nextOrder = [Int](repeating: 0, count: n)
        var count = [Int](repeating: 0, count: 1 << 16)
        for shift in stride(from: 0, to: 64, by: 16) {
            for k in 0..<count.count { count[k] = 0 }
            for key in keys { count[Int((key >> UInt64(shift)) & 0xFFFF)] += 1 }
            if count.contains(n) { continue }  // one digit for all: this pass keeps the order
            var total = 0
            for k in 0..<count.count {
                let c = count[k]
                count[k] = total
                total += c
            }
            for i in 0..<n {
                let digit = Int((keys[i] >> UInt64(shift)) & 0xFFFF)
                let at = count[digit]
                count[digit] = at + 1
                nextKeys[at] = keys[i]
                nextOrder[at] = order[i]
            }
            swap(&keys, &nextKeys)
            swap(&order, &nextOrder)
        }
        return order
    }
}
