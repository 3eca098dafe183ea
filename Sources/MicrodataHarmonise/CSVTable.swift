import Foundation
import MicrodataReaders

/// A small CSV file with a header row, its columns found by name.
struct CSVTable {
    let file: String
    let header: [String]
    let rows: [DelimitedRecords.Record]

    init(url: URL) throws {
        let parsed: DelimitedRecords
        do { parsed = try DelimitedRecords(contentsOf: url) } catch let e as ReadError {
            throw HarmoniseError(e.message, file: e.file, line: e.line)
        }
        try self.init(parsed, file: url.path)
    }

    /// Parses bytes already read (and checksummed) from `url`, so what is parsed is what was verified.
    init(data: Data, url: URL) throws {
        let parsed: DelimitedRecords
        do {
            parsed = try DelimitedRecords(text: String(decoding: data, as: UTF8.self), source: url.path)
        } catch let e as ReadError {
            throw HarmoniseError(e.message, file: e.file, line: e.line)
        }
        try self.init(parsed, file: url.path)
    }

    private init(_ parsed: DelimitedRecords, file: String) throws {
        guard let first = parsed.records.first else { throw HarmoniseError("the file is empty", file: file) }
        self.file = file
        header = first.fields.map { $0.trimmingCharacters(in: .whitespaces) }
        rows = Array(parsed.records.dropFirst())
        for row in rows where row.fields.count != header.count {
            throw HarmoniseError(
                "expected \(header.count) fields as in the header, found \(row.fields.count)", file: file, line: row.line)
        }
    }

    /// The index of column `name`.
    func column(_ name: String) throws -> Int {
        guard let i = header.firstIndex(of: name) else {
            throw HarmoniseError("no column '\(name)' in the header (\(header.joined(separator: ",")))", file: file)
        }
        return i
    }
}
