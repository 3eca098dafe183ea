/// A stream of ``Batch`` values from one data file.
///
/// Every reader (fixed-width, hierarchical, delimited, plain or gzip) is a `BatchSource`. Call
/// ``nextBatch()`` until it returns `nil`; an error is thrown at the first bad record and no partial
/// result is returned as if complete.
public protocol BatchSource {
    /// The next batch of at most the configured number of rows, or `nil` at the end of the data.
    mutating func nextBatch() throws -> Batch?
    /// What the read has done so far (complete once ``nextBatch()`` has returned `nil`).
    var statistics: ReadStatistics { get }
}

extension BatchSource {
    public var statistics: ReadStatistics { ReadStatistics() }
}
