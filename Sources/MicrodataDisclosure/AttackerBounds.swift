/// The a-priori bounds an attacker is assumed to know for every cell in one measure: `[lower(i), upper]`,
/// where `upper` is twice the largest amount in the table (sdcTable uses 1.5 times; the slack keeps the
/// largest cell's own upper protection reachable) and the floor is 0 for non-negative tables.
///
/// Published zeros: empty cells are published as 0 and never suppressed, so a suppressed frequency
/// cell is known to hold at least one unit (`nonEmptyFloor`): its count floor is 1, not 0
/// (docs/disclosure.md §2.4 step 5), and a margin's is the number of non-empty inner cells it sums.
struct AttackerBounds {
    /// The floor of a cell without the non-empty argument (0, or −upper when the table has negatives).
    let lower: Double
    let upper: Double
    /// Whether suppressed non-empty counts have floor 1.
    let nonEmptyFloor: Bool
    private let measure: Measure

    init(table: ProtectionTable, measure: Measure, nonEmptyFloor: Bool = true) {
        var largest = 0.0, smallest = 0.0
        for i in table.cells.indices {
            let a = table.amount(i, measure)
            largest = max(largest, abs(a))
            smallest = min(smallest, a)
        }
        upper = 2 * largest
        lower = smallest < 0 ? -upper : 0
        self.measure = measure
        self.nonEmptyFloor = nonEmptyFloor && measure == .count
    }

    /// The attacker's floor for cell `i` of `table`.
    func lower(_ i: Int, in table: ProtectionTable) -> Double {
        nonEmptyFloor && table.cells[i].evidence.units > 0 ? max(lower, Double(max(1, table.nonEmptyInnerCells[i]))) : lower
    }

    /// The interval `[value − lower, value + upper]` clipped to the a-priori bounds (floor `floor`).
    func required(value: Double, _ requirement: ProtectionRequirement, floor: Double? = nil) -> (Double, Double) {
        (max(floor ?? lower, value - requirement.lower), min(upper, value + requirement.upper))
    }

    /// The same against an attacker who knows `knownShare` of the cell (a singleton's own contribution):
    /// the rest, `value − knownShare`, must be protected, so the interval starts no lower than
    /// `knownShare + max(0, value − knownShare − lower level)`.
    func required(value: Double, _ requirement: ProtectionRequirement, knownShare: Double, floor: Double? = nil)
        -> (Double, Double)
    {
        let (low, high) = required(value: value, requirement, floor: floor)
        guard knownShare > 0 else { return (low, high) }
        return (max(low, knownShare + max(0, value - knownShare - requirement.lower)), high)
    }
}
