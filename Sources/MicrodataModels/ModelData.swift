import Foundation
import MicrodataReaders

/// The columns a model reads, held in memory (a model needs every row at each IRLS iteration).
public struct ModelData: Sendable {
    public private(set) var columns: [String: Column] = [:]
    public private(set) var rowCount = 0
    /// Column names in file order.
    public private(set) var names: [String] = []

    public init() {}

    /// Reads every batch of `source`, keeping the columns named in `variables` (case-insensitively; `nil`: all).
    public init(source: any BatchSource, variables: [String]? = nil) throws {
        var source = source
        let wanted = variables.map { Set($0.map { $0.lowercased() }) }
        var parts: [String: [Column]] = [:]
        while let batch = try source.nextBatch() {
            for c in batch.columns where wanted?.contains(c.name.lowercased()) ?? true {
                if parts[c.name] == nil { names.append(c.name) }
                parts[c.name, default: []].append(c)
            }
            rowCount += batch.rowCount
        }
        for (name, list) in parts { columns[name] = ModelData.concatenate(name, list) }
    }

    /// Data from whole columns (all of the same length).
    public init(columns list: [Column]) {
        for c in list { columns[c.name] = c }
        names = list.map(\.name)
        rowCount = list.first?.count ?? 0
    }

    /// The columns as one batch, for ``RowExpression`` evaluation.
    public var batch: Batch { Batch(columns: names.map { columns[$0]! }, rowCount: rowCount) }

    /// The column called `name`, matched exactly, then case-insensitively.
    public func column(_ name: String) -> Column? {
        columns[name] ?? columns.first { $0.key.lowercased() == name.lowercased() }?.value
    }

    static func concatenate(_ name: String, _ list: [Column]) -> Column {
        if list.count == 1 { return list[0] }
        if list.allSatisfy({ if case .text = $0.storage { return true } else { return false } }) {
            var all: [String?] = []
            for c in list { if case .text(let v) = c.storage { all += v } }
            return Column(name: name, storage: .text(all))
        }
        if list.contains(where: { if case .text = $0.storage { return true } else { return false } }) {
            return Column(name: name, storage: .text(list.flatMap { c in (0..<c.count).map { c.text(at: $0) } }))
        }
        // Numbers are written once into the joined column (no converted copy of each batch).
        let total = list.reduce(0) { $0 + $1.count }
        let all = HugePages.array(count: total) { (out: UnsafeMutableBufferPointer<Double>) in
            var at = 0
            for c in list {
                switch c.storage {
                case .real(let v):
                    for i in v.indices { out[at + i] = v[i] }
                case .integer(let v, let missing):
                    for i in v.indices { out[at + i] = missing[i] ? .nan : Double(v[i]) }
                case .text:
                    preconditionFailure("text batches are joined as text")
                }
                at += c.count
            }
        }
        return Column(name: name, storage: .real(all))
    }
}
