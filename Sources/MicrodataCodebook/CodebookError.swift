/// Why a codebook could not be read, with where it happened.
///
/// One error type for every failure of the parser: unreadable files, malformed or truncated XML, documents that
/// declare a DOCTYPE (refused so that no entity or DTD is ever expanded or loaded), and XML that is not a codebook.
public struct CodebookError: Error, Sendable, Hashable, CustomStringConvertible {
    enum Code: String, Sendable, Hashable {
        case unreadable, malformed, forbiddenDoctype, notACodebook, limitExceeded
    }

    let code: Code
    /// The file path or source description given to the parser.
    public let file: String
    /// 1-based line of the problem, when known.
    public let line: Int?
    /// 1-based column of the problem, when known.
    public let column: Int?
    /// What went wrong, in words.
    public let message: String

    init(_ code: Code, file: String, line: Int? = nil, column: Int? = nil, message: String) {
        self.code = code
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    /// The kind of failure: `unreadable`, `malformed`, `forbiddenDoctype`, `notACodebook` or `limitExceeded`
    /// (a ``DDILimits`` cap).
    public var kind: String { code.rawValue }

    public var description: String {
        var place = file
        if let line {
            place += ":\(line)"
            if let column, column > 0 { place += ":\(column)" }
        }
        return "\(place): \(message)"
    }
}
