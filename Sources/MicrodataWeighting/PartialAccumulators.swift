/// Doubles written bit-exactly: Swift's shortest round-trip text of each (`nan`, `inf` and `-0.0` included),
/// space-separated in one JSON string.
struct PackedDoubles: Codable, Sendable, Equatable {
    var values: [Double]

    init(_ values: [Double]) { self.values = values }

    init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        var out: [Double] = []
        for word in text.split(separator: " ") {
            guard let v = Double(word) else {
                throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "'\(word)' is not a number"))
            }
            out.append(v)
        }
        values = out
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(values.map(\.description).joined(separator: " "))
    }

    static func == (a: PackedDoubles, b: PackedDoubles) -> Bool {
        a.values.map(\.bitPattern) == b.values.map(\.bitPattern)
    }
}

/// The accumulators of one pass of ``SurveyEstimator`` (``SurveyEstimator/partialAccumulators()``), keyed by
/// the values of the design and domain columns rather than by the pass's own codes, so that passes over parts
/// of a file merge (``SurveyEstimator/absorb(_:)``) into the accumulators of one pass over the whole.
///
/// Values are tagged texts (``ValueCoder/taggedKey(_:)``); indices into ``strata``, ``psus``, ``units`` and
/// ``domains`` are the pass's own. The record holds unweighted counts and per-PSU totals: it is not a
/// publishable output.
public struct PartialAccumulators: Codable, Sendable, Equatable {
    struct PSU: Codable, Sendable, Equatable {
        var stratum: Int
        /// The PSU's id; `nil` for a row that is its own PSU.
        var id: String?
        var positive: Bool
    }

    struct Unit: Codable, Sendable, Equatable {
        var psu: Int
        var id: String
    }


    struct State: Codable, Sendable, Equatable {
        var categorical: Bool?
        /// Each level's values, one per analysis variable (level 0, no level, is not listed).
        var levels: [[String]]
        /// Each slot's (domain, level, unit), three numbers a slot.
        var slots: [Int]
        var sums: PackedDoubles
        var replicateSums: PackedDoubles
        var moments: PackedDoubles
        var numerators: [ContributorAccumulator.DomainSums]
        var denominators: [ContributorAccumulator.DomainSums]
    }

    var rows: Int
    var kishRows: Int
    /// Σw and Σw² of the rows in the subpopulation.
    var kishSums: PackedDoubles
    var rowsWithMissingDomain: Int
    var negativeWeightRows: Int
    var strata: [String]
    var stratumFPC: PackedDoubles
    var stratumRows: [Int]
    var stratumPositive: [Int]
    var psus: [PSU]
    var psuFPC2: PackedDoubles
    var units: [Unit]
    var unitRows: [Int]
    /// Each domain's values of the by-variables.
    var domains: [[String]]
    /// Per domain: rows, Σw, Σw² (Kish's weighting effect).
    var domainKishRows: [Int]
    var domainKishSums: PackedDoubles
    var replicateNames: [String]?
    var gram: PackedDoubles
    var states: [State]
}

extension SurveyEstimator {
    /// Why the accumulators of a request cannot be merged across passes, or `nil` when they can.
    public static func partialRefusal(design: SurveyDesign, analyses: [Analysis], options: EstimationOptions) -> String? {
        if analyses.contains(where: { $0.kind == .quantile }) {
            return "quantiles need every value; run tabulate on the concatenated data"
        }
        if analyses.contains(where: { $0.kind == .inequality }) {
            return "inequality and poverty measures need every value, sorted; run tabulate on the concatenated data"
        }
        if design.calibration != nil || design.raking != nil {
            return "calibration and raking fit the weights to the whole sample's totals before any estimate; "
                + "run tabulate on the concatenated data"
        }
        if options.ciMethod == .likelihood {
            return "the likelihood interval keeps every row; choose another --ci or run tabulate on the concatenated data"
        }
        return nil
    }

    /// The accumulators so far, for a partial result that ``absorb(_:)`` merges with others.
    ///
    /// - Throws: ``WeightingError/invalidRequest(_:)`` when ``partialRefusal(design:analyses:options:)`` refuses the request.
    public func partialAccumulators() throws -> PartialAccumulators {
        if let reason = Self.partialRefusal(design: design, analyses: analyses, options: options) {
            throw WeightingError.invalidRequest("--partial: " + reason)
        }
        var unitSSU = [Int32](repeating: 0, count: unitPSU.count)
        unitMap.forEach { key, unit in unitSSU[Int(unit)] = Int32(truncatingIfNeeded: key & 0xFFFF_FFFF) }
        var domainCodes = [[Int32]](repeating: [], count: domainLabels.count)
        domainMap.forEach { key, d in
            domainCodes[Int(d)] = byCoders.indices.map { Int32((key >> (16 * UInt64($0))) & 0xFFFF) }
        }
        let domains = domainCodes.map { codes in codes.enumerated().map { byCoders[$0].taggedKey(Int($1)) } }
        var kishRows: [Int] = [], kishSums: [Double] = []
        for k in domainKish {
            kishRows.append(k.n)
            kishSums += [k.sumWeights, k.sumSquaredWeights]
        }
        return PartialAccumulators(
            rows: rowsSeen, kishRows: kishN, kishSums: PackedDoubles([kishSum, kishSum2]),
            rowsWithMissingDomain: excludedByMissingDomain, negativeWeightRows: negativeWeightRows,
            strata: (0..<stratumCoder.count).map { stratumCoder.taggedKey($0) },
            stratumFPC: PackedDoubles(stratumFPC), stratumRows: stratumRows, stratumPositive: stratumPositive,
            psus: psuStratum.indices.map { p in
                PartialAccumulators.PSU(
                    stratum: Int(psuStratum[p]), id: psuLabel[p] < 0 ? nil : psuCoder.taggedKey(Int(psuLabel[p])),
                    positive: psuPositive[p])
            },
            psuFPC2: PackedDoubles(psuFPC2),
            units: unitPSU.indices.map { PartialAccumulators.Unit(psu: Int(unitPSU[$0]), id: ssuCoder.taggedKey(Int(unitSSU[$0]))) },
            unitRows: unitRows, domains: domains, domainKishRows: kishRows, domainKishSums: PackedDoubles(kishSums),
            replicateNames: replicateNames, gram: PackedDoubles(gram), states: states.map(Self.partialState))
    }

    private static func partialState(_ st: AnalysisState) -> PartialAccumulators.State {
        // Each coder's code of a label (a column's values have one kind, so labels are unique).
        let codeOf = st.levelCoders.map { coder in
            Dictionary(coder.labels.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        }
        let levels = st.levelParts.dropFirst().map { parts in
            parts.enumerated().map { k, label in st.levelCoders[k].taggedKey(codeOf[k][label]!) }
        }
        let numerators = (0..<st.numerators.domainCount).map { st.numerators.sums($0) }
        let denominators = (0..<st.denominators.domainCount).map { st.denominators.sums($0) }
        return PartialAccumulators.State(
            categorical: st.categorical, levels: levels,
            slots: st.slotDomain.indices.flatMap { [Int(st.slotDomain[$0]), Int(st.slotLevel[$0]), Int(st.slotUnit[$0])] },
            sums: PackedDoubles(st.sums), replicateSums: PackedDoubles(st.rep), moments: PackedDoubles(st.moments),
            numerators: numerators, denominators: denominators)
    }

    /// Adds the accumulators of another pass with the same request: counts and per-PSU totals add (a stratum,
    /// PSU, domain or level is matched by its values, so a PSU split between two passes is one PSU), central
    /// moments merge by Chan's formula, and the kept contributions are the largest of both. Absorbing the
    /// passes over the parts of a file in order gives the pass over the whole file, up to the order of
    /// floating-point additions.
    ///
    /// - Throws: ``WeightingError`` when the passes disagree (a PSU in two strata, an FPC that differs within a
    ///   stratum, other replicate columns) or the record is inconsistent.
    public mutating func absorb(_ p: PartialAccumulators) throws {
        if let reason = Self.partialRefusal(design: design, analyses: analyses, options: options) {
            throw WeightingError.invalidRequest(reason)
        }
        guard p.states.count == states.count else {
            throw WeightingError.invalidRequest("the partial result has \(p.states.count) statistics, the request \(states.count)")
        }
        func bad(_ what: String) -> WeightingError { .invalidRequest("inconsistent partial result: \(what)") }
        func code(_ coder: inout ValueCoder, _ key: String) throws -> Int32 {
            guard let c = coder.code(tagged: key) else { throw bad("value '\(key)'") }
            return c
        }

        guard p.domainKishSums.values.count == 2 * p.domainKishRows.count, p.kishSums.values.count == 2,
              p.psuFPC2.values.count == p.psus.count
        else { throw bad("sums") }

        // Replicates first: slots are created with room for their sums.
        if let names = p.replicateNames {
            if let mine = replicateNames, mine != names {
                throw WeightingError.invalidDesign(
                    "the replicate weight columns differ between partial results (\(mine.joined(separator: ",")) and "
                        + "\(names.joined(separator: ",")))")
            }
            if replicateNames == nil, let spec = design.replicates {
                replicateNames = names
                for i in states.indices { states[i].replicateCount = names.count }
                needGram = spec.degreesOfFreedom == nil && options.degreesOfFreedom == nil
                if needGram { gram = [Double](repeating: 0, count: names.count * names.count) }
            }
            guard p.gram.values.count == gram.count else { throw bad("replicate Gram matrix") }
            for k in gram.indices { gram[k] += p.gram.values[k] }
        }

        // Strata, PSUs and second-stage units, by their values.
        var stratumOf = try p.strata.map { try code(&stratumCoder, $0) }
        if stratumOf.isEmpty { stratumOf = [0] }  // one stratum
        guard p.stratumFPC.values.count <= stratumOf.count, p.stratumRows.count <= stratumOf.count,
              p.stratumPositive.count == p.stratumRows.count
        else { throw bad("strata") }
        if taylor {
            for (h, f) in p.stratumFPC.values.enumerated() {
                let s = Int(stratumOf[h])
                while stratumFPC.count <= s { stratumFPC.append(.nan) }
                if f.isNaN { continue }
                if stratumFPC[s].isNaN {
                    stratumFPC[s] = f
                } else if stratumFPC[s] != f {
                    throw WeightingError.invalidDesign(
                        "fpc column '\(design.fpc[0])' varies within stratum (\(stratumLabel(Int32(s)))) between partial results")
                }
            }
        }
        for (h, n) in p.stratumRows.enumerated() {
            let s = Int(stratumOf[h])
            while stratumRows.count <= s {
                stratumRows.append(0)
                stratumPositive.append(0)
            }
            stratumRows[s] += n
            stratumPositive[s] += p.stratumPositive[h]
        }
        var psuOf: [Int32] = []
        for (i, q) in p.psus.enumerated() {
            guard q.stratum >= 0 && q.stratum < stratumOf.count else { throw bad("PSU stratum") }
            let s = stratumOf[q.stratum]
            let psu: Int32
            if let id = q.id {
                psu = try psuSlot(stratum: s, code: try code(&psuCoder, id))
            } else {
                psu = Int32(psuStratum.count)
                newPSU(stratum: s, label: -1)
            }
            psuPositive[Int(psu)] = psuPositive[Int(psu)] || q.positive
            if !p.psuFPC2.values[i].isNaN { psuFPC2[Int(psu)] = p.psuFPC2.values[i] }
            psuOf.append(psu)
        }
        var unitOf: [Int32] = []
        for u in p.units {
            guard u.psu >= 0 && u.psu < psuOf.count else { throw bad("unit PSU") }
            let psu = psuOf[u.psu]
            let key = UInt64(UInt32(psu)) << 32 | UInt64(UInt32(try code(&ssuCoder, u.id)))
            if let existing = unitMap[key] {
                unitOf.append(existing)
            } else {
                unitOf.append(Int32(unitPSU.count))
                unitMap.insert(key, Int32(unitPSU.count))
                unitPSU.append(psu)
            }
        }
        // A slot's unit: 0 without linearisation, the stratum when every row is a PSU, else the PSU or SSU.
        let slotUnits: [Int32] = !taylor ? [0] : momentVariance ? stratumOf : twoStage ? unitOf : psuOf
        guard p.unitRows.count <= slotUnits.count else { throw bad("unit rows") }
        for (u, n) in p.unitRows.enumerated() {
            let mine = Int(slotUnits[u])
            while unitRows.count <= mine { unitRows.append(0) }
            unitRows[mine] += n
        }

        // Domains, by their by-values.
        var domainOf: [Int32] = []
        for values in p.domains {
            guard values.count == byCoders.count else { throw bad("domain values") }
            if values.isEmpty {
                if domainLabels.isEmpty { domainLabels.append([]) }
                domainOf.append(0)
                continue
            }
            var key: UInt64 = 0
            var codes: [Int32] = []
            for k in values.indices {
                let c = try code(&byCoders[k], values[k])
                if c > 0xFFFF { throw tooManyDomains() }
                key |= UInt64(UInt16(truncatingIfNeeded: c)) << (16 * UInt64(k))
                codes.append(c)
            }
            if let d = domainMap[key] {
                domainOf.append(d)
            } else {
                let d = Int32(domainLabels.count)
                if domainLabels.count >= options.maxDomains { throw tooManyDomains() }
                domainMap.insert(key, d)
                domainLabels.append(codes.indices.map { byCoders[$0].label(Int(codes[$0])) })
                domainOf.append(d)
            }
        }
        guard p.domainKishRows.count <= domainOf.count else { throw bad("domain sums") }
        if options.kish {
            for (d, n) in p.domainKishRows.enumerated() {
                let mine = Int(domainOf[d])
                while domainKish.count <= mine {
                    domainKish.append(KishWeighting(n: 0, sumWeights: 0, sumSquaredWeights: 0))
                }
                domainKish[mine].n += n
                domainKish[mine].sumWeights += p.domainKishSums.values[2 * d]
                domainKish[mine].sumSquaredWeights += p.domainKishSums.values[2 * d + 1]
            }
        }

        for i in states.indices {
            try states[i].absorb(p.states[i], domainOf: domainOf, unitOf: slotUnits, usesMoments: usesMoments)
        }
        rowsSeen += p.rows
        kishN += p.kishRows
        kishSum += p.kishSums.values[0]
        kishSum2 += p.kishSums.values[1]
        excludedByMissingDomain += p.rowsWithMissingDomain
        negativeWeightRows += p.negativeWeightRows
    }


    /// A pass over nothing that has absorbed `partials` in order: finish it for the estimates of their union.
    public static func combining(
        _ partials: [PartialAccumulators], design: SurveyDesign, analyses: [Analysis], options: EstimationOptions
    ) throws -> SurveyEstimator {
        var estimator = try SurveyEstimator(design: design, analyses: analyses, options: options)
        for p in partials { try estimator.absorb(p) }
        return estimator
    }
}

extension AnalysisState {
    /// Adds another pass's slots, levels and contributors (``SurveyEstimator/absorb(_:)``).
    mutating func absorb(
        _ p: PartialAccumulators.State, domainOf: [Int32], unitOf: [Int32], usesMoments: Bool
    ) throws {
        func bad(_ what: String) -> WeightingError {
            .invalidRequest("inconsistent partial result for '\(analysis.label)': \(what)")
        }
        if let c = p.categorical {
            if let mine = categorical, mine != c {
                throw WeightingError.invalidRequest(
                    "'\(analysis.label)' is read as text in one partial result and as numbers in another")
            }
            categorical = c
        }
        if usesMoments && momentLayout == nil && !analysis.keepsSortedRows, let c = categorical {
            momentLayout = MomentLayout(kind: analysis.kind, categorical: c)
        }
        var levelOf: [Int32] = [0]
        for values in p.levels {
            guard values.count == levelCoders.count else { throw bad("level values") }
            var key: UInt64 = 0
            var parts: [String] = []
            for k in values.indices {
                guard let c = levelCoders[k].code(tagged: values[k]) else { throw bad("value '\(values[k])'") }
                key = key &* 4099 &+ UInt64(c)
                parts.append(levelCoders[k].label(Int(c)))
            }
            if let l = levelMap[key] {
                levelOf.append(l)
                continue
            }
            let l = Int32(levelLabels.count)
            if l >= 4095 { throw WeightingError.invalidRequest("'\(analysis.label)' has more than 4094 categories") }
            levelMap.insert(key, l)
            levelLabels.append(parts.joined(separator: "."))
            levelParts.append(parts)
            levelOf.append(l)
        }
        let W = Self.width
        let RW = replicateCount * Self.repWidth
        let stride = momentLayout?.stride ?? 0
        let count = p.slots.count / 3
        guard p.slots.count % 3 == 0, p.sums.values.count == count * W, p.replicateSums.values.count == count * RW,
              p.moments.values.count == count * stride
        else { throw bad("slot sums") }
        var incoming = p.moments.values
        for k in 0..<count {
            let (d, l, u) = (p.slots[3 * k], p.slots[3 * k + 1], p.slots[3 * k + 2])
            guard domainOf.indices.contains(d), levelOf.indices.contains(l), unitOf.indices.contains(u)
            else { throw bad("slot \(k)") }
            let s = slot(domain: domainOf[d], level: levelOf[l], unit: unitOf[u])
            for j in 0..<W { sums[s * W + j] += p.sums.values[k * W + j] }
            for j in 0..<RW { rep[s * RW + j] += p.replicateSums.values[k * RW + j] }
            if let layout = momentLayout {
                moments.withUnsafeMutableBufferPointer { m in
                    incoming.withUnsafeMutableBufferPointer { b in
                        layout.merge(into: m.baseAddress! + s * stride, from: b.baseAddress! + k * stride)
                    }
                }
            }
        }
        guard p.numerators.count <= domainOf.count, p.denominators.count <= domainOf.count,
              (p.numerators + p.denominators).allSatisfy({ $0.counts.count == 3 && !$0.sums.values.isEmpty })
        else { throw bad("contributors") }
        for (d, sums) in p.numerators.enumerated() { numerators.merge(domain: Int(domainOf[d]), sums) }
        for (d, sums) in p.denominators.enumerated() { denominators.merge(domain: Int(domainOf[d]), sums) }
    }
}
