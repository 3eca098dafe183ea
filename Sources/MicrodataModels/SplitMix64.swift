import Foundation

/// A seeded, portable random number generator for bootstraps: SplitMix64 (Steele, Lea and Flood 2014, the
/// generator of Java's `SplittableRandom`), with standard normal variates by the Box–Muller transform.
///
/// The same seed gives the same stream on every platform (integer arithmetic, then `log`, `sin`, `cos`).
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64
    private var spare: Double?

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform on (0, 1): the top 53 bits, centred in their interval (never 0 or 1).
    public mutating func uniform() -> Double { (Double(next() >> 11) + 0.5) * 0x1p-53 }

    /// Standard normal (Box–Muller: each pair of uniforms gives two variates, the second kept for the next call).
    public mutating func normal() -> Double {
        if let z = spare {
            spare = nil
            return z
        }
        let r = (-2 * log(uniform())).squareRoot(), t = 2 * Double.pi * uniform()
        spare = r * sin(t)
        return r * cos(t)
    }
}
