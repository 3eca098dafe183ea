import Foundation
import MicrodataReaders
import MicrodataWrite

/// Writes batches as CSV, TSV or JSON Lines: missing values are empty fields (CSV/TSV) or `null` (JSONL);
/// numbers are written without a trailing `.0`. The file is written whole or not at all (see `OutputFile`):
/// nothing appears at the path until ``close()``; ``discard()`` abandons it.
public struct LinkedWriter {
    public enum Format: String, Sendable, CaseIterable, CustomStringConvertible {
        case csv, tsv, jsonl
        /// Stata and SPSS files, written by `StatFileWriter` (see ``Linker/write(_:to:format:variables:codebooks:codebookOut:)``).
        case dta, sav

        /// The `StatFileWriter` format, for `.dta` and `.sav`.
        public var statFormat: StatFileWriter.Format? { StatFileWriter.Format(rawValue: rawValue) }

        public var description: String {
            switch self {
            case .csv: "comma-separated values with a header"
            case .tsv: "tab-separated values with a header"
            case .jsonl: "JSON lines"
            case .dta: "Stata dta format 118"
            case .sav: "SPSS system file"
            }
        }
    }

    let format: Format
    let file: OutputFile
    var names: [String]?
    var buffer = ""
    public private(set) var rows = 0

    /// Opens `path` for writing: a temporary file beside it, renamed over it by ``close()``. A symbolic link
    /// is followed, a FIFO or device written through; a missing folder is an `OutputError`.
    public init(path: String, format: Format) throws {
        guard format.statFormat == nil else { throw LinkError("internal: \(format) is written by StatFileWriter") }
        self.format = format
        file = try OutputFile(path: path)
    }

    /// Writes the rows of `batch` (the first batch fixes the columns; later batches must have the same names).
    public mutating func write(_ batch: Batch) throws {
        if names == nil {
            names = batch.columns.map(\.name)
            if format != .jsonl {
                buffer += names!.map(field).joined(separator: format == .csv ? "," : "\t") + "\n"
            }
        }
        let columns = try names!.map { name -> Column in
            guard let c = batch.columns.first(where: { $0.name == name }) else {
                throw LinkError("internal: column \(name) missing from a later batch")
            }
            return c
        }
        let separator = format == .csv ? "," : "\t"
        for r in 0..<batch.rowCount {
            switch format {
            case .csv, .tsv:
                for (k, c) in columns.enumerated() {
                    if k > 0 { buffer += separator }
                    if let t = c.text(at: r) {
                        if case .text = c.storage { buffer += field(t) } else { buffer += t }
                    }
                }
            case .jsonl, .dta, .sav:
                buffer += "{"
                for (k, c) in columns.enumerated() {
                    if k > 0 { buffer += "," }
                    buffer += JSONText.quoted(c.name) + ":"
                    if let t = c.text(at: r) {
                        if case .text = c.storage { buffer += JSONText.quoted(t) } else { buffer += t }
                    } else {
                        buffer += "null"
                    }
                }
                buffer += "}"
            }
            buffer += "\n"
            if buffer.utf8.count > 1 << 20 { try flush() }
        }
        rows += batch.rowCount
    }

    /// Flushes the rows and puts the file in place (renames the temporary file over the target).
    public mutating func close() throws {
        if names == nil, format != .jsonl { buffer = "" }
        try flush()
        try file.commit()
    }

    /// Abandons the output: the target is left as it was.
    public func discard() { file.discard() }

    mutating func flush() throws {
        try file.write(buffer)
        buffer = ""
    }

    func field(_ s: String) -> String {
        let special: Bool = format == .csv ? s.contains { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }
            : s.contains { $0 == "\t" || $0 == "\n" }
        guard special else { return s }
        if format == .tsv { return s.replacingOccurrences(of: "\t", with: " ").replacingOccurrences(of: "\n", with: " ") }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
