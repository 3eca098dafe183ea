import Foundation

/// The column types of a delimited file, accumulated record by record: integer while every value is a
/// whole number of up to 18 digits, real while every value is a number, text otherwise. Empty fields and
/// `NA` are missing.
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
        case .missing, .integer: break
        case .real: kind = .real
        case .invalid:
            if !(z - a == 2 && p[a] == UInt8(ascii: "N") && p[a + 1] == UInt8(ascii: "A")) { kind = .text }
        }
    }

    /// Types the records of `p[lo..<hi]`: whole lines with no quote byte, the last ending at `hi` with a line
    /// feed or at the end of the data. Requires ``hasFastPath``.
    mutating func addLines(_ p: UnsafePointer<UInt8>, _ lo: Int, _ hi: Int) {
        let lastField = columnOf.count - 1
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
                                while i < hi && table[Int(p[i])] != KindInference.stop { i += 1 }
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
                                if z == a {
                                    // Empty: missing.
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
}
