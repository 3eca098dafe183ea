/// An error loading a crosswalk or harmonising data, naming the file, line, variable or code at fault.
public struct HarmoniseError: Error, Hashable, CustomStringConvertible {
    public var message: String
    /// The file (crosswalk, manifest or data) the error is in.
    public var file: String?
    /// The 1-based line of `file`, or the 1-based record of the data.
    public var line: Int?
    /// The variable or column involved.
    public var variable: String?

    public init(_ message: String, file: String? = nil, line: Int? = nil, variable: String? = nil) {
        self.message = message
        self.file = file
        self.line = line
        self.variable = variable
    }

    public var description: String {
        var parts: [String] = []
        if let file { parts.append(file) }
        if let line { parts.append("line \(line)") }
        if let variable { parts.append("variable \(variable)") }
        return parts.isEmpty ? message : parts.joined(separator: ", ") + ": " + message
    }
}
