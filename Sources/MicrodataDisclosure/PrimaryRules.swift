/// Which quantity an attacker interval is computed on.
public enum Measure: String, Sendable, Hashable, Codable {
    /// Unweighted unit counts (threshold rule).
    case count
    /// The published values (dominance rules; frequency tables whose value is the count).
    case value
}

/// An interval an attacker must not be able to narrow: the feasibility interval must reach
/// `value − lower` and `value + upper`.
public struct ProtectionRequirement: Sendable, Hashable, Codable {
    public var measure: Measure
    public var lower: Double
    public var upper: Double
    public var rule: String

    public init(measure: Measure, lower: Double, upper: Double, rule: String) {
        self.measure = measure
        self.lower = lower
        self.upper = upper
        self.rule = rule
    }
}

extension Array where Element == ProtectionRequirement {
    /// The primary status label of these requirements: each rule once, in order (`threshold+nk`).
    var ruleLabel: String {
        var seen = Set<String>()
        return compactMap { seen.insert($0.rule).inserted ? $0.rule : nil }.joined(separator: "+")
    }
}

/// The outcome of the primary rules for one cell.
public struct PrimaryAssessment: Sendable, Hashable {
    public var status: CellStatus
    public var requirements: [ProtectionRequirement]
}

extension DisclosureRules {
    /// Whether the threshold rule fails: `1 ≤ units < threshold` (zero cells go to the zero rule).
    public func failsThreshold(units: Int) -> Bool { units >= 1 && units < threshold }

    /// NK dominance on descending unit contributions: `Σ_{i≤n} x_i > k/100 · X` (or `≥` when not strict).
    /// Compared as `100·Σ` against `k·X`, so boundary cases are exact for integer data.
    public func failsNK(top: [Double], total: Double) -> Bool {
        guard total > 0, !top.isEmpty else { return false }
        let sum = top.prefix(nkN).reduce(0, +)
        return nkStrict ? 100 * sum > nkK * total : 100 * sum >= nkK * total
    }

    /// p% rule: `X − x1 − x2 < p/100 · x1` (strict), compared as `100·(X − x1 − x2) < p·x1`.
    public func failsPPercent(top: [Double], total: Double) -> Bool {
        guard total > 0, let x1 = top.first else { return false }
        let x2 = top.count > 1 ? top[1] : 0
        return 100 * (total - x1 - x2) < pPercent * x1
    }

    /// Applies threshold, NK and p% to a cell and derives its protection levels
    /// (tau-ARGUS/Handbook Table 4.4 upper levels; lower levels symmetric).
    public func assess(_ cell: CellEvidence, structuralZero: Bool = false) -> PrimaryAssessment {
        var rules: [String] = []
        var requirements: [ProtectionRequirement] = []
        if failsThreshold(units: cell.units) {
            rules.append("threshold")
            let level = max(frequencyProtectionMinimum, frequencyProtectionPercent / 100 * Double(cell.units))
            requirements.append(.init(measure: .count, lower: level, upper: level, rule: "threshold"))
            // In a magnitude table the cell also publishes its few units' values: protect the value too,
            // by p% of it as for a dominance primary (or frequencyProtectionPercent, whichever is larger).
            let valueLevel = max(
                frequencyProtectionMinimum, max(pPercent, frequencyProtectionPercent) / 100 * abs(cell.value))
            requirements.append(.init(measure: .value, lower: valueLevel, upper: valueLevel, rule: "threshold"))
        }
        if cell.hasNegative {
            if !rules.isEmpty { return .init(status: .primary(rules.joined(separator: "+")), requirements: requirements) }
            return .init(status: .review("negative"), requirements: [])
        }
        let top = cell.topContributions
        if rules.isEmpty, cell.units > 0, !top.isEmpty, cell.value == 0, top.allSatisfy({ $0 == 0 }) {
            // Every contributor has value 0: publishing the cell tells each of them about the others.
            return .init(status: .review("zero-magnitude"), requirements: [])
        }
        if failsNK(top: top, total: cell.value) {
            rules.append("nk")
            let level = max((100 / nkK) * top.prefix(nkN).reduce(0, +) - cell.value, 0)
            requirements.append(.init(measure: .value, lower: level, upper: level, rule: "nk"))
        }
        if failsPPercent(top: top, total: cell.value) {
            rules.append("p%")
            let x2 = top.count > 1 ? top[1] : 0
            let level = max(pPercent / 100 * top[0] - (cell.value - top[0] - x2), 0)
            requirements.append(.init(measure: .value, lower: level, upper: level, rule: "p%"))
        }
        if !rules.isEmpty { return .init(status: .primary(rules.joined(separator: "+")), requirements: requirements) }
        if cell.units == 0, !structuralZero, zerosNeedReview { return .init(status: .review("zero"), requirements: []) }
        return .init(status: .safe, requirements: [])
    }

    /// The degrees-of-freedom rule for a model: unsafe iff `residual < minimumResidualDegreesOfFreedom`.
    public func failsDegreesOfFreedom(residual: Int) -> Bool { residual < minimumResidualDegreesOfFreedom }

    /// The threshold rule for a rate or percentage: both numerator and denominator need enough units.
    public func failsThreshold(numeratorUnits: Int, denominatorUnits: Int) -> Bool {
        failsThreshold(units: numeratorUnits) || failsThreshold(units: denominatorUnits)
    }
}
