import Foundation
import MicrodataCodebook

/// Formats rows as CSV, TSV or JSON lines, as bytes (`microdata extract`): CSV quoted as RFC 4180, TSV with
/// tabs and line breaks inside a value turned into spaces, JSON lines with `null` for missing; with a codebook,
/// value labels in place of codes.
public struct DelimitedRowWriter {
    /// The text formats.
    public enum Format: String, Sendable, CaseIterable { case csv, tsv, jsonl }

    let format: Format
    let codebook: Codebook?
    private var names: [String] = []
    private var labelMaps: [[String: String]] = []

    /// A writer in `format`; with `codebook`, values with a label are written as the label.
    public init(format: Format, labels codebook: Codebook?) {
        self.format = format
        self.codebook = codebook
    }

    /// Appends the header row (none for JSON lines) and remembers the column names.
    public mutating func header(_ columns: [String], into out: inout [UInt8]) {
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
    public func rows(_ batch: Batch, into sink: inout [UInt8]) {
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
        sink.append(contentsOf: out)
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
        case .csv:
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
