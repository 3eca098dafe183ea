import MicrodataReaders

extension ReadOptions {
    /// Marks the columns that `design` and `analyses` use only as numbers (the weight, FPC columns,
    /// replicate weights, and the variables of ratios, quantiles, variances and inequality measures), so a
    /// delimited file skips typing them (see ``ReadOptions/numericVariables``).
    public mutating func readNumbers(of design: SurveyDesign, analyses: [Analysis] = []) {
        var names = design.fpc
        if let w = design.weight { names.append(w) }
        for a in analyses {
            switch a.kind {
            case .ratio, .quantile, .variance, .inequality: names += a.variables
            case .mean, .total, .proportion: break  // a text column has a level per value
            }
        }
        numericVariables += names
        if let pattern = design.replicates?.pattern { numericPattern = pattern }
    }
}
