import Foundation
import MicrodataReaders

extension ClassScheme {
    /// The classes of a `--order` file, highest first: one `code[,label]` record per line, each code once.
    ///
    /// - Throws: `ReadError` naming the file and line for an empty code, a code listed twice (with the line
    ///   it first appeared on) or a file with no classes.
    public static func order(contentsOf url: URL) throws -> [Class] {
        try order(DelimitedRecords(contentsOf: url), source: url.path)
    }

    /// The classes of an order file's text; `source` names it in errors.
    public static func order(text: String, source: String) throws -> [Class] {
        try order(DelimitedRecords(text: text, source: source), source: source)
    }

    private static func order(_ file: DelimitedRecords, source: String) throws -> [Class] {
        var firstLine: [String: Int] = [:]
        var classes: [Class] = []
        for record in file.records {
            let code = record.fields[0].trimmingCharacters(in: .whitespaces)
            guard !code.isEmpty else {
                throw ReadError(message: "a class order line needs a code (code[,label])", file: source, line: record.line)
            }
            if let first = firstLine[code] {
                throw ReadError(
                    message: "class code \(code) is listed twice (first on line \(first)); each class appears once",
                    file: source, line: record.line, found: code)
            }
            firstLine[code] = record.line
            let label = record.fields.count > 1 ? record.fields[1] : code
            classes.append(Class(code: code, label: label.isEmpty ? code : label, tier: classes.count))
        }
        if classes.isEmpty { throw ReadError(message: "the class order file lists no classes", file: source) }
        return classes
    }
}
