import ArgumentParser
import Foundation
import MicrodataDisclosure
import MicrodataWeighting
import MicrodataWrite

/// `microdata combine`: finishes the partial results of `tabulate --partial` into one table.
struct Combine: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "combine",
        abstract: "Merge partial results of tabulate --partial into the table of one run over all the data.",
        discussion: """
            Each PARTIAL holds the accumulators of one part of the data (tabulate --partial). Counts and \
            per-PSU totals add (a stratum, PSU or domain in two parts is one), central moments merge by Chan's \
            formula, and the table is finished, disclosure-checked and written as tabulate does: the same \
            numbers as one tabulate over the concatenated parts. The partial results must share their request \
            (statistics, --by, design, rules, codebook labels, tool version); the first field that differs is \
            named. A truncated or altered partial result fails its checksum and is refused. Give --rules the \
            rules file the partial results were made with.
            """)

    @Argument(help: "The partial results, in the order of the parts.") var partials: [String]
    @Option(help: "csv, json, markdown, text, html or xlsx (with --output).") var format: String = "csv"
    @Option(help: "Output file (default: standard output).") var output: String?
    @Flag(help: "Show codes instead of the codebook's value labels for --by levels (CSV and JSON keep both).")
    var codes = false
    @OptionGroup(title: "Disclosure control") var disclosure: DisclosureOutputOptions
    @OptionGroup(title: "CSV safety") var csvSafety: CSVSafetyOptions
    @OptionGroup(title: "Presentation") var presentation: PresentationOptions

    func validate() throws {
        if partials.isEmpty { throw ValidationError("give at least one partial result") }
    }

    func run() throws {
        csvSafety.apply()
        guard let outputFormat = OutputFormat(rawValue: format.lowercased()) else {
            throw ValidationError("--format must be csv, json, markdown, text, html or xlsx")
        }
        if outputFormat == .xlsx && output == nil { throw ValidationError("--format xlsx needs --output FILE") }
        try OutputTarget.check(
            outputs: [output, OutputAudit.sidecar(for: output), disclosure.audit, disclosure.auditPrivate, output.map(Presentation.csvMetadataPath)],
            inputs: partials + [disclosure.rules])
        try disclosure.checkPrivateLocation(output: output)
        let results = try partials.map { path in
            let payload = try PartialFile.read(path)
            do { return try PartialResult(payload: payload) } catch {
                throw PartialFileError.corrupted(file: path, detail: "the payload is not a partial result: \(error)")
            }
        }
        for (k, result) in results.enumerated().dropFirst() {
            if let d = results[0].difference(from: result) {
                throw ValidationError(
                    "\(partials[k]) was made with a different \(d.field) from \(partials[0]): \(d.other), not \(d.this); "
                        + "partial results combine only when their requests are the same")
            }
        }
        if let (i, j, reason) = PartialResult.repeatedPart(results) {
            throw ValidationError(
                "\(partials[i]) and \(partials[j]) would count the same rows twice (\(reason)); "
                    + "combine partial results of disjoint parts of the data")
        }
        let here = try Tabulate.partialContext(rules: disclosure.rules, reading: nil)
        for key in ["tool", "rules"] where results[0].context[key] != here[key] {
            throw ValidationError(
                "the partial results were made with \(key) '\(results[0].context[key] ?? "")'; this combine has '\(here[key] ?? "")'"
                    + (key == "rules" ? ": give combine the --rules file they were made with" : ": use the same microdata version"))
        }
        let request = results[0].request
        let (design, analyses, options) = (try request.surveyDesign(), try request.analyses(), try request.estimationOptions())
        let estimator = try SurveyEstimator.combining(
            results.map(\.accumulators), design: design, analyses: analyses, options: options)
        let estimates = try estimator.finish()
        Tabulate.reportRows(estimates)
        let names = results.map { URL(fileURLWithPath: $0.data).lastPathComponent }.joined(separator: " + ")
        try Tabulate.write(
            estimates.table, format: outputFormat, to: output, disclosure: disclosure.writeRules,
            audit: disclosure.audit, auditPrivate: disclosure.auditPrivate, source: names, codebook: results[0].codebook, showCodes: codes,
            population: AuditedPopulation(data: results.map(\.data).joined(separator: " + "), filter: nil),
            present: { [presentation] publication in
                presentation.apply(
                    to: &publication, title: Tabulate.title(analyses, by: options.by),
                    source: Presentation.defaultSource(file: names, weight: design.weight, design: estimates.table.designDescription))
            })
    }
}
