import Foundation

/// A file format a ``Publication`` can be written in.
public enum OutputFormat: String, Sendable, CaseIterable, Codable {
    case csv, json, markdown, xlsx, html

    /// The usual file extension.
    public var fileExtension: String {
        self == .markdown ? "md" : rawValue
    }
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
    /// The publication rendered as text in a text format (`csv`, `json`, `markdown`, `html`).
    public func rendered(as format: OutputFormat) throws -> String {
        switch format {
        case .csv: return csv()
        case .json: return try json()
        case .markdown: return markdown()
        case .html: return html()
        case .xlsx: throw WriteError(path: "-", message: "XLSX is a binary format; write it to a file")
        }
    }

    /// Writes the publication to `url` in `format`, whole or not at all (see ``OutputFile``); a CSV gets its
    /// metadata beside it (``Presentation/csvMetadataPath(for:)``).
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
        if format == .csv {  // title, source and notes beside the CSV (CSVW), never as a comment line in it
            try OutputFile.write(try csvMetadata(csvFileName: url.lastPathComponent), to: Presentation.csvMetadataPath(for: url.path))
        }
    }
}
