import MicrodataReaders

/// Applies code mappings, NS-SEC derivations and qualification levels to batches, appending columns
/// (and, in `split` mode, splitting rows and their weight) and keeping an ``HarmoniseAudit``.
///
/// Create it once per run, call ``apply(_:)`` on each batch in order, then read ``audit``.
public struct Harmoniser: Sendable {
    public private(set) var audit = HarmoniseAudit()
    private let missing: [(variable: String, codes: KeyIndex)]
    private var maps: [CompiledMap]
    private var nssecSteps: [CompiledNSSEC]
    private var educationSteps: [CompiledEducation]
    private let options: HarmoniseOptions
    private let sexIndex: KeyIndex
    private let sexOf: [UInt8]  // per sex-index id: 0 unknown, 1 male, 2 female
    private var inputWeight = CompensatedSum(), outputWeight = CompensatedSum()

    /// Compiles the steps against `registry`.
    ///
    /// - Throws: ``HarmoniseError`` when no crosswalk or table goes from a step's source to its target,
    ///   a basis is unknown, or a scale is not one of ``QualificationTable/scales``.
    public init(
        registry: CrosswalkRegistry, missing: [MissingSpec] = [], maps: [MappingSpec] = [], nssec: [NSSECSpec] = [],
        education: [EducationSpec] = [], options: HarmoniseOptions = HarmoniseOptions()
    ) throws {
        self.options = options
        self.missing = missing.map { ($0.variable, KeyIndex(codes: $0.codes)) }
        let sexCodes = Array(options.maleCodes.sorted()) + Array(options.femaleCodes.sorted())
        sexIndex = KeyIndex(codes: sexCodes)
        sexOf = sexCodes.map { options.maleCodes.contains($0) ? 1 : 2 }
        self.maps = try maps.map { try CompiledMap($0, registry: registry, options: options) }
        self.nssecSteps = try nssec.map { try CompiledNSSEC($0, registry: registry, options: options) }
        self.educationSteps = try education.map { try CompiledEducation($0, registry: registry, options: options) }
        audit.weightVariable = options.weightVariable
        audit.mappings = self.maps.map(\.audit)
        audit.nssec = self.nssecSteps.map(\.audit)
        audit.education = self.educationSteps.map(\.audit)
    }

    /// Harmonises one batch.
    ///
    /// - Throws: ``HarmoniseError`` for a variable missing from the batch, an output column that already
    ///   exists, or (mode `fail`) a code with several targets, naming the record.
    public mutating func apply(_ input: Batch) throws -> Batch {
        var batch = input
        let firstRecord = audit.records
        audit.records += input.rowCount
        for (variable, codes) in missing { try Self.setMissing(variable, codes, in: &batch, audit: &audit) }
        // Each row's weight, parsed once (a text column would be parsed again by every step).
        var weights = try options.weightVariable.map { Self.weights(try Self.column($0, in: batch)) }
        if let weights {
            for w in weights { inputWeight.add(w) }
            audit.inputWeight = inputWeight.value
        }
        // After a `split`, which output rows start a source record (`nil`: every row is its own record), so
        // later steps count records, not rows.
        var firstOfRecord: [Bool]? = nil
        if options.replicateWeightPattern != nil { _ = try Self.weightColumns(in: batch, options: options) }
        if maps.contains(where: { $0.spec.mode == .split }) {
            // Split rows share their source record's number, so they are not taken as independent records.
            let ids = (0..<batch.rowCount).map { Int64(firstRecord + $0 + 1) }
            try Self.append(Column(name: HarmoniseOptions.recordColumn,
                                   storage: .integer(ids, missing: [Bool](repeating: false, count: ids.count))), to: &batch)
        }
        for i in maps.indices {
            let sex = try options.sexVariable.map { try Self.column($0, in: batch) }
            let rows = batch.rowCount
            batch = try maps[i].apply(batch, firstRecord: firstRecord, sex: sex, sexIndex: sexIndex, sexOf: sexOf, options: options,
                                      weights: weights, firstOfRecord: &firstOfRecord)
            if let name = options.weightVariable, batch.rowCount != rows {
                weights = Self.weights(try Self.column(name, in: batch))  // split: the pieces' weights
            }
            audit.mappings[i] = maps[i].audit
        }
        for i in nssecSteps.indices {
            batch = try nssecSteps[i].apply(batch, firstOfRecord: firstOfRecord, options: options, weights: weights)
            audit.nssec[i] = nssecSteps[i].audit
        }
        for i in educationSteps.indices {
            batch = try educationSteps[i].apply(batch, firstOfRecord: firstOfRecord, options: options)
            audit.education[i] = educationSteps[i].audit
        }
        audit.outputRows += batch.rowCount
        if let weights {
            for w in weights { outputWeight.add(w) }
            audit.outputWeight = outputWeight.value
        }
        return batch
    }

    /// Turns the values of `variable` found in `codes` into missing values, counting them.
    static func setMissing(_ variable: String, _ codes: KeyIndex, in batch: inout Batch, audit: inout HarmoniseAudit) throws {
        let column = try Self.column(variable, in: batch)
        guard let i = batch.columns.firstIndex(where: { $0.name == column.name }) else { return }
        var counts = [Int](repeating: 0, count: codes.codeCount)
        var rows: [Int] = []
        for r in 0..<batch.rowCount {
            let id = codes.id(column, r)
            if id >= 0 { counts[Int(id)] += 1; rows.append(r) }
        }
        guard !rows.isEmpty else { return }
        var storage = column.storage
        switch storage {
        case .integer(let v, var m):
            for r in rows { m[r] = true }
            storage = .integer(v, missing: m)
        case .real(var v):
            for r in rows { v[r] = .nan }
            storage = .real(v)
        case .text(var v):
            for r in rows { v[r] = nil }
            storage = .text(v)
        }
        batch.columns[i].storage = storage
        for (id, n) in counts.enumerated() where n > 0 { audit.missingRecoded[variable, default: [:]][codes.keys[id], default: 0] += n }
    }

    static func column(_ name: String, in batch: Batch) throws -> Column {
        guard let c = batch.column(named: name) else {
            throw HarmoniseError(
                "the data have no variable \(name) (have: \(batch.columns.map(\.name).joined(separator: ", ")))", variable: name)
        }
        return c
    }

    static func append(_ column: Column, to batch: inout Batch) throws {
        if batch.column(named: column.name) != nil {
            throw HarmoniseError("the output column \(column.name) already exists in the data", variable: column.name)
        }
        batch.columns.append(column)
    }

    /// The indices of the weight column and of every replicate weight column.
    ///
    /// - Throws: ``HarmoniseError`` when the replicate pattern is invalid or names no column.
    static func weightColumns(in batch: Batch, options: HarmoniseOptions) throws -> [Int] {
        var found = batch.columns.indices.filter { batch.columns[$0].name.lowercased() == options.weightVariable?.lowercased() }
        if let pattern = options.replicateWeightPattern {
            guard let regex = try? Regex(pattern) else {
                throw HarmoniseError("--replicate-weights '\(pattern)' is not a valid regular expression")
            }
            let replicates = batch.columns.indices.filter { !found.contains($0) && batch.columns[$0].name.firstMatch(of: regex) != nil }
            guard !replicates.isEmpty else {
                throw HarmoniseError("--replicate-weights '\(pattern)' names no column (have: \(batch.columns.map(\.name).joined(separator: ", ")))")
            }
            found += replicates
        }
        return found
    }

    /// The weight of each row of `column` (0 when missing).
    static func weights(_ column: Column) -> [Double] {
        (0..<column.count).map { column.double(at: $0) ?? 0 }
    }
}

/// A code mapping ready to run: per source code, the target distribution under each basis.
struct CompiledMap: Sendable {
    struct Dist: Sendable {
        var targets: [String]
        var shares: [Double]
        var nonModal: Double
    }

    let spec: MappingSpec
    let outputName: String
    let index: KeyIndex
    /// Per source id: distribution under the chosen/default basis, and the male/female bases.
    let general: [Dist?]
    let male: [Dist?]?
    let female: [Dist?]?
    /// Per source id: the distribution under the first basis with weights (default basis first).
    var defaultDist: [Dist?]
    var audit = HarmoniseAudit.Mapping()

    init(_ spec: MappingSpec, registry: CrosswalkRegistry, options: HarmoniseOptions) throws {
        guard let cw = registry.crosswalk(from: spec.from, to: spec.to, name: spec.crosswalk) else {
            let have = registry.crosswalks.values.map { "\($0.fromScheme)>\($0.toScheme)" }.sorted()
            throw HarmoniseError(
                "no crosswalk from \(spec.from) to \(spec.to) (have: \(Set(have).sorted().joined(separator: ", ")))",
                variable: spec.variable)
        }
        self.spec = spec
        outputName = spec.output ?? "\(spec.variable)_\(spec.to)"
        let frameCodes = registry.codeFrames[spec.from]?.entries.map(\.code) ?? cw.sourceCodes
        var codes = frameCodes
        let inFrame = Set(frameCodes)
        codes += cw.sourceCodes.filter { !inFrame.contains($0) }
        index = KeyIndex(codes: codes, sentinels: options.missingCodes)
        func dists(_ basis: Int?) -> [Dist?] {
            codes.map { code in
                cw.distribution(of: code, basis: basis).map {
                    Dist(targets: $0.map(\.target), shares: $0.map(\.share), nonModal: 1 - $0[0].share)
                }
            }
        }
        let defaultBasis = cw.entry.defaultBasis.flatMap { cw.basisIndex($0) } ?? (cw.bases.isEmpty ? nil : 0)
        var basisName = cw.entry.defaultBasis ?? "none"
        let general: [Dist?]
        if let b = spec.basis {
            guard let i = cw.basisIndex(b) else {
                throw HarmoniseError("crosswalk \(cw.name) has no basis \(b) (have: \(cw.bases.joined(separator: ", ")))", variable: spec.variable)
            }
            general = dists(i)
            basisName = b
        } else {
            general = dists(defaultBasis)
        }
        // Fallback when the chosen basis has no weights for a code: the default basis, then the others in order.
        let order = [defaultBasis].compactMap { $0 } + cw.bases.indices.filter { $0 != defaultBasis }
        let perBasis = order.map { dists($0) }
        defaultDist = codes.indices.map { i in perBasis.lazy.compactMap { $0[i] }.first }
        if order.isEmpty { defaultDist = dists(nil) }
        if spec.basis == nil, options.sexVariable != nil, let m = cw.entry.sexBases?["male"], let f = cw.entry.sexBases?["female"],
            let mi = cw.basisIndex(m), let fi = cw.basisIndex(f)
        {
            male = dists(mi)
            female = dists(fi)
            basisName = "\(m) / \(f) by \(options.sexVariable!) (default \(cw.entry.defaultBasis ?? "none") otherwise)"
        } else {
            male = nil
            female = nil
        }
        self.general = general
        audit.variable = spec.variable
        audit.output = outputName
        audit.crosswalk = cw.name
        audit.from = spec.from
        audit.to = spec.to
        audit.mode = spec.mode.rawValue
        audit.basis = basisName
        audit.source = cw.entry.source
        audit.issued = cw.entry.issued
        audit.sha256 = cw.entry.sha256 ?? registry.unverified[cw.name] ?? ""
        audit.linkLevel = cw.entry.linkLevel ?? ""
        audit.approximate = cw.isApproximate
        audit.approximateNote = cw.entry.approxNote
    }

    mutating func apply(
        _ batch: Batch, firstRecord: Int, sex: Column?, sexIndex: KeyIndex, sexOf: [UInt8], options: HarmoniseOptions,
        weights: [Double]?, firstOfRecord: inout [Bool]?
    ) throws -> Batch {
        let source = try Harmoniser.column(spec.variable, in: batch)
        let n = batch.rowCount
        defer { audit.nonModalShare = audit.mappedWeight > 0 ? audit.nonModalWeight / audit.mappedWeight : 0 }
        var out = [String?](repeating: nil, count: n)
        // Split bookkeeping: filled only when a row fans out.
        var sourceRows: [Int32] = []
        var targets: [String?] = []
        var shares: [Double] = []
        var expanded = false
        for r in 0..<n {
            // Rows a split made from one record count once, on the record's first (modal) row.
            let one = firstOfRecord.map { $0[r] ? 1 : 0 } ?? 1
            let id = index.id(source, r)
            audit.records += one
            var dist: Dist? = nil
            if id == KeyIndex.missing {
                audit.missing += one
            } else if id == KeyIndex.unknown {
                audit.notInSourceScheme[source.text(at: r) ?? "", default: 0] += one
            } else if Int(id) >= index.codeCount {
                audit.sentinels[index.keys[Int(id)], default: 0] += one
            } else {
                var chosen = general[Int(id)]
                if let sex, let male, let female {
                    let s = sexIndex.id(sex, r)
                    let which: UInt8 = s >= 0 ? sexOf[Int(s)] : 0
                    if which == 0 { audit.sexUnknown += one } else { chosen = which == 1 ? male[Int(id)] : female[Int(id)] }
                }
                if chosen == nil, let d = defaultDist[Int(id)] {
                    chosen = d
                    audit.basisFallback += one
                }
                if let chosen { dist = chosen } else { audit.noMapping[index.keys[Int(id)], default: 0] += one }
            }
            guard let dist else {
                if expanded { sourceRows.append(Int32(r)); targets.append(nil); shares.append(1) }
                continue
            }
            let w = weights?[r] ?? 1
            audit.mapped += one
            audit.mappedWeight += w
            audit.nonModalWeight += w * dist.nonModal
            if dist.targets.count == 1 {
                audit.oneToOne += one
                out[r] = dist.targets[0]
                if expanded { sourceRows.append(Int32(r)); targets.append(dist.targets[0]); shares.append(1) }
                continue
            }
            audit.oneToMany += one
            switch spec.mode {
            case .fail:
                throw HarmoniseError(
                    "code \(index.keys[Int(id)]) maps to \(dist.targets.count) \(spec.to) codes "
                        + "(\(dist.targets.joined(separator: ", "))); use mode modal or split",
                    line: firstRecord + r + 1, variable: spec.variable)
            case .modal:
                out[r] = dist.targets[0]
                if expanded { sourceRows.append(Int32(r)); targets.append(dist.targets[0]); shares.append(1) }
            case .split:
                if !expanded {
                    expanded = true
                    sourceRows.reserveCapacity(n + n / 4)
                    for p in 0..<r { sourceRows.append(Int32(p)); targets.append(out[p]); shares.append(1) }
                }
                for (t, s) in zip(dist.targets, dist.shares) {
                    sourceRows.append(Int32(r)); targets.append(t); shares.append(s)
                }
                audit.fanOutRows += dist.targets.count - 1
            }
        }
        var result = batch
        if !expanded {
            try Harmoniser.append(Column(name: outputName, storage: .text(out)), to: &result)
            if spec.mode == .split {
                try Harmoniser.append(
                    Column(name: outputName + "_share", storage: .real([Double](repeating: 1, count: n))), to: &result)
            }
            return result
        }
        let previous = firstOfRecord
        firstOfRecord = sourceRows.indices.map { k in
            (previous?[Int(sourceRows[k])] ?? true) && (k == 0 || sourceRows[k - 1] != sourceRows[k])
        }
        result.columns = batch.columns.map { $0.gathered(sourceRows) }
        if !batch.recordTypes.isEmpty { result.recordTypes = sourceRows.map { batch.recordTypes[Int($0)] } }
        result.rowCount = sourceRows.count
        for wi in try Harmoniser.weightColumns(in: result, options: options) {
            result.columns[wi] = Self.splitWeights(result.columns[wi], sourceRows: sourceRows, shares: shares)
        }
        try Harmoniser.append(Column(name: outputName, storage: .text(targets)), to: &result)
        try Harmoniser.append(Column(name: outputName + "_share", storage: .real(shares)), to: &result)
        return result
    }

    /// Each row's weight times its share, rounded to a multiple of the weight's ulp; the last piece takes
    /// the remainder. Every piece and partial sum is then exactly representable, so a record's pieces add
    /// back to its weight exactly, in any order.
    static func splitWeights(_ column: Column, sourceRows: [Int32], shares: [Double]) -> Column {
        var w = column.doubles
        var i = 0
        while i < w.count {
            var j = i + 1
            while j < w.count, sourceRows[j] == sourceRows[i] { j += 1 }
            if j - i > 1, w[i].isFinite, w[i] != 0 {
                let total = w[i]
                let q = total.magnitude.ulp
                var used = 0.0
                for k in i..<(j - 1) {
                    var piece = (total * shares[k] / q).rounded() * q
                    if (used + piece).magnitude > total.magnitude { piece = total - used }
                    w[k] = piece
                    used += piece
                }
                w[j - 1] = total - used
            }
            i = j
        }
        return Column(name: column.name, storage: .real(w))
    }
}

/// A Neumaier-compensated running sum, so weight totals before and after a split compare exactly.
struct CompensatedSum: Sendable {
    private var sum = 0.0, compensation = 0.0

    mutating func add(_ v: Double) {
        let t = sum + v
        compensation += abs(sum) >= abs(v) ? (sum - t) + v : (v - t) + sum
        sum = t
    }

    var value: Double { sum + compensation }
}
