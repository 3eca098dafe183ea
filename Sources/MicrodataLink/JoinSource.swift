import MicrodataReaders

/// A left-streaming join: a ``BatchSource`` whose batches are the left's with the right's columns added.
///
/// The right side is read whole and hashed when the first left batch arrives (its key types must agree with
/// the left's); the left streams through, a batch at a time. Chain joins by making one `JoinSource` the left
/// of the next. ``step`` holds the audit counts, complete once ``nextBatch()`` has returned `nil`.
///
/// Left duplicate keys are counted by 64-bit hash of the key value (memory of 8 bytes per distinct left key).
public struct JoinSource: BatchSource {
    var left: any BatchSource
    var rightSource: any BatchSource
    var right: RightSide?
    let spec: LinkStep
    let auditBy: [String]
    /// The left side's name in messages: its file, or "the linked data" after a join.
    let leftName: String
    var nonNumericKeys = 0
    /// The audit of this join (and `earlier`: the steps of joins on the left, in order).
    public private(set) var step: LinkAudit.Step
    var outputNames: [String] = []
    /// Each right column as written: its output name, its name on the right (or the aggregate that made it).
    var origins: [ColumnOrigin] = []
    var rightMatched: [Bool] = []
    var leftKeysSeen = Set<Int>()
    var levelCounts: [[String: (rows: Int, matched: Int)]]
    var lastLeftColumns: [Column] = []
    var leftKeyIndices: [Int] = []
    var oneToManyRows = 0
    var finished = false
    /// Receives ``step`` when the left side is exhausted.
    public var log: LinkAuditLog?

    /// Prepares a join of `left` with `right` (read whole on the first ``nextBatch()``).
    ///
    /// - Parameter auditBy: left variables whose levels get match rates in the audit.
    /// - Parameter leftName: the left file, for messages (default: the linked data of an earlier join, or
    ///   "the left data").
    public init(left: any BatchSource, right: any BatchSource, step: LinkStep, auditBy: [String] = [],
                leftName: String? = nil) throws {
        guard !step.keys.isEmpty, step.keys.count == step.rightKeys.count else {
            throw LinkError("give as many right keys (\(step.rightKeys.count)) as keys (\(step.keys.count))", file: step.path)
        }
        self.left = left
        self.rightSource = right
        self.spec = step
        self.auditBy = auditBy
        self.leftName = leftName ?? (left is JoinSource ? "the linked data" : "the left data")
        self.step = LinkAudit.Step(with: step.path, keys: step.keys, rightKeys: step.rightKeys, how: step.how)
        levelCounts = Array(repeating: [:], count: auditBy.count)
    }

    /// The right columns of this join and of every join on its left, per step in order.
    var stepOrigins: [[ColumnOrigin]] {
        ((left as? JoinSource)?.stepOrigins ?? []) + [origins]
    }

    /// The audit steps of this join and of every join on its left, in order.
    public var steps: [LinkAudit.Step] {
        ((left as? JoinSource)?.steps ?? []) + [step]
    }

    public var statistics: ReadStatistics { left.statistics }

    public mutating func nextBatch() throws -> Batch? {
        if finished { return nil }
        guard let batch = try left.nextBatch() else {
            finished = true
            return try finish()
        }
        if right == nil { try prepare(batch) }
        let r = right!
        let n = batch.rowCount
        let keyColumns = try spec.keys.map { try batch.requiredColumn($0, file: leftName, role: "key") }
        let parts = zip(keyColumns, r.keyTypes).map { $0.keyParts(as: $1) }
        nonNumericKeys += zip(keyColumns, r.keyTypes).reduce(0) { $0 + ($1.1 == .number ? $1.0.nonNumericTexts : 0) }
        var match = [Int32](repeating: -1, count: n)
        var key: LinkKey = []
        rowLoop: for i in 0..<n {
            key.removeAll(keepingCapacity: true)
            for p in parts {
                guard let v = p[i] else {
                    step.left.missingKeys += 1
                    continue rowLoop
                }
                key.append(v)
            }
            if !leftKeysSeen.insert(key.hashValue).inserted { step.left.duplicateKeys += 1 }
            guard let k = r.index[key] else { continue }
            rightMatched[Int(k)] = true
            if r.keyRows[Int(k)] > 1 && spec.aggregates.isEmpty && spec.duplicates == .error {
                oneToManyRows += 1
            }
            match[i] = r.keyRow[Int(k)]
        }
        step.left.rows += n
        let matched = match.lazy.filter { $0 >= 0 }.count
        step.left.matched += matched
        // An --audit-by variable counts in the steps whose left side has it (a chain adds columns as it goes).
        for (v, name) in auditBy.enumerated() {
            guard let c = batch.column(named: name) else { continue }
            // Counted per distinct value; a level's label (a String) is made once per batch.
            var byValue: [Double: (rows: Int, matched: Int)] = [:]
            var byText: [String?: (rows: Int, matched: Int)] = [:]
            if c.isNumeric {
                let x = c.doubles
                for i in 0..<n {
                    let value = x[i].isNaN ? .infinity : x[i]  // missing
                    byValue[value, default: (0, 0)].rows += 1
                    if match[i] >= 0 { byValue[value]!.matched += 1 }
                }
                for (x, counts) in byValue {
                    byText[x == .infinity ? nil : Column(name: "", storage: .real([x])).text(at: 0), default: (0, 0)] = counts
                }
            } else if case .text(let t) = c.storage {
                for i in 0..<n {
                    byText[t[i], default: (0, 0)].rows += 1
                    if match[i] >= 0 { byText[t[i]]!.matched += 1 }
                }
            }
            for (label, counts) in byText {
                let level = label ?? "missing"
                let old = levelCounts[v][level] ?? (0, 0)
                levelCounts[v][level] = (old.rows + counts.rows, old.matched + counts.matched)
            }
        }
        lastLeftColumns = batch.columns
        var out = Batch(columns: batch.columns, rowCount: n)
        if spec.how == .inner && matched < n {
            let rows = match.indices.filter { match[$0] >= 0 }.map { Int32($0) }
            out.columns = out.columns.map { $0.gather(rows, name: $0.name) }
            out.rowCount = rows.count
            match = rows.map { match[Int($0)] }
        }
        for (k, (c, name)) in zip(r.columns, outputNames).enumerated() {
            var column = c.gather(match, name: name)
            // A count over no rows is 0, also for left rows with no right rows at all.
            if k < spec.aggregates.count, spec.aggregates[k].function == .count,
                case .integer(let v, _) = column.storage
            {
                column.storage = .integer(v, missing: [Bool](repeating: false, count: v.count))
            }
            out.columns.append(column)
        }
        step.outputRows += out.rowCount
        return out
    }

    /// Reads and indexes the right side with key types agreed against the left's first batch.
    mutating func prepare(_ batch: Batch) throws {
        var side = try RightSide(source: &rightSource, step: spec)
        var types: [KeyType] = []
        for (k, name) in spec.keys.enumerated() {
            let l = try batch.requiredColumn(name, file: leftName, role: "key")
            let r = side.keyColumns[k]
            if let forced = spec.keyType {
                types.append(forced)
            } else if l.isNumeric == r.isNumeric {
                types.append(l.isNumeric ? .number : .string)
            } else {
                throw LinkError(
                    "key \(l.name) is \(l.isNumeric ? "numeric" : "text") in \(leftName) but \(r.name) is "
                        + "\(r.isNumeric ? "numeric" : "text") in \(spec.path); give --key-type string or number", file: spec.path)
            }
        }
        try side.build(keyTypes: types)
        var taken = Set(batch.columns.map { $0.name.lowercased() })
        for c in side.columns {
            var name = c.name
            if taken.contains(name.lowercased()) {
                name = "\(c.name)_\(spec.stem)"
                var k = 2
                while taken.contains(name.lowercased()) {
                    name = "\(c.name)_\(spec.stem)\(k)"
                    k += 1
                }
                step.renamed[c.name] = name
            }
            taken.insert(name.lowercased())
            outputNames.append(name)
        }
        origins = zip(side.columns, outputNames).enumerated().map { k, pair in
            ColumnOrigin(output: pair.1, original: pair.0.name, aggregate: spec.aggregates.isEmpty ? nil : spec.aggregates[k])
        }
        rightMatched = [Bool](repeating: false, count: side.keyRow.count)
        step.right = side.counts
        leftKeyIndices = spec.keys.map { name in batch.columns.firstIndex { $0.name.lowercased() == name.lowercased() }! }
        right = side
    }

    /// After the left's last batch: the one-to-many error, the counts, and for a full join the right rows no
    /// left row matched.
    mutating func finish() throws -> Batch? {
        defer { log?.record(step) }
        guard let r = right else {
            throw LinkError("the left data has no rows", file: leftName == "the left data" ? nil : leftName)
        }
        if oneToManyRows > 0 || (spec.aggregates.isEmpty && spec.duplicates == .error && !r.duplicated.isEmpty) {
            let dup = r.duplicated
            let first = dup[0]
            let example = first.key.map(\.display).joined(separator: ", ")
            throw LinkError(
                "\(dup.count) key value\(dup.count == 1 ? " is" : "s are") on several rows, e.g. \(example) on data rows "
                    + first.examples.map(String.init).joined(separator: ", ") + (first.rows > first.examples.count ? ", …" : "")
                    + "; \(oneToManyRows) left row\(oneToManyRows == 1 ? " matches" : "s match") several right rows. A one-to-many "
                    + "join needs --aggregate 'NAME=FUN(VAR)' (or --duplicates first|last to keep one row)", file: spec.path)
        }
        for k in rightMatched.indices where rightMatched[k] { step.right.matched += r.keyRows[k] }
        step.right.unmatched = step.right.rows - step.right.matched
        step.left.unmatched = step.left.rows - step.left.matched
        if nonNumericKeys > 0 {
            step.warnings.append("\(nonNumericKeys) left key values are not numbers (--key-type number): counted as missing keys")
        }
        step.warnings += r.warnings
        step.matchRateBy = Dictionary(uniqueKeysWithValues: auditBy.enumerated().filter { !levelCounts[$0.0].isEmpty }.map { (v, name) in
            (name, levelCounts[v].sorted { $0.key < $1.key }.map { level, c in
                LinkAudit.Level(level: level, rows: c.rows, matched: c.matched,
                                rate: c.rows == 0 ? 0 : Double(c.matched) / Double(c.rows))
            })
        })
        guard spec.how == .full else { return nil }
        let unmatched = rightMatched.indices.filter { !rightMatched[$0] }
        if unmatched.isEmpty { return nil }
        let rows = unmatched.map { r.keyRow[$0] }
        var columns = lastLeftColumns.map { $0.missingLike(count: rows.count) }
        for (k, li) in leftKeyIndices.enumerated() {
            let values = unmatched.map { r.keyValues[$0][k] }
            let name = columns[li].name
            switch columns[li].storage {
            case .text:
                columns[li] = Column(name: name, storage: .text(values.map { v -> String? in
                    if case .text(let s) = v { return s }
                    if case .number(let x) = v { return KeyPart.number(x).display }
                    return nil
                }))
            case .integer, .real:
                columns[li] = Column(name: name, storage: .real(values.map { v in
                    switch v {
                    case .number(let x): x
                    case .text(let s): Double(s) ?? .nan
                    }
                }))
            }
        }
        for (c, name) in zip(r.columns, outputNames) { columns.append(c.gather(rows, name: name)) }
        step.outputRows += rows.count
        return Batch(columns: columns, rowCount: rows.count)
    }
}
