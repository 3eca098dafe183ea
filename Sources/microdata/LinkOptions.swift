import ArgumentParser
import Foundation
import MicrodataCodebook
import MicrodataLink
import MicrodataReaders

/// `--join FILE:KEYS` and `--subpop EXPR`, shared by the analysis commands.
struct LinkOptions: ParsableArguments {
    @Option(help: """
        Link a file on the fly: FILE:KEY[,KEY2][:inner] (repeatable; many-to-one, left join unless :inner; a DDI \
        codebook FILE-stem.xml beside it is used). The link audit is written beside the output (<output>.link.json).
        """)
    var join: [String] = []
    @Option(help: """
        Subpopulation: rows where EXPR is true (e.g. "SEX == 2 & AGE >= 25", "REGION in (1, 2)", "!missing(PAY)"); \
        the other rows stay in the design, as R subset(design, ...).
        """)
    var subpop: String?

    /// The parsed subpopulation.
    func expression() throws -> RowExpression? {
        do { return try subpop.map { try RowExpression(parsing: $0) } } catch {
            throw LinkError("--subpop: \(error)")
        }
    }

    /// The estimator's subpopulation column, when `--subpop` is given.
    var subpopulationColumn: String? { subpop == nil ? nil : SubpopulationSource.column }

    /// The columns to read from the data: `needed` plus those of `--subpop`, or all (`nil`) with `--join`.
    func variables(_ needed: [String]?) throws -> [String]? {
        guard join.isEmpty, let needed else { return nil }
        let have = Set(needed.map { $0.lowercased() })
        return needed + (try expression()?.columns ?? []).filter { !have.contains($0.lowercased()) }
    }

    /// `source` joined with every `--join` file, and the log that receives the audit of each join.
    func join(_ source: any BatchSource) throws -> (any BatchSource, LinkAuditLog?) {
        try Self.join(join, source)
    }

    /// `source` joined with each `FILE:KEYS[:inner|left]` of `specs`, and the log of the joins (`nil` without any).
    static func join(_ specs: [String], _ source: any BatchSource) throws -> (any BatchSource, LinkAuditLog?) {
        guard !specs.isEmpty else { return (source, nil) }
        let log = LinkAuditLog()
        return (try Linker.chain(left: source, steps: specs.map(Self.openJoin), log: log), log)
    }

    /// `batch` with the `--subpop` marker column (unchanged without `--subpop`).
    func mark(_ batch: Batch) throws -> Batch {
        guard let e = try expression() else { return batch }
        do { return try SubpopulationSource.mark(batch, e) } catch { throw LinkError("--subpop: \(error)") }
    }

    /// After the pass: the audit summary on stderr and, with an output file, the audit JSON beside it.
    func report(_ log: LinkAuditLog?, output: String?) throws { try Self.report(log, output: output) }

    static func report(_ log: LinkAuditLog?, output: String?) throws {
        guard let log else { return }
        FileHandle.standardError.write(Data(log.audit.summary().map { $0 + "\n" }.joined().utf8))
        if let output { try Linker.writeAudit(log.audit, to: output + ".link.json") }
    }

    /// The data files that `--join` reads (inputs an output must not overwrite), and the link audit written beside
    /// `output` when there are any.
    func files(output: String?) -> (inputs: [String], outputs: [String]) { Self.files(join, output: output) }

    static func files(_ specs: [String], output: String?) -> (inputs: [String], outputs: [String]) {
        let files = specs.compactMap { try? Self.parseJoin($0).file }
        let inputs = files + files.compactMap { Self.codebookPath(for: $0, given: nil) }
        return (inputs, files.isEmpty ? [] : output.map { [$0 + ".link.json"] } ?? [])
    }

    /// `FILE:KEY[,KEY2][:inner|left]` as its parts.
    static func parseJoin(_ spec: String) throws -> (file: String, keys: [String], how: JoinKind) {
        var text = Substring(spec)
        var how = JoinKind.left
        if let colon = text.lastIndex(of: ":"), let given = JoinKind(rawValue: String(text[text.index(after: colon)...])) {
            how = given
            text = text[..<colon]
        }
        guard let colon = text.lastIndex(of: ":"), colon != text.startIndex else {
            throw ValidationError("--join takes FILE:KEY[,KEY2][:inner|left], found '\(spec)'")
        }
        return (String(text[..<colon]), commaList(String(text[text.index(after: colon)...])), how)
    }

    static func openJoin(_ spec: String) throws -> (LinkStep, any BatchSource) {
        let (file, keys, how) = try parseJoin(spec)
        let step = LinkStep(path: file, keys: keys, how: how, duplicates: .error)
        return (step, try openData(file, codebook: nil))
    }

    /// Opens a data file with its codebook: the one given, else FILE-stem.xml beside it, else its own metadata.
    static func openData(_ file: String, codebook: String?) throws -> any BatchSource {
        try openDataWithCodebook(file, codebook: codebook).source
    }

    /// The codebook read with `file`: the one given, else FILE-stem.xml beside it when present (an input that no
    /// output may overwrite).
    static func codebookPath(for file: String, given: String?) -> String? {
        if let given { return given }
        var base = URL(fileURLWithPath: file)
        if base.pathExtension == "gz" { base = base.deletingPathExtension() }
        let beside = base.deletingPathExtension().appendingPathExtension("xml").path
        let exists = FileManager.default.fileExists(atPath: beside) && !StatFile.isStatFile(URL(fileURLWithPath: file))
        return exists ? beside : nil
    }

    /// ``openData(_:codebook:)`` with the codebook used (`nil` for delimited text read without one).
    static func openDataWithCodebook(_ file: String, codebook: String?) throws -> (source: any BatchSource, codebook: Codebook?) {
        let url = URL(fileURLWithPath: file)
        let loaded = try CodebookSource.forData(codebook: codebookPath(for: file, given: codebook), data: url)
        return (try DataReader.open(data: url, codebook: loaded, options: ReadOptions(maxLineLength: Limits.maxLineLength)), loaded)
    }
}
