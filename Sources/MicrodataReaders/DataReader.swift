import Foundation
import MicrodataCodebook

/// Opens a data file as a stream of batches.
public enum DataReader {
    /// Opens `data` for reading.
    ///
    /// With a codebook whose variables have positions, the file is read as fixed-width (flat or
    /// hierarchical); otherwise as delimited text with a header row (CSV, or TSV when the header has tabs),
    /// with types inferred when there is no codebook. gzip is detected by its magic bytes.
    ///
    /// - Throws: `ReadError` naming the file, line, variable and what was found.
    public static func open(data: URL, codebook: Codebook?, options: ReadOptions = ReadOptions()) throws
        -> any BatchSource
    {
        // The readers module fills this in; until then nothing can be read.
        throw ReadError(message: "reading is not built yet", file: data.path)
    }
}

/// An error reading data.
public struct ReadError: Error, Hashable, CustomStringConvertible {
    public var message: String
    public var file: String
    public var line: Int?
    public var variable: String?

    public init(message: String, file: String, line: Int? = nil, variable: String? = nil) {
        self.message = message
        self.file = file
        self.line = line
        self.variable = variable
    }

    public var description: String {
        var parts = [file]
        if let line { parts.append("line \(line)") }
        if let variable { parts.append("variable \(variable)") }
        return parts.joined(separator: ", ") + ": " + message
    }
}
