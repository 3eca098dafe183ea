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
        try OutputTarget.check(outputs: [output], inputs: [codebook, dataURL.path])
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
        var writer = RowWriter(format: format, labels: labels ? book : nil)
        var wroteHeader = false
        while let batch = try source.nextBatch() {
            if !wroteHeader {
                writer.header(batch.columns.map(\.name), into: &sink.buffer)
                wroteHeader = true
            }
            try writer.rows(batch, into: sink)
        }
        try sink.close()
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

/// Formats rows as CSV, TSV or JSON lines.
struct RowWriter {
    let format: Extract.OutputFormat
    let codebook: Codebook?
    private var names: [String] = []
    private var labelMaps: [[String: String]] = []

    init(format: Extract.OutputFormat, labels codebook: Codebook?) {
        self.format = format
        self.codebook = codebook
    }

    mutating func header(_ columns: [String], into out: inout [UInt8]) {
        names = columns
        labelMaps = columns.map { name in
            guard let v = codebook?.variable(named: name) else { return [:] }
            var map: [String: String] = [:]
            for c in v.categories {
                guard let label = c.label else { continue }
                // Key numeric codes by their canonical text ("01" → "1") to match formatted values.
                if v.type == .numeric, let d = Double(c.value) {
                    map[d == d.rounded() && abs(d) < 1e15 ? String(Int64(d)) : String(d)] = label
                } else {
                    map[c.value] = label
                }
            }
            return map
        }
        guard format != .jsonl else { return }
        for (i, name) in columns.enumerated() {
            if i > 0 { out.append(format == .tsv ? 0x09 : UInt8(ascii: ",")) }
            appendText(name, into: &out)
        }
        out.append(0x0A)
    }

    /// Writes a batch: each column is formatted in one pass into a shared byte buffer with row offsets
    /// (one switch per column, not per value), then the rows are interleaved.
    func rows(_ batch: Batch, into sink: OutputSink) throws {
        let n = batch.rowCount
        var cells: [UInt8] = []
        var ends: [Int] = []
        ends.reserveCapacity(batch.columns.count * (n + 1))
        for (c, column) in batch.columns.enumerated() {
            ends.append(cells.count)
            format(column, labels: labelMaps[c], into: &cells, ends: &ends)
        }
        let separator: UInt8 = format == .tsv ? 0x09 : UInt8(ascii: ",")
        let jsonl = format == .jsonl
        var keys: [UInt8] = []
        var keyEnds: [Int] = [0]
        for name in names {
            appendJSONString(name, into: &keys)
            keys.append(UInt8(ascii: ":"))
            keyEnds.append(keys.count)
        }
        let columns = batch.columns.count
        var out: [UInt8] = []
        out.reserveCapacity(cells.count + n * (columns + 2) + (jsonl ? n * keys.count : 0))
        cells.withUnsafeBufferPointer { cell in
            ends.withUnsafeBufferPointer { end in
                keys.withUnsafeBufferPointer { key in
                    for row in 0..<n {
                        if jsonl { out.append(UInt8(ascii: "{")) }
                        for c in 0..<columns {
                            if c > 0 { out.append(separator) }
                            if jsonl { out.append(contentsOf: UnsafeBufferPointer(rebasing: key[keyEnds[c]..<keyEnds[c + 1]])) }
                            let base = c * (n + 1) + row
                            out.append(contentsOf: UnsafeBufferPointer(rebasing: cell[end[base]..<end[base + 1]]))
                        }
                        if jsonl { out.append(UInt8(ascii: "}")) }
                        out.append(0x0A)
                    }
                }
            }
        }
        sink.buffer.append(contentsOf: out)
        try sink.flushIfFull()
    }

    /// Formats every value of `column`, recording where each row's text ends.
    private func format(_ column: Column, labels: [String: String], into out: inout [UInt8], ends: inout [Int]) {
        switch column.storage {
        case .integer(let values, let missing) where labels.isEmpty:
            for i in values.indices {
                if missing[i] { missingValue(into: &out) } else { appendInteger(values[i], into: &out) }
                ends.append(out.count)
            }
        case .real(let values) where labels.isEmpty:
            for x in values {
                if x.isNaN {
                    missingValue(into: &out)
                } else if x == x.rounded(), abs(x) < 1e15 {
                    appendInteger(Int64(x), into: &out)
                } else {
                    out.append(contentsOf: x.description.utf8)
                }
                ends.append(out.count)
            }
        default:
            for row in 0..<column.count {
                appendValue(column, row, labels: labels, into: &out)
                ends.append(out.count)
            }
        }
    }

    private func appendValue(_ column: Column, _ row: Int, labels: [String: String], into out: inout [UInt8]) {
        guard let text = column.text(at: row) else { return missingValue(into: &out) }
        if let label = labels[text] {
            appendText(label, into: &out)
        } else if case .text = column.storage {
            appendText(text, into: &out)
        } else {
            out.append(contentsOf: text.utf8)
        }
    }

    private func missingValue(into out: inout [UInt8]) {
        if format == .jsonl { out.append(contentsOf: "null".utf8) }
    }

    private func appendInteger(_ value: Int64, into out: inout [UInt8]) {
        if value < 0 { out.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        if magnitude == 0 {
            out.append(UInt8(ascii: "0"))
            return
        }
        let start = out.count
        while magnitude > 0 {
            out.append(UInt8(ascii: "0") + UInt8(magnitude % 10))
            magnitude /= 10
        }
        out[start...].reverse()
    }

    private func appendText(_ text: String, into out: inout [UInt8]) {
        switch format {
        case .jsonl:
            appendJSONString(text, into: &out)
        case .csv, .dta, .sav:
            if text.utf8.contains(where: { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 0x0A || $0 == 0x0D }) {
                out.append(UInt8(ascii: "\""))
                for b in text.utf8 {
                    if b == UInt8(ascii: "\"") { out.append(b) }
                    out.append(b)
                }
                out.append(UInt8(ascii: "\""))
            } else {
                out.append(contentsOf: text.utf8)
            }
        case .tsv:
            // TSV has no quoting: tabs and line breaks inside a value become spaces.
            for b in text.utf8 { out.append(b == 0x09 || b == 0x0A || b == 0x0D ? 0x20 : b) }
        }
    }

    private func appendJSONString(_ text: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for b in text.utf8 {
            switch b {
            case UInt8(ascii: "\""): out.append(contentsOf: "\\\"".utf8)
            case UInt8(ascii: "\\"): out.append(contentsOf: "\\\\".utf8)
            case 0x0A: out.append(contentsOf: "\\n".utf8)
            case 0x0D: out.append(contentsOf: "\\r".utf8)
            case 0x09: out.append(contentsOf: "\\t".utf8)
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                out.append(contentsOf: "\\u00".utf8)
                out.append(hex[Int(b >> 4)])
                out.append(hex[Int(b & 15)])
            default: out.append(b)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
