import ArgumentParser
import Foundation
import MicrodataReaders
import MicrodataWeighting

/// Calibration and raking of the weights (`tabulate`, `model`): totals files, distance and bounds.
struct CalibrationOptions: ParsableArguments {
    @Option(help: """
        Calibration totals: a CSV with columns term,total; a term is `intercept`, `VAR=LEVEL` \
        (indicator) or `VAR` (numeric). Post-stratification: one `VAR=LEVEL` row per level. Linear (GREG) \
        unless --calfun or --bounds is given.
        """)
    var calibrate: String?
    @Option(help: """
        Calibration distance, as R calibrate(calfun=): linear (default), raking or logit. Other than unbounded \
        linear, solved by R's grake Newton iterations; logit needs --bounds.
        """)
    var calfun: String?
    @Option(help: """
        Bounds L,U on the g-weights (calibrated/input weight), as R calibrate(bounds=c(L, U)), with L < 1 < U; \
        -Inf and Inf allowed. Linear with bounds is R's truncated linear calibration.
        """)
    var bounds: String?
    @Option(name: .customLong("calibrate-epsilon"), help: "Calibration convergence: max |T - Σwx|/(1+|T|) (R: 1e-7).")
    var calibrateEpsilon: Double = 1e-7
    @Option(name: .customLong("calibrate-maxit"), help: "Calibration Newton iterations (R: 50).")
    var calibrateMaxit: Int = 50
    @Option(help: "Raking margins: a CSV with columns variable,level,total.") var rake: String?
    @Option(name: .customLong("rake-epsilon"), help: "Raking convergence (R: 1 weighted unit; default 1e-10 of Σw).")
    var rakeEpsilon: Double = 1e-10
    @Option(name: .customLong("rake-maxit"), help: "Raking sweeps (default 100; R: 10).") var rakeMaxit: Int = 100

    /// The calibration distance and bounds of `--calfun` and `--bounds`.
    func calibrationMethod() throws -> (Calibration.Distance, ClosedRange<Double>) {
        if calibrate == nil && (calfun != nil || bounds != nil) {
            throw ValidationError("--calfun and --bounds need --calibrate")
        }
        guard let distance = Calibration.Distance(rawValue: (calfun ?? "linear").lowercased()) else {
            throw ValidationError("--calfun must be linear, raking or logit")
        }
        var range = -Double.infinity...Double.infinity
        if let bounds {
            let parts = bounds.split(separator: ",", omittingEmptySubsequences: false).map {
                $0.trimmingCharacters(in: .whitespaces).lowercased()
            }
            func number(_ s: String) -> Double? {
                switch s {
                case "inf", "+inf": return .infinity
                case "-inf": return -.infinity
                default: return Double(s).flatMap { $0.isFinite ? $0 : nil }
                }
            }
            guard parts.count == 2, let l = number(parts[0]), let u = number(parts[1]), l < 1, u > 1 else {
                throw ValidationError("--bounds takes L,U with L < 1 < U (for example 0.7,1.7 or -Inf,3), got '\(bounds)'")
            }
            range = l...u
        }
        if distance == .logit && !(range.lowerBound.isFinite && range.upperBound.isFinite) {
            throw ValidationError("--calfun logit needs finite --bounds L,U")
        }
        return (distance, range)
    }

    /// Sets `design.calibration` and `design.raking` from the options.
    func apply(to design: inout SurveyDesign) throws {
        let (distance, range) = try calibrationMethod()
        if let path = calibrate {
            let rows = try DelimitedRecords(contentsOf: URL(fileURLWithPath: path)).records.dropFirst()
            design.calibration = Calibration(terms: try rows.map { r -> Calibration.Term in
                guard r.fields.count >= 2, let total = Double(r.fields[1]) else {
                    throw ValidationError("\(path), line \(r.line): expected term,total")
                }
                let term = r.fields[0]
                if term.lowercased() == "intercept" { return .intercept(total: total) }
                if let eq = term.firstIndex(of: "=") {
                    return .level(column: String(term[..<eq]), value: String(term[term.index(after: eq)...]),
                                  total: total)
                }
                return .numeric(column: term, total: total)
            }, distance: distance, bounds: range, epsilon: calibrateEpsilon, maxIterations: calibrateMaxit)
        }
        if let path = rake {
            var margins: [Raking.Margin] = []
            for r in try DelimitedRecords(contentsOf: URL(fileURLWithPath: path)).records.dropFirst() {
                guard r.fields.count >= 3, let total = Double(r.fields[2]) else {
                    throw ValidationError("\(path), line \(r.line): expected variable,level,total")
                }
                if let m = margins.firstIndex(where: { $0.column == r.fields[0] }) {
                    margins[m].totals[r.fields[1]] = total
                } else {
                    margins.append(Raking.Margin(column: r.fields[0], totals: [r.fields[1]: total]))
                }
            }
            design.raking = Raking(margins: margins, epsilon: rakeEpsilon, maxIterations: rakeMaxit)
        }
    }
}
