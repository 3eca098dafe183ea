/// An error linking files: names the file, and the key, value and rows involved where there are some.
public struct LinkError: Error, Hashable, CustomStringConvertible {
    public var message: String
    /// The file the error is about.
    public var file: String?

    public init(_ message: String, file: String? = nil) {
        self.message = message
        self.file = file
    }

    public var description: String { file.map { "\($0): \(message)" } ?? message }
}
