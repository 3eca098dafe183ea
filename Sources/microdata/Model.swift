import ArgumentParser
import Foundation
import MicrodataCodebook
import MicrodataDisclosure
import MicrodataLink
import MicrodataModels
import MicrodataReaders
import MicrodataWeighting
import MicrodataWrite

/// `microdata model`: design-based linear, logistic and Poisson regression (R `svyglm`).
struct Model: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "model",
        abstract: "Design-based regression (linear, logistic, Poisson) with sandwich SEs, as R svyglm.",
        discussion: """
            Formula in R syntax: Y ~ X1 + factor(X2) + factor(X3, ref = "2") + X1:X3 + a*b + log(X4) + poly(X6, 2, raw = TRUE) + \
            I(X5 >= 3) - 1; I(…) and --subpop use the expression language of tabulate --subpop. Every design of \
            tabulate but --rake: Taylor linearisation (strata, PSUs, one- or two-stage FPC, lonely-PSU rules, \
            households as clusters, weights only), a design factor, calibration (--calibrate), replicate weights \
            and --jackknife (refitted per replicate). Rows missing a model variable leave the domain (R na.omit). Output checks: residual df \
            and units behind each indicator coefficient, from the rules file.
            """)

    @Option(name: .customLong("data"), help: "The data file (CSV/TSV with a header, fixed-width with --codebook, or SPSS/Stata/SAS; - reads standard input, gzip or not).")
    var dataOption: String?
    /// `--data`, or the first file of `--imputations`.
    var data: String { dataOption ?? imputation.files.first ?? "-" }
    @Option(help: "The codebook: DDI XML, or an SPSS/Stata/SAS file whose metadata describes --data.")
    var codebook: String?
    @OptionGroup var designOptions: DesignOptions
    @OptionGroup var calibration: CalibrationOptions
    @Option(help: "The model formula, e.g. 'api00 ~ ell + factor(stype)'.") var formula: String
    @Option(help: "gaussian (default), binomial (logit, quasibinomial) or poisson (log, quasipoisson).")
    var family: String = "gaussian"
    @Option(help: "Rows to model (the rest stay in the design): e.g. 'age >= 16 & sex == 2'.") var subpop: String?
    @Option(help: """
        Link a file on the fly: FILE:KEY[,KEY2][:inner] (repeatable; as tabulate --join). The link audit is written \
        beside the output (<output>.link.json).
        """)
    var join: [String] = []
    @Option(help: "Fit one model per value of this column.") var by: String?
    @Option(parsing: .singleValue, help: "Wald F test of the terms given (R regTermTest), e.g. 'factor(stype)'; repeatable.")
    var test: [String] = []
    @Flag(help: "Add exp(estimate) and its CI (odds or rate ratios).") var exponentiate = false
    @Option(help: "Confidence level.") var level: Double = 0.95
    @Option(help: "csv, json, markdown, text, html or xlsx (with --output).") var format: String = "csv"
    @Option(help: "Output file (default: standard output).") var output: String?
    @Option(help: "Rules file overriding Codebooks/disclosure/default-rules.json.") var rules: String?
    @Option(help: "Write the disclosure audit (JSON) here.") var audit: String?
    @Flag(name: .customLong("no-disclosure-control"),
          help: "Turn the output checks off: the output is stamped NOT DISCLOSURE CONTROLLED.")
    var noDisclosureControl = false
    @OptionGroup(title: "Reading") var delimiter: DelimiterOption
    @OptionGroup(title: "Presentation") var presentation: PresentationOptions
    @OptionGroup(title: "Multiple imputation") var imputation: ImputationOptions

    func run() throws {
        let linked = LinkOptions.files(join, output: output)
        _ = try imputation.dataPath(dataOption)
        try imputation.refuse([test.isEmpty ? nil : "--test"])
        try OutputTarget.check(
            outputs: [output, OutputAudit.sidecar(for: output), audit, output.map(Presentation.csvMetadataPath)] + linked.outputs,
            inputs: [data, codebook, rules, calibration.calibrate, calibration.rake] + linked.inputs + imputation.files)
        var design = try designOptions.design(codebook: codebook, data: data)
        try calibration.apply(to: &design)
        guard let glmFamily = GLMFamily(name: family) else {
            throw ValidationError("--family must be gaussian, binomial or poisson")
        }
        guard let outputFormat = OutputFormat(rawValue: format) else {
            throw ValidationError("--format must be csv, json, markdown, text, html or xlsx")
        }
        if outputFormat == .xlsx && output == nil { throw ValidationError("--format xlsx needs --output FILE") }
        let parsed: Formula
        do { parsed = try Formula(formula) } catch let error as FormulaError { throw ValidationError("--formula: \(error)") }
        var names = parsed.variables + design.clusters + design.fpc
        names += [design.weight, design.strata, by].compactMap { $0 }
        for term in design.calibration?.terms ?? [] {
            if case .level(let c, _, _) = term { names.append(c) }
            if case .numeric(let c, _) = term { names.append(c) }
        }
        if let subpop {
            do { names += try RowExpression(parsing: subpop).columns } catch { throw ValidationError("--subpop: \(error)") }
        }
        let book = try codebook.map { try CodebookSource.load(URL(fileURLWithPath: $0)).codebook }
        // Replicate-weight columns are found by pattern, so those designs read every column.
        let wanted = design.replicates == nil ? Array(Set(names + imputation.columns)) : nil
        // With --join every column is read: the keys and the joined columns are found after the join.
        // The weight and FPCs skip the CSV typing pass; parsing runs on a second thread while batches are gathered.
        var options = ReadOptions(variables: join.isEmpty ? wanted : nil, format: delimiter.format)
        options.readNumbers(of: design)
        let datasets = try imputation.datasets(data: data) { path, columns in
            try DataReader.open(data: DataReader.dataURL(path), codebook: book, options: ReadOptions(variables: columns, format: delimiter.format))
        }
        // One fit per completed dataset with multiply imputed data, combined by Rubin's rules.
        var fits: [[ModelReport.Group]] = []
        var recorders: [CompletedDataRecorder] = []
        for dataset in datasets {
            let source = imputation.select(
                PrefetchingSource(try DataReader.open(data: DataReader.dataURL(dataset.path), codebook: book, options: options)), dataset,
                design: design)
            recorders.append(source.recorder)
            let (joined, linkLog) = try LinkOptions.join(join, source)
            let frame = try ModelData(source: joined, variables: wanted)
            try LinkOptions.report(linkLog, output: output)
            fits.append(try SurveyModel.fitGroups(
                formula: formula, family: glmFamily, data: frame, design: design, subpop: subpop, by: by, level: level,
                tests: test))
        }
        try imputation.check(recorders, datasets)
        imputation.report(datasets)
        let groups = try SurveyModel.combiningImputations(groupsOf: fits)
        for g in groups {
            let at = g.by.map { " (\($0.key)=\($0.value))" }.first ?? ""
            if g.model.missingRows > 0 {
                FileHandle.standardError.write(Data("note\(at): \(g.model.missingRows) rows with a missing model variable left out (na.omit)\n".utf8))
            }
            for w in g.model.warnings { FileHandle.standardError.write(Data("warning\(at): \(w)\n".utf8)) }
        }
        var checks: ModelChecks? = nil
        var inForce: String? = nil
        if !noDisclosureControl {
            let r = try DisclosureOutputOptions.loadRules(rules)
            checks = ModelChecks(threshold: r.threshold, minimumResidualDegreesOfFreedom: r.minimumResidualDegreesOfFreedom)
            inForce = r.inForce
        }
        var publication = ModelReport.publication(
            groups, byVariables: by.map { [$0] } ?? [], exponentiate: exponentiate, checks: checks,
            stamp: checks == nil ? CheckedTable.bypassStamp : nil, source: URL(fileURLWithPath: data).lastPathComponent,
            formula: formula, version: buildVersion)
        presentation.apply(
            to: &publication, title: "Model: \(formula) (\(glmFamily.rawValue))" + (by.map { " by \($0)" } ?? ""),
            source: Presentation.defaultSource(file: data, weight: design.weight, design: groups.first?.model.designDescription))
        if let audit, checks != nil {
            try OutputFile.write(ModelReport.auditJSON(groups, byVariables: by.map { [$0] } ?? [], checks: checks), to: audit)
        }
        if let checks, let failure = groups.lazy.compactMap({ checks.failure($0.model) }).first {
            if let output { OutputTarget.removeStaleFile(output) }
            FileHandle.standardError.write(Data("disclosure check FAILED (\(failure)); nothing written\n".utf8))
            throw ExitCode.needsReview
        }
        if checks == nil { FileHandle.standardError.write(Data("warning: \(CheckedTable.bypassStamp)\n".utf8)) }
        try publication.write(format: outputFormat, to: output)
        if let checks {
            try OutputAudit.write(
                for: output, tool: "microdata \(buildVersion)", stamp: nil, rules: inForce, threshold: checks.threshold,
                checks: checks.outputChecks(groups))
        } else {
            try OutputAudit.uncontrolled(for: output, stamp: CheckedTable.bypassStamp, tool: "microdata \(buildVersion)")
        }
    }
}
