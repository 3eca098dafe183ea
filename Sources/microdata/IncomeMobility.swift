import ArgumentParser
import Foundation
import MicrodataCodebook
import MicrodataDisclosure
import MicrodataLink
import MicrodataMobility
import MicrodataReaders
import MicrodataWeighting
import MicrodataWrite

/// The income-mobility options of `microdata mobility`.
struct IncomeOptions: ParsableArguments {
    @Option(name: .customLong("origin-income"), help: "Origin (parents') income or wealth variable.")
    var originIncome: String?
    @Option(name: .customLong("destination-income"), help: "Destination (child's) income or wealth variable.")
    var destinationIncome: String?
    @Option(help: "Quantile groups of each income for the transition matrix (5: quintiles).") var groups = 5
    @Option(help: "Multiply origin income by R (destination-year prices over origin-year prices).")
    var deflator: Double?
    @Option(name: .customLong("deflate-origin"), help: "A variable holding each row's multiplier for origin income.")
    var deflateOrigin: String?

    var isRequested: Bool { originIncome != nil || destinationIncome != nil }

    func validate() throws {
        guard isRequested else {
            if deflator != nil || deflateOrigin != nil {
                throw ValidationError("--deflator and --deflate-origin need --origin-income and --destination-income")
            }
            return
        }
        guard originIncome != nil && destinationIncome != nil else {
            throw ValidationError("--origin-income and --destination-income go together")
        }
        guard deflator == nil || deflateOrigin == nil else {
            throw ValidationError("give --deflator or --deflate-origin, not both")
        }
        guard (2...100).contains(groups) else { throw ValidationError("--groups must be between 2 and 100") }
        if let deflator, !(deflator > 0 && deflator.isFinite) {
            throw ValidationError("--deflator must be a positive number")
        }
    }

    /// The words for the notes about deflation.
    var deflationNote: String {
        if let deflateOrigin { return "Origin income is multiplied by \(deflateOrigin) (each row's deflator)." }
        if let deflator { return "Origin income is multiplied by \(deflator) (--deflator)." }
        return "Origin income is not deflated."
    }
}

/// One income-mobility run: reads the rows, estimates, protects, and builds the publication.
struct IncomeMobilityRequest {
    var data: URL
    var codebook: String?
    var spec: IncomeMobilitySpec
    var design: SurveyDesign
    var rules: String?
    var disclosureControl: Bool
    var deflation: String
    var readOptions = ReadOptions()
    var missingCodes = MissingCodes()
    var linking: LinkOptions?
    var linkAuditStem: String?

    /// Reads, estimates and protects; the audit must pass before anything is returned. The tables are appended
    /// to `base` (the class tables) when given.
    func run(appendingTo base: Publication?, title: String) throws -> IncomeMobilityRun {
        let book = try CodebookSource.forData(codebook: codebook, data: data)
        var sample = try IncomeMobilitySample(spec: spec, design: design, codebook: book)
        // Replicate-weight columns are found by pattern: every column is read then.
        var (source, linkLog) = try MobilitySource.open(
            data: data, codebook: book, required: design.replicates == nil ? sample.requiredVariables : nil,
            design: design, numbers: [spec.origin, spec.destination] + (spec.deflateOrigin.map { [$0] } ?? []),
            readOptions: readOptions, missingCodes: missingCodes, linking: linking, watched: [spec.origin, spec.destination])
        while let batch = try source.nextBatch() { try sample.add(try linking?.mark(batch) ?? batch) }
        source.reportWarnings()
        // With class tables too, their pass has written the link audit already.
        if base == nil { try linking?.report(linkLog, output: linkAuditStem) }
        let results = try sample.estimate()
        let loadedRules = try DisclosureOutputOptions.loadRules(rules, disclosureControl: disclosureControl)
        var protection: IncomeMobilityProtection?
        if disclosureControl {
            do {
                protection = try IncomeMobilityProtection(results: results, control: DisclosureControl(rules: loadedRules))
            } catch let DisclosureError.auditFailed(report) {
                FileHandle.standardError.write(Data("disclosure audit FAILED: \(report.summary); nothing written\n".utf8))
                throw ExitCode.needsReview
            }
        } else if base == nil {
            FileHandle.standardError.write(Data("warning: \(CheckedTable.bypassStamp)\n".utf8))
        }
        let withheld = protection?.transitions.allGroupsTotalSuppressed ?? false
        let metadata = [
            MetadataItem("Design", withheld ? MobilityProtection.withholdingNumbers(results.designDescription) : results.designDescription),
            MetadataItem("Incomes", "origin \(spec.origin), destination \(spec.destination), \(spec.groups) groups"),
        ]
        let publication = IncomeMobilityPublication(
            results: results, protection: protection, rules: loadedRules, deflation: deflation
        ).publication(appendingTo: base, title: title, source: data.lastPathComponent, metadata: metadata)
        return IncomeMobilityRun(publication: publication, results: results, protection: protection)
    }
}

/// The data of a mobility run as batches.
enum MobilitySource {
    /// `data` read (parsing and gunzipping on a second thread, ahead of the estimator), joined with `--join`
    /// files, with missing codes of the `watched` variables counted; `required` are the columns to read, with
    /// or without a codebook (`nil`: all), plus those of `--missing` and `--subpop`; the design's columns and
    /// `numbers` are read as numbers only (a value that is not one is an error naming the line).
    /// `select` wraps the rows read before the join (one imputation of multiply imputed data).
    static func open(
        data: URL, codebook book: Codebook?, required: [String]?, design: SurveyDesign, numbers: [String] = [],
        readOptions: ReadOptions, missingCodes: MissingCodes, linking: LinkOptions?, watched: [String],
        select: (any BatchSource) -> any BatchSource = { $0 }
    ) throws -> (MissingCodeFilter, LinkAuditLog?) {
        var options = readOptions
        let lower = (required ?? []).map { $0.lowercased() }
        let needed = required.map { $0 + missingCodes.codes.keys.filter { !lower.contains($0.lowercased()) } }
        // With `--join` every column is read (`variables` is nil then): keys and joined columns come after the join.
        options.variables = try linking.map { try $0.variables(needed) } ?? needed
        options.maxLineLength = Limits.maxLineLength
        options.readNumbers(of: design)
        options.numericVariables += numbers
        let read = select(PrefetchingSource(try DataReader.open(data: data, codebook: book, options: options)))
        let (joined, linkLog) = try linking?.join(read) ?? (read, nil)
        return (try MissingCodeFilter.reading(joined, codebook: book, missing: missingCodes, variables: watched), linkLog)
    }
}

/// The outcome of an income-mobility run.
struct IncomeMobilityRun {
    var publication: Publication
    var results: IncomeMobilityResults
    var protection: IncomeMobilityProtection?

    /// The public audit of the transition counts, without true values (or a note that checks were off).
    func auditData() throws -> Data {
        try protection?.transitions.checked.audit?.publicJSON()
            ?? Data("{\"audit\": null, \"stamp\": \"\(CheckedTable.bypassStamp)\"}\n".utf8)
    }

    func printSummary() {
        var lines = ["microdata mobility: \(results.rows) rows read, \(results.validRows) with both incomes",
                     "design: \(results.designDescription)"]
        if let audit = protection?.transitions.checked.audit { lines.append("disclosure (income): \(audit.summary)") }
        if let p = protection, !p.withheld.isEmpty { lines.append("income measures withheld: \(p.withheld.count)") }
        FileHandle.standardError.write(Data((lines.joined(separator: "\n") + "\n").utf8))
    }
}
