/// An error reading an SPSS, Stata or SAS file: names the file, and where known the byte offset reached and
/// the row being read.
public struct StatFileError: Error, Hashable, CustomStringConvertible {
    /// What went wrong.
    public enum Kind: String, Sendable, Hashable {
        /// The file is not a format ReadStat reads (by magic bytes and extension).
        case notAStatFile
        /// The file could not be opened.
        case open
        /// The file ends before the data it declares (a short read).
        case truncated
        /// The file's structure is invalid.
        case corrupt
        /// A compression, encoding or format version ReadStat does not support.
        case unsupported
        /// Text could not be converted to UTF-8 from the file's encoding.
        case encoding
        /// A variable asked for is not in the file.
        case unknownVariable
    }

    public var kind: Kind
    /// What ReadStat or the reader reported.
    public var message: String
    /// The path of the file read.
    public var file: String
    /// Where the error lies, in bytes from the start (never past ``fileSize``): for a file that ended early
    /// (``Kind/truncated``) the end of the bytes read; otherwise the start of the last successful read, which
    /// holds the bytes rejected. Seeks (ReadStat seeks to the end to learn the size) do not count.
    public var byteOffset: Int?
    /// The file's size in bytes.
    public var fileSize: Int?
    /// The 1-based row (case) being read, when the error came after the first data value was read.
    public var row: Int?
    /// The variable concerned, if any.
    public var variable: String?

    public init(
        kind: Kind, message: String, file: String, byteOffset: Int? = nil, fileSize: Int? = nil, row: Int? = nil,
        variable: String? = nil
    ) {
        self.kind = kind
        self.message = message
        self.file = file
        self.byteOffset = byteOffset
        self.fileSize = fileSize
        self.row = row
        self.variable = variable
    }

    public var description: String {
        var parts = [file]
        if let row { parts.append("row \(row)") }
        if let byteOffset {
            parts.append(fileSize.map { "byte offset \(byteOffset) of \($0)" } ?? "byte offset \(byteOffset)")
        }
        if let variable { parts.append("variable \(variable)") }
        return parts.joined(separator: ", ") + ": " + message
    }
}
