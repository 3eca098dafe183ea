/// A block of rows in columnar form, as the readers stream them.
///
/// Readers hand out batches of a bounded number of rows, so a file larger than memory is processed in
/// flat memory. The weighting layer accumulates over batches in one pass.
public struct Batch: Sendable {
    /// The columns, in the order they were asked for (record-type and key variables included).
    public var columns: [Column]
    /// The number of rows in every column.
    public var rowCount: Int
    /// For hierarchical files read in long shape: the record type of each row; empty otherwise.
    public var recordTypes: [String]
    /// For hierarchical files read per record type: the record type of every row in this batch.
    public var recordType: String?

    public init(columns: [Column], rowCount: Int, recordTypes: [String] = [], recordType: String? = nil) {
        self.columns = columns
        self.rowCount = rowCount
        self.recordTypes = recordTypes
        self.recordType = recordType
    }

    /// The column with this name, matched case-insensitively.
    public func column(named name: String) -> Column? {
        if let exact = columns.first(where: { $0.name == name }) { return exact }
        let lower = name.lowercased()
        return columns.first { $0.name.lowercased() == lower }
    }
}
