/// A published rounded value and the interval it leaves an attacker.
public struct RoundedValue: Sendable, Hashable {
    /// The published number, or `nil` for a redacted cell.
    public var published: Int?
    /// The values of the true count consistent with what is published.
    public var lower: Int
    public var upper: Int
}

/// Rounding alternatives to suppression, each with its existence interval.
public enum Rounding {
    /// Conventional rounding to the nearest multiple of `base` (halves up). The interval for a published
    /// `r` is `[r − ⌊b/2⌋, r + ⌊b/2⌋]` (for even bases `[r − b/2, r + b/2 − 1]`), never below 0.
    public static func conventional(_ count: Int, base: Int) -> RoundedValue {
        let r = ((count + base / 2) / base) * base
        return RoundedValue(published: r, lower: max(0, r - base / 2), upper: r + (base - 1) / 2)
    }

    /// Redact-then-round (OpenSAFELY): counts `≤ redactAtOrBelow` are redacted (interval `[0, limit]`),
    /// the rest rounded conventionally. The interval of a rounded cell also excludes redacted values.
    public static func redactThenRound(_ count: Int, redactAtOrBelow limit: Int, base: Int) -> RoundedValue {
        if count <= limit { return RoundedValue(published: nil, lower: 0, upper: limit) }
        var rounded = conventional(count, base: base)
        rounded.lower = max(rounded.lower, limit + 1)
        return rounded
    }

    /// Redacts and rounds a column and states the total as the sum of the published rounded cells
    /// (not the rounded true total), as OpenSAFELY does.
    public static func redactThenRound(_ counts: [Int], redactAtOrBelow limit: Int, base: Int)
        -> (cells: [RoundedValue], totalOfPublished: Int)
    {
        let cells = counts.map { redactThenRound($0, redactAtOrBelow: limit, base: base) }
        return (cells, cells.compactMap(\.published).reduce(0, +))
    }

    /// OpenSAFELY midpoint rounding: `⌈x/b⌉·b − ⌊b/2⌋·[x ≠ 0]`; interval `[r − ⌊b/2⌋ + 1, r + ⌈b/2⌉]`.
    public static func midpoint(_ count: Int, base: Int) -> RoundedValue {
        guard count > 0 else { return RoundedValue(published: 0, lower: 0, upper: 0) }
        let r = ((count + base - 1) / base) * base - base / 2
        return RoundedValue(published: r, lower: r - base / 2 + 1, upper: r + (base + 1) / 2)
    }

    /// The existence interval of a controlled-rounding (tau-ARGUS RND, manual §2.14) published value `r`
    /// with base `b` and `steps` K (0 = zero-restricted): `[0, (K+1)b − 1]` if `r < (K+1)b`,
    /// else `[r − (K+1)b + 1, r + (K+1)b − 1]`.
    public static func controlledInterval(published r: Int, base b: Int, steps k: Int = 0) -> (Int, Int) {
        let width = (k + 1) * b
        return r < width ? (0, width - 1) : (r - width + 1, r + width - 1)
    }
}
