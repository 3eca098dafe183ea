import ArgumentParser
import Foundation
import MicrodataCodebook
import MicrodataDisclosure
import MicrodataHarmonise
import MicrodataReaders
import MicrodataMobility
import MicrodataWeighting
import MicrodataWrite

/// `microdata mobility`: origin-by-destination social-mobility tables with standard errors, disclosure
/// control and publication outputs, in one pass over the data.
struct Mobility: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mobility",
        abstract: "Social-mobility tables: outflow, inflow, absolute and relative mobility, with SEs.",
        discussion: """
            Origin and destination are VAR (raw codes), VAR:NSSEC-OP>NSSEC8|NSSEC5|NSSEC3 (an NS-SEC operational \
            category collapsed to analytic classes) or SOCVAR[,STATUSVAR@CODING]:SOC2010|SOC2020>NSSEC8|NSSEC5|NSSEC3 \
            (derived from occupation and employment status; SOC2020 is approximate); for educational mobility \
            QUALVAR[,NATIONVAR]:QUAL|HIQUAL22|HIQUAL15>RQF|HIQUL22D or VAR:HIQUL22D>HIQUL22D (no qualifications \
            lowest). Rows without both classes \
            stay in the design as a domain. With --origin-income and --destination-income: income (or wealth) \
            mobility, as quantile-group transitions, rank-rank slope, elasticity and absolute mobility. Every cell \
            passes disclosure control before any writer sees it; the audit is written beside the output. With \
            --area, --aux and --formula: model-based local upward, downward and immobile rates per area (Fay–Herriot, \
            exactly as sae --mobility ORIGIN,DESTINATION).
            """)

    @Option(name: .customLong("data"), help: "The data file (fixed-width with --codebook, CSV/TSV with a header, or SPSS/Stata/SAS; - reads standard input, gzip or not).")
    var dataOption: String?
    /// `--data`, or the first file of `--imputations`.
    var data: String { dataOption ?? imputation.files.first ?? "-" }
    @Option(help: "The codebook: DDI XML, or an SPSS/Stata/SAS file describing --data.") var codebook: String?
    @Option(help: "Origin class: VAR, VAR:FROM>TO or SOCVAR,STATUSVAR@CODING:FROM>TO.") var origin: String?
    @Option(help: "Destination class, as --origin.") var destination: String?
    @OptionGroup(title: "Income mobility") var income: IncomeOptions
    @OptionGroup var design: DesignOptions
    @Option(help: "Group variables, comma-separated: tables per group and differences between groups.")
    var by: String?
    @Option(help: "Class order for raw codes: high-to-low (default), low-to-high, or a file (code[,label] per line, highest first).")
    var order: String?
    @Option(help: "Directions of moves: tiers (the scheme's tiers, default) or rank (every move is up or down).")
    var directions: String = "tiers"
    @Option(help: "Confidence level.") var level: Double = 0.95
    @Option(help: "csv, json, markdown, xlsx or html (default: from --output's extension, else markdown).")
    var format: String?
    @Option(help: "Output file (default: Markdown on standard output).") var output: String?
    @Option(name: .customLong("output-dir"), help: "Write every format (CSV, JSON, Markdown, XLSX, HTML) into this folder.")
    var outputDirectory: String?
    @Option(help: "A folder of your own crosswalks (with manifest.json), added to the shipped ones.")
    var crosswalks: [String] = []

    @OptionGroup(title: "Disclosure control") var disclosure: DisclosureOutputOptions
    @OptionGroup(title: "Reading") var reading: ReadingOptions
    @OptionGroup(title: "Limits") var limits: LimitOptions
    @OptionGroup(title: "Linking and subpopulations") var linking: LinkOptions
    @OptionGroup(title: "CSV safety") var csvSafety: CSVSafetyOptions
    @OptionGroup(title: "Presentation") var presentation: PresentationOptions
    @OptionGroup(title: "Multiple imputation") var imputation: ImputationOptions
    @OptionGroup(title: "Local estimates (small areas)") var smallArea: SmallAreaMobilityOptions

    func run() throws {
        limits.apply()
        csvSafety.apply()
        if smallArea.area != nil { return try runSmallArea() }
        _ = try imputation.dataPath(dataOption)
        try imputation.refuse([income.isRequested ? "income mobility (--origin-income)" : nil])
        guard level > 0 && level < 1 else { throw ValidationError("--level must be between 0 and 1") }
        guard ["tiers", "rank"].contains(directions) else { throw ValidationError("--directions must be tiers or rank") }
        guard (origin == nil) == (destination == nil) else { throw ValidationError("--origin and --destination go together") }
        guard origin != nil || income.isRequested else {
            throw ValidationError("give --origin and --destination, or --origin-income and --destination-income")
        }
        try income.validate()
        if data == "-" && origin != nil && income.isRequested {
            throw ValidationError("--data - (standard input) is read once: class and income tables together need a file")
        }
        let joined = linking.files(output: output ?? outputDirectory.map { $0 + "/mobility" })
        // With class and income tables both, the income audit goes beside the class one.
        let incomeAudit = origin != nil && income.isRequested
            ? (disclosure.audit ?? outputDirectory.map { $0 + "/mobility.audit.json" })
                .map { $0.replacingOccurrences(of: ".audit.json", with: "") + ".income.audit.json" } : nil
        try MobilityRun.checkOutputs(
            [output, OutputAudit.sidecar(for: output), disclosure.audit, disclosure.auditPrivate, incomeAudit,
             output.map(Presentation.csvMetadataPath)] + joined.outputs,
            folder: outputDirectory, inputs: [data, codebook, order, disclosure.rules] + joined.inputs + imputation.files)
        let folders = [outputDirectory.map { URL(fileURLWithPath: $0) },
                       output.map { URL(fileURLWithPath: $0).deletingLastPathComponent() }].compactMap { $0 }
        try disclosure.checkPrivateLocation(outputFolders: folders)
        let classes = try origin.map { try runClasses(origin: $0, destination: destination!, folders: folders) }
        var incomeRun: IncomeMobilityRun?
        if let originIncome = income.originIncome, let destinationIncome = income.destinationIncome {
            let incomeDesign = try design.design(codebook: codebook, data: data)
            incomeRun = try IncomeMobilityRequest(
                data: DataReader.dataURL(data), codebook: codebook,
                spec: IncomeMobilitySpec(
                    origin: originIncome, destination: destinationIncome, groups: income.groups,
                    deflator: income.deflator ?? 1, deflateOrigin: income.deflateOrigin, by: commaList(by), level: level,
                    subpopulation: linking.subpopulationColumn),
                design: incomeDesign, rules: disclosure.rules, disclosureControl: !disclosure.noDisclosureControl,
                deflation: income.deflationNote, readOptions: reading.readOptions, missingCodes: try reading.missingCodes(),
                linking: linking, linkAuditStem: output ?? outputDirectory.map { $0 + "/mobility" }
            ).run(appendingTo: classes?.publication, title: "Income mobility: destination income by origin income")
            // Alone, the income tables take --title, --source, --note and --digits (with classes, those did).
            if classes == nil {
                presentation.apply(
                    to: &incomeRun!.publication, title: "Income mobility: destination income by origin income",
                    source: Presentation.defaultSource(file: data, weight: incomeDesign.weight, design: nil))
            }
        }
        let publication = incomeRun?.publication ?? classes!.publication
        // The sidecar of each output (release checks it): the class tables' audit, else the income tables'.
        let sidecarAudit = classes?.protection?.checked.audit ?? incomeRun?.protection?.transitions.checked.audit
        let tool = "microdata \(buildVersion)"
        func writeAudits(_ url: URL) throws {
            if let classes { try classes.writeAudit(to: url) }
            if let incomeRun {
                try OutputFile.write(try incomeRun.auditData(), to: incomeAudit ?? url.path)
            }
        }
        if let outputDirectory {
            let folder = URL(fileURLWithPath: outputDirectory)
            let paths = MobilityRun.files(in: folder.path, stem: "mobility")
            for (format, path) in zip(OutputFormat.reportFormats, paths) {
                try publication.write(to: URL(fileURLWithPath: path), format: format)
                try OutputAudit.write(for: path, audit: sidecarAudit, tool: tool)
            }
            try writeAudits(URL(fileURLWithPath: paths.last!))
            FileHandle.standardError.write(Data("wrote \(folder.path)/mobility.{csv,json,md,xlsx,html}\n".utf8))
        }
        if let output {
            let url = URL(fileURLWithPath: output)
            let chosen = try OutputFormat.resolve(format, for: url)
            try publication.write(to: url, format: chosen)
            try OutputAudit.write(for: output, audit: sidecarAudit, tool: tool)
            if let audit = disclosure.audit { try writeAudits(URL(fileURLWithPath: audit)) }
        } else if outputDirectory == nil {
            let chosen = try OutputFormat.resolve(format, for: nil)
            guard chosen != .xlsx else { throw ValidationError("XLSX needs --output FILE") }
            try StandardOutput.write(try publication.rendered(as: chosen))
            if let audit = disclosure.audit { try writeAudits(URL(fileURLWithPath: audit)) }
        }
        classes?.printSummary()
        incomeRun?.printSummary()
    }

    /// The class tables (`--origin`, `--destination`); the private audit is written here.
    private func runClasses(origin: String, destination: String, folders: [URL]) throws -> MobilityRun {
        let request = MobilityRequest(
            data: DataReader.dataURL(data), codebook: codebook, origin: try ClassSpec(parsing: origin, option: "--origin"),
            destination: try ClassSpec(parsing: destination, option: "--destination"), design: try design.design(codebook: codebook, data: data),
            by: commaList(by), order: order, strictDirections: directions == "rank", level: level, rules: disclosure.rules,
            disclosureControl: !disclosure.noDisclosureControl, crosswalks: crosswalks,
            title: presentation.title ?? "Social mobility: destination class by origin class",
            source: presentation.source, extraNotes: presentation.note,
            readOptions: reading.readOptions, missingCodes: try reading.missingCodes(), linking: linking,
            linkAuditStem: output ?? outputDirectory.map { $0 + "/mobility" }, imputation: imputation)
        var result = try request.run()
        if let digits = presentation.digits { result.publication = result.publication.showing(DisplayDigits(digits)) }
        if let auditPrivate = disclosure.auditPrivate, let report = result.protection?.checked.audit {
            try AuditFiles.write(report, publicPath: nil, privatePath: auditPrivate, outputFolders: folders)
        }
        return result
    }
}

extension OutputFormat: ExpressibleByArgument {
    /// The format named by `name`, else the one `url`'s extension implies, else Markdown.
    static func resolve(_ name: String?, for url: URL?) throws -> OutputFormat {
        if let name {
            guard let f = OutputFormat(rawValue: name.lowercased()) ?? (name.lowercased() == "md" ? .markdown : nil) else {
                throw ValidationError("--format must be csv, json, markdown, xlsx or html")
            }
            return f
        }
        let ext = url?.pathExtension.lowercased() ?? ""
        return OutputFormat.allCases.first { $0.fileExtension == ext } ?? .markdown
    }
}

/// One mobility run, shared by `mobility` and `demo`.
struct MobilityRequest {
    var data: URL
    var codebook: String?
    var origin: ClassSpec
    var destination: ClassSpec
    var design: SurveyDesign
    var by: [String]
    var order: String?
    var strictDirections: Bool
    var level: Double
    var rules: String?
    var disclosureControl: Bool
    var crosswalks: [String]
    var title: String
    var subtitle: String?
    /// `--source` (default: the data file's name and the weight) and `--note`s, after the run's own notes.
    var source: String? = nil
    var extraNotes: [String] = []
    /// Record type, text columns and strictness (`--record-type`, `--string`, `--strict`).
    var readOptions = ReadOptions()
    /// `--missing VAR=CODES`.
    var missingCodes = MissingCodes()
    /// `--join` and `--subpop` (`nil` for neither, as in `demo`: option groups cannot be built in code); the link
    /// audit goes to `<linkAuditStem>.link.json`.
    var linking: LinkOptions? = nil
    var linkAuditStem: String?
    /// Multiply imputed data (`nil` for one dataset, as in `demo`).
    var imputation: ImputationOptions? = nil

    /// Reads, harmonises, estimates and protects; the audit must pass before anything is returned.
    func run() throws -> MobilityRun {
        let book = try CodebookSource.forData(codebook: codebook, data: data)
        let registry = try loadRegistry()
        let schemes = try ClassScheme.load(from: CodebooksFolder.file("mobility/class-schemes.csv"))
        let (customOrder, lowToHigh) = try classOrder()
        let datasets = try imputation?.datasets(data: data.path) { path, columns in
            try DataReader.open(data: DataReader.dataURL(path), codebook: book, options: ReadOptions(variables: columns))
        } ?? []
        // One pass per completed dataset with multiply imputed data (the first one's classes and notes are used).
        var passes: [MobilityPass] = []
        var recorders: [CompletedDataRecorder] = []
        for dataset in datasets.count > 1 ? datasets.map(Optional.some) : [nil] {
            var estimator = try MobilityEstimator(
                origin: origin, destination: destination, by: by, design: design, registry: registry, codebook: book,
                level: level, subpopulation: linking?.subpopulationColumn, schemes: schemes)
            let required = estimator.requiredVariables + (imputation?.columns ?? [])
            var (source, linkLog) = try MobilitySource.open(
                data: dataset.map { DataReader.dataURL($0.path) } ?? data, codebook: book, required: design.replicates == nil ? required : nil, design: design,
                readOptions: readOptions, missingCodes: missingCodes, linking: linking,
                watched: [origin.variable, destination.variable]
            ) { read in
                guard let dataset, let imputation else { return read }
                let selected = imputation.select(read, dataset, design: design)
                recorders.append(selected.recorder)
                return selected
            }
            while let batch = try source.nextBatch() { try estimator.add(try linking?.mark(batch) ?? batch) }
            source.reportWarnings()
            try linking?.report(linkLog, output: linkAuditStem)
            passes.append(try estimator.finish(schemes: schemes, order: customOrder, lowToHigh: lowToHigh))
        }
        try imputation?.check(recorders, datasets)
        imputation?.report(datasets)
        var pass = passes[0]
        let directions = pass.classes.directions(strict: strictDirections)
        func results(_ p: MobilityPass) -> MobilityResults {
            p.totals.mobilityResults(
                classes: p.classes.classes.map(\.code), groups: p.groups, direction: directions, level: level)
        }
        let results = passes.count > 1 ? try MobilityResults.combiningImputations(passes.map(results)) : results(pass)
        if passes.count > 1 {
            // Disclosure control sees the worst case: a cell small in any imputation is small.
            pass.totals = CellTotals.worstCase(passes.map(\.totals))
            pass.designDescription += "; " + RubinsRules.designText(imputations: passes.count)
        }
        let loadedRules = try DisclosureOutputOptions.loadRules(rules, disclosureControl: disclosureControl)
        var protection: MobilityProtection?
        if disclosureControl {
            do {
                protection = try MobilityProtection(
                    totals: pass.totals, classes: pass.classes.classes.map(\.code), groups: pass.groups,
                    direction: directions, control: DisclosureControl(rules: loadedRules))
            } catch let DisclosureError.auditFailed(report) {
                FileHandle.standardError.write(Data("disclosure audit FAILED: \(report.summary); nothing written\n".utf8))
                throw ExitCode.needsReview
            }
        } else {
            FileHandle.standardError.write(Data("warning: \(CheckedTable.bypassStamp)\n".utf8))
        }
        // A table suppressed as a whole publishes no count of its rows, nor the design's (its df counts them).
        let withheld = protection?.allGroupsTotalSuppressed ?? false
        var notes = [
            "Origin: \(describe(origin)); destination: \(describe(destination)). "
                + (withheld ? "The number of rows with both classes is withheld: the whole table is suppressed."
                    : "\(pass.validRows) of \(pass.rows) rows have both classes; the others stay in the design as a "
                        + "domain outside the table."),
        ]
        if let audit = pass.harmoniseAudit, audit.nssec.contains(where: { $0.approximate }) {
            notes.append("APPROXIMATE: NS-SEC from SOC2020 is derived through the ONS SOC2010→SOC2020 relationship table.")
        }
        if let audit = pass.harmoniseAudit, audit.education.contains(where: { $0.spreadWeight > 0 }) {
            notes.append("Education classes: a qualification spread over several levels (apprenticeships, other "
                + "qualifications) is placed at its modal level; ties go to the first level (see the harmonisation audit).")
        }
        if let note = UnclassifiedCodesNote.text(
            pass.unclassifiedCodes, threshold: disclosureControl ? loadedRules.threshold : nil, withheld: withheld)
        {
            notes.append(note)
        }
        let metadata = [
            MetadataItem("Design", withheld ? MobilityProtection.withholdingNumbers(pass.designDescription) : pass.designDescription),
            MetadataItem("Classes", "\(pass.classes.name): " + pass.classes.classes.map { "\($0.code) \($0.label)" }.joined(separator: "; ")),
            MetadataItem("Crosswalks", "Codebooks/crosswalks (ONS, OGL v3.0) and Codebooks/mobility/class-schemes.csv"),
        ]
        var builder = MobilityPublication(
            results: results, classes: pass.classes, protection: protection, rules: loadedRules, title: title,
            subtitle: subtitle, source: self.source ?? Presentation.defaultSource(file: data.path, weight: design.weight, design: nil),
            notes: notes + extraNotes, metadata: metadata)
        builder.groupValues = pass.groupValues
        var publication = builder.publication()
        publication.version = buildVersion
        return MobilityRun(publication: publication, results: results, protection: protection, pass: pass)
    }

    private func describe(_ spec: ClassSpec) -> String {
        switch spec.source {
        case .raw: return "\(spec.variable) (codes as written)"
        case .nssecOperational: return "\(spec.variable), NS-SEC operational category collapsed to \(spec.target ?? "")"
        case .soc(let scheme, let status):
            return "\(spec.variable) (\(scheme))" + ((spec.statusCoding?.description ?? status).map { " with status \($0)" } ?? "")
                + " to \(spec.target ?? "")"
        case .education(let from, let nation):
            return "\(spec.variable) (\(from)\(nation.map { ", nation \($0)" } ?? "")), highest qualification as \(spec.target ?? "") (modal level)"
        case .coded: return "\(spec.variable) (\(spec.target ?? "") codes)"
        }
    }

    private func loadRegistry() throws -> CrosswalkRegistry? {
        guard origin.target != nil || destination.target != nil else { return nil }
        let shipped = try CodebooksFolder.file("crosswalks/manifest.json").deletingLastPathComponent()
        return try CrosswalkRegistry(folders: [shipped] + crosswalks.map { URL(fileURLWithPath: $0) })
    }

    private func classOrder() throws -> ([ClassScheme.Class]?, Bool) {
        switch order {
        case nil, "high-to-low": return (nil, false)
        case "low-to-high": return (nil, true)
        case let path?: return (try ClassScheme.order(contentsOf: URL(fileURLWithPath: path)), false)
        }
    }
}

/// The outcome of a mobility run.
struct MobilityRun {
    var publication: Publication
    var results: MobilityResults
    var protection: MobilityProtection?
    var pass: MobilityPass

    /// The files `writeAll` writes into `folder`: every format, then the audit.
    static func files(in folder: String, stem: String) -> [String] {
        OutputFormat.reportFormats.map { "\(folder)/\(stem).\($0.fileExtension)" } + ["\(folder)/\(stem).audit.json"]
    }

    /// Before any work: creates `folder` (`--output-dir`), and refuses an output that is missing its folder or
    /// is the same file as an input or another output.
    static func checkOutputs(_ paths: [String?], folder: String?, inputs: [String?]) throws {
        var outputs = paths
        if let folder {
            try OutputTarget.createFolder(folder)
            outputs += files(in: folder, stem: "mobility") + [Presentation.csvMetadataPath(for: folder + "/mobility.csv")]
        }
        try OutputTarget.check(outputs: outputs, inputs: inputs)
    }

    /// Writes every format, and the audit, into `folder` (created if missing).
    func writeAll(to folder: URL, stem: String) throws {
        try OutputTarget.createFolder(folder.path)
        let paths = MobilityRun.files(in: folder.path, stem: stem)
        for (format, path) in zip(OutputFormat.reportFormats, paths) {
            try publication.write(to: URL(fileURLWithPath: path), format: format)
            try OutputAudit.write(for: path, audit: protection?.checked.audit, tool: "microdata \(buildVersion)")
        }
        try writeAudit(to: URL(fileURLWithPath: paths.last!))
    }

    /// Writes the public disclosure audit, without true values (or, when checks were off, a note saying so).
    func writeAudit(to url: URL) throws {
        let data = try protection?.checked.audit?.publicJSON() ?? AuditFiles.bypassedAuditJSON()
        try OutputFile.write(data, to: url.path)
    }

    func printSummary() {
        var lines = ["microdata mobility: \(pass.rows) rows read, \(pass.validRows) with both classes"]
        lines.append("design: \(pass.designDescription)")
        if pass.negativeWeightRows > 0 {
            lines.append("warning: \(pass.negativeWeightRows) rows have a negative weight (--allow-negative-weights)")
        }
        if let audit = protection?.checked.audit {
            lines.append("disclosure: \(audit.summary)")
            lines.append("rules in force: \(audit.rules.inForce)")
        }
        FileHandle.standardError.write(Data((lines.joined(separator: "\n") + "\n").utf8))
    }
}
