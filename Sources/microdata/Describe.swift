import ArgumentParser
import Foundation
import MicrodataDisclosure
import MicrodataReaders
import MicrodataWrite

/// `microdata describe`: every variable of a data file in one streaming pass, disclosure-checked.
struct Describe: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "describe",
        abstract: "Variables, types, labels, missing codes, counts and means of a data file, in one pass.",
        discussion: """
            Reads the file once, holding one accumulator per variable. Counts, unweighted and weighted means and \
            sums of weights pass disclosure control from the rules file: a variable with fewer than the threshold \
            of rows with a value shows none of them, fewer than the threshold without a value hides both counts, \
            and a mean dominated by its largest contributions (the NK rule) is withheld; minimum and maximum \
            (each one respondent's value) are shown only with --no-disclosure-control.
            """)

    @Argument(help: "The data file (CSV/TSV with a header, fixed-width with --codebook, or SPSS/Stata/SAS; - reads standard input).")
    var file: String
    @Option(help: "The codebook: DDI XML, or an SPSS/Stata/SAS file describing the data.") var codebook: String?
    @Option(help: "Weight variable: adds weighted means and sums of weights.") var weight: String?
    @Option(help: "text, markdown or json.") var format: String = "text"
    @Option(help: "Output file (default: standard output).") var output: String?
    @Option(help: "Rules file overriding Codebooks/disclosure/default-rules.json.") var rules: String?
    @Flag(name: .customLong("no-disclosure-control"),
          help: "Show every number, minimum and maximum included: the output is stamped NOT DISCLOSURE CONTROLLED.")
    var noDisclosureControl = false
    @OptionGroup(title: "Reading") var delimiter: DelimiterOption
    @OptionGroup(title: "Presentation") var presentation: PresentationOptions

    func run() throws {
        guard ["text", "markdown", "json"].contains(format) else { throw ValidationError("--format must be text, markdown or json") }
        try OutputTarget.check(outputs: [output, OutputAudit.sidecar(for: output)], inputs: [file, codebook, rules])
        let url = DataReader.dataURL(file)
        let book = try CodebookSource.forData(codebook: codebook, data: url)
        let loaded = try DisclosureOutputOptions.loadRules(rules)
        var source = try DataReader.open(data: url, codebook: book, options: ReadOptions(format: delimiter.format))
        var describer = DataDescriber(file: file, weight: weight, codebook: book, keep: loaded.nkN)
        while let batch = try source.nextBatch() { try describer.add(batch) }
        var description = describer.finish()
        if noDisclosureControl {
            FileHandle.standardError.write(Data("warning: \(CheckedTable.bypassStamp)\n".utf8))
        } else {
            description = description.protected(
                threshold: loaded.threshold, nkN: loaded.nkN, nkK: loaded.nkK, rulesInForce: loaded.inForce)
        }
        let shown = presentation.presentation(
            title: "Variables of " + (file == "-" ? "standard input" : URL(fileURLWithPath: file).lastPathComponent),
            source: Presentation.defaultSource(file: file, weight: weight, design: nil))
        let text = format == "json"
            ? try shown.json(description, key: "description")
            : shown.render(
                header: DataDescription.header, rows: description.tableRows,
                lines: ["\(description.rows) rows, \(description.variables.count) variables", description.disclosure],
                markdown: format == "markdown", numeric: DataDescription.numericColumns)
        try OutputFile.write(text, to: output)
        // The sidecar `release` checks: the rules applied, or the stamp.
        let tool = "microdata \(buildVersion)"
        if noDisclosureControl {
            try OutputAudit.uncontrolled(for: output, stamp: CheckedTable.bypassStamp, tool: tool)
        } else {
            try OutputAudit.write(
                for: output, tool: tool, stamp: nil, rules: loaded.inForce, threshold: loaded.threshold,
                checks: [OutputCheck(rule: "describe", subject: "output", status: .pass, evidence: description.disclosure)])
        }
    }
}
