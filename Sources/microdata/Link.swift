import ArgumentParser
import Foundation
import MicrodataWrite
import MicrodataLink
import MicrodataReaders

/// `microdata link`: joins files on keys (sweeps one-to-one, persons to households many-to-one, one-to-many
/// collapsed by aggregates), writing the linked file and an audit of who was lost.
struct Link: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "link",
        abstract: "Link files on keys: cohort sweeps, persons and households, parents and children.",
        discussion: """
            The right sides (--with, repeatable, chained left to right) are read whole and hashed; the left \
            streams. Keys compare by type: text ids keep leading zeros, numeric ids compare numerically (1 = 1.0). \
            Missing keys never match. The audit (always written, default <output>.link.json) counts matched, \
            unmatched, duplicate and missing keys per step, with match rates by --audit-by levels; levels more \
            than 5 points from the overall rate are flagged on stderr.
            """)

    @Option(help: "The left data file.") var data: String
    @Option(help: "The left file's codebook (default: DATA-stem.xml beside it, if present).") var codebook: String?
    @Option(help: "A right file (repeatable: joins chain left to right).") var with: [String] = []
    @Option(name: .customLong("with-codebook"), help: "The codebook of each --with file, in order.")
    var withCodebook: [String] = []
    @Option(help: "Key columns of the left, comma-separated.") var keys: String
    @Option(name: .customLong("right-keys"), help: "Key columns of the right files, in the order of --keys.")
    var rightKeys: String?
    @Option(name: .customLong("key-type"), help: "Compare keys as string or number when the files' key types differ.")
    var keyType: String?
    @Option(help: "inner, left (default) or full.") var how: String = "left"
    @Option(help: "Duplicate right keys: error (default), first or last.") var duplicates: String = "error"
    @Option(help: "NAME=FUN(VAR)[ where EXPR]: collapse the last --with, one-to-many, per key (sum mean min max count first any all).")
    var aggregate: [String] = []
    @Option(help: "Output columns to keep, comma-separated (default: all).") var variables: String?
    @Option(name: .customLong("audit-by"), help: "Left variables for match rates by level, comma-separated.")
    var auditBy: String?
    @Option(help: """
        csv, tsv, jsonl, dta or sav (default: from --output's extension, else csv). dta and sav carry the \
        codebooks' variable labels, value labels and missing-value declarations.
        """) var format: String?
    @Option(help: "The output file.") var output: String
    @Option(name: .customLong("codebook-out"), help: "Also write a DDI codebook of the output, with both sides' labels.")
    var codebookOut: String?
    @Option(help: "The audit file (default: <output>.link.json, or <output>.link.EXT with --audit-format).")
    var audit: String?
    @Option(name: .customLong("audit-format"), help: """
        Write the audit as a table publication in this format (csv, json, markdown, text, html or xlsx), stamped \
        NOT DISCLOSURE CONTROLLED; without it, the audit record as JSON.
        """)
    var auditFormat: OutputFormat?

    /// Where the audit goes.
    var auditPath: String { audit ?? output + ".link." + (auditFormat?.fileExtension ?? "json") }

    func run() throws {
        guard !with.isEmpty else { throw ValidationError("give at least one --with file") }
        let books = [LinkOptions.codebookPath(for: data, given: codebook)]
            + with.enumerated().map { LinkOptions.codebookPath(for: $1, given: $0 < withCodebook.count ? withCodebook[$0] : nil) }
        try OutputTarget.check(
            outputs: [
                output, OutputAudit.sidecar(for: output), auditPath, codebookOut,
                auditFormat == .csv ? Presentation.csvMetadataPath(for: auditPath) : nil,
            ],
            inputs: [data] + with + books)
        guard withCodebook.count <= with.count else { throw ValidationError("more --with-codebook than --with files") }
        guard let how = JoinKind(rawValue: how) else { throw ValidationError("--how must be inner, left or full") }
        guard let duplicates = DuplicatePolicy(rawValue: duplicates) else {
            throw ValidationError("--duplicates must be error, first or last")
        }
        let keyType = try keyType.map { t -> KeyType in
            guard let k = KeyType(rawValue: t) else { throw ValidationError("--key-type must be string or number") }
            return k
        }
        let extensionFormat = URL(fileURLWithPath: output).pathExtension.lowercased()
        guard let format = LinkedWriter.Format(rawValue: (format ?? (extensionFormat.isEmpty ? "csv" : extensionFormat)).lowercased())
        else {
            throw ValidationError("--format must be csv, tsv, jsonl, dta or sav")
        }
        let aggregates = try aggregate.map { try Aggregate(parsing: $0) }
        var codebooks = LinkCodebooks()
        let steps = try with.enumerated().map { (k, file) -> (LinkStep, any BatchSource) in
            let step = LinkStep(
                path: file, keys: commaList(keys), rightKeys: rightKeys.map(commaList), how: how, duplicates: duplicates,
                aggregates: k == with.count - 1 ? aggregates : [], keyType: keyType)
            let (source, book) = try LinkOptions.openDataWithCodebook(file, codebook: k < withCodebook.count ? withCodebook[k] : nil)
            codebooks.rights.append(book)
            return (step, source)
        }
        let (left, leftBook) = try LinkOptions.openDataWithCodebook(data, codebook: codebook)
        codebooks.left = leftBook
        var source = try Linker.chain(left: left, steps: steps, auditBy: commaList(auditBy), leftName: data)
        let written = try Linker.write(&source, to: output, format: format, variables: variables.map(commaList),
                                       codebooks: codebooks, codebookOut: codebookOut)
        let rows = written.rows
        let report = Linker.audit(of: source)
        for name in commaList(auditBy) where !report.steps.contains(where: { $0.matchRateBy[name] != nil }) {
            FileHandle.standardError.write(Data("warning: --audit-by \(name) is in no step's left data\n".utf8))
        }
        if let auditFormat {
            try report.publication(source: URL(fileURLWithPath: data).lastPathComponent, version: buildVersion)
                .write(format: auditFormat, to: auditPath)
        } else {
            try Linker.writeAudit(report, to: auditPath)
        }
        let notes = written.warnings.map { "warning: \($0)\n" }.joined()
        try OutputAudit.uncontrolled(for: output, stamp: OutputAudit.microdataStamp, tool: "microdata \(buildVersion)")
        FileHandle.standardError.write(Data((report.summary().map { $0 + "\n" }.joined() + notes + "wrote \(rows) rows to \(output)\n").utf8))
    }
}
