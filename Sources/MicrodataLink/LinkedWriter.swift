import Foundation
import MicrodataReaders

/// Writes batches as CSV, TSV or JSON Lines: missing values are empty fields (CSV/TSV) or `null` (JSONL);
/// numbers are written without a trailing `.0`.
public struct LinkedWriter {
    public enum Format: String, Sendable, CaseIterable {
        case csv, tsv, jsonl
    }

    let format: Format
    let handle: FileHandle
    var names: [String]?
    var buffer = ""
    public private(set) var rows = 0

    /// Opens `path` for writing (replacing it).
    public init(path: String, format: Format) throws {
        guard FileManager.default.createFile(atPath: path, contents: nil), let h = FileHandle(forWritingAtPath: path) else {
            throw LinkError("cannot create the output file", file: path)
        }
        self.format = format
        handle = h
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
            case .jsonl:
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
            if buffer.utf8.count > 1 << 20 { flush() }
        }
        rows += batch.rowCount
    }

    /// Flushes and closes the file.
    public mutating func close() throws {
        if names == nil, format != .jsonl { buffer = "" }
        flush()
        try handle.close()
    }

    mutating func flush() {
        handle.write(Data(buffer.utf8))
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
