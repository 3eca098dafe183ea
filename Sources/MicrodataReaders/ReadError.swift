/// An error reading data: names the file, the line (and record type), the variable and its byte columns,
/// and the text found.
public struct ReadError: Error, Hashable, CustomStringConvertible {
    public var message: String
    public var file: String
    /// The 1-based physical line of the file.
    public var line: Int?
    public var variable: String?
    /// The record type of the line, for hierarchical files.
    public var recordType: String?
    /// The 1-based inclusive byte columns of the field (fixed-width) or the 1-based field number (delimited).
    public var columns: ClosedRange<Int>?
    /// The text found where something else was expected.
    public var found: String?

    public init(
        message: String, file: String, line: Int? = nil, variable: String? = nil, recordType: String? = nil,
        columns: ClosedRange<Int>? = nil, found: String? = nil
    ) {
        self.message = message
        self.file = file
        self.line = line
        self.variable = variable
        self.recordType = recordType
        self.columns = columns
        self.found = found
    }

    public var description: String {
        var parts = [file]
        if let line {
            parts.append(recordType.map { "line \(line) (record type \($0))" } ?? "line \(line)")
        }
        if let variable {
            if let columns {
                let span = columns.count == 1 ? "byte \(columns.lowerBound)" : "bytes \(columns.lowerBound)-\(columns.upperBound)"
                parts.append("variable \(variable) (\(span))")
            } else {
                parts.append("variable \(variable)")
            }
        }
        var text = parts.joined(separator: ", ") + ": " + message
        if let found { text += ", found \"\(found)\"" }
        return text
    }
}
