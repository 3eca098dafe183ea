import Foundation
import MicrodataReaders
import MicrodataWrite

/// The output formats of `microdata harmonise`.
public enum HarmoniseOutputFormat: String, Sendable, CaseIterable { case csv, tsv, jsonl }

/// Writes the harmonised batches as CSV, TSV or JSON lines, buffered; a file is replaced whole when `close`
/// succeeds. Integers and whole reals are written as digits, other reals in their shortest round-trip form,
/// missing as empty (CSV, TSV) or `null` (JSON lines).
public struct HarmonisedWriter {
    let file: OutputFile
    let format: HarmoniseOutputFormat
    var buffer: [UInt8] = []
    var header: [String]?

    /// A writer to `path`, or to standard output when it is `nil`.
    public init(path: String?, format: HarmoniseOutputFormat) throws {
        file = try OutputFile(path: path)
        self.format = format
        buffer.reserveCapacity(1 << 20)
    }

    /// Appends the rows of `batch`; the first batch's column names are the header.
    ///
    /// - Throws: ``HarmoniseError`` when the columns differ from the first batch's, and what the file throws.
    public mutating func write(_ batch: Batch) throws {
        let names = batch.columns.map(\.name)
        if header == nil {
            header = names
            if format != .jsonl {
                for (i, n) in names.enumerated() {
                    if i > 0 { buffer.append(format == .tsv ? 9 : 44) }
                    field(n)
                }
                buffer.append(10)
            }
        } else if header! != names {
            throw HarmoniseError("the columns changed between batches")
        }
        for r in 0..<batch.rowCount {
            if format == .jsonl { buffer.append(UInt8(ascii: "{")) }
            for (i, column) in batch.columns.enumerated() {
                if format == .jsonl {
                    if i > 0 { buffer.append(44) }
                    json(column.name)
                    buffer.append(58)
                } else if i > 0 {
                    buffer.append(format == .tsv ? 9 : 44)
                }
                switch column.storage {
                case .integer(let v, let missing):
                    if missing[r] { if format == .jsonl { buffer.append(contentsOf: "null".utf8) } } else { digits(v[r]) }
                case .real(let v):
                    let x = v[r]
                    if x.isNaN {
                        if format == .jsonl { buffer.append(contentsOf: "null".utf8) }
                    } else if x == x.rounded(), abs(x) < 1e15 {
                        digits(Int64(x))
                    } else {
                        buffer.append(contentsOf: x.description.utf8)
                    }
                case .text(let v):
                    if let value = v[r] {
                        if format == .jsonl { json(value) } else { field(value) }
                    } else if format == .jsonl {
                        buffer.append(contentsOf: "null".utf8)
                    }
                }
            }
            if format == .jsonl { buffer.append(UInt8(ascii: "}")) }
            buffer.append(10)
            if buffer.count >= 1 << 20 { try flush() }
        }
    }

    /// Appends `v` in decimal without building a String.
    private mutating func digits(_ v: Int64) {
        if v < 0 { buffer.append(45) }
        var m = v.magnitude
        var tmp: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
            UInt8, UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var n = 0
        withUnsafeMutableBytes(of: &tmp) { p in
            repeat {
                p[n] = UInt8(48 + m % 10)
                m /= 10
                n += 1
            } while m > 0
            for k in stride(from: n - 1, through: 0, by: -1) { buffer.append(p[k]) }
        }
    }

    private mutating func field(_ s: String) {
        // Most fields need no quotes: checked and copied from the String's bytes in place.
        let csv = format == .csv
        let copied = s.utf8.withContiguousStorageIfAvailable { bytes -> Bool in
            if csv && bytes.contains(where: { $0 == 44 || $0 == 34 || $0 == 10 || $0 == 13 }) { return false }
            buffer.append(contentsOf: bytes)
            return true
        }
        if copied == true { return }
        let needsQuotes = csv && s.utf8.contains { $0 == 44 || $0 == 34 || $0 == 10 || $0 == 13 }
        if !needsQuotes { buffer.append(contentsOf: s.utf8); return }
        buffer.append(34)
        for b in s.utf8 {
            if b == 34 { buffer.append(34) }
            buffer.append(b)
        }
        buffer.append(34)
    }

    private mutating func json(_ s: String) {
        buffer.append(34)
        for b in s.utf8 {
            switch b {
            case 34: buffer.append(contentsOf: [92, 34])
            case 92: buffer.append(contentsOf: [92, 92])
            case 10: buffer.append(contentsOf: [92, 110])
            case 0..<32: buffer.append(contentsOf: Array(String(format: "\\u%04x", b).utf8))
            default: buffer.append(b)
            }
        }
        buffer.append(34)
    }

    mutating func flush() throws {
        try file.write(buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    /// Writes what is buffered and commits the file.
    public mutating func close() throws {
        try flush()
        try file.commit()
    }
}
