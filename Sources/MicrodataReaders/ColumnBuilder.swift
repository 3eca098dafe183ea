import Foundation
import MicrodataCodebook

/// The codebook's missing-value rule for one column, prepared for fast checks.
///
/// Codes and range bounds follow the decimals rule. One written without a `.` is in stored units and is
/// compared with the raw field: on a fixed-width field with implied decimals (`dcml` 2) the code `99999`
/// matches the field `99999`, read as 999.99, and the range `-9..-1` matches the field `-5`, read as -0.05.
/// One written with a `.` (NADA writes `9999.999`) is compared with the value as read. A field that itself
/// carries a `.` is read as written, so its raw and read values agree and every code is taken at face value.
struct MissingRule: Sendable {
    var integers: Set<Int64> = []
    /// Codes at face value, for fields read as written (a `.` in the field, or no implied decimals).
    var reals: Set<Double> = []
    var ranges: [ValueRange] = []
    /// Codes in the units of a field divided by 10^dcml: stored-unit codes scaled, the rest at face value.
    var impliedReals: Set<Double> = []
    var impliedRanges: [ValueRange] = []
    var texts: Set<String> = []
    var isEmpty: Bool { integers.isEmpty && reals.isEmpty && ranges.isEmpty && texts.isEmpty }

    init() {}

    /// Missing-flagged categories plus `invalrng` items and ranges of `variable`.
    ///
    /// `impliedDecimals` is the field's `dcml` when it is read as fixed-width (0 for delimited data, where
    /// decimals are never implied). Stored-unit codes are scaled by 10^-`impliedDecimals` with the same
    /// division ``parseNumber(_:_:_:decimals:)`` applies to the field, so equal raw values compare equal.
    init(variable: Variable, impliedDecimals: Int = 0) {
        let scale = impliedDecimals > 0 ? powersOfTen[min(impliedDecimals, 22)] : 1
        var codes = variable.missingValues.values
        codes += variable.categories.filter(\.isMissing).map(\.value)
        for code in codes {
            let trimmed = code.trimmingCharacters(in: .whitespaces)
            if variable.type == .character {
                texts.insert(trimmed)
            } else if let v = Double(trimmed) {
                reals.insert(v)
                if v == v.rounded(), abs(v) < 9e18 { integers.insert(Int64(v)) }
                if impliedDecimals > 0 { impliedReals.insert(isStoredUnits(trimmed) ? v / scale : v) }
            }
        }
        ranges = variable.missingValues.ranges
        if impliedDecimals > 0 {
            impliedRanges = ranges.map { r in
                var scaled = r
                if !r.minIsScaled, let lo = r.min { scaled.min = lo / scale }
                if !r.maxIsScaled, let hi = r.max { scaled.max = hi / scale }
                return scaled
            }
        }
    }

    @inline(__always)
    func contains(_ v: Int64) -> Bool {
        if integers.contains(v) { return true }
        if ranges.isEmpty { return false }
        let d = Double(v)
        return ranges.contains { $0.contains(d) }
    }

    /// Whether `v` is missing; `implied` when the field had no `.` and was divided by 10^dcml (dcml > 0).
    @inline(__always)
    func contains(_ v: Double, implied: Bool = false) -> Bool {
        if implied { return impliedReals.contains(v) || impliedRanges.contains { $0.contains(v) } }
        return reals.contains(v) || ranges.contains { $0.contains(v) }
    }
}

/// Whether a numeric code is written in stored units: digits with an optional sign, no point or exponent.
private func isStoredUnits(_ code: String) -> Bool {
    !code.contains(".") && !code.contains("e") && !code.contains("E")
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
            ints = ints.reallocated(keeping: count, capacity: newCapacity)
            flags = flags.reallocated(keeping: count, capacity: newCapacity)
        case .real:
            reals = reals.reallocated(keeping: count, capacity: newCapacity)
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
