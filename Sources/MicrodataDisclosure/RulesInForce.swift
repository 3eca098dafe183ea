extension DisclosureRules {
    /// The rules in force in one line, printed in every output's metadata and summary, for example
    /// `threshold 10; NK(2, 90%) strict; p% 10; frequency protection max(1, 0% of the count); ...`.
    public var inForce: String {
        func number(_ x: Double) -> String { x == x.rounded() && abs(x) < 1e15 ? String(Int64(x)) : String(x) }
        let parts = [
            "threshold \(threshold)",
            "NK(\(nkN), \(number(nkK))%) \(nkStrict ? "strict" : "inclusive")",
            "p% \(number(pPercent))",
            "frequency protection max(\(number(frequencyProtectionMinimum)), \(number(frequencyProtectionPercent))% of the count)",
            "zeros \(zerosNeedReview ? "for review" : "published")",
            "class disclosure \(classDisclosureNeedsReview ? "for review" : "published")",
            "singleton attack \(singletonAttack ? "on" : "off")",
            "suppressed-group minimum \(suppressedGroupMinimumUnits == 0 ? "off" : String(suppressedGroupMinimumUnits))",
            "minimum residual df \(minimumResidualDegreesOfFreedom)",
            "unreliable estimates \(unreliableEstimates)",
        ]
        return parts.joined(separator: "; ")
    }
}
