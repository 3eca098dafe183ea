/// An error writing a .dta or .sav file.
public struct StatFileWriteError: Error, Hashable, CustomStringConvertible {
    public var message: String
    /// The variable concerned, if any.
    public var variable: String?
    public var format: StatFileWriter.Format?

    public init(_ message: String, variable: String? = nil, format: StatFileWriter.Format? = nil) {
        self.message = message
        self.variable = variable
        self.format = format
    }

    public var description: String {
        (format.map { "writing .\($0.rawValue): " } ?? "") + (variable.map { "variable \($0): " } ?? "") + message
    }
}
