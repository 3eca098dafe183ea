/// The a-priori bounds an attacker is assumed to know for every cell in one measure: `[lower, upper]`,
/// where `upper` is twice the largest amount in the table (sdcTable uses 1.5 times; the slack keeps the
/// largest cell's own upper protection reachable) and `lower` is 0 for non-negative tables.
struct AttackerBounds {
    let lower: Double
    let upper: Double

    init(table: ProtectionTable, measure: Measure) {
        var largest = 0.0, smallest = 0.0
        for i in table.cells.indices {
            let a = table.amount(i, measure)
            largest = max(largest, abs(a))
            smallest = min(smallest, a)
        }
        upper = 2 * largest
        lower = smallest < 0 ? -upper : 0
    }

    /// The interval `[value − lower, value + upper]` clipped to the a-priori bounds.
    func required(value: Double, _ requirement: ProtectionRequirement) -> (Double, Double) {
        (max(lower, value - requirement.lower), min(upper, value + requirement.upper))
    }

    /// The same against an attacker who knows `knownShare` of the cell (a singleton's own contribution):
    /// the rest, `value − knownShare`, must be protected, so the interval starts no lower than
    /// `knownShare + max(0, value − knownShare − lower level)`.
    func required(value: Double, _ requirement: ProtectionRequirement, knownShare: Double) -> (Double, Double) {
        let (low, high) = required(value: value, requirement)
        guard knownShare > 0 else { return (low, high) }
        return (max(low, knownShare + max(0, value - knownShare - requirement.lower)), high)
    }
}
