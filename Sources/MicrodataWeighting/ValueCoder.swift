import MicrodataReaders

/// Maps the values of a key column (strata, PSUs, domains, categories) to dense codes without
/// allocating per row: integers and reals are hashed as numbers, text by its existing storage.
struct ValueCoder {
    private enum Key: Hashable {
        case int(Int64)
        case real(UInt64)
        case text(String)
    }

    /// Codes of reals and text; whole numbers are in `wholes`.
    private var codes: [Key: Int32] = [:]
    private var wholes = IndexTable()
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
            if v[row] >= 0 && v[row] < Self.smallLimit { return smallCode(v[row]) }
            return wholeCode(v[row])
        case .real(let v):
            let x = v[row]
            if x.isNaN { return nil }
            if x >= 0 && x < Double(Self.smallLimit) && x == x.rounded() { return smallCode(Int64(x)) }
            if x == x.rounded(), abs(x) < 9e15 { return wholeCode(Int64(x)) }
            key = .real(x.bitPattern)
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

    /// The codes of the first `n` values of `column`, a column at a time: −1 where a value is missing.
    mutating func codes(_ column: Column, _ n: Int) -> [Int32] {
        var out = [Int32](repeating: -1, count: n)
        switch column.storage {
        case .integer(let v, let missing):
            for i in 0..<n where !missing[i] {
                let x = v[i]
                if x >= 0 && x < Int64(small.count), small[Int(x)] >= 0 {
                    out[i] = small[Int(x)]
                } else {
                    out[i] = x >= 0 && x < Self.smallLimit ? smallCode(x) : wholeCode(x)
                }
            }
        case .real(let v):
            for i in 0..<n where !v[i].isNaN {
                let x = v[i]
                if x >= 0 && x < Double(small.count), x == x.rounded(), small[Int(x)] >= 0 {
                    out[i] = small[Int(x)]
                } else {
                    out[i] = code(column, i)!
                }
            }
        case .text:
            for i in 0..<n { out[i] = code(column, i) ?? -1 }
        }
        return out
    }

    /// The code of a whole number (shared by integer and real columns, so 3 and 3.0 get one code).
    @inline(__always)
    private mutating func wholeCode(_ v: Int64) -> Int32 {
        let bits = UInt64(bitPattern: v)
        if let c = wholes[bits] { return c }
        let c = Int32(keys.count)
        wholes.insert(bits, c)
        keys.append(.int(v))
        return c
    }

    @inline(__always)
    private mutating func smallCode(_ v: Int64) -> Int32 {
        let i = Int(v)
        if i < small.count, small[i] >= 0 { return small[i] }
        let c = wholeCode(v)
        if i >= small.count { small.append(contentsOf: repeatElement(-1, count: max(i + 1 - small.count, small.count))) }
        small[i] = c
        return c
    }
}

extension ValueCoder {
    /// The value behind code `c` as a tagged text that keeps its kind and every bit (`i:` whole number,
    /// `r:` the bits of a real in hex, `t:` text), for a partial result.
    func taggedKey(_ c: Int) -> String {
        switch keys[c] {
        case .int(let v): "i:\(v)"
        case .real(let bits): "r:" + String(bits, radix: 16)
        case .text(let s): "t:" + s
        }
    }

    /// The code of a value given by ``taggedKey(_:)`` (added when new); `nil` for text that is no tagged key.
    mutating func code(tagged: String) -> Int32? {
        let body = String(tagged.dropFirst(2))
        let key: Key
        switch tagged.prefix(2) {
        case "i:":
            guard let v = Int64(body) else { return nil }
            return v >= 0 && v < Self.smallLimit ? smallCode(v) : wholeCode(v)
        case "r:":
            guard let bits = UInt64(body, radix: 16) else { return nil }
            key = .real(bits)
        case "t:": key = .text(body)
        default: return nil
        }
        if let c = codes[key] { return c }
        let c = Int32(keys.count)
        codes[key] = c
        keys.append(key)
        return c
    }
}
