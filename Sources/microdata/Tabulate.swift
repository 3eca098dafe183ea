import ArgumentParser
import Foundation
import MicrodataCodebook
import MicrodataDisclosure
import MicrodataReaders
import MicrodataWeighting
import MicrodataWrite

/// `microdata tabulate`: design-weighted estimates with standard errors, in one pass over the data.
struct Tabulate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tabulate",
        abstract: "Design-weighted means, totals, proportions, ratios, quantiles and variances with correct SEs.",
        discussion: """
            Variance by Taylor linearisation over strata/PSUs (with FPCs, lonely-PSU rules and two-stage \
            designs), by replicate weights, or for files without design variables: weights only (SRS with \
            weights), --cluster-households, or a --design-factor (DEFT). Numbers follow R survey 4.5. The design \
            used is stated with every result (on stderr for CSV).

            Disclosure control: a cell needs the rules' threshold of units; a mean, total or ratio also \
            needs it among contributors with a non-zero value (and with zero, for a 0/1 indicator) and \
            passes the NK and p% rules on the weighted contributions; a quantile needs it on each side. A \
            suppressed row shows [c] in every number (df, n and weighted n too). Domain totals, means and \
            ratios, and levels of a categorical, are protected with their margins (the overall figure, and \
            one-way margins under --by A,B) taken as published by another call. Protection is per output: \
            audit a set of outputs together with `microdata release`.
            """)

    @Option(name: .customLong("data"), help: "The data file (CSV/TSV with a header, fixed-width with --codebook, or SPSS/Stata/SAS; - reads standard input, gzip or not).")
    var dataOption: String?
    /// `--data`, or the first file of `--imputations`.
    var data: String { dataOption ?? imputation.files.first ?? "-" }
    @Option(help: "The codebook: DDI XML, or an SPSS/Stata/SAS file whose metadata describes --data.")
    var codebook: String?
    @OptionGroup var designOptions: DesignOptions
    @OptionGroup var calibration: CalibrationOptions

    @Option(help: "Mean of a variable (of a text column: proportion of each level).") var mean: String?
    @Option(help: "Total of a variable (of a text column: weighted count of each level).") var total: String?
    @Option(help: "Proportion of each level of a variable (A or A:B for combinations).") var proportion: String?
    @Option(help: "Ratio N/D.") var ratio: String?
    @Option(help: "Quantiles V:P[,P...] with 0 < P < 1; a quantile with fewer than the rules' threshold of units on either side is suppressed.") var quantile: String?
    @Option(name: .customLong("quantile-rule"), help: "math (default), school, shahvaish, hf1 ... hf9.")
    var quantileRule: String = "math"
    @Flag(name: .customLong("replicate-quantiles"),
          help: "Replicate designs: a quantile's SE from the quantile in each replicate (R interval.type = \"quantile\").")
    var replicateQuantiles = false
    @Option(help: "Population variance of a variable.") var variance: String?
    @Option(help: "Domain variables, comma-separated.") var by: String?
    @Option(name: .customLong("max-domains"), help: "Most domains --by may make (default 2,000).")
    var maxDomains = EstimationOptions.defaultMaxDomains
    @Option(help: "Proportion interval: logit (default), xlogit, likelihood, asin, beta, mean, wilson. Means, totals and ratios always have Wald intervals. Quantiles: Woodruff on mean (default), xlogit, asin or beta, or score (R interval.type); wilson is refused.") var ci: String = "logit"
    @Option(help: "Confidence level.") var level: Double = 0.95
    @Option(help: "Degrees of freedom (default: the design's; replicate designs: rank − 1).") var df: Double?
    @Flag(help: "Normal instead of t intervals.") var normal = false
    @Flag(help: "Design effect against SRS without replacement.") var deff = false
    @Flag(name: .customLong("deff-replace"), help: "Design effect against SRS with replacement.") var deffReplace = false
    @Option(help: "csv, json, markdown, text, html or xlsx (with --output).") var format: String = "csv"
    @Flag(help: "Show codes instead of the codebook's value labels for --by levels (CSV and JSON keep both).")
    var codes = false
    @Option(help: "Output file (default: standard output).") var output: String?
    @Flag(help: "Print the time spent reading and estimating to stderr.") var timing = false
    @Option(help: "Write the accumulators of this part of the data here, for microdata combine, instead of a table (intermediate: not for release).")
    var partial: String?

    @OptionGroup(title: "Disclosure control") var disclosure: DisclosureOutputOptions
    @OptionGroup(title: "Weights") var weighting: WeightingExtrasOptions
    @OptionGroup(title: "Cell-key perturbation") var cellKey: CellKeyOptions
    @OptionGroup(title: "Reading") var reading: ReadingOptions
    @OptionGroup(title: "Limits") var limits: LimitOptions
    @OptionGroup(title: "Linking and subpopulations") var linking: LinkOptions
    @OptionGroup(title: "CSV safety") var csvSafety: CSVSafetyOptions
    @OptionGroup(title: "Inequality and poverty") var inequality: InequalityOptions
    @OptionGroup(title: "Presentation") var presentation: PresentationOptions
    @OptionGroup(title: "Tests and contrasts") var tests: TestsAndContrastsOptions
    @OptionGroup(title: "Multiple imputation") var imputation: ImputationOptions

    func run() throws {
        limits.apply()
        csvSafety.apply()
        let linkFiles = linking.files(output: output)
        _ = try imputation.dataPath(dataOption)
        try imputation.refuse([
            cellKey.seed.map { _ in "--cell-key-seed" }, linking.subpop.map { _ in "--subpop" },
            tests.needsFullCovariance ? "a test, contrast or --vcov" : nil, inequality.lorenzReport.map { _ in "--lorenz-report" },
            deff || deffReplace ? "--deff" : nil,
        ])
        try OutputTarget.check(
            outputs: [output, OutputAudit.sidecar(for: output), disclosure.audit, disclosure.auditPrivate, inequality.lorenzReport, output.map(Presentation.csvMetadataPath), tests.vcov] + linkFiles.outputs + partialOutputs,
            inputs: [data, codebook, calibration.calibrate, calibration.rake, disclosure.rules, cellKey.ptable] + linkFiles.inputs
                + imputation.files)
        try disclosure.checkPrivateLocation(output: output)  // before any work: the full audit stays out of the output folder
        var (design, analyses, options, outputFormat) = try plan()
        try checkPartial(design: design, analyses: analyses, options: options)
        let analysis = analyses[0]
        // A DDI codebook or an SPSS/Stata/SAS file's metadata (detected by magic bytes), as in extract.
        let book = try codebook.map { try CodebookSource.load(URL(fileURLWithPath: $0)).codebook }
        var needed: [String]? = nil
        if design.replicates == nil {
            var names = analyses.flatMap(\.variables) + options.by + design.clusters + design.fpc
            if let w = design.weight { names.append(w) }
            if let s = design.strata { names.append(s) }
            for term in design.calibration?.terms ?? [] {
                switch term {
                case .intercept: break
                case .level(let c, _, _), .numeric(let c, _): names.append(c)
                }
            }
            names += design.raking?.margins.map(\.column) ?? []
            names += try reading.missingCodes().codes.keys
            var seen = Set<String>()
            needed = (names + imputation.columns).filter { seen.insert($0.lowercased()).inserted }
        }
        var cellKeys = try cellKey.accumulator(by: options.by, analysis: analysis, weight: design.weight)
        if let cellKeys { needed = cellKeys.variables(adding: needed) }
        // Parsing runs on other threads (a plain delimited file in chunks on each core), ahead of the estimator;
        // "read" below is the time spent waiting for it.
        var readOptions = reading.readOptions
        readOptions.variables = try linking.variables(needed)
        readOptions.maxLineLength = Limits.maxLineLength
        readOptions.readNumbers(of: design, analyses: analyses)
        readOptions.parseWorkers = ReadOptions.defaultParseWorkers()
        let datasets = try imputation.datasets(data: data) { path, columns in
            var options = readOptions
            options.variables = columns
            return try DataReader.open(data: DataReader.dataURL(path), codebook: book, options: options)
        }
        // One pass per completed dataset with multiply imputed data (the last one's estimates kept whole).
        var passes: [EstimateTable] = []
        var recorders: [CompletedDataRecorder] = []
        var last: Estimates?
        var complement: SubpopulationComplement?
        // One completed dataset (the usual case) is read without the typing pass when its columns look numeric;
        // if one turns out to be text, what was accumulated is dropped and the file read again, typed first.
        var speculate = datasets.count == 1
        let disclosureRules = disclosure.noDisclosureControl ? nil : try disclosure.loadRules()
        for dataset in datasets {
            attempts: while true {
                var datasetOptions = readOptions
                datasetOptions.speculativeTyping = speculate
                let selected = imputation.select(
                    PrefetchingSource(try DataReader.open(data: DataReader.dataURL(dataset.path), codebook: book, options: datasetOptions)),
                    dataset, design: design)
                let (joined, linkLog) = try linking.join(selected)
                var source = try MissingCodeFilter.reading(
                    joined, codebook: book, missing: try reading.missingCodes(), variables: analyses.flatMap(\.variables))
                options.subpopulation = try tests.subpopulationColumn(linking)
                if let disclosureRules {
                    // Enough of each domain's largest contributions for the NK rule (and two for p%).
                    options.keptContributions = max(2, disclosureRules.nkN)
                }
                var estimator = try SurveyEstimator(design: design, analyses: analyses, options: options)
                complement = disclosure.noDisclosureControl ? nil : options.subpopulation.map {
                    SubpopulationComplement(marker: $0, by: options.by, analysis: analyses[0], weight: design.weight)
                }
                let clock = ContinuousClock()
                var readTime = Duration.zero
                var passTime = Duration.zero
                do {
                    while true {
                        let t0 = clock.now
                        guard let batch = try source.nextBatch() else { break }
                        let t1 = clock.now
                        let marked = try tests.mark(batch, linking)
                        try estimator.add(marked)
                        try complement?.add(marked)
                        try cellKeys?.add(batch)
                        readTime += t1 - t0
                        passTime += clock.now - t1
                    }
                } catch where speculate {
                    // The reader found a text value, or a later step (--subpop, a join) met a column typed as
                    // numbers too early: read again, typed first (a real error comes back from that read).
                    if timing { FileHandle.standardError.write(Data("timing: \(error)\n".utf8)) }
                    speculate = false
                    cellKeys = try cellKey.accumulator(by: options.by, analysis: analysis, weight: design.weight)
                    continue attempts
                }
                recorders.append(selected.recorder)
                let t2 = clock.now
                source.reportWarnings()
                try linking.report(linkLog, output: output)
                if partial != nil { return try writePartial(estimator, codebook: book) }
                let estimates = try estimator.finish()
                if timing {
                    FileHandle.standardError.write(Data(
                        "timing: read \(readTime), accumulate \(passTime), finish \(clock.now - t2)\n".utf8))
                }
                Tabulate.reportRows(estimates)
                passes.append(estimates.table)
                last = estimates
                break
            }
        }
        guard let estimates = last else { return }
        try imputation.check(recorders, datasets)
        imputation.report(datasets)
        let table = passes.count > 1 ? try EstimateTable.combiningImputations(passes) : estimates.table
        let derive = try tests.derive(estimates, level: level)
        try Tabulate.write(
            table, format: outputFormat, to: output, disclosure: disclosure.writeRules, loadedRules: disclosureRules,
            imputations: passes.count > 1 ? passes : [], audit: disclosure.audit, auditPrivate: disclosure.auditPrivate,
            perturbation: try cellKey.perturbation(cellKeys),
            source: URL(fileURLWithPath: data).lastPathComponent, codebook: book, showCodes: codes,
            lorenzReport: inequality.lorenzReport.map { ($0, data) },
            complement: complement, population: AuditedPopulation(data: data, filter: linking.subpop),
            derive: { checked in
                try tests.writeCovariance(estimates, checked)
                return try derive(checked)
            }
        ) { [presentation] publication in
            presentation.apply(
                to: &publication, title: Tabulate.title(tests.chisq == nil ? analyses : [analyses[0]], by: options.by),  // --chisq's proportions only feed its variance
                source: Presentation.defaultSource(file: data, weight: design.weight, design: table.designDescription))
        }
    }

    /// Says on stderr how many rows had a negative weight or no domain.
    static func reportRows(_ estimates: Estimates) {
        if estimates.negativeWeightRows > 0 {
            FileHandle.standardError.write(Data(
                "warning: \(estimates.negativeWeightRows) rows have a negative weight (--allow-negative-weights)\n".utf8))
        }
        if estimates.rowsWithMissingDomain > 0 {
            FileHandle.standardError.write(Data(
                "note: \(estimates.rowsWithMissingDomain) rows with a missing by-value are in no domain\n".utf8))
        }
    }

    /// The default title: what was estimated, and by what.
    static func title(_ analyses: [Analysis], by: [String]) -> String {
        let what = analyses.map { a in "\(a.measure.map { "\($0)" } ?? a.kind.rawValue.capitalized) of \(a.label)" }
        return what.joined(separator: "; ") + (by.isEmpty ? "" : " by " + by.joined(separator: ", "))
    }

    /// Writes a table: the single output path of `tabulate`. Unless `disclosure` is `nil` (checks turned off,
    /// which stamps the output), every cell first passes disclosure control; `disclosure` names a rules file
    /// overriding the defaults, or is empty for the defaults. `loadedRules` are those rules when already loaded.
    static func write(
        _ table: EstimateTable, format: OutputFormat, to output: String?, disclosure: String?,
        loadedRules: DisclosureRules? = nil,
        imputations: [EstimateTable] = [], audit: String? = nil, auditPrivate: String? = nil, perturbation: CellKeyPerturbation? = nil,
        source: String, codebook: Codebook?, showCodes: Bool, lorenzReport: (path: String, source: String)? = nil,
        complement: SubpopulationComplement? = nil, population: AuditedPopulation? = nil,
        derive: (CheckedEstimates) throws -> CheckedEstimates = { $0 },
        present: (inout Publication) -> Void = { _ in }
    ) throws {
        var checked: CheckedEstimates
        var applied: DisclosureRules? = nil
        let folders = output.map { [URL(fileURLWithPath: $0).deletingLastPathComponent()] } ?? []
        if let disclosure {
            let rules = try loadedRules ?? DisclosureOutputOptions.loadRules(disclosure.isEmpty ? nil : disclosure)
            do {
                applied = rules
                checked = imputations.isEmpty
                    ? try DisclosureControl(rules: rules).check(table, complement: complement)
                    : try DisclosureControl(rules: rules).checkImputations(table, imputations: imputations)
            } catch let DisclosureError.auditFailed(report) {
                // Fail closed, as check does: a table left by an earlier run must not pass for this one's.
                if let output { OutputTarget.removeStaleFile(output) }
                try AuditFiles.write(report, publicPath: audit, privatePath: auditPrivate, outputFolders: folders)
                FileHandle.standardError.write(Data("disclosure audit FAILED: \(report.summary); nothing written\n".utf8))
                throw ExitCode.needsReview
            }
            if let report = checked.audit {
                try AuditFiles.write(report, publicPath: audit, privatePath: auditPrivate, outputFolders: folders)
            }
        } else {
            checked = try DisclosureControl(rules: DisclosureOutputOptions.loadRules(nil, disclosureControl: false)).unchecked(table)
            FileHandle.standardError.write(Data("warning: \(CheckedTable.bypassStamp)\n".utf8))
        }
        if let perturbation {
            let rules = try loadedRules ?? DisclosureOutputOptions.loadRules(disclosure.flatMap { $0.isEmpty ? nil : $0 })
            checked = try perturbation.apply(to: checked, rules: rules)
            FileHandle.standardError.write(Data("perturbation: \(perturbation.description)\n".utf8))
        }
        checked = try derive(checked)
        var publication = checked.publication(
            title: "Estimates from \(source)", source: source, version: buildVersion, codebook: codebook,
            showCodes: showCodes)
        present(&publication)  // --title, --source, --note, --digits
        FileHandle.standardError.write(Data((table.designLine + "\n").utf8))
        if let summary = checked.audit?.summary {
            FileHandle.standardError.write(Data("disclosure: \(summary)\nrules in force: \(checked.audit?.rules.inForce ?? "")\n".utf8))
        }
        try publication.write(format: format, to: output)
        if let (path, source) = lorenzReport {
            try InequalityOptions.writeLorenzReport(checked, to: path, source: source, design: table.designLine)
        }
        try OutputAudit.write(
            for: output, table: table, checked: checked, rules: applied, complement: complement, population: population,
            tool: "microdata \(buildVersion)")
    }

    func plan() throws -> (SurveyDesign, [Analysis], EstimationOptions, OutputFormat) {
        var design = try designOptions.design(codebook: codebook, data: data, unweighted: weighting.unweighted)
        try calibration.apply(to: &design)

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
                guard let p = Double(s) else { throw ValidationError("quantile '\(s)' must be a number strictly between 0 and 1") }
                // The minimum and maximum are refused by rule, even without disclosure control.
                do { try DisclosureRules.checkQuantileProbability(p) } catch { throw ValidationError("--quantile: \(error)") }
                return p
            }
            analyses.append(.quantile(String(v[..<colon]), ps))
        }
        analyses += try inequality.analyses()
        let test = try tests.testAnalysis(design)
        if let test {
            guard analyses.isEmpty, by == nil else {
                throw ValidationError("--chisq and --ttest take no statistic option and no --by")
            }
            analyses = test.analyses
        }
        try tests.validate(statistics: analyses, cellKey: cellKey.seed != nil)
        if analyses.count > 1 && linking.subpop != nil && !disclosure.noDisclosureControl {
            // The subpopulation's differencing check (subpop-complement) counts the cells of one statistic.
            throw ValidationError("--subpop takes one statistic per call")
        }
        guard let qrule = QuantileRule(rawValue: quantileRule.lowercased()) else {
            throw ValidationError("--quantile-rule must be math, school, shahvaish or hf1 ... hf9")
        }
        let score = ci.lowercased() == "score"  // quantiles only (R interval.type = "score")
        if score && analyses.contains(where: { $0.kind != .quantile }) { throw ValidationError("--ci score is for quantiles") }
        if ci.lowercased() == "wilson" && analyses.contains(where: { $0.kind == .quantile }) {
            throw ValidationError("--ci wilson has no quantile interval in R survey: use mean, xlogit, asin, beta or score")
        }
        guard let method = score ? .mean : ProportionCIMethod(rawValue: ci.lowercased()), method != .wald else {
            throw ValidationError("--ci must be logit, xlogit, likelihood, asin, beta, mean, wilson or (quantiles) score")
        }
        guard level > 0 && level < 1 else { throw ValidationError("--level must be between 0 and 1") }
        guard let fmt = OutputFormat(rawValue: format.lowercased()) else {
            throw ValidationError("--format must be csv, json, markdown, text, html or xlsx")
        }
        if fmt == .xlsx && output == nil { throw ValidationError("--format xlsx needs --output FILE") }
        var options = EstimationOptions(
            by: test?.by ?? commaList(by), deff: deffReplace ? .replace : (deff ? .withoutReplacement : nil), level: level,
            ciMethod: method, useT: !normal, degreesOfFreedom: df, quantileRule: qrule,
            quantileInterval: method == .logit || method == .likelihood ? .mean : method,
            replicateQuantiles: replicateQuantiles)
        options.maxDomains = maxDomains
        options.thresholdByDomain = inequality.thresholdByDomain
        options.scoreQuantileInterval = score
        // A table needs each domain's own covariance only (memory linear in domains); contrasts and tests more.
        options.fullCovariance = tests.needsFullCovariance
        try weighting.apply(to: &design, &options)
        try tests.validate(design: design, subpopulation: linking.subpop != nil)
        if replicateQuantiles && design.replicates == nil {
            throw ValidationError("--replicate-quantiles needs replicate weights (--replicate-weights)")
        }
        return (design, analyses, options, fmt)
    }
}
