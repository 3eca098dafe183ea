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
}
