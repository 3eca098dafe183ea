import MicrodataReaders

/// A ``BatchSource`` that marks the rows of a subpopulation: each batch gains a column
/// ``SubpopulationSource/column`` holding 1 where the expression is true and 0 elsewhere, for
/// `EstimationOptions.subpopulation`. Rows are never dropped, so the design keeps every unit.
public struct SubpopulationSource: BatchSource {
    /// The name of the added column.
    public static let column = "__subpop"

    var base: any BatchSource
    public let expression: RowExpression
    /// Rows read, and rows inside the subpopulation.
    public private(set) var rows = 0
    public private(set) var inside = 0

    public init(_ base: any BatchSource, expression: RowExpression) {
        self.base = base
        self.expression = expression
    }

    public mutating func nextBatch() throws -> Batch? {
        guard let batch = try base.nextBatch() else { return nil }
        let marked = try Self.mark(batch, expression)
        rows += batch.rowCount
        inside += marked.columns.last!.doubles.lazy.filter { $0 == 1 }.count
        return marked
    }

    /// `batch` with the ``column`` of `expression` added.
    public static func mark(_ batch: Batch, _ expression: RowExpression) throws -> Batch {
        let keep = try expression.select(batch)
        var mark = [Double](repeating: 0, count: batch.rowCount)
        for i in keep.indices where keep[i] { mark[i] = 1 }
        var out = batch
        out.columns.append(Column(name: Self.column, storage: .real(mark)))
        return out
    }

    public var statistics: ReadStatistics { base.statistics }
}
