import MicrodataReaders

/// A qualification step ready to run.
struct CompiledEducation: Sendable {
    let spec: EducationSpec
    let prefix: String
    let quals: KeyIndex
    /// Per input id: qualification code (after the optional crosswalk to QUAL), or nil when unmapped.
    let qualCode: [String?]
    /// Per input id, everything a record needs, resolved once (no per-row lookups or string building).
    struct Resolved: Sendable {
        var nations: [Bool]  // by Nation.allCases order
        var framework: [String?]  // by nation slot, 4 = unknown
        var level: QualificationTable.Level?
        var basisLabel: String?
        var basisDependent: Bool
    }
    let resolved: [Resolved?]
    let table: QualificationTable
    let nations: NationCodes
    let nationIndex: KeyIndex
    let nationOf: [Nation]
    static let slot: [Nation: Int] = Dictionary(uniqueKeysWithValues: Nation.allCases.enumerated().map { ($1, $0) })
    var audit = HarmoniseAudit.Education()

    init(_ spec: EducationSpec, registry: CrosswalkRegistry, options: HarmoniseOptions) throws {
        guard let table = registry.qualifications else { throw HarmoniseError("no qualification table is loaded") }
        guard QualificationTable.scales.contains(spec.to) else {
            throw HarmoniseError("--education target \(spec.to) is not one of \(QualificationTable.scales.joined(separator: ", "))")
        }
        self.spec = spec
        self.table = table
        nations = registry.nations
        let known = registry.nations.codes.sorted { $0.key < $1.key }
        nationIndex = KeyIndex(codes: known.map(\.key))
        nationOf = known.map(\.value)
        prefix = spec.prefix ?? spec.qualificationVariable
        let own = table.qualifications.map(\.code)
        if spec.from == "QUAL" {
            quals = KeyIndex(codes: own, sentinels: options.missingCodes)
            qualCode = own
            audit.source = "qualification_levels_long.csv"
        } else {
            guard let cw = registry.crosswalk(from: spec.from, to: "QUAL") else {
                throw HarmoniseError("no crosswalk from \(spec.from) to QUAL: add one to a crosswalk folder")
            }
            quals = KeyIndex(codes: cw.sourceCodes, sentinels: options.missingCodes)
            qualCode = cw.sourceCodes.map { cw.distribution(of: $0, basis: cw.bases.isEmpty ? nil : 0)?.first?.target }
            audit.source = "\(cw.name) then qualification_levels_long.csv"
        }
        resolved = qualCode.map { code in
            guard let code, let q = table.qualification(code) else { return nil }
            let level = table.level(code, scale: spec.to, basis: spec.basis)
            return Resolved(
                nations: Nation.allCases.map { q.nations.contains($0) },
                framework: Nation.allCases.map { table.frameworkLevel(code, nation: $0) } + [table.frameworkLevel(code, nation: nil)],
                level: level,
                basisLabel: level.map { $0.basis == "both" ? "agreed" : $0.basis == "framework" ? "framework comparison" : "survey convention" },
                basisDependent: (q.levels[spec.to] ?? []).count > 1)
        }
        audit.qualificationVariable = spec.qualificationVariable
        audit.nationVariable = spec.nationVariable
        audit.nationTable = registry.nationsSource
        audit.from = spec.from
        audit.to = spec.to
        audit.basis = spec.basis.rawValue
        audit.prefix = prefix
    }

    mutating func apply(_ batch: Batch, firstOfRecord: [Bool]? = nil, options: HarmoniseOptions) throws -> Batch {
        let q = try Harmoniser.column(spec.qualificationVariable, in: batch)
        let nationColumn = try spec.nationVariable.map { try Harmoniser.column($0, in: batch) }
        let n = batch.rowCount
        var value = [String?](repeating: nil, count: n), framework = value, nationOut = value, basis = value, confidence = value
        // Counters per nation slot (0-3 = Nation.allCases, 4 = unknown), folded into the audit after the batch.
        var summaries = [HarmoniseAudit.NationSummary](repeating: HarmoniseAudit.NationSummary(), count: 5)
        var byQualification = [[Int]](repeating: [Int](repeating: 0, count: qualCode.count), count: 5)
        defer {
            for (slot, s) in summaries.enumerated() where s.records > 0 {
                let key = slot < 4 ? Nation.allCases[slot].rawValue : "unknown"
                var total = audit.byNation[key] ?? HarmoniseAudit.NationSummary()
                total.records += s.records
                total.mapped += s.mapped
                total.missing += s.missing
                total.notInSourceScheme += s.notInSourceScheme
                total.noLevel += s.noLevel
                total.outsideNation += s.outsideNation
                total.basisDependent += s.basisDependent
                total.needsVerification += s.needsVerification
                for (id, count) in byQualification[slot].enumerated() where count > 0 {
                    total.byQualification[qualCode[id] ?? quals.keys[id], default: 0] += count
                }
                audit.byNation[key] = total
            }
        }
        for r in 0..<n {
            // Rows a split made from one record count once, on the record's first (modal) row.
            let one = firstOfRecord.map { $0[r] ? 1 : 0 } ?? 1
            audit.records += one
            var nation: Nation? = nil
            if let nationColumn {
                let id = nationIndex.id(nationColumn, r)
                if id >= 0 {
                    nation = nationOf[Int(id)]
                } else if id == KeyIndex.unknown, let text = nationColumn.text(at: r) {
                    nation = nations.nation(text)
                    if nation == nil { audit.unknownNation[text, default: 0] += one }
                }
            }
            let slot = nation.map { Self.slot[$0]! } ?? 4
            nationOut[r] = nation?.rawValue
            summaries[slot].records += one
            let id = quals.id(q, r)
            if id == KeyIndex.missing { summaries[slot].missing += one; continue }
            if id == KeyIndex.unknown {
                summaries[slot].notInSourceScheme += one
                audit.notInSourceScheme[q.text(at: r) ?? "", default: 0] += one
                continue
            }
            if Int(id) >= quals.codeCount {
                summaries[slot].missing += one
                audit.sentinels[quals.keys[Int(id)], default: 0] += one
                continue
            }
            guard let code = qualCode[Int(id)], let qual = resolved[Int(id)] else {
                summaries[slot].notInSourceScheme += one
                audit.notInSourceScheme[quals.keys[Int(id)], default: 0] += one
                continue
            }
            if slot < 4, !qual.nations[slot] { summaries[slot].outsideNation += one }
            framework[r] = qual.framework[slot]
            guard let level = qual.level else {
                summaries[slot].noLevel += one
                audit.noLevel[code, default: 0] += one
                continue
            }
            summaries[slot].mapped += one
            byQualification[slot][Int(id)] += one
            if qual.basisDependent { summaries[slot].basisDependent += one }
            if level.confidence == "verify" || level.confidence == "low" { summaries[slot].needsVerification += one }
            value[r] = level.value
            basis[r] = qual.basisLabel
            confidence[r] = level.confidence
        }
        var result = batch
        let columns: [(String, [String?])] = [
            ("\(prefix)_\(spec.to)", value), ("\(prefix)_framework", framework), ("\(prefix)_nation", nationOut),
            ("\(prefix)_\(spec.to)_basis", basis), ("\(prefix)_\(spec.to)_confidence", confidence),
        ]
        for (name, values) in columns { try Harmoniser.append(Column(name: name, storage: .text(values)), to: &result) }
        return result
    }
}
