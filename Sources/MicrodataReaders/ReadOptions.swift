/// What to read from a data file and how.
public struct ReadOptions: Sendable, Hashable {
    /// Variables to read, by name (case-insensitive); `nil` reads all. Record-type and key variables of a
    /// hierarchical file are always added.
    public var variables: [String]?
    /// Rows per batch.
    public var batchSize: Int
    /// Keep the codebook's missing codes as values instead of turning them into missing.
    public var keepRawMissing: Bool
    /// Make an unknown record type an error instead of a counted, reported skip.
    public var strict: Bool
    /// Read only this record type of a hierarchical file.
    public var recordType: String?
    /// Stop after this many rows.
    public var limit: Int?

    public init(
        variables: [String]? = nil, batchSize: Int = 65_536, keepRawMissing: Bool = false, strict: Bool = false,
        recordType: String? = nil, limit: Int? = nil
    ) {
        self.variables = variables
        self.batchSize = batchSize
        self.keepRawMissing = keepRawMissing
        self.strict = strict
        self.recordType = recordType
        self.limit = limit
    }
}
