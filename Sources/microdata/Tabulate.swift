import ArgumentParser
import Foundation
import MicrodataCodebook
import MicrodataReaders
import MicrodataWeighting

/// `microdata tabulate`: design-weighted estimates with standard errors, in one pass over the data.
struct Tabulate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Design-weighted means, totals, proportions, ratios, quantiles and variances with correct SEs.",
        discussion: """
            Variance by Taylor linearisation over strata/PSUs (with FPCs, lonely-PSU rules and two-stage \
            designs), by replicate weights, or for files without design variables: weights only (SRS with \
            weights), --cluster-households, or a --design-factor (DEFT). Numbers follow R survey 4.5. The design \
            used is stated with every result (on stderr for CSV).
            """)

    @Option(help: "The data file (CSV with a header, or fixed-width with --codebook).") var data: String
    @Option(help: "The DDI codebook.") var codebook: String?
    @Option(help: "The analysis weight column (omit to derive weights from --fpc population sizes).")
    var weight: String?
    @Option(help: "The stratum column.") var strata: String?
    @Option(help: "Cluster columns by stage: PSU[,SSU].") var psu: String?
    @Option(help: "FPC columns by stage (population sizes or sampling fractions).") var fpc: String?
    @Flag(help: "PSU ids repeat across strata (nest them in strata).") var nest = false
    @Option(name: .customLong("lonely-psu"), help: "fail, remove, certainty, adjust or average.")
    var lonelyPSU: String = "fail"
    @Flag(name: .customLong("adjust-domain-lonely"), help: "Apply the lonely-PSU rule inside domains.")
    var adjustDomainLonely = false
    @Flag(name: .customLong("ultimate-cluster"), help: "First-stage variance only, even with later-stage FPCs.")
    var ultimateCluster = false
    @Flag(name: .customLong("allow-zero-weights"), help: "Accept zero weights (rows stay in the design).")
    var allowZeroWeights = false
    @Option(name: .customLong("replicate-weights"), help: "Regular expression naming the replicate weight columns.")
    var replicateWeights: String?
    @Option(name: .customLong("replicate-type"),
            help: "JK1, JKn, BRR, Fay, bootstrap, subbootstrap, SDR (successive-difference), ACS or other.")
    var replicateType: String?
    @Option(name: .customLong("fay-rho"), help: "Fay's rho.") var fayRho: Double?
    @Option(help: "Replicate variance scale (default by type).") var scale: Double?
    @Option(help: "A file of per-replicate scales (one number a line; a header line is skipped).")
    var rscales: String?
    @Flag(help: "Centre replicate variance on the full-sample estimate.") var mse = false
    @Flag(name: .customLong("replicate-factors"), help: "Replicate columns are factors times the main weight.")
    var replicateFactors = false
    @Flag(help: "Jackknife variance from delete-one-PSU replicates built from --strata/--psu (JK1/JKn).")
    var jackknife = false
    @Option(help: """
        Linear calibration (GREG) totals: a CSV with columns term,total; a term is `intercept`, `VAR=LEVEL` \
        (indicator) or `VAR` (numeric). Post-stratification: one `VAR=LEVEL` row per level.
        """)
    var calibrate: String?
    @Option(help: "Raking margins: a CSV with columns variable,level,total.") var rake: String?
    @Option(name: .customLong("rake-epsilon"), help: "Raking convergence (R: 1 weighted unit; default 1e-10 of Σw).")
    var rakeEpsilon: Double = 1e-10
    @Option(name: .customLong("rake-maxit"), help: "Raking sweeps (default 100; R: 10).") var rakeMaxit: Int = 100
    @Option(name: .customLong("design-factor"), help: "DEFT: SE = deft × SRS-with-replacement SE.")
    var designFactor: Double?
    @Option(name: .customLong("cluster-households"), help: "Household id column: households as clusters.")
    var clusterHouseholds: String?

    @Option(help: "Mean of a variable (of a text column: proportion of each level).") var mean: String?
    @Option(help: "Total of a variable (of a text column: weighted count of each level).") var total: String?
    @Option(help: "Proportion of each level of a variable (A or A:B for combinations).") var proportion: String?
    @Option(help: "Ratio N/D.") var ratio: String?
    @Option(help: "Quantiles V:P[,P...].") var quantile: String?
    @Option(name: .customLong("quantile-rule"), help: "math (default), school, hf1 ... hf9.")
    var quantileRule: String = "math"
    @Option(help: "Population variance of a variable.") var variance: String?
    @Option(help: "Domain variables, comma-separated.") var by: String?
    @Option(help: "Proportion interval: logit (default), xlogit, asin, beta, mean, wilson.") var ci: String = "logit"
    @Option(help: "Confidence level.") var level: Double = 0.95
    @Option(help: "Degrees of freedom (default: the design's; replicate designs: rank − 1).") var df: Double?
    @Flag(help: "Normal instead of t intervals.") var normal = false
    @Flag(help: "Design effect against SRS without replacement.") var deff = false
    @Flag(name: .customLong("deff-replace"), help: "Design effect against SRS with replacement.") var deffReplace = false
    @Option(help: "csv, json, markdown or text.") var format: String = "csv"
    @Option(help: "Output file (default: standard output).") var output: String?
    @Flag(help: "Print the time spent reading and estimating to stderr.") var timing = false

    func run() throws {
        let (design, analysis, options, outputFormat) = try plan()
        let book = try codebook.map { try DDIParser().parse(contentsOf: URL(fileURLWithPath: $0)) }
        var needed: [String]? = nil
        if design.replicates == nil {
            var names = analysis.variables + options.by + design.clusters + design.fpc
            if let w = design.weight { names.append(w) }
            if let s = design.strata { names.append(s) }
            for term in design.calibration?.terms ?? [] {
                switch term {
                case .intercept: break
                case .level(let c, _, _), .numeric(let c, _): names.append(c)
                }
            }
            names += design.raking?.margins.map(\.column) ?? []
            needed = Array(Set(names))
        }
        var source = try DataReader.open(data: URL(fileURLWithPath: data), codebook: book,
                                         options: ReadOptions(variables: needed))
        var estimator = try SurveyEstimator(design: design, analyses: [analysis], options: options)
        let clock = ContinuousClock()
        var readTime = Duration.zero
        var passTime = Duration.zero
        while true {
            let t0 = clock.now
            guard let batch = try source.nextBatch() else { break }
            let t1 = clock.now
            try estimator.add(batch)
            readTime += t1 - t0
            passTime += clock.now - t1
        }
        let t2 = clock.now
        let estimates = try estimator.finish()
        if timing {
            FileHandle.standardError.write(Data(
                "timing: read \(readTime), accumulate \(passTime), finish \(clock.now - t2)\n".utf8))
        }
        if estimates.rowsWithMissingDomain > 0 {
            FileHandle.standardError.write(Data(
                "note: \(estimates.rowsWithMissingDomain) rows with a missing by-value are in no domain\n".utf8))
        }
        try Tabulate.write(estimates.table, format: outputFormat, to: output)
    }

    /// Writes a table: the single output path of `tabulate` (the place a disclosure check wraps).
    static func write(_ table: ResultTable, format: ResultTableWriter.Format, to output: String?) throws {
        let text = ResultTableWriter.render(table, format: format)
        if format == .csv {
            FileHandle.standardError.write(Data((ResultTableWriter.designLine(table) + "\n").utf8))
        }
        if let output {
            try Data(text.utf8).write(to: URL(fileURLWithPath: output))
        } else {
            FileHandle.standardOutput.write(Data(text.utf8))
        }
    }

    private func list(_ s: String?) -> [String] {
        (s ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    func plan() throws -> (SurveyDesign, Analysis, EstimationOptions, ResultTableWriter.Format) {
        guard let rule = LonelyPSURule(rawValue: lonelyPSU.lowercased()) else {
            throw ValidationError("--lonely-psu must be one of fail, remove, certainty, adjust, average")
        }
        if designFactor != nil && clusterHouseholds != nil {
            throw ValidationError("give --design-factor or --cluster-households, not both")
        }
        var clusters = list(psu)
        if let h = clusterHouseholds {
            if !clusters.isEmpty || strata != nil { throw ValidationError("--cluster-households replaces --strata/--psu") }
            clusters = [h]
        }
        var replicates: ReplicateWeights? = nil
        if let pattern = replicateWeights {
            guard let typeName = replicateType, let type = ReplicateType(name: typeName) else {
                throw ValidationError("--replicate-weights needs --replicate-type (JK1, JKn, BRR, Fay, bootstrap, "
                                      + "subbootstrap, SDR, ACS, other)")
            }
            var scales: [Double]? = nil
            if let path = rscales {
                let records = try DelimitedRecords(contentsOf: URL(fileURLWithPath: path)).records
                scales = try records.compactMap { r -> Double? in
                    guard let f = r.fields.first else { return nil }
                    if let v = Double(f) { return v }
                    if r.line == 1 { return nil }
                    throw ValidationError("\(path), line \(r.line): '\(f)' is not a number")
                }
            }
            replicates = ReplicateWeights(pattern: pattern, type: type, fayRho: fayRho, scale: scale, rscales: scales,
                                          mse: mse ? true : nil, combinedWeights: !replicateFactors)
        } else if replicateType != nil {
            throw ValidationError("--replicate-type needs --replicate-weights")
        }
        var design = SurveyDesign(
            weight: weight, strata: strata, clusters: clusters, fpc: list(fpc), nest: nest, lonelyPSU: rule,
            adjustDomainLonely: adjustDomainLonely, ultimateCluster: ultimateCluster, replicates: replicates,
            designFactor: designFactor, allowZeroWeights: allowZeroWeights)
        design.jackknife = jackknife
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
            })
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
        if jackknife && (replicates != nil || designFactor != nil) {
            throw ValidationError("--jackknife builds replicates from the design; it excludes --replicate-weights and --design-factor")
        }

        var analyses: [Analysis] = []
        if let v = mean { analyses.append(.mean(v)) }
        if let v = total { analyses.append(.total(v)) }
        if let v = proportion { analyses.append(Analysis(.proportion, v.split(separator: ":").map(String.init))) }
        if let v = variance { analyses.append(.variance(v)) }
        if let v = ratio {
            let parts = v.split(separator: "/").map(String.init)
            guard parts.count == 2 else { throw ValidationError("--ratio takes N/D") }
            analyses.append(.ratio(parts[0], parts[1]))
        }
        if let v = quantile {
            guard let colon = v.lastIndex(of: ":") else { throw ValidationError("--quantile takes V:P[,P...]") }
            let ps = try v[v.index(after: colon)...].split(separator: ",").map { s -> Double in
                guard let p = Double(s), p >= 0, p <= 1 else { throw ValidationError("quantile '\(s)' is not in [0, 1]") }
                return p
            }
            analyses.append(.quantile(String(v[..<colon]), ps))
        }
        guard analyses.count == 1 else {
            throw ValidationError("give exactly one of --mean, --total, --proportion, --ratio, --quantile, --variance")
        }
        guard let qrule = QuantileRule(rawValue: quantileRule.lowercased()) else {
            throw ValidationError("--quantile-rule must be math, school or hf1 ... hf9")
        }
        guard let method = ProportionCIMethod(rawValue: ci.lowercased()), method != .wald else {
            throw ValidationError("--ci must be logit, xlogit, asin, beta, mean or wilson")
        }
        guard level > 0 && level < 1 else { throw ValidationError("--level must be between 0 and 1") }
        guard let fmt = ResultTableWriter.Format(rawValue: format.lowercased()) else {
            throw ValidationError("--format must be csv, json, markdown or text")
        }
        let options = EstimationOptions(
            by: list(by), deff: deffReplace ? .replace : (deff ? .withoutReplacement : nil), level: level,
            ciMethod: method, useT: !normal, degreesOfFreedom: df, quantileRule: qrule,
            quantileInterval: method == .logit ? .mean : method)
        return (design, analyses[0], options, fmt)
    }
}
