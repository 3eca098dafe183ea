import MicrodataWeighting

extension SurveyModel {
    /// The same model fitted to each of `m` completed datasets, combined by Rubin's rules as R
    /// `MIcombine(with(designs, svyglm(...)))`: coefficients the mean, covariance `W + (1 + 1/m) B`, each
    /// coefficient with its Rubin df and fraction of missing information, t and p on those df, intervals
    /// `estimate ± t·SE`.
    ///
    /// For the output checks the combined model is the worst case over the imputations: the smallest residual
    /// df and, per coefficient, the fewest units (an indicator small in one imputation is withheld).
    ///
    /// - Throws: ``RubinsRulesError`` for fewer than two models, or a coefficient aliased or absent in one.
    public static func combiningImputations(_ models: [SurveyModel]) throws(RubinsRulesError) -> SurveyModel {
        guard let first = models.first, models.count >= 2 else { throw .tooFewImputations(models.count) }
        let terms = first.coefficients.map(\.term)
        var estimates: [[Double]] = []
        var covariances: [[Double]] = []
        for (k, model) in models.enumerated() {
            var q: [Double] = []
            for term in terms {
                guard let c = model.coefficients.first(where: { $0.term == term }), let e = c.estimate else {
                    throw .missingEstimate("coefficient \(term)", imputation: k + 1)
                }
                q.append(e)
            }
            if let extra = model.coefficients.first(where: { !terms.contains($0.term) }) {
                throw .missingEstimate("coefficient \(extra.term)", imputation: 1)
            }
            estimates.append(q)
            covariances.append(model.covariance)
        }
        let rubin = try RubinsRules(estimates: estimates, covariances: covariances)
        var out = first
        out.imputations = models.count
        out.covariance = rubin.covariance
        out.residualDF = models.map(\.residualDF).min()!
        out.weightedN = models.map(\.weightedN).reduce(0, +) / Double(models.count)
        out.designDescription += "; " + RubinsRules.designText(imputations: models.count)
        out.tests = []
        out.warnings = models.enumerated().flatMap { k, m in m.warnings.map { "imputation \(k + 1): \($0)" } }
        for j in terms.indices {
            var c = out.coefficients[j]
            let se = rubin.standardError(j)
            c.estimate = rubin.estimates[j]
            c.standardError = se
            c.t = rubin.estimates[j] / se
            c.p = rubin.pValue(j)
            (c.ciLow, c.ciHigh) = rubin.interval(j, level: first.level)
            c.degreesOfFreedom = rubin.degreesOfFreedom[j]
            c.fractionMissingInformation = rubin.fractionMissingInformation[j]
            c.units = models.map { m in m.coefficients.first { $0.term == terms[j] }!.units }.min()!
            out.coefficients[j] = c
        }
        return out
    }

    /// The groups (`--by`) of one fit per completed dataset, each group's models combined by Rubin's rules; one
    /// fit is returned as it is.
    ///
    /// - Throws: ``RubinsRulesError`` when a group is missing from an imputation, or as ``combiningImputations(_:)``.
    public static func combiningImputations(groupsOf fits: [[ModelReport.Group]]) throws(RubinsRulesError) -> [ModelReport.Group] {
        guard let first = fits.first, fits.count > 1 else { return fits.first ?? [] }
        var out: [ModelReport.Group] = []
        for group in first {
            var models: [SurveyModel] = []
            for (k, fit) in fits.enumerated() {
                guard let match = fit.first(where: { $0.by == group.by }) else {
                    throw .missingEstimate("the model for \(group.by.map { "\($0.key)=\($0.value)" }.joined(separator: ", "))", imputation: k + 1)
                }
                models.append(match.model)
            }
            out.append(ModelReport.Group(by: group.by, model: try combiningImputations(models)))
        }
        return out
    }
}
