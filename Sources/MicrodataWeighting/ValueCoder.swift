import MicrodataReaders

/// Maps the values of a key column (strata, PSUs, domains, categories) to dense codes without
/// allocating per row: integers and reals are hashed as numbers, text by its existing storage.
struct ValueCoder {
    private enum Key: Hashable {
        case int(Int64)
        case real(UInt64)
        case text(String)
    }

    private var codes: [Key: Int32] = [:]
    /// Direct lookup for small non-negative whole numbers (the usual ids and category codes): −1 = unseen.
    private var small: [Int32] = []
    private static let smallLimit: Int64 = 1 << 20
    /// The value behind each code; labels are made from it only when asked for (PSU ids rarely are).
    private var keys: [Key] = []

    var count: Int { keys.count }

    /// The display label of code `c`, as `Column.text(at:)` writes the value.
    func label(_ c: Int) -> String {
        switch keys[c] {
        case .int(let v): String(v)
        case .real(let bits): String(Double(bitPattern: bits))
        case .text(let s): s
        }
    }

    /// The display labels of every code, in code order.
    var labels: [String] { keys.indices.map(label) }

    /// The code of the value at `row`, or `nil` when it is missing.
    @inline(__always)
    mutating func code(_ column: Column, _ row: Int) -> Int32? {
        let key: Key
        switch column.storage {
        case .integer(let v, let missing):
            if missing[row] { return nil }
            if v[row] >= 0 && v[row] < Self.smallLimit { return smallCode(v[row], column, row) }
            key = .int(v[row])
        case .real(let v):
            let x = v[row]
            if x.isNaN { return nil }
            if x >= 0 && x < Double(Self.smallLimit) && x == x.rounded() { return smallCode(Int64(x), column, row) }
            if x == x.rounded(), abs(x) < 9e15 { key = .int(Int64(x)) } else { key = .real(x.bitPattern) }
        case .text(let v):
            guard let s = v[row] else { return nil }
            key = .text(s)
        }
        if let c = codes[key] { return c }
        let c = Int32(keys.count)
        codes[key] = c
        keys.append(key)
        return c
    }

    @inline(__always)
    private mutating func smallCode(_ v: Int64, _ column: Column, _ row: Int) -> Int32 {
        let i = Int(v)
        if i < small.count, small[i] >= 0 { return small[i] }
        // Whole numbers share the dictionary too, so a value seen as 3 and as 3.0 gets one code.
        let key = Key.int(v)
        let c: Int32
        if let existing = codes[key] {
            c = existing
        } else {
            c = Int32(keys.count)
            codes[key] = c
            keys.append(key)
        }
        if i >= small.count { small.append(contentsOf: repeatElement(-1, count: max(i + 1 - small.count, small.count))) }
        small[i] = c
        return c
    }
}
