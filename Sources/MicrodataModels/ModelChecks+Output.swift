import MicrodataWrite

extension ModelChecks {
    /// The checks of fitted models for the output's audit: residual degrees of freedom per model, and the
    /// units behind each indicator (factor-level, interaction-cell) coefficient, with their evidence.
    public func outputChecks(_ groups: [ModelReport.Group]) -> [OutputCheck] {
        var checks: [OutputCheck] = []
        for g in groups {
            let at = g.by.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value) " }.joined()
            let df = g.model.residualDF
            let dfFails = failure(g.model) != nil
            checks.append(OutputCheck(
                rule: "residual-df", subject: at + "model", status: dfFails ? .fail : .pass, withheld: dfFails,
                evidence: dfFails
                    ? "residual df \(formatNumber(df)) < \(minimumResidualDegreesOfFreedom): no coefficient published"
                    : "residual df \(formatNumber(df)) (at least \(minimumResidualDegreesOfFreedom))"))
            for c in g.model.coefficients where c.isIndicator {
                let fails = suppresses(c)
                checks.append(OutputCheck(
                    rule: "coefficient-units", subject: at + "coefficient \(c.term)", status: fails ? .fail : .pass,
                    withheld: fails || dfFails,
                    evidence: fails
                        ? "fewer than \(threshold) units behind the indicator: withheld"
                        : "at least \(threshold) units behind the indicator"))
            }
        }
        return checks
    }
}
