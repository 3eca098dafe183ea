extension ReadOptions {
    /// Most cells (rows × selected columns) one batch holds: a file with 100,000 selected variables gets batches
    /// of 41 rows instead of 65,536, so memory follows the cells read rather than columns × `batchSize`.
    public static let batchCellBudget = 1 << 22

    /// The rows per batch for `columns` selected columns: `batchSize`, fewer when the batch would pass
    /// ``batchCellBudget`` cells, and at least 1.
    public func rowsPerBatch(columns: Int) -> Int {
        max(1, min(batchSize, Self.batchCellBudget / max(1, columns)))
    }
}
