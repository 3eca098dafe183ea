import MicrodataReaders

/// A design column (strata, PSUs, second-stage units) coded once: each row's code into `labels`, which are
/// distinct and numbered in order of first appearance.
public struct CodedLabels: Sendable {
    public internal(set) var codes: [Int32]
    public internal(set) var labels: [String]

    /// Codes equal strings alike.
    public init(_ values: [String]) {
        var index: [String: Int32] = [:]
        codes = values.map { v in
            if let c = index[v] { return c }
            let c = Int32(index.count)
            index[v] = c
            return c
        }
        labels = [String](repeating: "", count: index.count)
        for (v, c) in index { labels[Int(c)] = v }
    }

    /// Codes the first `rows` values of `column` by value (small whole numbers without hashing); labels as
    /// `Column.text(at:)` writes them.
    ///
    /// - Throws: ``WeightingError/missingDesignValue(column:row:)`` naming `name` at the first missing value.
    public init(_ column: Column, name: String, rows: Int) throws {
        var coder = ValueCoder()
        codes = coder.codes(column, rows)
        if let r = codes.firstIndex(of: -1) { throw WeightingError.missingDesignValue(column: name, row: r + 1) }
        labels = coder.labels
    }
}
