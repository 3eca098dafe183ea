/// What disclosure control needs to know about the contributors to a numeric estimate (a mean, total,
/// ratio or variance) in one domain, gathered in the single pass.
///
/// A 0/1 indicator's mean or total is a proportion or count by another name, so the number of
/// contributors with a non-zero value (and, for an indicator, with zero) is kept; the largest weighted
/// contributions feed the dominance (NK) and p% rules.
public struct ContributorEvidence: Sendable, Hashable, Codable {
    /// Contributors whose value is not zero.
    public var nonZero: Int
    /// Contributors whose value is zero.
    public var zero: Int
    /// Whether every contributor's value is 0 or 1.
    public var indicator: Bool
    /// `Σ w·y` over the contributors.
    public var total: Double
    /// The largest weighted contributions `w·y`, descending.
    public var top: [Double]
    /// Whether any contribution is negative (dominance is then undefined).
    public var hasNegative: Bool

    public init(nonZero: Int, zero: Int, indicator: Bool, total: Double, top: [Double], hasNegative: Bool) {
        self.nonZero = nonZero
        self.zero = zero
        self.indicator = indicator
        self.total = total
        self.top = top
        self.hasNegative = hasNegative
    }
}

/// How many units lie strictly below and strictly above a published quantile in its domain.
public struct QuantileSides: Sendable, Hashable, Codable {
    public var below: Int
    public var above: Int

    public init(below: Int, above: Int) {
        self.below = below
        self.above = above
    }
}

/// Per-domain contributor counts and the `kept` largest weighted contributions: O(kept) memory per
/// domain and per row, so the pass stays streaming.
struct ContributorAccumulator {
    let kept: Int
    private var nonZero: [Int] = []
    private var zero: [Int] = []
    private var notIndicator: [Int] = []
    private var negative: [Bool] = []
    private var total: [Double] = []
    /// `kept` slots per domain, descending; `-infinity` where empty.
    private var top: [Double] = []

    init(kept: Int) { self.kept = max(kept, 2) }

    /// Empty sums for the domains up to `d`.
    private mutating func grow(to d: Int) {
        let grow = d + 1 - nonZero.count
        nonZero += repeatElement(0, count: grow)
        zero += repeatElement(0, count: grow)
        notIndicator += repeatElement(0, count: grow)
        negative += repeatElement(false, count: grow)
        total += repeatElement(0, count: grow)
        top += repeatElement(-.infinity, count: grow * kept)
    }

    mutating func add(domain d: Int, value v: Double, weight w: Double) {
        if d >= nonZero.count { grow(to: d) }
        if v == 0 { zero[d] += 1 } else { nonZero[d] += 1 }
        if v != 0 && v != 1 { notIndicator[d] += 1 }
        if v < 0 { negative[d] = true }
        let c = w * v
        total[d] += c
        let base = d * kept
        guard c > top[base + kept - 1] else { return }
        var i = base + kept - 1
        while i > base && top[i - 1] < c {
            top[i] = top[i - 1]
            i -= 1
        }
        top[i] = c
    }

    /// The evidence of domain `d` (empty evidence when it has no contributor).
    func evidence(_ d: Int) -> ContributorEvidence {
        guard d < nonZero.count else {
            return ContributorEvidence(nonZero: 0, zero: 0, indicator: true, total: 0, top: [], hasNegative: false)
        }
        return ContributorEvidence(
            nonZero: nonZero[d], zero: zero[d], indicator: notIndicator[d] == 0, total: total[d],
            top: top[(d * kept)..<((d + 1) * kept)].filter { $0 > -.infinity }, hasNegative: negative[d])
    }
}

extension ContributorAccumulator {
    /// The sums of one domain, for a partial result: counts `(nonZero, zero, notIndicator)`, whether any
    /// value is negative, `Σ w·y` and the kept contributions (descending, `-infinity` where empty).
    struct DomainSums: Codable, Sendable, Equatable {
        var counts: [Int]
        var negative: Bool
        /// `Σ w·y`, then the kept contributions.
        var sums: PackedDoubles
    }

    /// Domains with a contributor.
    var domainCount: Int { nonZero.count }

    func sums(_ d: Int) -> DomainSums {
        DomainSums(counts: [nonZero[d], zero[d], notIndicator[d]], negative: negative[d],
                   sums: PackedDoubles([total[d]] + top[(d * kept)..<((d + 1) * kept)]))
    }

    /// Adds another pass's sums of domain `d`: counts and totals add, the kept contributions are the largest of
    /// both lists (the same as keeping the largest of every row).
    mutating func merge(domain d: Int, _ other: DomainSums) {
        if d >= nonZero.count { grow(to: d) }
        nonZero[d] += other.counts[0]
        zero[d] += other.counts[1]
        notIndicator[d] += other.counts[2]
        negative[d] = negative[d] || other.negative
        total[d] += other.sums.values[0]
        let base = d * kept
        let merged = (top[base..<(base + kept)] + other.sums.values.dropFirst()).sorted(by: >).prefix(kept)
        for (i, v) in merged.enumerated() { top[base + i] = v }
    }
}
