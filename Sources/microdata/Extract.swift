import ArgumentParser
import Foundation
import MicrodataCodebook
import MicrodataReaders
import MicrodataWrite

#if canImport(Glibc)
    import Glibc
#endif

/// `microdata extract`: reads a data file through its codebook and writes the selected variables as CSV,
/// TSV, JSON lines, Stata (.dta) or SPSS (.sav), with a summary of what was read on stderr.
struct Extract: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "extract",
        abstract: "Read a data file through its codebook and write the selected variables.",
        discussion: """
            Fixed-width (flat or hierarchical) and delimited data, plain or gzip, and SPSS (.sav, .zsav, .por), \
            Stata (.dta) and SAS (.sas7bdat) files, which carry their own codebook. Missing values are an empty \
            field in CSV/TSV and null in JSON lines. Without --codebook, --data is read as delimited text with \
            column types inferred.
            """)

    @Option(help: "The codebook: DDI XML, or an SPSS/Stata/SAS file whose metadata describes --data.") var codebook: String?
    @Option(help: "The data file (default: the codebook's file name next to the codebook, plain or .gz).")
    var data: String?
    @Option(help: "Variables to write, comma-separated (record-type and key variables are always added).")
    var variables: String?
    @Option(name: .customLong("record-type"), help: "Write only the rows and columns of this record type.")
    var recordType: String?
    @Option(help: "Stop after this many rows.") var limit: Int?
    @Option(help: "Skip this many lines at the start of a fixed-width file before reading.") var skip: Int = 0
    @Flag(help: "Write value labels instead of codes where the codebook has them.") var labels = false
    @Flag(name: [.customLong("keep-missing-codes"), .customLong("raw-missing")],
          help: "Keep the codebook's missing codes as values (default: written as blanks, as harmonise does).")
    var rawMissing = false
    @Option(name: .customLong("string"),
            help: "Read this CSV column as text whatever its values (codes with leading zeros); repeatable or comma-separated.")
    var string: [String] = []
    @Flag(help: "Make an unknown record type, or a missing-value token (NA, N/A, NaN, ...) in a numeric CSV column, an error.")
    var strict = false
    @Option(help: """
        Output format: csv, tsv, jsonl, dta (Stata 14+) or sav (SPSS). dta and sav keep the codebook's variable \
        labels, value labels and missing-value declarations: missing codes are kept and declared (SPSS user-missing; \
        Stata extended missing .a, .b, ... labelled with the code's label).
        """) var format: OutputFormat = .csv
    @Option(help: "Output file (default: standard output).") var output: String?
    @Flag(name: .customLong("count-only"), help: .hidden) var countOnly = false

    enum OutputFormat: String, ExpressibleByArgument, CaseIterable { case csv, tsv, jsonl, dta, sav }

    func validate() throws {
        if let limit, limit < 0 { throw ValidationError("--limit must be 0 or more") }
        if skip < 0 { throw ValidationError("--skip must be 0 or more") }
        if labels, format == .dta || format == .sav {
            throw ValidationError("--labels writes labels as text; .dta and .sav carry them as value labels already")
        }
    }

    /// Input problems (codebook, data file, a value in the data) are reported as `error: …` with exit
    /// status 2, as `inspect` reports them; usage problems stay with the argument parser.
    @OptionGroup(title: "Limits") var limits: LimitOptions

    func run() throws {
        limits.apply()
        do {
            try extract()
        } catch let error as ReadError {
            throw Extract.fail(error)
        } catch let error as CodebookError {
            throw Extract.fail(error)
        } catch let error as StatFileError {
            throw Extract.fail(error)
        } catch let error as MissingDataFile {
            throw Extract.fail(error)
        } catch let error as StatFileWriteError {
            throw Extract.fail(error)
        }
    }

    static func fail(_ error: any Error) -> ExitCode {
        FileHandle.standardError.write(Data("error: \(error)\n".utf8))
        return .failure
    }

    /// No data file was given and none lies next to the codebook.
    struct MissingDataFile: Error, CustomStringConvertible {
        var tried: [String]
        var description: String {
            "no data file next to the codebook (tried \(tried.joined(separator: ", "))); give --data"
        }
    }

    private func extract() throws {
        var book: Codebook?
        var dataURL: URL
        if let codebook {
            let url = URL(fileURLWithPath: codebook)
            book = try CodebookSource.load(url).codebook
            dataURL = try data.map { URL(fileURLWithPath: $0) } ?? Extract.defaultData(for: url, codebook: book!)
        } else if let data {
            dataURL = URL(fileURLWithPath: data)
            book = try CodebookSource.forData(codebook: nil, data: dataURL)
        } else {
            throw ValidationError("give --codebook, --data or both")
        }
        try OutputTarget.check(outputs: [output, OutputAudit.sidecar(for: output)], inputs: [codebook, dataURL.path])
        let names = variables?.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
        let stat = StatFileWriter.Format(rawValue: format.rawValue)
        var options = ReadOptions(
            variables: names, keepRawMissing: rawMissing || stat != nil, strict: strict, recordType: recordType, limit: limit,
            skip: skip)
        options.maxLineLength = Limits.maxLineLength
        options.textVariables = string.flatMap { commaList($0) }
        var source = try DataReader.open(data: dataURL, codebook: book, options: options)
        if countOnly {
            var rows = 0
            while let batch = try source.nextBatch() { rows += batch.rowCount }
            try StandardOutput.write("\(rows)\n")
            Extract.printSummary(source.statistics)
            return
        }
        if let stat {
            var batches: [Batch] = []
            while let batch = try source.nextBatch() { batches.append(batch) }
            let file = try OutputFile(path: output)
            let warnings = try StatFileWriter(format: stat, fileLabel: book?.study.title).write(
                batches, variables: Dictionary((book?.variables ?? []).map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
            ) { bytes in try file.write([UInt8](bytes)) }
            try file.commit()
            FileHandle.standardError.write(Data(warnings.map { "warning: \($0)\n" }.joined().utf8))
            Extract.printSummary(source.statistics)
            return
        }
        let sink = try OutputSink(path: output)
        var writer = DelimitedRowWriter(format: format.rowFormat, labels: labels ? book : nil)
        var wroteHeader = false
        while let batch = try source.nextBatch() {
            if !wroteHeader {
                writer.header(batch.columns.map(\.name), into: &sink.buffer)
                wroteHeader = true
            }
            writer.rows(batch, into: &sink.buffer)
            try sink.flushIfFull()
        }
        try sink.close()
        try OutputAudit.uncontrolled(for: output, stamp: OutputAudit.microdataStamp, tool: "microdata \(buildVersion)")
        Extract.printSummary(source.statistics)
    }

    /// The codebook's data file next to it: its `fileName`, plain or `.gz`, then the codebook's own stem
    /// with `.dat`, `.csv` (plain or `.gz`).
    static func defaultData(for codebookURL: URL, codebook: Codebook) throws -> URL {
        let folder = codebookURL.deletingLastPathComponent()
        let stem = codebookURL.deletingPathExtension().lastPathComponent
        var candidates: [String] = []
        if let name = codebook.files.first?.name, !name.isEmpty { candidates += [name, name + ".gz"] }
        for name in [".dat", ".dat.gz", ".csv", ".csv.gz"].map({ stem + $0 }) where !candidates.contains(name) {
            candidates.append(name)
        }
        for name in candidates {
            let url = folder.appendingPathComponent(name)
            if FileManager.default.fileExists(atPath: url.path) { return url }
        }
        throw MissingDataFile(tried: candidates)
    }

    static func printSummary(_ statistics: ReadStatistics) {
        let text = statistics.summary.map { "microdata extract: " + $0 }.joined(separator: "\n") + "\n"
        FileHandle.standardError.write(text.data(using: .utf8)!)
    }
}

/// Buffered output to a file (replaced whole when `close` succeeds) or standard output.
final class OutputSink {
    var buffer: [UInt8] = []
    private let file: OutputFile

    init(path: String?) throws {
        file = try OutputFile(path: path)
        buffer.reserveCapacity(1 << 20)
    }

    func flushIfFull() throws { if buffer.count >= 1 << 20 { try flush() } }

    func flush() throws {
        try file.write(buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    func close() throws {
        try flush()
        try file.commit()
    }
}

extension Extract.OutputFormat {
    /// The row writer's format (`dta` and `sav` are written by `StatFileWriter`, never by it).
    var rowFormat: DelimitedRowWriter.Format {
        switch self {
        case .tsv: .tsv
        case .jsonl: .jsonl
        case .csv, .dta, .sav: .csv
        }
    }
}
