/// An error in a survey design or an estimation request, naming the column, stratum or row concerned.
public enum WeightingError: Error, Hashable, CustomStringConvertible {
    /// A column the design or the analysis names is not in the data.
    case missingColumn(String)
    /// A weight that is missing, negative, zero (unless allowed) or not finite.
    case invalidWeight(column: String, row: Int, value: String)
    /// A stratum with one PSU under the `fail` rule.
    case lonelyPSU(stratumColumn: String, stratum: String, stage: Int)
    /// An FPC that gives a population smaller than the sample.
    case fpcSmallerThanSample(column: String, stratum: String, population: Double, sample: Int)
    /// A design variable that is missing on a row.
    case missingDesignValue(column: String, row: Int)
    /// Anything else wrong with the design.
    case invalidDesign(String)
    /// An estimate that cannot be made (empty domain, unsupported combination).
    case invalidRequest(String)
    /// Calibration by Newton iterations (R `grake`) stopped after `iterations` with a total still off:
    /// `term` has the largest relative gap `|T − Σ w x| / (1 + |T|)`, which is not below `epsilon`.
    case calibrationDidNotConverge(iterations: Int, term: String, gap: Double, relativeGap: Double, epsilon: Double)
    /// No g-weights within `lower...upper` can reach the total of `term`: with every g at a bound the
    /// weighted total ranges over `lowest...highest` only.
    case infeasibleCalibrationBounds(
        term: String, total: Double, lowest: Double, highest: Double, lower: Double, upper: Double)
    /// The temporary file that holds replicate weights for quantiles could not be written or read back.
    case temporaryFile(path: String, problem: String)

    public var description: String {
        switch self {
        case .missingColumn(let c): return "column '\(c)' is not in the data"
        case .invalidWeight(let c, let row, let v): return "weight column '\(c)', row \(row): invalid weight \(v)"
        case .lonelyPSU(let col, let s, let stage):
            return "Stratum (\(s)) of '\(col)' has only one PSU at stage \(stage); choose a lonely-PSU rule"
        case .fpcSmallerThanSample(let c, let s, let pop, let n):
            return "fpc column '\(c)', stratum (\(s)): population size \(pop) is smaller than the sample (\(n))"
        case .missingDesignValue(let c, let row): return "design column '\(c)', row \(row): value is missing"
        case .invalidDesign(let m): return "invalid design: \(m)"
        case .invalidRequest(let m): return m
        case .calibrationDidNotConverge(let iterations, let term, let gap, let relative, let epsilon):
            return "calibration did not converge in \(iterations) iterations: the largest remaining gap "
                + "(total − calibrated total) is \(gap) on term '\(term)' (relative \(relative), epsilon \(epsilon)); "
                + "raise the iterations or widen the bounds"
        case .infeasibleCalibrationBounds(let term, let total, let lowest, let highest, let lower, let upper):
            return "calibration bounds [\(lower), \(upper)] are infeasible: term '\(term)' needs the total \(total) "
                + "but g-weights within the bounds reach only \(lowest) to \(highest)"
        case .temporaryFile(let path, let problem):
            return "temporary file \(path) for the replicate weights of quantile rows: \(problem) "
                + "(set TMPDIR to a folder with room)"
        }
    }
}
