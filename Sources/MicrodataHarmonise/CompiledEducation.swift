import Foundation
import MicrodataReaders

/// A qualification step ready to run.
///
/// Each source code resolves once to a distribution over the target scale: the crosswalk to the
/// qualification keys (possibly one-to-many), then each key's level or stated spread of levels
/// (`qualification_level_shares.csv`). A code with several values needs a mode: `modal` keeps the largest
/// share (a tie is reported), `split` turns the record into one row per value with its weights split, `fail`
/// stops at the first such record.
struct CompiledEducation: Sendable {
    let spec: EducationSpec
    let mode: OneToManyMode
    let prefix: String
    /// Whether this step writes the columns shared by every target of one prefix (`_framework`, `_nation`).
    let writesShared: Bool
    let quals: KeyIndex
    /// Per input id: the modal qualification key, or nil when unmapped.
    let qualCode: [String?]
    /// One value of a record on the target scale.
    struct Piece: Sendable {
        var value: String
        var share: Double
        var basisLabel: String
        var confidence: String
    }
    /// Per input id, everything a record needs, resolved once (no per-row lookups or string building).
    struct Resolved: Sendable {
        var nations: [Bool]  // by Nation.allCases order
        var framework: [String?]  // by nation slot, 4 = unknown
        /// Values on the target scale, largest share first; empty when the qualification has no level there.
        var pieces: [Piece]
        var basisDependent: Bool
    }
    let resolved: [Resolved?]
    /// For a crosswalk keyed by value label: label key → input id, for text data holding labels.
    let labelIDs: [String: Int32]
    var labelMemo: [String: Int32] = [:]
    let nations: [String: Nation]
    let nationIndex: KeyIndex
    let nationOf: [Nation]
    static let slot: [Nation: Int] = Dictionary(uniqueKeysWithValues: Nation.allCases.enumerated().map { ($1, $0) })
    /// Label keys of non-response categories, read as missing.
    static let missingLabels: Set<String> = ["dontknow", "didnotknow", "dk", "noanswer", "doesnotapply", "notapplicable"]
    var audit = HarmoniseAudit.Education()

    init(_ spec: EducationSpec, registry: CrosswalkRegistry, options: HarmoniseOptions, prefix: String, writesShared: Bool) throws {
        guard let table = registry.qualifications else { throw HarmoniseError("no qualification table is loaded") }
        guard QualificationTable.scales.contains(spec.to) else {
            throw HarmoniseError("--education target \(spec.to) is not one of \(QualificationTable.scales.joined(separator: ", "))")
        }
        self.spec = spec
        self.prefix = prefix
        self.writesShared = writesShared
        var nationCodes = registry.nations.codes
        if let set = spec.nationCodeSet {
            guard let codes = registry.nations.codeSet(set) else {
                throw HarmoniseError(
                    "nation code set \(set) is not in the nation table (have: \(registry.nations.setNames.joined(separator: ", ")))")
            }
            nationCodes = codes
            audit.nationCodeSet = set
        } else if let v = spec.nationVariable, let codes = registry.nations.codeSet(v) {
            // The set named like the variable, with every other set that shares none of its codes (letters,
            // names, GSS codes), never one that would read its codes differently.
            nationCodes = codes
            for other in registry.nations.setNames.compactMap({ registry.nations.codeSet($0) })
            where other.keys.allSatisfy({ codes[$0] == nil }) {
                nationCodes.merge(other) { a, _ in a }
            }
            audit.nationCodeSet = registry.nations.setNames.first { $0.uppercased() == v.uppercased() || $0.uppercased() == "LFS-" + v.uppercased() }
        }
        nations = nationCodes
        let known = nationCodes.sorted { $0.key < $1.key }
        nationIndex = KeyIndex(codes: known.map(\.key))
        nationOf = known.map(\.value)
        // Source codes and, per code, the qualification keys with their shares.
        var codes: [String] = []
        var keys: [[(String, Double)]?] = []
        var labelIDs: [String: Int32] = [:]
        if spec.from == "QUAL" {
            codes = table.qualifications.map(\.code)
            keys = codes.map { [($0, 1)] }
            audit.source = "qualification_levels_long.csv"
        } else {
            guard let cw = registry.crosswalk(from: spec.from, to: "QUAL") else {
                let have = registry.crosswalks.values.filter { $0.toScheme == "QUAL" }.map(\.fromScheme).sorted()
                throw HarmoniseError(
                    "no crosswalk from \(spec.from) to QUAL (have: \(["QUAL"] + have)); add one to a crosswalk folder",
                    variable: spec.qualificationVariable)
            }
            func dist(_ key: String) -> [(String, Double)]? {
                cw.distribution(of: key, basis: cw.bases.isEmpty ? nil : 0).map { $0.map { ($0.target, $0.share) } }
                    ?? cw.links[key].map { $0.map { ($0.target, 1 / Double($0.count)) } }
            }
            if cw.isKeyedByLabel {
                // The data's codes are read through the codebook's value labels; text data may hold the labels.
                let labels = options.valueLabels[spec.qualificationVariable.lowercased()] ?? [:]
                for (code, label) in labels.sorted(by: { $0.key < $1.key }) {
                    let key = Crosswalk.labelKey(label)
                    if Self.missingLabels.contains(key) { continue }
                    codes.append(code)
                    keys.append(dist(key))
                    if keys.last! == nil { audit.unmatchedLabels[code] = label }
                }
                for key in cw.sourceCodes {
                    labelIDs[key] = Int32(codes.count)
                    codes.append(key)
                    keys.append(dist(key))
                }
                audit.labelSource = labels.isEmpty
                    ? "none in the codebook: values are read as labels" : "\(labels.count) codebook labels of \(spec.qualificationVariable)"
            } else {
                codes = cw.sourceCodes
                keys = codes.map { dist($0) }
            }
            audit.source = "\(cw.name) (\(cw.entry.source); issued \(cw.entry.issued)) then qualification_levels_long.csv"
        }
        var missing = options.missingCodes
        if let labels = options.valueLabels[spec.qualificationVariable.lowercased()] {
            for (code, label) in labels where Self.missingLabels.contains(Crosswalk.labelKey(label)) { missing.insert(code) }
        }
        quals = KeyIndex(codes: codes, sentinels: missing)
        self.labelIDs = labelIDs
        qualCode = keys.map { $0?.max { $0.1 < $1.1 }?.0 }
        let resolved: [Resolved?] = keys.map { list in
            guard let list, let modal = list.first(where: { table.qualification($0.0) != nil }) else { return nil }
            // Combine the crosswalk's shares with each key's spread of levels; equal values merge.
            var order: [String] = []
            var byValue: [String: Piece] = [:]
            var basisDependent = false
            for (key, keyShare) in list {
                guard let q = table.qualification(key) else { continue }
                basisDependent = basisDependent || (q.levels[spec.to] ?? []).contains { $0.basis == "framework" }
                for level in table.distribution(key, scale: spec.to, basis: spec.basis) {
                    let share = keyShare * (level.share ?? 1)
                    if var p = byValue[level.value] {
                        p.share += share
                        byValue[level.value] = p
                    } else {
                        order.append(level.value)
                        let label = level.basis == "both" ? "agreed" : level.basis == "framework" ? "framework comparison" : "survey convention"
                        byValue[level.value] = Piece(value: level.value, share: share, basisLabel: label, confidence: level.confidence)
                    }
                }
            }
            let covered = byValue.values.reduce(0) { $0 + $1.share }
            let pieces = order.enumerated().map { (offset: $0.offset, piece: byValue[$0.element]!) }
                .sorted { $0.piece.share != $1.piece.share ? $0.piece.share > $1.piece.share : $0.offset < $1.offset }
                .map { p -> Piece in
                    var piece = p.piece
                    piece.share /= covered
                    return piece
                }
            let q = table.qualification(modal.0)!
            return Resolved(
                nations: Nation.allCases.map { q.nations.contains($0) },
                framework: Nation.allCases.map { table.frameworkLevel(modal.0, nation: $0) } + [table.frameworkLevel(modal.0, nation: nil)],
                pieces: pieces, basisDependent: basisDependent)
        }
        self.resolved = resolved
        let many = zip(codes, resolved).filter { ($0.1?.pieces.count ?? 0) > 1 }
        if spec.mode == nil, let first = many.first {
            let example = first.1!.pieces.map { "\($0.value) \(String(format: "%.2f", $0.share))" }.joined(separator: ", ")
            throw HarmoniseError(
                "\(spec.from)>\(spec.to) is one-to-many (\(many.count) codes have several \(spec.to) values, e.g. "
                    + "\(qualCode[codes.firstIndex(of: first.0)!] ?? first.0): \(example)): add a mode, "
                    + "'\(spec.qualificationVariable)\(spec.nationVariable.map { ",\($0)" } ?? ""):\(spec.from)>\(spec.to):modal', "
                    + ":split or :fail", variable: spec.qualificationVariable)
        }
        mode = spec.mode ?? .modal
        audit.qualificationVariable = spec.qualificationVariable
        audit.nationVariable = spec.nationVariable
        audit.nationTable = registry.nationsSource
        audit.from = spec.from
        audit.to = spec.to
        audit.basis = spec.basis.rawValue
        audit.mode = mode.rawValue
        audit.prefix = prefix
    }

    /// The output column of the target values.
    var valueColumn: String { "\(prefix)_\(spec.to)" }

    /// The input id of row `r`: a code, a sentinel, ``KeyIndex/missing`` or ``KeyIndex/unknown``; labels in
    /// text data are matched after ``Crosswalk/labelKey(_:)``.
    private mutating func id(_ column: Column, _ r: Int) -> Int32 {
        let id = quals.id(column, r)
        guard id == KeyIndex.unknown, !labelIDs.isEmpty, case .text(let v) = column.storage, let text = v[r] else { return id }
        if let known = labelMemo[text] { return known }
        let key = Crosswalk.labelKey(text)
        let found = Self.missingLabels.contains(key) ? KeyIndex.missing : labelIDs[key] ?? KeyIndex.unknown
        labelMemo[text] = found
        return found
    }

    mutating func apply(_ batch: Batch, firstOfRecord: inout [Bool]?, firstRecord: Int, options: HarmoniseOptions) throws -> Batch {
        let q = try Harmoniser.column(spec.qualificationVariable, in: batch)
        let nationColumn = try spec.nationVariable.map { try Harmoniser.column($0, in: batch) }
        let weightColumn = try options.weightVariable.map { try Harmoniser.column($0, in: batch) }
        let n = batch.rowCount
        var value = [String?](repeating: nil, count: n), framework = value, nationOut = value, basis = value, confidence = value
        // Split bookkeeping: filled only when a row fans out.
        var sourceRows: [Int32] = [], pieceOf: [Int] = [], shares: [Double] = []
        var rowID = [Int32](repeating: -1, count: n)
        var expanded = false
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
                total.oneToMany += s.oneToMany
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
                    nation = nations[text.lowercased()]
                    if nation == nil { audit.unknownNation[text, default: 0] += one }
                }
            }
            let slot = nation.map { Self.slot[$0]! } ?? 4
            nationOut[r] = nation?.rawValue
            summaries[slot].records += one
            var pieces: [Piece] = []
            defer { if expanded { Self.keep(r, pieces, mode: mode, &sourceRows, &pieceOf, &shares) } }
            let id = id(q, r)
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
            guard let first = qual.pieces.first else {
                summaries[slot].noLevel += one
                audit.noLevel[code, default: 0] += one
                continue
            }
            pieces = qual.pieces
            rowID[r] = id
            summaries[slot].mapped += one
            byQualification[slot][Int(id)] += one
            if qual.basisDependent { summaries[slot].basisDependent += one }
            if qual.pieces.contains(where: { ["verify", "low", "assumption"].contains($0.confidence) }) {
                summaries[slot].needsVerification += one
            }
            value[r] = first.value
            basis[r] = first.basisLabel
            confidence[r] = first.confidence
            guard qual.pieces.count > 1 else { continue }
            summaries[slot].oneToMany += one
            let w = Harmoniser.weight(weightColumn, r)
            audit.spreadWeight += w
            audit.nonModalWeight += w * (1 - first.share)
            switch mode {
            case .fail:
                throw HarmoniseError(
                    "code \(quals.keys[Int(id)]) (\(code)) has \(qual.pieces.count) \(spec.to) values "
                        + "(\(qual.pieces.map(\.value).joined(separator: ", "))); use mode modal or split",
                    line: firstRecord + r + 1, variable: spec.qualificationVariable)
            case .modal:
                if let tie = OneToManyMode.tie(code, values: qual.pieces.map(\.value), shares: qual.pieces.map(\.share)) {
                    audit.ties[tie, default: 0] += one
                }
            case .split:
                if !expanded {
                    expanded = true
                    for p in 0..<r { sourceRows.append(Int32(p)); pieceOf.append(-1); shares.append(1) }
                }
                audit.fanOutRows += qual.pieces.count - 1
            }
        }
        var result = batch
        if !expanded {
            var columns: [(String, Column.Storage)] = [(valueColumn, .text(value))]
            if mode == .split { columns.append(("\(valueColumn)_share", .real(value.map { $0 == nil ? .nan : 1 }))) }
            columns += [("\(valueColumn)_basis", .text(basis)), ("\(valueColumn)_confidence", .text(confidence))]
            if writesShared { columns += [("\(prefix)_framework", .text(framework)), ("\(prefix)_nation", .text(nationOut))] }
            for (name, storage) in columns { try Harmoniser.append(Column(name: name, storage: storage), to: &result) }
            return result
        }
        result = try Harmoniser.expand(batch, sourceRows: sourceRows, shares: shares, options: options, firstOfRecord: &firstOfRecord)
        // Each row's piece: its own value, share, basis and confidence; the record's framework and nation.
        var pieceValue: [String?] = [], pieceShare: [Double] = [], pieceBasis: [String?] = [], pieceConfidence: [String?] = []
        for (k, row) in sourceRows.enumerated() {
            let r = Int(row)
            if pieceOf[k] < 0 {
                pieceValue.append(value[r]); pieceShare.append(value[r] == nil ? .nan : 1)
                pieceBasis.append(basis[r]); pieceConfidence.append(confidence[r])
            } else {
                let piece = resolved[Int(rowID[r])]!.pieces[pieceOf[k]]
                pieceValue.append(piece.value); pieceShare.append(piece.share)
                pieceBasis.append(piece.basisLabel); pieceConfidence.append(piece.confidence)
            }
        }
        var columns: [(String, Column.Storage)] = [
            (valueColumn, .text(pieceValue)), ("\(valueColumn)_share", .real(pieceShare)),
            ("\(valueColumn)_basis", .text(pieceBasis)), ("\(valueColumn)_confidence", .text(pieceConfidence)),
        ]
        if writesShared {
            columns += [
                ("\(prefix)_framework", .text(sourceRows.map { framework[Int($0)] })),
                ("\(prefix)_nation", .text(sourceRows.map { nationOut[Int($0)] })),
            ]
        }
        for (name, storage) in columns { try Harmoniser.append(Column(name: name, storage: storage), to: &result) }
        return result
    }

    /// Records row `r` in the split bookkeeping: one entry per piece in `split` mode, else one entry.
    private static func keep(
        _ r: Int, _ pieces: [Piece], mode: OneToManyMode, _ sourceRows: inout [Int32], _ pieceOf: inout [Int], _ shares: inout [Double]
    ) {
        if mode == .split, pieces.count > 1 {
            for (i, p) in pieces.enumerated() { sourceRows.append(Int32(r)); pieceOf.append(i); shares.append(p.share) }
        } else {
            sourceRows.append(Int32(r)); pieceOf.append(-1); shares.append(1)
        }
    }
}
