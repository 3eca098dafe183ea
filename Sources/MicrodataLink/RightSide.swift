import MicrodataReaders

/// The right side of a join, read whole and hashed by key value (memory proportional to it).
///
/// Without aggregates each key value keeps one row (duplicates per ``DuplicatePolicy``); with aggregates
/// the rows of each key value collapse to one row of aggregate columns.
struct RightSide {
    let step: LinkStep
    /// The output columns (right non-key columns, or the aggregates), one row per kept row or key value.
    var columns: [Column] = []
    /// The key columns as read, for full joins.
    var keyColumns: [Column] = []
    var rowCount = 0
    /// Key value → index of its key.
    var index: [LinkKey: Int32] = [:]
    /// Per key: the row written (the output row of `columns`), the number of rows, and the first rows seen.
    var keyRow: [Int32] = []
    var keyRows: [Int] = []
    var keyExamples: [[Int]] = []
    var keyValues: [LinkKey] = []
    var keyTypes: [KeyType] = []
    var counts = LinkAudit.Side()
    var warnings: [String] = []

    /// Reads `source` to the end and indexes it. Key types are fixed later by ``setKeyTypes(_:)``.
    init(source: inout any BatchSource, step: LinkStep) throws {
        self.step = step
        var table: [Column] = []
        while let b = try source.nextBatch() {
            table = table.isEmpty ? b.columns : zip(table, b.columns).map { $0.appending($1) }
            rowCount += b.rowCount
        }
        if table.isEmpty {
            throw LinkError("the right file has no rows", file: step.path)
        }
        let batch = Batch(columns: table, rowCount: rowCount)
        keyColumns = try step.rightKeys.map { try batch.requiredColumn($0, file: step.path, role: "key") }
        let keyNames = Set(keyColumns.map { $0.name.lowercased() })
        if step.aggregates.isEmpty {
            columns = table.filter { !keyNames.contains($0.name.lowercased()) }
        } else {
            for a in step.aggregates {
                let c = try batch.requiredColumn(a.variable, file: step.path, role: "aggregate variable")
                if !c.isNumeric && a.function != .first && a.function != .count {
                    throw LinkError(
                        "\(a.function.rawValue)(\(a.variable)) needs a numeric variable; \(c.name) is text "
                            + "(use first or count, or declare it numeric in the codebook)", file: step.path)
                }
            }
        }
        table.removeAll()
        source = EmptySource()
        aggregateBatch = step.aggregates.isEmpty ? nil : batch
    }

    /// The whole right table, kept until aggregation.
    private var aggregateBatch: Batch?

    /// Fixes each key's comparison type and builds the index (and the aggregates).
    mutating func build(keyTypes: [KeyType]) throws {
        self.keyTypes = keyTypes
        let parts = zip(keyColumns, keyTypes).map { $0.keyParts(as: $1) }
        let nonNumeric = zip(keyColumns, keyTypes).reduce(0) { $0 + ($1.1 == .number ? $1.0.nonNumericTexts : 0) }
        if nonNumeric > 0 {
            warnings.append("\(nonNumeric) right key values are not numbers (--key-type number): counted as missing keys")
        }
        counts.rows = rowCount
        var rowKey = [Int32](repeating: -1, count: rowCount)
        rowLoop: for r in 0..<rowCount {
            var key: LinkKey = []
            key.reserveCapacity(parts.count)
            for p in parts {
                guard let v = p[r] else {
                    counts.missingKeys += 1
                    continue rowLoop
                }
                key.append(v)
            }
            if let k = index[key] {
                counts.duplicateKeys += 1
                keyRows[Int(k)] += 1
                if keyExamples[Int(k)].count < 5 { keyExamples[Int(k)].append(r + 1) }
                if step.duplicates == .last { keyRow[Int(k)] = Int32(r) }
                rowKey[r] = k
            } else {
                let k = Int32(keyRow.count)
                index[key] = k
                keyRow.append(Int32(r))
                keyRows.append(1)
                keyExamples.append([r + 1])
                keyValues.append(key)
                rowKey[r] = k
            }
        }
        if let batch = aggregateBatch {
            columns = try step.aggregates.map { try aggregate($0, batch: batch, rowKey: rowKey) }
            keyRow = keyRow.indices.map { Int32($0) }
            aggregateBatch = nil
        }
    }

    /// Key values on several rows, with their rows (1-based data rows), for the duplicate error.
    var duplicated: [(key: LinkKey, rows: Int, examples: [Int])] {
        keyRows.indices.filter { keyRows[$0] > 1 }.map { (keyValues[$0], keyRows[$0], keyExamples[$0]) }
    }

    func aggregate(_ a: Aggregate, batch: Batch, rowKey: [Int32]) throws -> Column {
        let groups = keyRow.count
        let column = batch.column(named: a.variable)!
        let keep: [Bool]
        do {
            keep = try a.condition?.select(batch) ?? [Bool](repeating: true, count: rowCount)
        } catch {
            throw LinkError("--aggregate \(a.name): \(error)", file: step.path)
        }
        if a.function == .first {
            var chosen = [Int32](repeating: -1, count: groups)
            for r in 0..<rowCount where keep[r] && rowKey[r] >= 0 && chosen[Int(rowKey[r])] < 0 {
                if column.text(at: r) != nil || column.isNumeric && column.double(at: r) != nil {
                    chosen[Int(rowKey[r])] = Int32(r)
                }
            }
            return column.gather(chosen, name: a.name)
        }
        var n = [Int](repeating: 0, count: groups)
        if a.function == .count, !column.isNumeric, case .text(let v) = column.storage {
            for r in 0..<rowCount where keep[r] && rowKey[r] >= 0 && v[r] != nil { n[Int(rowKey[r])] += 1 }
            return Column(name: a.name, storage: .integer(n.map(Int64.init), missing: [Bool](repeating: false, count: groups)))
        }
        let x = column.doubles
        var acc = [Double](repeating: .nan, count: groups)
        for r in 0..<rowCount where keep[r] && rowKey[r] >= 0 && !x[r].isNaN {
            let g = Int(rowKey[r])
            let v = x[r]
            n[g] += 1
            let old = acc[g]
            switch a.function {
            case .sum, .mean: acc[g] = old.isNaN ? v : old + v
            case .min: acc[g] = old.isNaN ? v : Swift.min(old, v)
            case .max: acc[g] = old.isNaN ? v : Swift.max(old, v)
            case .any: acc[g] = (old == 1 || v != 0) ? 1 : 0
            case .all: acc[g] = (old.isNaN || old == 1) && v != 0 ? 1 : 0
            case .count, .first: break
            }
        }
        switch a.function {
        case .count:
            return Column(name: a.name, storage: .integer(n.map(Int64.init), missing: [Bool](repeating: false, count: groups)))
        case .mean:
            for g in 0..<groups where n[g] > 0 { acc[g] /= Double(n[g]) }
        default: break
        }
        return Column(name: a.name, storage: .real(acc))
    }
}

/// A source with no rows.
struct EmptySource: BatchSource {
    mutating func nextBatch() throws -> Batch? { nil }
}
