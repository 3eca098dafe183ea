import Foundation

/// Splits delimited text (RFC 4180 quoting) into records of fields, for small files such as crosswalks,
/// rules and tables.
///
/// Quoted fields may hold delimiters, doubled quotes and line breaks. The hot path for large data files
/// is the batch reader, not this type.
public struct DelimitedRecords: Sendable {
    /// A record and the 1-based line it starts on.
    public struct Record: Sendable, Hashable {
        public var line: Int
        public var fields: [String]
    }

    public let records: [Record]

    /// Parses `text`.
    ///
    /// - Throws: `ReadError` for an unclosed quote or text after a closing quote, naming `source` and the line.
    public init(text: String, delimiter: UInt8 = UInt8(ascii: ","), source: String = "<text>") throws {
        var records: [Record] = []
        var fields: [String] = []
        var field: [UInt8] = []
        var inQuotes = false
        var afterQuote = false
        var line = 1
        var recordLine = 1
        var bytes = Array(text.utf8)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        var i = 0
        func endField() {
            fields.append(String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
            afterQuote = false
        }
        while i < bytes.count {
            let b = bytes[i]
            if inQuotes {
                if b == UInt8(ascii: "\"") {
                    if i + 1 < bytes.count, bytes[i + 1] == UInt8(ascii: "\"") {
                        field.append(b)
                        i += 1
                    } else {
                        inQuotes = false
                        afterQuote = true
                    }
                } else {
                    if b == UInt8(ascii: "\n") { line += 1 }
                    field.append(b)
                }
            } else if b == delimiter {
                endField()
            } else if b == UInt8(ascii: "\n") || b == UInt8(ascii: "\r") {
                if b == UInt8(ascii: "\r"), i + 1 < bytes.count, bytes[i + 1] == UInt8(ascii: "\n") { i += 1 }
                endField()
                if !(fields.count == 1 && fields[0].isEmpty) {
                    records.append(Record(line: recordLine, fields: fields))
                }
                fields.removeAll()
                line += 1
                recordLine = line
            } else if b == UInt8(ascii: "\"") && field.isEmpty && !afterQuote {
                inQuotes = true
            } else if afterQuote {
                throw ReadError(
                    message: "expected a delimiter after a closing quote, found '\(Character(Unicode.Scalar(b)))'",
                    file: source, line: line)
            } else {
                field.append(b)
            }
            i += 1
        }
        if inQuotes {
            throw ReadError(message: "unclosed quote in a field starting on this line", file: source, line: recordLine)
        }
        if !field.isEmpty || !fields.isEmpty || afterQuote {
            endField()
            records.append(Record(line: recordLine, fields: fields))
        }
        self.records = records
    }

    /// Reads and parses the file at `url`.
    public init(contentsOf url: URL, delimiter: UInt8 = UInt8(ascii: ",")) throws {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw ReadError(message: "cannot read the file: \(error.localizedDescription)", file: url.path)
        }
        try self.init(text: String(decoding: data, as: UTF8.self), delimiter: delimiter, source: url.path)
    }
}
