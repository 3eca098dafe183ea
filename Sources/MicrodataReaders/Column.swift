/// One column of a ``Batch``: typed storage, no per-value boxing for numbers.
public struct Column: Sendable {
    /// The storage of a column's values.
    public enum Storage: Sendable {
        /// Whole numbers that must stay exact (IDs up to 18 digits); `missing[i]` marks missing rows.
        case integer([Int64], missing: [Bool])
        /// Real numbers; `.nan` marks a missing value.
        case real([Double])
        /// Character values, already decoded and trimmed; `nil` marks a missing value.
        case text([String?])
    }

    /// The variable name as written in the codebook or the header.
    public var name: String
    public var storage: Storage

    public init(name: String, storage: Storage) {
        self.name = name
        self.storage = storage
    }

    /// The number of rows.
    public var count: Int {
        switch storage {
        case .integer(let v, _): v.count
        case .real(let v): v.count
        case .text(let v): v.count
        }
    }

    /// The value at `row` as a `Double`, or `nil` when missing or not numeric.
    @inlinable
    public func double(at row: Int) -> Double? {
        switch storage {
        case .integer(let v, let missing): return missing[row] ? nil : Double(v[row])
        case .real(let v): return v[row].isNaN ? nil : v[row]
        case .text(let v): return v[row].flatMap { Double($0) }
        }
    }

    /// The value at `row` as text (numbers formatted without a trailing `.0`), or `nil` when missing.
    public func text(at row: Int) -> String? {
        switch storage {
        case .integer(let v, let missing): return missing[row] ? nil : String(v[row])
        case .real(let v):
            let x = v[row]
            if x.isNaN { return nil }
            if x == x.rounded(), abs(x) < 1e15 { return String(Int64(x)) }
            return String(x)
        case .text(let v): return v[row]
        }
    }

    /// All values as `Double`, with `.nan` for missing (and for text that is not a number).
    public var doubles: [Double] {
        switch storage {
        case .real(let v): return v
        case .integer(let v, let missing):
            var out = [Double](repeating: .nan, count: v.count)
            for i in v.indices where !missing[i] { out[i] = Double(v[i]) }
            return out
        case .text(let v): return v.map { $0.flatMap { Double($0) } ?? .nan }
        }
    }
}
