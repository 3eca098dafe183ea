import Foundation

/// A file format a ``Publication`` can be written in.
public enum OutputFormat: String, Sendable, CaseIterable, Codable {
    case csv, json, markdown, xlsx, html, text

    /// The usual file extension.
    public var fileExtension: String {
        switch self {
        case .markdown: return "md"
        case .text: return "txt"
        default: return rawValue
        }
    }

    /// The formats of a full report (`--output-dir`): every format but plain text.
    public static let reportFormats: [OutputFormat] = [.csv, .json, .markdown, .xlsx, .html]
}

/// An error writing output.
public struct WriteError: Error, Hashable, CustomStringConvertible {
    public var path: String
    public var message: String

    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    public var description: String { "\(path): \(message)" }
}

extension Publication {
    /// The publication rendered as text in a text format (`csv`, `json`, `markdown`, `html`, `text`).
    public func rendered(as format: OutputFormat) throws -> String {
        switch format {
        case .csv: return csv()
        case .json: return try json()
        case .markdown: return markdown()
        case .html: return html()
        case .text: return text()
        case .xlsx: throw WriteError(path: "-", message: "XLSX is a binary format; write it to a file")
        }
    }

    /// Writes the publication in `format` to the file `output`, or to standard output when it is `nil`.
    ///
    /// - Throws: `WriteError` for XLSX without a file, and what ``write(to:format:)`` throws.
    public func write(format: OutputFormat, to output: String?) throws {
        if format == .xlsx {
            guard let output else { throw WriteError(path: "-", message: "XLSX is a binary format: give --output FILE") }
            try write(to: URL(fileURLWithPath: output), format: .xlsx)
        } else {
            try OutputFile.write(try rendered(as: format), to: output)
            if format == .csv, let output { try writeCSVMetadata(besideCSV: output) }
        }
    }

    /// Writes the title, source and notes beside a CSV (CSVW, ``Presentation/csvMetadataPath(for:)``), never as
    /// a comment line in it.
    public func writeCSVMetadata(besideCSV path: String) throws {
        try OutputFile.write(
            try csvMetadata(csvFileName: URL(fileURLWithPath: path).lastPathComponent), to: Presentation.csvMetadataPath(for: path))
    }

    /// Writes the publication to `url` in `format`, whole or not at all (see ``OutputFile``).
    ///
    /// - Throws: ``OutputError`` naming the path when the file cannot be written (a read-only folder, say),
    ///   or `WriteError` when libxlsxwriter fails.
    public func write(to url: URL, format: OutputFormat) throws {
        let file = try OutputFile(path: url.path)
        if format == .xlsx {
            try file.withFilePath { try writeXLSX(toPath: $0, displayPath: url.path) }
        } else {
            try file.write(try rendered(as: format))
        }
        try file.commit()
        if format == .csv { try writeCSVMetadata(besideCSV: url.path) }
    }
}
