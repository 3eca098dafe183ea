import ArgumentParser
import Foundation
import MicrodataLink
import MicrodataReaders
import MicrodataWrite

/// `microdata pool`: stacks survey periods into one sample for small-area and small-group estimates.
struct Pool: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pool",
        abstract: "Pool survey periods: stack files, drop repeated persons, write pooled weights and strata.",
        discussion: """
            Each input is a period (read as extract reads it: delimited, fixed-width with a DDI codebook, SPSS, \
            Stata, SAS). The output has every input column plus period, pool_weight (--period-weights equal: the \
            weight ÷ the number of periods, estimates for an average period; sum: the weight, totals over all \
            periods) and pool_stratum (period × --strata, so the periods are independent samples). With --id, a \
            person in several periods is kept once, in the period --keep chooses (default last); the rows dropped \
            per period are reported. Inputs must have the same columns after --rename (an error names the file and \
            columns) unless --union keeps every column, missing where a file lacks it. The tabulate design flags \
            for the pooled file are printed on stdout.
            """)

    @Argument(help: "The data files, one per period (or several periods per file with --period-column).")
    var inputs: [String] = []
    @Option(help: "DATA=CODEBOOK: the codebook of input DATA (repeatable; default: DATA-stem.xml beside it, or its own metadata).")
    var codebook: [String] = []
    @Option(name: .customLong("period-column"), help: "The column holding each row's period.") var periodColumn: String?
    @Option(help: "The period of each input, comma-separated, in the order of the files (earliest first).")
    var periods: String?
    @Option(help: "The weight column of every period.") var weight: String
    @Option(help: "The stratum column.") var strata: String?
    @Option(help: "The cluster column: only added to the printed design flags (as --psu COL --nest).") var psu: String?
    @Option(help: "Person id columns, comma-separated: a person in several periods is kept once.") var id: String?
    @Option(help: "The period that keeps a repeated person: first or last.") var keep: String = "last"
    @Option(name: .customLong("period-weights"), help: "equal (weight ÷ number of periods) or sum (weight unchanged).")
    var periodWeights: String = "equal"
    @Option(help: "A file of variables renamed across vintages, lines OLD>NEW (e.g. PWT18>PWT22).") var rename: String?
    @Flag(help: "Keep columns found in some inputs only, missing elsewhere (default: an error).") var union = false
    @Option(help: "csv, tsv, jsonl, dta or sav (default: from --output's extension, else csv).") var format: String?
    @Option(help: "The pooled file.") var output: String

    func run() throws {
        guard !inputs.isEmpty else { throw ValidationError("give the data files to pool") }
        let periodsSpec: PoolSpec.Periods
        switch (periodColumn, periods) {
        case (let column?, nil): periodsSpec = .column(column)
        case (nil, let list?):
            guard commaList(list).count == inputs.count else {
                throw ValidationError("\(inputs.count) input files but \(commaList(list).count) --periods: give one period per file, in order")
            }
            periodsSpec = .labels(commaList(list))
        default: throw ValidationError("give --period-column or --periods (one of them)")
        }
        guard let keep = PoolSpec.Keep(rawValue: keep) else { throw ValidationError("--keep must be first or last") }
        guard let periodWeights = PoolSpec.PeriodWeights(rawValue: periodWeights) else {
            throw ValidationError("--period-weights must be equal or sum")
        }
        let books = try codebooksByInput()
        let bookPaths = inputs.map { LinkOptions.codebookPath(for: $0, given: books[$0]) }
        try OutputTarget.check(outputs: [output, OutputAudit.sidecar(for: output)], inputs: inputs + bookPaths + [rename])
        let extensionFormat = URL(fileURLWithPath: output).pathExtension.lowercased()
        guard let format = LinkedWriter.Format(rawValue: (format ?? (extensionFormat.isEmpty ? "csv" : extensionFormat)).lowercased())
        else { throw ValidationError("--format must be csv, tsv, jsonl, dta or sav") }
        let spec = PoolSpec(
            periods: periodsSpec, weight: weight, strata: strata, id: commaList(id), keep: keep, periodWeights: periodWeights,
            renames: try rename.map { try VariableRenames(contentsOf: $0) } ?? VariableRenames(), union: union)
        let sources = inputs.map { file in
            PoolInput(path: file) { try LinkOptions.openData(file, codebook: books[file]) }
        }
        let plan = try Pooler.plan(sources, spec: spec)
        var source: any BatchSource = plan.source()
        let first = try CodebookSource.forData(codebook: bookPaths[0], data: URL(fileURLWithPath: inputs[0]))
        let written = try Linker.write(&source, to: output, format: format, codebooks: LinkCodebooks(left: first))
        try OutputAudit.uncontrolled(for: output, stamp: OutputAudit.microdataStamp, tool: "microdata \(buildVersion)")
        let notes = written.warnings.map { "warning: \($0)\n" }.joined()
        FileHandle.standardError.write(Data(
            (plan.report.summary.map { $0 + "\n" }.joined() + notes + "wrote \(written.rows) rows to \(output)\n"
                + "tabulate the pooled file with these design flags (stdout):\n").utf8))
        try StandardOutput.write(plan.report.designFlags(psu: psu).joined(separator: " ") + "\n")
    }

    /// `--codebook DATA=CODEBOOK` by input path.
    func codebooksByInput() throws -> [String: String] {
        var books: [String: String] = [:]
        for given in codebook {
            guard let data = inputs.first(where: { given.hasPrefix($0 + "=") && given.count > $0.count + 1 }) else {
                throw ValidationError("--codebook takes DATA=CODEBOOK with DATA one of the input files, found '\(given)'")
            }
            books[data] = String(given.dropFirst(data.count + 1))
        }
        return books
    }
}
