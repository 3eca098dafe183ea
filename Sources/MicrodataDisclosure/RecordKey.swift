/// Seeded record keys of the cell-key method: a keyed hash (SipHash-2-4) of a stable record identifier.
///
/// A key is a 64-bit integer read as a fraction of 2⁶⁴; a cell key is the sum of its contributors' keys modulo
/// 2⁶⁴, so it is the same whatever order the records come in (a floating-point sum modulo 1 would not be). Without
/// the seed the keys cannot be computed, so the noise of a cell cannot be predicted or removed.
public struct RecordKeyGenerator: Sendable, Hashable {
    private let k0: UInt64
    private let k1: UInt64

    /// Keys for `seed` (any text; keep it secret and keep it fixed for every output of one release).
    public init(seed: String) {
        let bytes = Array("microdata cell key\u{0}".utf8) + Array(seed.utf8)
        k0 = SipHash24.hash(bytes, k0: 0x6d69_6372_6f64_6174, k1: 0x6365_6c6c_6b65_7930)
        k1 = SipHash24.hash(bytes, k0: 0x6365_6c6c_6b65_7931, k1: 0x6d69_6372_6f64_6174)
    }

    /// The key of the record whose identifier is `identifier` (`--record-id`).
    public func key(identifier: String) -> UInt64 {
        SipHash24.hash(Array(identifier.utf8), k0: k0, k1: k1)
    }

    /// The key of a record identified by all its fields (in file order; `nil` is a missing value). Each field is
    /// length-prefixed, so `("ab", "c")` and `("a", "bc")` differ.
    public func key(fields: [String?]) -> UInt64 {
        var bytes: [UInt8] = []
        for field in fields {
            guard let field else {
                bytes.append(0xFF)
                continue
            }
            let utf8 = Array(field.utf8)
            var n = UInt32(truncatingIfNeeded: utf8.count)
            for _ in 0..<4 { bytes.append(UInt8(n & 0xFF)); n >>= 8 }
            bytes += utf8
        }
        return SipHash24.hash(bytes, k0: k0, k1: k1)
    }

    /// A cell key as a fraction in [0, 1): the top 53 bits of the sum of record keys.
    public static func fraction(_ cellKey: UInt64) -> Double {
        Double(cellKey >> 11) * 0x1p-53
    }
}

/// SipHash-2-4 (Aumasson and Bernstein 2012), the keyed hash of the record keys.
enum SipHash24 {
    static func hash(_ message: [UInt8], k0: UInt64, k1: UInt64) -> UInt64 {
        var v0: UInt64 = 0x736f_6d65_7073_6575 ^ k0
        var v1: UInt64 = 0x646f_7261_6e64_6f6d ^ k1
        var v2: UInt64 = 0x6c79_6765_6e65_7261 ^ k0
        var v3: UInt64 = 0x7465_6462_7974_6573 ^ k1
        @inline(__always) func round() {
            v0 = v0 &+ v1; v1 = (v1 << 13) | (v1 >> 51); v1 ^= v0; v0 = (v0 << 32) | (v0 >> 32)
            v2 = v2 &+ v3; v3 = (v3 << 16) | (v3 >> 48); v3 ^= v2
            v0 = v0 &+ v3; v3 = (v3 << 21) | (v3 >> 43); v3 ^= v0
            v2 = v2 &+ v1; v1 = (v1 << 17) | (v1 >> 47); v1 ^= v2; v2 = (v2 << 32) | (v2 >> 32)
        }
        let whole = message.count / 8 * 8
        var i = 0
        while i < whole {
            var m: UInt64 = 0
            for k in 0..<8 { m |= UInt64(message[i + k]) << (8 * UInt64(k)) }
            v3 ^= m
            round(); round()
            v0 ^= m
            i += 8
        }
        var last = UInt64(truncatingIfNeeded: message.count) << 56
        for k in 0..<(message.count - whole) { last |= UInt64(message[whole + k]) << (8 * UInt64(k)) }
        v3 ^= last
        round(); round()
        v0 ^= last
        v2 ^= 0xFF
        round(); round(); round(); round()
        return v0 ^ v1 ^ v2 ^ v3
    }
}
