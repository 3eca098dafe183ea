import MicrodataReaders

/// One part of a key value, compared by its type: numbers numerically (1 = 1.0), text exactly ("00123" ≠ "123").
enum KeyPart: Hashable {
    case number(Double)
    case text(String)

    var display: String {
        switch self {
        case .number(let x): x == x.rounded() && abs(x) < 1e15 ? String(Int64(x)) : String(x)
        case .text(let s): "\"\(s)\""
        }
    }
}

/// A key value over one or more columns.
typealias LinkKey = [KeyPart]

extension Column {
    /// Whether the column holds numbers (integer or real storage).
    var isNumeric: Bool {
        if case .text = storage { return false }
        return true
    }

    /// The key part of every row as `type`, `nil` where the value is missing (or, as a number, is not one).
    func keyParts(as type: KeyType) -> [KeyPart?] {
        switch (storage, type) {
        case (.text(let v), .string): return v.map { $0.map { .text($0) } }
        case (.text(let v), .number): return v.map { $0.flatMap { Double($0) }.map { .number($0 + 0.0) } }
        case (.integer, .number), (.real, .number): return doubles.map { $0.isNaN ? nil : .number($0 + 0.0) }
        case (.integer, .string), (.real, .string): return (0..<count).map { text(at: $0).map { .text($0) } }
        }
    }

    /// The number of text values that are present but not numbers (0 for a numeric column).
    var nonNumericTexts: Int {
        guard case .text(let v) = storage else { return 0 }
        return v.reduce(0) { $0 + ($1 != nil && Double($1!) == nil ? 1 : 0) }
    }

    /// A column of `count` missing values with this column's name and kind of storage.
    func missingLike(count: Int) -> Column {
        switch storage {
        case .integer: Column(name: name, storage: .integer([Int64](repeating: 0, count: count), missing: [Bool](repeating: true, count: count)))
        case .real: Column(name: name, storage: .real([Double](repeating: .nan, count: count)))
        case .text: Column(name: name, storage: .text([String?](repeating: nil, count: count)))
        }
    }

    /// The values at `rows` (−1: missing), renamed `name`.
    func gather(_ rows: [Int32], name: String) -> Column {
        switch storage {
        case .integer(let v, let m):
            var out = [Int64](repeating: 0, count: rows.count)
            var missing = [Bool](repeating: true, count: rows.count)
            for (i, r) in rows.enumerated() where r >= 0 {
                out[i] = v[Int(r)]
                missing[i] = m[Int(r)]
            }
            return Column(name: name, storage: .integer(out, missing: missing))
        case .real(let v):
            return Column(name: name, storage: .real(rows.map { $0 >= 0 ? v[Int($0)] : .nan }))
        case .text(let v):
            return Column(name: name, storage: .text(rows.map { $0 >= 0 ? v[Int($0)] : nil }))
        }
    }

    /// This column followed by `other` (same name); integer and real make real, numbers and text make text.
    func appending(_ other: Column) -> Column {
        switch (storage, other.storage) {
        case (.integer(let a, let ma), .integer(let b, let mb)): return Column(name: name, storage: .integer(a + b, missing: ma + mb))
        case (.real(let a), .real(let b)): return Column(name: name, storage: .real(a + b))
        case (.text(let a), .text(let b)): return Column(name: name, storage: .text(a + b))
        case (.text(let a), _): return Column(name: name, storage: .text(a + (0..<other.count).map { other.text(at: $0) }))
        case (_, .text(let b)): return Column(name: name, storage: .text((0..<count).map { text(at: $0) } + b))
        default: return Column(name: name, storage: .real(doubles + other.doubles))
        }
    }
}

extension Batch {
    /// The named column, or a ``LinkError`` naming the file and close matches.
    func requiredColumn(_ name: String, file: String, role: String) throws -> Column {
        if let c = column(named: name) { return c }
        let close = NameSuggestions.closeMatches(to: name, in: columns.map(\.name))
        throw LinkError(
            "\(role) '\(name)' is not a column" + (close.isEmpty ? "" : "; close matches: " + close.joined(separator: ", ")),
            file: file)
    }
}
