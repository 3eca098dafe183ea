import ArgumentParser
import Foundation
import MicrodataDisclosure
import MicrodataModels
import MicrodataReaders
import MicrodataWeighting
import MicrodataWrite

/// `microdata weights`: weights made from the data.
struct Weights: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "weights",
        abstract: "Make weights from the data (attrition weights from a response model).",
        subcommands: [Nonresponse.self])
}

/// `microdata weights nonresponse`: attrition weights W0/p̂ from a design-based response model.
struct Nonresponse: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "nonresponse",
        abstract: "Attrition weights: base weight over the propensity from a design-based logistic response model.",
        discussion: """
            Fits --respond (0/1) on --model over the baseline rows as R svyglm(family = quasibinomial()) on the \
            baseline design (as `microdata model --family binomial`), and writes for every responder the id, the \
            fitted propensity p̂ and the weight W0/p̂ (--output, CSV; link it back with --join FILE:ID). \
            --trim-quantile P caps the weights at R quantile(W0/p̂, P, type = 7) over the responders, --trim-max X \
            at X; the excess is dropped, not redistributed (R pmin, not survey::trimWeights). The report (model \
            with Wald tests, distribution of the weights with Kish's design effect, balance of each model variable: \
            baseline vs responders with W0 and with the new weights) goes to --report or standard output, checked \
            as `model` and `tabulate` check theirs. Estimates with the new weights treat them as fixed: their \
            variance ignores the estimation of p̂.
            """)

    @Option(help: "The baseline data file: every member of the sample, responders or not.") var data: String
    @Option(help: "The codebook: DDI XML, or an SPSS/Stata/SAS file whose metadata describes --data.")
    var codebook: String?
    @Option(help: "Link a file on the fly: FILE:KEY[,KEY2][:inner] (repeatable; as tabulate --join).")
    var join: [String] = []
    @Option(help: "The response indicator: 1 responded, 0 did not (every row).") var respond: String
    @Option(help: "The right-hand side of the response model, e.g. 'factor(origin) + factor(sex) + region'.")
    var model: String
    @OptionGroup var designOptions: DesignOptions
    @Option(help: "The id column, written beside each weight.") var id: String
    @Option(name: .customLong("trim-quantile"), help: "Cap the weights at this quantile of W0/p̂ among responders (R type 7).")
    var trimQuantile: Double?
    @Option(name: .customLong("trim-max"), help: "Cap the weights at this value.") var trimMax: Double?
    @Option(help: "Name of the new weight column (default: <weight>_NR).") var name: String?
    @Option(help: "The weights file (CSV: id, propensity, weight).") var output: String
    @Option(help: "The report file (default: standard output).") var report: String?
    @Option(help: "Report format: text (default), csv, json, markdown, html or xlsx (with --report).")
    var format: String = "text"
    @Option(help: "Confidence level.") var level: Double = 0.95
    @Option(help: "Rules file overriding Codebooks/disclosure/default-rules.json.") var rules: String?
    @Flag(name: .customLong("no-disclosure-control"),
          help: "Turn the report's checks off: it is stamped NOT DISCLOSURE CONTROLLED.")
    var noDisclosureControl = false
    @OptionGroup(title: "Reading") var delimiter: DelimiterOption
    @OptionGroup(title: "Presentation") var presentation: PresentationOptions

    func run() throws {
        let linked = LinkOptions.files(join, output: output)
        try OutputTarget.check(
            outputs: [output, OutputAudit.sidecar(for: output), report, OutputAudit.sidecar(for: report),
                      report.map(Presentation.csvMetadataPath)] + linked.outputs,
            inputs: [data, codebook, rules] + linked.inputs)
        let cap: WeightCap?
        switch (trimQuantile, trimMax) {
        case (let p?, nil):
            guard p > 0 && p <= 1 else { throw ValidationError("--trim-quantile must be in (0, 1]") }
            cap = .quantile(p)
        case (nil, let m?):
            guard m > 0 else { throw ValidationError("--trim-max must be positive") }
            cap = .maximum(m)
        case (nil, nil): cap = nil
        case (_?, _?): throw ValidationError("give --trim-quantile or --trim-max, not both")
        }
        guard let outputFormat = OutputFormat(rawValue: format) else {
            throw ValidationError("--format must be text, csv, json, markdown, html or xlsx")
        }
        if outputFormat == .xlsx && report == nil { throw ValidationError("--format xlsx needs --report FILE") }
        let design = try designOptions.design(codebook: codebook, data: data)
        guard let weight = design.weight else { throw ValidationError("--weight is needed (the base weight W0)") }
        let book = try codebook.map { try CodebookSource.load(URL(fileURLWithPath: $0)).codebook }
        let source = try DataReader.open(data: DataReader.dataURL(data), codebook: book,
                                         options: ReadOptions(format: delimiter.format))
        let (joined, linkLog) = try LinkOptions.join(join, source)
        let frame = try ModelData(source: joined)
        try LinkOptions.report(linkLog, output: output)
        let weights: NonresponseWeights
        do {
            weights = try NonresponseWeights(
                data: frame, design: design, respond: respond, model: model, id: id, cap: cap, level: level)
        } catch let error as NonresponseError { throw ValidationError("\(error)") }
        for w in weights.model.warnings { FileHandle.standardError.write(Data("warning: \(w)\n".utf8)) }
        for p in weights.lowPropensityPatterns {
            FileHandle.standardError.write(Data(
                "warning: propensity \(p.propensity) < \(NonresponseWeights.lowPropensity) for \(p.description) (\(p.rows) rows)\n".utf8))
        }
        if weights.respondersWithoutWeight > 0 {
            FileHandle.standardError.write(Data(
                "note: \(weights.respondersWithoutWeight) responders have a missing model variable: no weight written\n".utf8))
        }
        let newName = name ?? "\(weight)_NR"
        try OutputFile.write(weights.csv(weightName: newName), to: output)
        try OutputAudit.uncontrolled(for: output, stamp: OutputAudit.microdataStamp, tool: "microdata \(buildVersion)")
        FileHandle.standardError.write(Data(
            ("\(weights.responders.count) weights written to \(output)"
                + (weights.capRule == nil ? "" : "; \(weights.capped) capped at \(weights.cap!)") + "\n").utf8))

        var rulesInForce: DisclosureRules? = nil
        var checks: ModelChecks? = nil
        if !noDisclosureControl {
            let r = try DisclosureOutputOptions.loadRules(rules)
            rulesInForce = r
            checks = ModelChecks(threshold: r.threshold, minimumResidualDegreesOfFreedom: r.minimumResidualDegreesOfFreedom)
        }
        let balance = try NonresponseBalance(weights: weights, data: frame, design: design, rules: rulesInForce, level: level)
        let stamp = checks == nil ? CheckedTable.bypassStamp : nil
        var publication = NonresponseReport.publication(
            weights, balance: balance, checks: checks, stamp: stamp, source: URL(fileURLWithPath: data).lastPathComponent,
            weightName: newName, version: buildVersion)
        presentation.apply(
            to: &publication, title: publication.title,
            source: Presentation.defaultSource(file: data, weight: weight, design: weights.model.designDescription))
        FileHandle.standardError.write(Data(((publication.design ?? "") + "\n").utf8))
        if let checks, let failure = checks.failure(weights.model) {
            if let report { OutputTarget.removeStaleFile(report) }
            FileHandle.standardError.write(Data("disclosure check FAILED (\(failure)); no report written\n".utf8))
            throw ExitCode.needsReview
        }
        if stamp != nil { FileHandle.standardError.write(Data("warning: \(CheckedTable.bypassStamp)\n".utf8)) }
        try publication.write(format: outputFormat, to: report)
        if let checks {
            try OutputAudit.write(
                for: report, tool: "microdata \(buildVersion)", stamp: nil, rules: rulesInForce?.inForce,
                threshold: checks.threshold, checks: NonresponseReport.outputChecks(weights, balance: balance, checks: checks))
        } else {
            try OutputAudit.uncontrolled(for: report, stamp: CheckedTable.bypassStamp, tool: "microdata \(buildVersion)")
        }
    }
}
