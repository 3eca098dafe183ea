import MicrodataReaders

/// Finds a column value's id among a fixed list of codes without building a String for numeric columns.
///
/// Ids `0..<codeCount` are codes; ids from `codeCount` are sentinels. Codes that are integers match integer
/// and whole real values (so ISCO `0110` matches the number 110).
struct KeyIndex: Sendable {
    static let missing: Int32 = -1
    static let unknown: Int32 = -2

    let codeCount: Int
    let keys: [String]
    private var text: [String: Int32] = [:]
    private var integer: [Int64: Int32] = [:]

    init(codes: [String], sentinels: Set<String> = []) {
        var keys = codes
        for s in sentinels.sorted() where !codes.contains(s) { keys.append(s) }
        codeCount = codes.count
        self.keys = keys
        for (i, key) in keys.enumerated() {
            if text[key] == nil { text[key] = Int32(i) }
            if let v = Int64(key), integer[v] == nil { integer[v] = Int32(i) }
        }
    }

    /// The id of the value at `row`, ``missing`` or ``unknown``.
    @inline(__always)
    func id(_ column: Column, _ row: Int) -> Int32 {
        switch column.storage {
        case .integer(let v, let missing):
            return missing[row] ? Self.missing : integer[v[row]] ?? Self.unknown
        case .real(let v):
            let x = v[row]
            if x.isNaN { return Self.missing }
            if x == x.rounded(), abs(x) < 9e15 { return integer[Int64(x)] ?? Self.unknown }
            return text[String(x)] ?? Self.unknown
        case .text(let v):
            guard let s = v[row] else { return Self.missing }
            if let id = text[s] { return id }
            if let n = Int64(s), let id = integer[n] { return id }
            return Self.unknown
        }
    }
}

extension Column {
    /// The rows at `rows`, in order.
    func gathered(_ rows: [Int32]) -> Column {
        switch storage {
        case .integer(let v, let missing):
            return Column(name: name, storage: .integer(rows.map { v[Int($0)] }, missing: rows.map { missing[Int($0)] }))
        case .real(let v): return Column(name: name, storage: .real(rows.map { v[Int($0)] }))
        case .text(let v): return Column(name: name, storage: .text(rows.map { v[Int($0)] }))
        }
    }
}
