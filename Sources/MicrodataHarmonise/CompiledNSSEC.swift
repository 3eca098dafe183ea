import MicrodataReaders

/// An NS-SEC derivation ready to run: per unit group, the category index for every method and status.
struct CompiledNSSEC: Sendable {
    let spec: NSSECSpec
    let prefix: String
    let units: KeyIndex
    /// Per unit id: 7 full, 5 reduced, 1 simplified category ids (-1 none) and their shares.
    let cells: [[Int32]]
    let cellShares: [[Double]]
    /// Category id → (op category, 8-class, 5-class, 3-class).
    let categories: [NSSECClasses]
    /// The status variables (one per role of the coding), their code indexes and, per code id, its key id.
    let statusVariables: [String]
    let statusIndexes: [KeyIndex]
    let statusKeyIds: [[Int]]
    /// Per combination of key ids (role 0 slowest, id count = unknown): (full status 1-7 or 0, reduced 1-5 or 0).
    let statusTable: [(Int, Int)]
    let statusRadix: [Int]
    /// Per unit id and slot (0-6 full, 7-11 reduced, 12 simplified): the ONS cell is a reported quirk.
    let quirk: [[Bool]]
    let approximate: Bool
    let quality: String
    /// For one version of a coalesced SOC column: the scheme column and the scheme whose rows this step derives.
    var rowScheme: (column: String, scheme: String)?
    var audit = HarmoniseAudit.NSSEC()

    init(_ spec: NSSECSpec, registry: CrosswalkRegistry, options: HarmoniseOptions) throws {
        guard let ns = registry.nssec else { throw HarmoniseError("no NS-SEC tables are loaded") }
        guard let table = ns.tables[spec.scheme] else {
            throw HarmoniseError("no NS-SEC table for \(spec.scheme) (have: \(ns.tables.keys.sorted().joined(separator: ", ")))")
        }
        self.spec = spec
        prefix = spec.prefix ?? "\(spec.socVariable)_nssec"
        let unitCodes = Array(Set(table.full.keys).union(table.simplified.keys)).sorted()
        units = KeyIndex(codes: unitCodes, sentinels: options.missingCodes)
        var categoryIds: [String: Int32] = [:]
        var categories: [NSSECClasses] = []
        func id(_ cell: NSSECTable.Cell?) throws -> Int32 {
            guard let cell else { return -1 }
            if let i = categoryIds[cell.operationalCategory] { return i }
            guard let c = ns.classes(of: cell.operationalCategory) else {
                throw HarmoniseError("operational category \(cell.operationalCategory) has no class collapse")
            }
            var named = c
            named.operationalCategory = cell.operationalCategory
            categoryIds[cell.operationalCategory] = Int32(categories.count)
            categories.append(named)
            return Int32(categories.count - 1)
        }
        var cells: [[Int32]] = []
        var shares: [[Double]] = []
        for unit in unitCodes {
            let list = (table.full[unit] ?? Array(repeating: nil, count: 7)) + (table.reduced[unit] ?? Array(repeating: nil, count: 5))
                + [table.simplified[unit]]
            cells.append(try list.map(id))
            shares.append(list.map { $0?.share ?? 1 })
        }
        self.cells = cells
        cellShares = shares
        self.categories = categories
        if spec.method == .simplified || spec.statusVariable == nil {
            statusVariables = []; statusIndexes = []; statusKeyIds = []; statusTable = []; statusRadix = []
        } else {
            let reference = spec.statusCoding ?? NSSECStatusReference(
                variable: spec.statusVariable!, coding: spec.method == .reduced ? "ONS-REDUCED" : "MICRODATA")
            let coding = try reference.resolve(in: ns)
            let variables = reference.roleVariables(coding)
            try Self.checkLabels(coding, variables: variables, labels: options.valueLabels)
            statusVariables = variables
            var indexes: [KeyIndex] = [], keyIds: [[Int]] = [], keyNames: [[String]] = []
            for codes in coding.codes {
                var names: [String] = []
                for c in codes where !names.contains(c.key) { names.append(c.key) }
                indexes.append(KeyIndex(codes: codes.map(\.code), sentinels: options.missingCodes))
                keyIds.append(codes.map { names.firstIndex(of: $0.key)! })
                keyNames.append(names)
            }
            statusIndexes = indexes
            statusKeyIds = keyIds
            statusRadix = keyNames.map { $0.count + 1 }
            // Every combination, unknown keys included, resolved once by the coding's rules.
            var table: [(Int, Int)] = []
            let total = statusRadix.reduce(1, *)
            for packed in 0..<total {
                var rest = packed
                var keys = [String?](repeating: nil, count: keyNames.count)
                for role in (0..<keyNames.count).reversed() {
                    let k = rest % statusRadix[role]
                    rest /= statusRadix[role]
                    keys[role] = k < keyNames[role].count ? keyNames[role][k] : nil
                }
                let s = coding.status(keys: keys)
                // The reduced method never uses a full status, even when the coding gives one.
                table.append((spec.method == .reduced ? 0 : s?.full ?? 0, s?.reduced ?? 0))
            }
            statusTable = table
            audit.statusCoding = "\(reference.description): \(coding.source)"
            audit.statusVariables = variables
            audit.labelsChecked = variables.filter { options.valueLabels[$0.lowercased()] != nil }
        }
        let quirkCells = Set(table.quirks.map { "\($0.socCode)|\($0.method)|\($0.status)" })
        quirk = unitCodes.map { unit in
            (0..<13).map { slot in
                let key = slot < 7 ? "\(unit)|full|\(slot + 1)" : slot < 12 ? "\(unit)|reduced|\(slot - 6)" : "\(unit)|simplified|"
                return quirkCells.contains(key)
            }
        }
        approximate = table.isApproximate
        quality = table.quality
        audit.socVariable = spec.socVariable
        audit.statusVariable = spec.statusVariable
        audit.scheme = spec.scheme
        audit.requestedMethod = spec.method.rawValue
        audit.prefix = prefix
        audit.source = table.note
        audit.quality = table.quality
        audit.approximate = table.isApproximate
        audit.tableQuirks = table.quirks
    }

    /// Refuses a status variable whose codebook labels do not fit the coding named for it.
    static func checkLabels(_ coding: NSSECStatusCoding, variables: [String], labels: [String: [String: String]]) throws {
        for (variable, codes) in zip(variables, coding.codes) {
            guard let found = labels[variable.lowercased()] else { continue }
            for code in codes {
                let label = found[code.code] ?? found.first { Double($0.key) != nil && Double($0.key) == Double(code.code) }?.value
                guard let label, !NSSECStatusCoding.label(label, matches: code.match) else { continue }
                throw HarmoniseError(
                    "status code \(code.code) is labelled '\(label)' in the codebook, but coding \(coding.name) expects "
                        + "'\(code.label)'; " + NSSECSpec.codingRequired(variables[0]),
                    variable: variable)
            }
        }
    }

    /// Runs `steps` (one, or one per version of a coalesced column, each on its own rows) and appends their
    /// merged columns once.
    static func apply(_ steps: inout [CompiledNSSEC], to batch: Batch, firstOfRecord: [Bool]?, options: HarmoniseOptions)
        throws -> Batch
    {
        var merged: [[String?]] = Array(repeating: [String?](repeating: nil, count: batch.rowCount), count: 6)
        for i in steps.indices {
            let values = try steps[i].derive(batch, firstOfRecord: firstOfRecord, options: options)
            for (k, column) in values.enumerated() {
                for r in column.indices where column[r] != nil { merged[k][r] = column[r] }
            }
        }
        var result = batch
        let prefix = steps[0].prefix
        for (suffix, values) in zip(["op", "class8", "class5", "class3", "method", "quality"], merged) {
            try Harmoniser.append(Column(name: "\(prefix)_\(suffix)", storage: .text(values)), to: &result)
        }
        return result
    }

    /// One step alone, as ``apply(_:to:firstOfRecord:options:)``.
    mutating func apply(_ batch: Batch, firstOfRecord: [Bool]? = nil, options: HarmoniseOptions) throws -> Batch {
        var steps = [self]
        defer { self = steps[0] }
        return try Self.apply(&steps, to: batch, firstOfRecord: firstOfRecord, options: options)
    }

    /// The op, class8, class5, class3, method and quality values of the rows this step derives.
    mutating func derive(_ batch: Batch, firstOfRecord: [Bool]?, options: HarmoniseOptions) throws -> [[String?]] {
        let soc = try Harmoniser.column(spec.socVariable, in: batch)
        let versions = try rowScheme.map { try Harmoniser.column($0.column, in: batch) }
        let statusColumns = try statusVariables.map { try Harmoniser.column($0, in: batch) }
        let weightColumn = try options.weightVariable.map { try Harmoniser.column($0, in: batch) }
        let n = batch.rowCount
        var op = [String?](repeating: nil, count: n), c8 = op, c5 = op, c3 = op, method = op
        for r in 0..<n {
            // Rows a split made from one record count once, on the record's first (modal) row.
            let one = firstOfRecord.map { $0[r] ? 1 : 0 } ?? 1
            if let versions, versions.text(at: r) != rowScheme?.scheme { continue }
            audit.records += one
            let u = units.id(soc, r)
            if u == KeyIndex.missing { audit.missing += one; continue }
            if u == KeyIndex.unknown { audit.notInSourceScheme[soc.text(at: r) ?? "", default: 0] += one; continue }
            if Int(u) >= units.codeCount { audit.sentinels[units.keys[Int(u)], default: 0] += one; continue }
            var full = 0, reduced = 0
            if !statusColumns.isEmpty {
                var packed = 0
                for (role, column) in statusColumns.enumerated() {
                    let s = statusIndexes[role].id(column, r)
                    var k = statusRadix[role] - 1
                    if s >= 0, Int(s) < statusIndexes[role].codeCount {
                        k = statusKeyIds[role][Int(s)]
                    } else if s == KeyIndex.unknown {
                        let text = column.text(at: r) ?? ""
                        audit.unknownStatus[role == 0 ? text : "\(statusVariables[role])=\(text)", default: 0] += one
                    }
                    packed = packed * statusRadix[role] + k
                }
                (full, reduced) = statusTable[packed]
            }
            let row = cells[Int(u)]
            var used: NSSECMethod = .simplified
            var slot = 12
            if full > 0, row[full - 1] >= 0 {
                used = .full; slot = full - 1
            } else if reduced > 0, row[7 + reduced - 1] >= 0 {
                used = .reduced; slot = 7 + reduced - 1
            }
            let cat = row[slot]
            guard cat >= 0 else { audit.notInSourceScheme[soc.text(at: r) ?? "", default: 0] += one; continue }
            audit.derived += one
            audit.methodUsed[used.rawValue, default: 0] += one
            if used != spec.method { audit.fallbacks["\(spec.method.rawValue)→\(used.rawValue)", default: 0] += one }
            if quirk[Int(u)][slot] { audit.quirkRecords += one }
            if approximate {
                let w = Harmoniser.weight(weightColumn, r)
                audit.approximateWeight += w
                audit.nonModalWeight += w * (1 - cellShares[Int(u)][slot])
            }
            let c = categories[Int(cat)]
            op[r] = c.operationalCategory
            c8[r] = c.class8
            c5[r] = c.class5
            c3[r] = c.class3
            method[r] = used.rawValue
        }
        let q = op.map { $0 == nil ? nil : quality }
        return [op, c8, c5, c3, method, q]
    }
}
