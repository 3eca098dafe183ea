import Foundation
import MicrodataReaders

/// What ``Pooler/plan(_:spec:)`` decided: the output columns, the rows kept, and the report.
public struct PoolPlan {
    let inputs: [PoolInput]
    let spec: PoolSpec
    /// The periods, rows dropped per period, and the design flags.
    public let report: PoolReport
    let columns: [(name: String, kind: Pooler.ValueKind)]
    /// Per input, per data row: whether the row is written.
    let keep: [[Bool]]
    /// The period labels in the order first met (a row's label index points here).
    let labels: [String]
    /// The number of periods (the divisor of `--period-weights equal`).
    public let periodCount: Int

    /// The pooled rows: each input read again, its kept rows with `period`, `pool_weight` and `pool_stratum` added.
    public func source() -> PooledSource { PooledSource(plan: self) }
}

/// The second pass of a pool: a ``BatchSource`` over the kept rows of every input, in input order.
///
/// Every batch has the same columns: the inputs' columns (renamed; with ``PoolSpec/union`` those a file lacks are
/// missing), each with one storage for all inputs (integer and real make real, numbers and text make text), then
/// `period` (unless it is the period column itself), `pool_weight` and `pool_stratum`.
public struct PooledSource: BatchSource {
    let plan: PoolPlan
    var input = 0
    var current: (any BatchSource)?
    var row = 0

    init(plan: PoolPlan) { self.plan = plan }

    public mutating func nextBatch() throws -> Batch? {
        while input < plan.inputs.count {
            let file = plan.inputs[input].path
            if current == nil {
                current = try plan.inputs[input].open()
                row = 0
            }
            guard let raw = try current!.nextBatch() else {
                guard row == plan.keep[input].count else { throw LinkError("changed while it was read", file: file) }
                current = nil
                input += 1
                continue
            }
            let batch = try plan.spec.renames.apply(raw, file: file)
            let n = batch.rowCount
            guard row + n <= plan.keep[input].count else { throw LinkError("changed while it was read", file: file) }
            var rows: [Int32] = []
            for r in 0..<n where plan.keep[input][row + r] { rows.append(Int32(r)) }
            row += n
            if rows.isEmpty { continue }
            return try pooled(batch, rows: rows)
        }
        return nil
    }

    /// The kept `rows` of `batch` in the output columns, with the added columns.
    func pooled(_ batch: Batch, rows: [Int32]) throws -> Batch {
        let spec = plan.spec
        var columns = plan.columns.map { name, kind -> Column in
            guard let c = batch.column(named: name) else {
                return Column(name: name, storage: .integer([], missing: [])).converted(to: kind).missingLike(count: rows.count)  // lacking (union)
            }
            return c.gather(rows, name: name).converted(to: kind)
        }
        let weight = batch.column(named: spec.weight)!
        let strata = spec.strata.flatMap { batch.column(named: $0) }
        var labels: [String]
        var periodIsData = false
        switch spec.periods {
        case .labels(let given):
            labels = [String](repeating: given[input], count: rows.count)
        case .column(let name):
            let c = batch.column(named: name)!
            labels = rows.map { c.text(at: Int($0))! }
            periodIsData = name.lowercased() == PoolSpec.periodColumn
        }
        if !periodIsData {
            if plan.labels.allSatisfy({ Int64($0) != nil }) {
                columns.append(Column(name: PoolSpec.periodColumn,
                                      storage: .integer(labels.map { Int64($0)! }, missing: [Bool](repeating: false, count: rows.count))))
            } else {
                columns.append(Column(name: PoolSpec.periodColumn, storage: .text(labels)))
            }
        }
        let divisor = spec.periodWeights == .equal ? Double(plan.periodCount) : 1
        columns.append(Column(name: PoolSpec.weightColumn, storage: .real(rows.map { weight.double(at: Int($0))! / divisor })))
        let stratumLabels = rows.indices.map { i -> String? in
            guard let strata else { return labels[i] }
            return labels[i] + ":" + strata.text(at: Int(rows[i]))!
        }
        columns.append(Column(name: PoolSpec.stratumColumn, storage: .text(stratumLabels)))
        return Batch(columns: columns, rowCount: rows.count)
    }
}

extension Column {
    /// This column in `kind` of storage: integers as reals, or numbers as their text.
    func converted(to kind: Pooler.ValueKind) -> Column {
        guard Pooler.ValueKind(self) < kind else { return self }
        if kind == .real { return Column(name: name, storage: .real(doubles)) }
        return Column(name: name, storage: .text((0..<count).map { text(at: $0) }))
    }
}
