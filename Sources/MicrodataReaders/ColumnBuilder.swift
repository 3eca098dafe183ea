import Foundation
import MicrodataCodebook

/// The codebook's missing-value rule for one column, prepared for fast checks.
struct MissingRule: Sendable {
    var integers: Set<Int64> = []
    var reals: Set<Double> = []
    var ranges: [ValueRange] = []
    var texts: Set<String> = []
    var isEmpty: Bool { integers.isEmpty && reals.isEmpty && ranges.isEmpty && texts.isEmpty }

    init() {}

    /// Missing-flagged categories plus `invalrng` items and ranges of `variable`.
    init(variable: Variable) {
        var codes = variable.missingValues.values
        codes += variable.categories.filter(\.isMissing).map(\.value)
        for code in codes {
            let trimmed = code.trimmingCharacters(in: .whitespaces)
            if variable.type == .character {
                texts.insert(trimmed)
            } else if let v = Double(trimmed) {
                reals.insert(v)
                if v == v.rounded(), abs(v) < 9e18 { integers.insert(Int64(v)) }
            }
        }
        ranges = variable.missingValues.ranges
    }

    @inline(__always)
    func contains(_ v: Int64) -> Bool {
        if integers.contains(v) { return true }
        if ranges.isEmpty { return false }
        let d = Double(v)
        return ranges.contains { $0.contains(d) }
    }

    @inline(__always)
    func contains(_ v: Double) -> Bool {
        reals.contains(v) || ranges.contains { $0.contains(v) }
    }
}

/// Accumulates one column of a batch in typed storage.
///
/// Numbers go into preallocated buffers (no uniqueness or capacity checks per value); ``take()`` copies
/// them out into the batch's arrays. A numeric column starts as integers when the codebook gives no
/// decimals and is promoted to reals (for the rest of the read) the first time a value has a decimal point.
final class ColumnBuilder {
    enum Kind { case integer, real, text }

    let name: String
    private(set) var kind: Kind
    private var capacity: Int
    private var ints: UnsafeMutablePointer<Int64>
    private var flags: UnsafeMutablePointer<Bool>
    private var reals: UnsafeMutablePointer<Double>
    private var texts: [String?] = []
    private(set) var count = 0

    init(name: String, kind: Kind, reserve: Int) {
        self.name = name
        self.kind = kind
        capacity = max(reserve, 16)
        ints = .allocate(capacity: kind == .integer ? capacity : 1)
        flags = .allocate(capacity: kind == .integer ? capacity : 1)
        reals = .allocate(capacity: kind == .real ? capacity : 1)
        if kind == .text { texts.reserveCapacity(capacity) }
    }

    deinit {
        ints.deallocate()
        flags.deallocate()
        reals.deallocate()
    }

    /// Doubles the buffers of the current kind.
    private func grow() {
        let newCapacity = capacity * 2
        switch kind {
        case .integer:
            let i = UnsafeMutablePointer<Int64>.allocate(capacity: newCapacity)
            i.update(from: ints, count: count)
            ints.deallocate()
            ints = i
            let f = UnsafeMutablePointer<Bool>.allocate(capacity: newCapacity)
            f.update(from: flags, count: count)
            flags.deallocate()
            flags = f
        case .real:
            let r = UnsafeMutablePointer<Double>.allocate(capacity: newCapacity)
            r.update(from: reals, count: count)
            reals.deallocate()
            reals = r
        case .text:
            break
        }
        capacity = newCapacity
    }

    @inline(__always)
    func appendMissing() {
        if count == capacity { grow() }
        switch kind {
        case .integer:
            ints[count] = 0
            flags[count] = true
        case .real: reals[count] = .nan
        case .text: texts.append(nil)
        }
        count += 1
    }

    @inline(__always)
    func append(_ v: Int64) {
        if count == capacity { grow() }
        switch kind {
        case .integer:
            ints[count] = v
            flags[count] = false
        case .real: reals[count] = Double(v)
        case .text: texts.append(String(v))
        }
        count += 1
    }

    @inline(__always)
    func append(_ v: Double) {
        if kind == .integer { promote() }
        if count == capacity { grow() }
        if kind == .text {
            texts.append(String(v))
        } else {
            reals[count] = v
        }
        count += 1
    }

    @inline(__always)
    func append(_ s: String?) {
        if kind != .text { return appendMissing() }
        texts.append(s)
        count += 1
    }

    /// Turns the integer column into a real one (values so far converted).
    func promote() {
        guard kind == .integer else { return }
        reals.deallocate()
        reals = .allocate(capacity: capacity)
        for i in 0..<count { reals[i] = flags[i] ? .nan : Double(ints[i]) }
        kind = .real
    }

    /// Hands out the accumulated values and starts an empty column of the same kind.
    func take() -> Column {
        let column: Column
        switch kind {
        case .integer:
            column = Column(name: name, storage: .integer(Array(UnsafeBufferPointer(start: ints, count: count)),
                                                          missing: Array(UnsafeBufferPointer(start: flags, count: count))))
        case .real:
            column = Column(name: name, storage: .real(Array(UnsafeBufferPointer(start: reals, count: count))))
        case .text:
            column = Column(name: name, storage: .text(texts))
            texts = []
            texts.reserveCapacity(capacity)
        }
        count = 0
        return column
    }
}
