import MicrodataWeighting

extension DisclosureRules {
    /// The primary rules for one estimate of `tabulate` (docs/disclosure.md §2.2).
    ///
    /// - `threshold`: fewer than `threshold` contributing units.
    /// - `threshold-nonzero`: fewer than `threshold` contributors with a non-zero value (a mean or total of
    ///   a 0/1 indicator is a count by another name); `threshold-denominator` the same for a ratio's
    ///   denominator.
    /// - `threshold-zero`: for a 0/1 indicator, fewer than `threshold` contributors with zero (the
    ///   complement of the count, as the other level of a proportion).
    /// - `nk` and `p%`: dominance of the largest weighted contributions `w·y` in the domain total of a
    ///   mean, total or ratio (its numerator); a negative contribution sends the cell to review instead.
    /// - `quantile-sides`: fewer than `threshold` units strictly below or strictly above a quantile or its
    ///   interval's ends (order statistics too: they would publish one person's value, as the minimum or
    ///   maximum do).
    public func assess(_ cell: CellEstimate) -> PrimaryAssessment {
        var evidence = CellEvidence(units: cell.unweightedCount, value: cell.contributors?.total ?? cell.weightedCount)
        if let c = cell.contributors, ["mean", "total", "ratio"].contains(cell.statistic) {
            evidence.topContributions = c.top
            evidence.hasNegative = c.hasNegative
        }
        var assessment = assess(evidence)
        var extra: [String] = []
        if let c = cell.contributors {
            if failsThreshold(units: c.nonZero) { extra.append("threshold-nonzero") }
            if c.indicator && failsThreshold(units: c.zero) { extra.append("threshold-zero") }
        }
        if let d = cell.denominatorContributors, failsThreshold(units: d.nonZero) {
            extra.append("threshold-denominator")
        }
        if let sides = cell.quantileSides, cell.unweightedCount > 0,
            sides.below < threshold || sides.above < threshold
        {
            extra.append("quantile-sides")
        }
        guard !extra.isEmpty else { return assessment }
        var rules: [String] = []
        if case let .primary(given) = assessment.status { rules = given.split(separator: "+").map(String.init) }
        let level = max(frequencyProtectionMinimum, frequencyProtectionPercent / 100 * Double(cell.unweightedCount))
        for rule in extra where !rules.contains(rule) {
            rules.append(rule)
            assessment.requirements.append(.init(measure: .count, lower: level, upper: level, rule: rule))
        }
        assessment.status = .primary(rules.joined(separator: "+"))
        return assessment
    }
}
