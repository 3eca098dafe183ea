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
    let status: KeyIndex
    /// Per status id: (full status 1-7 or 0, reduced status 1-5).
    let statusMap: [(Int, Int)]
    /// Per unit id and slot (0-6 full, 7-11 reduced, 12 simplified): the ONS cell is a reported quirk.
    let quirk: [[Bool]]
    let approximate: Bool
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
        switch spec.method {
        case .full:
            let keys = ns.statusInput.keys.sorted()
            status = KeyIndex(codes: keys, sentinels: options.missingCodes)
            statusMap = keys.map { (ns.statusInput[$0]!.full ?? 0, ns.statusInput[$0]!.reduced) }
        case .reduced:
            status = KeyIndex(codes: ["1", "2", "3", "4", "5"], sentinels: options.missingCodes)
            statusMap = (1...5).map { (0, $0) }
        case .simplified:
            status = KeyIndex(codes: [])
            statusMap = []
        }
        let quirkCells = Set(table.quirks.map { "\($0.socCode)|\($0.method)|\($0.status)" })
        quirk = unitCodes.map { unit in
            (0..<13).map { slot in
                let key = slot < 7 ? "\(unit)|full|\(slot + 1)" : slot < 12 ? "\(unit)|reduced|\(slot - 6)" : "\(unit)|simplified|"
                return quirkCells.contains(key)
            }
        }
        approximate = table.isApproximate
        audit.socVariable = spec.socVariable
        audit.statusVariable = spec.statusVariable
        audit.scheme = spec.scheme
        audit.requestedMethod = spec.method.rawValue
        audit.prefix = prefix
        audit.source = table.note
        audit.approximate = table.isApproximate
        audit.tableQuirks = table.quirks
    }

    mutating func apply(_ batch: Batch, firstOfRecord: [Bool]? = nil, options: HarmoniseOptions, weights: [Double]?) throws -> Batch {
        let soc = try Harmoniser.column(spec.socVariable, in: batch)
        let statusColumn = try spec.method == .simplified ? nil : spec.statusVariable.map { try Harmoniser.column($0, in: batch) }
        let n = batch.rowCount
        var op = [String?](repeating: nil, count: n), c8 = op, c5 = op, c3 = op, method = op
        let quality = approximate ? "approximate" : "official"
        for r in 0..<n {
            // Rows a split made from one record count once, on the record's first (modal) row.
            let one = firstOfRecord.map { $0[r] ? 1 : 0 } ?? 1
            audit.records += one
            let u = units.id(soc, r)
            if u == KeyIndex.missing { audit.missing += one; continue }
            if u == KeyIndex.unknown { audit.notInSourceScheme[soc.text(at: r) ?? "", default: 0] += one; continue }
            if Int(u) >= units.codeCount { audit.sentinels[units.keys[Int(u)], default: 0] += one; continue }
            var full = 0, reduced = 0
            if let statusColumn {
                let s = status.id(statusColumn, r)
                if s >= 0, Int(s) < status.codeCount {
                    (full, reduced) = statusMap[Int(s)]
                } else if s == KeyIndex.unknown {
                    audit.unknownStatus[statusColumn.text(at: r) ?? "", default: 0] += one
                }
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
                let w = weights?[r] ?? 1
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
        var result = batch
        for (suffix, values) in [("op", op), ("class8", c8), ("class5", c5), ("class3", c3), ("method", method)] {
            try Harmoniser.append(Column(name: "\(prefix)_\(suffix)", storage: .text(values)), to: &result)
        }
        let q = op.map { $0 == nil ? nil : quality }
        try Harmoniser.append(Column(name: "\(prefix)_quality", storage: .text(q)), to: &result)
        return result
    }
}
