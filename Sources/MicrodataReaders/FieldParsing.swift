import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The result of parsing one numeric field.
enum ParsedNumber {
    case missing
    case integer(Int64)
    case real(Double)
    case invalid
}

/// Exact powers of ten up to 10^22 (all representable in a `Double`).
let powersOfTen: [Double] = (0...22).map { e in (0..<e).reduce(1.0) { acc, _ in acc * 10 } }

@inline(__always)
func isBlank(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0D }

/// Trims blanks (space, tab, CR) from both ends of `p[lo..<hi]`.
@inline(__always)
func trimmed(_ p: UnsafePointer<UInt8>, _ lo: Int, _ hi: Int) -> (Int, Int) {
    var a = lo
    var b = hi
    while a < b && isBlank(p[a]) { a += 1 }
    while b > a && isBlank(p[b - 1]) { b -= 1 }
    return (a, b)
}

/// Parses `p[lo..<hi]` strictly: optional blanks, an optional sign, digits with at most one `.`, blanks.
/// Anything else is `.invalid` (`12a` is not 12). A blank field is `.missing`.
///
/// Without a `.`, the value is divided by 10^`decimals` (implied decimals); with a `.` it is taken as
/// written. Whole numbers of up to 18 digits stay exact as `Int64`.
@inline(__always)
func parseNumber(_ p: UnsafePointer<UInt8>, _ lo: Int, _ hi: Int, decimals: Int) -> ParsedNumber {
    let (a, b) = trimmed(p, lo, hi)
    if a == b { return .missing }
    var i = a
    var negative = false
    if p[i] == UInt8(ascii: "-") || p[i] == UInt8(ascii: "+") {
        negative = p[i] == UInt8(ascii: "-")
        i += 1
    }
    var mantissa: UInt64 = 0
    var digits = 0
    var significant = 0
    var fraction = -1
    while i < b {
        let c = p[i]
        if c &- 0x30 < 10 {
            digits += 1
            if significant > 0 || c != 0x30 { significant += 1 }
            if significant <= 18 { mantissa = mantissa &* 10 &+ UInt64(c &- 0x30) }
            if fraction >= 0 { fraction += 1 }
        } else if c == UInt8(ascii: ".") && fraction < 0 {
            fraction = 0
        } else {
            return .invalid
        }
        i += 1
    }
    if digits == 0 { return .invalid }
    if significant > 18 && fraction < 0 && decimals == 0 {
        // A whole number beyond 18 digits: exact if it fits in Int64, never rounded through a Double.
        return exactInteger(p, a, b)
    }
    if significant > 18 || (fraction > 22) {
        return .real(slowParse(p, a, b, decimals: fraction >= 0 ? 0 : decimals))
    }
    if fraction < 0 {
        if decimals == 0 {
            let v = Int64(mantissa)
            return .integer(negative ? -v : v)
        }
        let v = Double(mantissa) / powersOfTen[min(decimals, 22)]
        return .real(negative ? -v : v)
    }
    if mantissa > (1 << 53) { return .real(slowParse(p, a, b, decimals: 0)) }
    let v = Double(mantissa) / powersOfTen[fraction]
    return .real(negative ? -v : v)
}

/// ``parseNumber(_:_:_:decimals:)`` without implied decimals, with a fast path for the plain fields of
/// delimited data (an optional `-`, at most 15 digits and one `.`, nothing else); the results are the same.
@inline(__always)
func parseDelimitedNumber(_ p: UnsafePointer<UInt8>, _ a: Int, _ z: Int) -> ParsedNumber {
    let plain = PlainNumber(p, from: a, to: z)
    if plain.end == z, let value = plain.value { return value }
    return parseNumber(p, a, z, decimals: 0)
}

/// The plain number at the start of `p[a..<end]`: an optional `-`, then digits with at most one `.`, up to
/// the first other byte (``end``).
struct PlainNumber {
    let negative: Bool
    /// Where the digits (or the point) start, after the sign.
    let digitsStart: Int
    /// The digits as a whole number (wrapping past 2^64: ``value`` needs at most 15 digits).
    let mantissa: UInt64
    /// The position of the `.`, or −1.
    let point: Int
    /// Where the number stops: the first byte that is neither a digit nor its first `.`, or `end`.
    let end: Int

    @inline(__always)
    init(_ p: UnsafePointer<UInt8>, from a: Int, to end: Int) {
        var i = a
        negative = i < end && p[i] == UInt8(ascii: "-")
        if negative { i += 1 }
        digitsStart = i
        var mantissa: UInt64 = 0
        var point = -1
        while i < end {
            let d = p[i] &- 0x30
            if d < 10 {
                mantissa = mantissa &* 10 &+ UInt64(d)
            } else if p[i] == UInt8(ascii: ".") && point < 0 {
                point = i
            } else {
                break
            }
            i += 1
        }
        self.mantissa = mantissa
        self.point = point
        self.end = i
    }

    /// The number of digits.
    var digits: Int { end - digitsStart - (point >= 0 ? 1 : 0) }

    /// The value, when there are 1 to 15 digits; `nil` otherwise.
    @inline(__always)
    var value: ParsedNumber? {
        let digits = self.digits
        if digits == 0 || digits > 15 { return nil }
        if point < 0 {
            let v = Int64(mantissa)
            return .integer(negative ? -v : v)
        }
        // Below 10^15 < 2^53 the mantissa is exact, so one division rounds correctly, as in parseNumber.
        let v = Double(mantissa) / exactPowerOfTen(end - point - 1)
        return .real(negative ? -v : v)
    }
}

/// 10^`e` for `e` in 0...15, without the global table's lazy-initialisation check.
@inline(__always)
func exactPowerOfTen(_ e: Int) -> Double {
    switch e {
    case 0: 1
    case 1: 1e1
    case 2: 1e2
    case 3: 1e3
    case 4: 1e4
    case 5: 1e5
    case 6: 1e6
    case 7: 1e7
    case 8: 1e8
    case 9: 1e9
    case 10: 1e10
    case 11: 1e11
    case 12: 1e12
    case 13: 1e13
    case 14: 1e14
    default: 1e15
    }
}

/// A whole number of more than 18 significant digits: `.integer` if it fits in Int64, else `.invalid`
/// (see ``numberProblem(_:_:_:)`` for the message).
func exactInteger(_ p: UnsafePointer<UInt8>, _ a: Int, _ b: Int) -> ParsedNumber {
    var i = a
    let negative = p[i] == UInt8(ascii: "-")
    if p[i] == UInt8(ascii: "-") || p[i] == UInt8(ascii: "+") { i += 1 }
    var value: Int64 = 0
    while i < b {
        let digit = Int64(p[i] &- 0x30)
        let (m, o1) = value.multipliedReportingOverflow(by: 10)
        let (v, o2) = negative ? m.subtractingReportingOverflow(digit) : m.addingReportingOverflow(digit)
        if o1 || o2 { return .invalid }
        value = v
        i += 1
    }
    return .integer(value)
}

/// Why a field that ``parseNumber(_:_:_:decimals:)`` called `.invalid` is not a number, for error messages.
func numberProblem(_ p: UnsafePointer<UInt8>, _ a: Int, _ b: Int) -> String {
    var i = a
    if i < b && (p[i] == UInt8(ascii: "-") || p[i] == UInt8(ascii: "+")) { i += 1 }
    var digitsOnly = i < b
    while i < b {
        if p[i] &- 0x30 >= 10 { digitsOnly = false; break }
        i += 1
    }
    return digitsOnly ? "number too large for a 64-bit integer" : "not a number"
}

/// `strtod` on a copy of the field, for numbers too long for the fast path.
func slowParse(_ p: UnsafePointer<UInt8>, _ a: Int, _ b: Int, decimals: Int) -> Double {
    var text = [CChar](repeating: 0, count: b - a + 1)
    for k in a..<b { text[k - a] = CChar(bitPattern: p[k]) }
    let v = strtod(text, nil)
    return decimals > 0 ? v / pow(10, Double(decimals)) : v
}

/// How character fields are decoded.
enum TextEncoding: Sendable {
    case utf8, latin1

    init(charset: String?) {
        switch charset?.lowercased().replacingOccurrences(of: "_", with: "-") {
        case "iso-8859-1", "latin1", "latin-1", "iso8859-1", "l1": self = .latin1
        default: self = .utf8
        }
    }

    /// Decodes `p[a..<b]`.
    /// Decodes `p[a..<b]`; `nil` when the encoding is UTF-8 and the bytes are not valid UTF-8.
    @inline(__always)
    func decodeChecked(_ p: UnsafePointer<UInt8>, _ a: Int, _ b: Int) -> String? {
        guard self == .utf8 else { return decode(p, a, b) }
        let buffer = UnsafeBufferPointer(start: p + a, count: b - a)
        for c in buffer where c >= 0x80 { return String(validating: buffer, as: UTF8.self) }
        return String(decoding: buffer, as: UTF8.self)
    }

    /// Decodes `p[a..<b]`, replacing invalid UTF-8 with U+FFFD.
    @inline(__always)
    func decode(_ p: UnsafePointer<UInt8>, _ a: Int, _ b: Int) -> String {
        let buffer = UnsafeBufferPointer(start: p + a, count: b - a)
        if self == .utf8 { return String(decoding: buffer, as: UTF8.self) }
        var ascii = true
        for c in buffer where c >= 0x80 { ascii = false; break }
        if ascii { return String(decoding: buffer, as: UTF8.self) }
        var scalars = String.UnicodeScalarView()
        for c in buffer { scalars.append(Unicode.Scalar(c)) }
        return String(scalars)
    }
}

/// The message for a character field that is not valid UTF-8.
let invalidUTF8Message = "invalid UTF-8 in a character field (if the file is Latin-1, declare "
    + "fileType charset=\"ISO-8859-1\" in the codebook)"

/// Text of a field for an error message: decoded as UTF-8 with invalid bytes replaced, at most 200 bytes.
func foundText(_ p: UnsafePointer<UInt8>, _ a: Int, _ b: Int) -> String {
    let count = max(0, b - a)
    let text = String(decoding: UnsafeBufferPointer(start: p + a, count: min(count, 200)), as: UTF8.self)
    return count > 200 ? text + "… (\(count) bytes)" : text
}

/// Tokens that stand for a missing value in an inferred numeric column (after trimming blanks): R's `NA`
/// and the spellings pandas reads as missing by default, plus `.` (SAS and Stata). Each one met is counted
/// in ``ReadStatistics/nonNumericMissing`` and is an error under ``ReadOptions/strict``.
let missingTokens: Set<[UInt8]> = Set(
    ["NA", "N/A", "n/a", "NaN", "nan", "NAN", "-NaN", "-nan", "NULL", "null", "None", "#N/A", "#NA", "<NA>", "."]
        .map { Array($0.utf8) })

/// What a field that ``parseNumber(_:_:_:decimals:)`` called `.invalid` is, in an inferred numeric column.
enum NonNumericField: Equatable {
    /// One of ``missingTokens``.
    case missingToken
    /// A number in exponent form or an infinity, as `strtod` reads it (possibly not finite).
    case number(Double)
    /// Anything else: the column is text.
    case text
}

/// Classifies a field that is not a plain number (blanks trimmed first).
func classifyNonNumeric(_ p: UnsafePointer<UInt8>, _ lo: Int, _ hi: Int) -> NonNumericField {
    let (a, b) = trimmed(p, lo, hi)
    if b - a <= 5 && missingTokens.contains(Array(UnsafeBufferPointer(start: p + a, count: b - a))) {
        return .missingToken
    }
    return exponentOrInfinity(p, a, b).map { .number($0) } ?? .text
}

/// `p[a..<b]` as `[sign] mantissa (e|E) [sign] digits` or `[sign] inf|infinity` (any case), read by `strtod`;
/// `nil` for anything else.
func exponentOrInfinity(_ p: UnsafePointer<UInt8>, _ a: Int, _ b: Int) -> Double? {
    var i = a
    if i < b && (p[i] == UInt8(ascii: "-") || p[i] == UInt8(ascii: "+")) { i += 1 }
    let word = String(decoding: UnsafeBufferPointer(start: p + i, count: b - i), as: UTF8.self).lowercased()
    if word == "inf" || word == "infinity" { return slowParse(p, a, b, decimals: 0) }
    var mantissaDigits = 0
    var dots = 0
    while i < b, p[i] &- 0x30 < 10 || p[i] == UInt8(ascii: ".") {
        if p[i] == UInt8(ascii: ".") { dots += 1 } else { mantissaDigits += 1 }
        i += 1
    }
    guard mantissaDigits > 0, dots <= 1, i < b, p[i] | 0x20 == UInt8(ascii: "e") else { return nil }
    i += 1
    if i < b && (p[i] == UInt8(ascii: "-") || p[i] == UInt8(ascii: "+")) { i += 1 }
    let exponentStart = i
    while i < b, p[i] &- 0x30 < 10 { i += 1 }
    guard i == b, i > exponentStart else { return nil }
    return slowParse(p, a, b, decimals: 0)
}

/// Whether the number `p[lo..<hi]` has a leading zero that would be lost (`007`, `-01`, `00.5`): a code to
/// keep as text. `0`, `-0`, `0.5` and `.5` have none.
@inline(__always)
func hasLeadingZero(_ p: UnsafePointer<UInt8>, _ lo: Int, _ hi: Int) -> Bool {
    var (a, b) = trimmed(p, lo, hi)
    if a < b && (p[a] == UInt8(ascii: "-") || p[a] == UInt8(ascii: "+")) { a += 1 }
    return a + 1 < b && p[a] == 0x30 && p[a + 1] &- 0x30 < 10
}
