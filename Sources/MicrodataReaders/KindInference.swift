import Foundation

/// The column types of a delimited file, accumulated record by record: integer while every value is a
/// whole number of up to 18 digits, real while every value is a number (exponent forms and infinities
/// included: the reading pass refuses a non-finite one), text otherwise. Empty fields and
/// ``missingTokens`` (`NA`, `N/A`, `NaN`, ...) are missing. A number with a leading zero (`007`, `01.5`)
/// makes the column text, so codes round-trip.
///
/// ``add(_:_:)`` types the fields of a record the ``RecordScanner`` split, with ``parseNumber(_:_:_:decimals:)``.
/// ``addLines(_:_:_:)`` gives the same result on quote-free lines in one tight loop: it splits the fields
/// itself and classifies each by OR-ing per-byte classes, calling `parseNumber` only for a field that is not
/// plainly an integer or a simple decimal.
struct KindInference {
    private(set) var kinds: [ColumnBuilder.Kind]
    /// For each header field, the column it types, or -1.
    private let columnOf: [Int]
    /// For each record field, the column it types, or -1 (the ``add(_:_:)`` path); `columns` as given.
    private let columns: [Int]
    private let classes: [UInt8]
    let delimiter: UInt8
    /// Whether ``addLines(_:_:_:)`` may be used: the delimiter is not a quote or line-break byte and no
    /// field types two columns.
    let hasFastPath: Bool

    // Byte classes. A field's class is the OR over its bytes.
    static let dot: UInt8 = 0x01  // counted as well, so it must be bit 0
    static let digit: UInt8 = 0x02
    static let sign: UInt8 = 0x04
    static let other: UInt8 = 0x08  // blanks, letters, anything parseNumber does not take plainly
    static let stop: UInt8 = 0x80  // the delimiter or a line feed

    init(delimiter: UInt8, columns: [Int]) {
        self.delimiter = delimiter
        self.columns = columns
        kinds = Array(repeating: .integer, count: columns.count)
        var columnOf = Array(repeating: -1, count: (columns.max() ?? -1) + 1)
        var unique = true
        for (c, k) in columns.enumerated() where k >= 0 {
            if columnOf[k] >= 0 { unique = false }
            columnOf[k] = c
        }
        self.columnOf = columnOf
        hasFastPath = unique && columns.allSatisfy { $0 >= 0 }
            && delimiter != UInt8(ascii: "\"") && delimiter != 0x0A && delimiter != 0x0D
        var classes = [UInt8](repeating: KindInference.other, count: 256)
        for b in UInt8(ascii: "0")...UInt8(ascii: "9") { classes[Int(b)] = KindInference.digit }
        classes[Int(UInt8(ascii: "."))] = KindInference.dot
        classes[Int(UInt8(ascii: "+"))] = KindInference.sign
        classes[Int(UInt8(ascii: "-"))] = KindInference.sign
        classes[0x0A] = KindInference.stop
        classes[Int(delimiter)] = KindInference.stop
        self.classes = classes
    }

    /// Whether every column is already text, so no later value can change a type.
    var isSettled: Bool { !kinds.contains { $0 != .text } }

    /// Types the fields of the record `scanner` last split.
    mutating func add(_ scanner: RecordScanner, _ p: UnsafePointer<UInt8>) {
        for (c, k) in columns.enumerated() where k < scanner.count && kinds[c] != .text {
            KindInference.update(&kinds[c], p, scanner.starts[k], scanner.ends[k])
        }
    }

    /// Types one field by ``parseNumber(_:_:_:decimals:)``, as the reading pass will parse it.
    @inline(__always)
    private static func update(_ kind: inout ColumnBuilder.Kind, _ p: UnsafePointer<UInt8>, _ a: Int, _ z: Int) {
        switch parseNumber(p, a, z, decimals: 0) {
        case .missing: break
        case .integer: if hasLeadingZero(p, a, z) { kind = .text }
        case .real: kind = hasLeadingZero(p, a, z) ? .text : .real
        case .invalid:
            switch classifyNonNumeric(p, a, z) {
            case .missingToken: break
            case .number: kind = .real
            case .text: kind = .text
            }
        }
    }

    /// Types the records of `p[lo..<hi]`: whole lines with no quote byte, the last ending at `hi` with a line
    /// feed or at the end of the data. Requires ``hasFastPath``.
    mutating func addLines(_ p: UnsafePointer<UInt8>, _ lo: Int, _ hi: Int) {
        let lastField = columnOf.count - 1
        let delimiters = (KindInference.ones &* UInt64(delimiter), KindInference.ones &* 0x0A)
        classes.withUnsafeBufferPointer { table in
            columnOf.withUnsafeBufferPointer { columnOf in
                kinds.withUnsafeMutableBufferPointer { kinds in
                    var i = lo
                    while i < hi {
                        var f = 0  // field number in the record
                        while true {
                            let c = f <= lastField ? columnOf[f] : -1
                            if c < 0 || kinds[c] == .text {
                                if f >= lastField {
                                    // Nothing more to type on this line.
                                    if let nl = memchr(p + i, 0x0A, hi - i) {
                                        i = UnsafePointer<UInt8>(nl.assumingMemoryBound(to: UInt8.self)) - p + 1
                                    } else {
                                        i = hi + 1
                                    }
                                    break
                                }
                                if i + 8 <= hi {
                                    let stops = KindInference.stops(KindInference.word(p, i), delimiters)
                                    if stops != 0 {
                                        i += stops.trailingZeroBitCount >> 3
                                    } else {
                                        i += 8
                                    }
                                }
                                while i < hi && table[Int(p[i])] != KindInference.stop { i += 1 }
                            } else if i + 8 <= hi, let field = KindInference.short(p, &i, delimiters) {
                                // A field of at most 7 bytes, classified eight bytes at a time.
                                switch field.kind {
                                case .plainInteger: break
                                case .plainDecimal: kinds[c] = .real
                                case .other: KindInference.update(&kinds[c], p, field.start, field.end)
                                }
                            } else {
                                let a = i
                                // A leading sign (not the delimiter) is classified apart from the digits.
                                let signed = i < hi && table[Int(p[i])] == KindInference.sign
                                if signed { i += 1 }
                                var cls: UInt8 = 0
                                var dots = 0
                                while i < hi {
                                    let t = table[Int(p[i])]
                                    if t == KindInference.stop { break }
                                    cls |= t
                                    dots &+= Int(t & KindInference.dot)
                                    i += 1
                                }
                                var z = i
                                if z > a && p[z - 1] == 0x0D && (i == hi || p[i] == 0x0A) {
                                    // The record's last field loses one CR, as in RecordScanner.
                                    z -= 1
                                    cls = 0
                                    dots = 0
                                    for j in (signed ? a + 1 : a)..<max(z, signed ? a + 1 : a) {
                                        cls |= table[Int(p[j])]
                                        dots &+= Int(table[Int(p[j])] & KindInference.dot)
                                    }
                                }
                                let digits = z - a - (signed ? 1 : 0)
                                let d = signed ? a + 1 : a
                                if z == a {
                                    // Empty: missing.
                                } else if d + 1 < z && p[d] == 0x30 && p[d + 1] &- 0x30 < 10 {
                                    KindInference.update(&kinds[c], p, a, z)  // a leading zero
                                } else if cls == KindInference.digit && digits <= 18 {
                                    // A whole number of up to 18 digits.
                                } else if cls == KindInference.digit | KindInference.dot && dots == 1 {
                                    kinds[c] = .real
                                } else {
                                    KindInference.update(&kinds[c], p, a, z)
                                }
                            }
                            if i >= hi || p[i] == 0x0A {
                                i += 1
                                break
                            }
                            i += 1  // the delimiter
                            f += 1
                        }
                    }
                }
            }
        }
    }

    // Eight bytes at a time (SWAR): a field of up to 7 bytes is split and classified with a few word
    // operations. Each helper is exact per byte, with no carry between bytes.
    static let ones: UInt64 = 0x0101_0101_0101_0101
    static let highs: UInt64 = 0x8080_8080_8080_8080
    static let low7: UInt64 = 0x7F7F_7F7F_7F7F_7F7F

    /// The eight bytes at `p + i`, the first in the low byte.
    @inline(__always)
    static func word(_ p: UnsafePointer<UInt8>, _ i: Int) -> UInt64 {
        UInt64(littleEndian: UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self))
    }

    /// The high bit of every byte of `x` that is zero.
    @inline(__always)
    static func zeroBytes(_ x: UInt64) -> UInt64 { ~(((x & low7) &+ low7) | x | low7) }

    /// The high bit of every byte of `x` that is the delimiter or a line feed (both given in every byte).
    @inline(__always)
    static func stops(_ x: UInt64, _ delimiters: (UInt64, UInt64)) -> UInt64 {
        zeroBytes(x ^ delimiters.0) | zeroBytes(x ^ delimiters.1)
    }

    enum ShortField {
        /// Empty, or a whole number (of at most 7 digits).
        case plainInteger
        /// Digits with one `.`, and perhaps a leading sign.
        case plainDecimal
        /// For parseNumber.
        case other
    }

    /// Splits and classifies the field at `i` when it ends within the 8 bytes there (`i + 8 <= hi`), moving
    /// `i` to the delimiter or line feed after it; `nil` (and `i` unchanged) for a longer field.
    @inline(__always)
    static func short(_ p: UnsafePointer<UInt8>, _ i: inout Int, _ delimiters: (UInt64, UInt64))
        -> (kind: ShortField, start: Int, end: Int)?
    {
        let x = word(p, i)
        let stop = stops(x, delimiters)
        if stop == 0 { return nil }
        let a = i
        var n = stop.trailingZeroBitCount >> 3
        i = a + n
        // The record's last field loses one CR, as in RecordScanner.
        if n > 0 && p[a + n] == 0x0A && p[a + n - 1] == 0x0D { n -= 1 }
        if n == 0 { return (.plainInteger, a, a) }
        let field = highs & ((1 << UInt64(n * 8)) &- 1)
        let a7 = x & low7
        let digits = (a7 &+ 0x5050_5050_5050_5050) & ~(a7 &+ 0x4646_4646_4646_4646 | x) & field
        let dots = zeroBytes(x ^ 0x2E2E_2E2E_2E2E_2E2E) & field
        let first = x & 0xFF
        let sign: UInt64 = first == UInt64(UInt8(ascii: "-")) || first == UInt64(UInt8(ascii: "+")) ? 0x80 : 0
        if digits != 0 {
            // A leading zero before another digit (`007`, `-01`) is for update(), which makes the column text.
            let lead: UInt64 = sign == 0 ? 0 : 8
            if (x >> lead) & 0xFF == 0x30 && digits & (0x80 << (lead + 8)) != 0 { return (.other, a, a + n) }
            let plain = digits | sign
            if plain == field { return (.plainInteger, a, a + n) }
            if plain | dots == field && dots.nonzeroBitCount == 1 { return (.plainDecimal, a, a + n) }
        }
        return (.other, a, a + n)
    }
}
