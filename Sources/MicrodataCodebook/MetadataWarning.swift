/// A warning about a codebook's metadata, from a DDI file (``CodebookWarning``) or an SPSS, Stata or SAS
/// file, in one form for `inspect`.
public struct MetadataWarning: Sendable, Hashable, CustomStringConvertible {
    /// The kind, as the source names it (`overlappingPositions`, say).
    public var kind: String
    /// The variable concerned, when there is one.
    public var variable: String?
    public var message: String

    public init(kind: String, variable: String?, message: String) {
        self.kind = kind
        self.variable = variable
        self.message = message
    }

    public var description: String { "warning: \(message)" }
}
