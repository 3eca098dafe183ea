/// The Taylor variance of totals of per-row scores under a design held in memory (R `svyrecvar`: one stage, or
/// two stages when both stages have an FPC), for estimators that are not tables (design-based regression).
///
/// Built once from the design columns of every row; ``covariance(_:columns:domain:)`` then runs the same
/// kernel as ``SurveyEstimator`` (strata, PSUs, FPC, lonely-PSU rules).
public struct LinearisedVariance: Sendable {
    let structure: DesignStructure
    /// The PSU index of each row.
    let rowPSU: [Int32]
    /// The variance unit of each row: its second-stage unit in a two-stage design, else its PSU.
    let rowUnit: [Int32]
    /// Rows sampled per PSU.
    public let psuCount: Int
    public let strataCount: Int
    /// The sampling weight of each row derived from the FPCs (`N_h / n_h`), when the design has no weight column.
    public let derivedWeights: [Double]?

    /// - Parameters:
    ///   - strata: the stratum of each row (`nil`: one stratum).
    ///   - psu: the PSU of each row (`nil`: every row is its own PSU).
    ///   - fpc: the first-stage FPC of each row: population sizes (all ≥ 1) or sampling fractions (all ≤ 1).
    ///   - ssu: the second-stage unit of each row, and `fpc2` its FPC (population sizes or fractions): given
    ///     both, the variance adds the second stage as R does when every stage has an FPC.
    public init(
        design: SurveyDesign, rows: Int, strata: [String]?, psu: [String]?, fpc: [Double]?, ssu: [String]? = nil,
        fpc2: [Double]? = nil
    ) throws {
        try self.init(design: design, rows: rows, strata: strata.map(CodedLabels.init), psu: psu.map(CodedLabels.init),
                      fpc: fpc, ssu: ssu.map(CodedLabels.init), fpc2: fpc2)
    }

    /// The same from design columns coded once (``CodedLabels``), with no label per row.
    public init(
        design: SurveyDesign, rows: Int, strata: CodedLabels?, psu: CodedLabels?, fpc: [Double]?, ssu: CodedLabels?,
        fpc2: [Double]?
    ) throws {
        // Strata and PSUs are numbered in order of first appearance, as the labels were before coding.
        var stratumLabels: [String] = []
        var rowStratum = [Int32](repeating: 0, count: rows)
        if let strata {
            var stratumOf = [Int32](repeating: -1, count: strata.labels.count)
            for r in 0..<rows {
                let c = Int(strata.codes[r])
                if stratumOf[c] < 0 {
                    stratumOf[c] = Int32(stratumLabels.count)
                    stratumLabels.append(strata.labels[c])
                }
                rowStratum[r] = stratumOf[c]
            }
        } else {
            stratumLabels = ["1"]
        }
        var psuStratum: [Int32] = []
        var psuLabels: [String] = []
        var rowPSU = [Int32](repeating: 0, count: rows)
        if let psu {
            // Without nesting a PSU is its code; nested, the pair (stratum, code).
            var psuOfCode = [Int32](repeating: -1, count: design.nest ? 0 : psu.labels.count)
            var psuOfPair: [Int: Int32] = [:]
            for r in 0..<rows {
                let c = Int(psu.codes[r])
                let pair = Int(rowStratum[r]) * psu.labels.count + c
                let known = design.nest ? psuOfPair[pair] : psuOfCode[c] >= 0 ? psuOfCode[c] : nil
                if let p = known {
                    if psuStratum[Int(p)] != rowStratum[r] {
                        throw WeightingError.invalidDesign(
                            "PSU \(psu.labels[c]) is in more than one stratum; give --nest if PSU ids repeat across strata")
                    }
                    rowPSU[r] = p
                    continue
                }
                let p = Int32(psuLabels.count)
                if design.nest { psuOfPair[pair] = p } else { psuOfCode[c] = p }
                psuStratum.append(rowStratum[r])
                psuLabels.append(psu.labels[c])
                rowPSU[r] = p
            }
        } else {
            psuStratum = rowStratum
            psuLabels = (0..<rows).map { "row \($0 + 1)" }
            for r in 0..<rows { rowPSU[r] = Int32(r) }
        }
        var rowUnit = rowPSU
        var unitPSU: [Int32] = []
        let twoStage = ssu != nil && fpc2 != nil && psu != nil
        if let ssu, twoStage {
            var unitIndex: [Int: Int32] = [:]
            for r in 0..<rows {
                let key = Int(rowPSU[r]) * ssu.labels.count + Int(ssu.codes[r])
                if let u = unitIndex[key] { rowUnit[r] = u; continue }
                let u = Int32(unitPSU.count)
                unitIndex[key] = u
                unitPSU.append(rowPSU[r])
                rowUnit[r] = u
            }
        }
        let H = stratumLabels.count
        var nh = [Int](repeating: 0, count: H)
        for h in psuStratum { nh[Int(h)] += 1 }
        var fh = [Double](repeating: 0, count: H)
        if let fpc {
            let column = design.fpc.first ?? "fpc"
            var value = [Double](repeating: .nan, count: H)
            for r in 0..<rows { value[Int(rowStratum[r])] = fpc[r] }
            let fractions = value.allSatisfy { $0 <= 1 }
            if value.contains(where: { !($0 > 0) }) || (!fractions && value.contains { $0 < 1 }) {
                throw WeightingError.invalidDesign(
                    "fpc column '\(column)' must hold population sizes (all ≥ 1) or sampling fractions (all ≤ 1)")
            }
            for h in 0..<H {
                if fractions {
                    fh[h] = value[h]
                } else {
                    if value[h] < Double(nh[h]) {
                        throw WeightingError.fpcSmallerThanSample(
                            column: column, stratum: stratumLabels[h], population: value[h], sample: nh[h])
                    }
                    fh[h] = Double(nh[h]) / value[h]
                }
            }
        }
        var mi: [Int] = [], fi: [Double] = []
        if let fpc2, twoStage {
            let column = design.fpc.count > 1 ? design.fpc[1] : "fpc2"
            mi = [Int](repeating: 0, count: psuLabels.count)
            for p in unitPSU { mi[Int(p)] += 1 }
            var value = [Double](repeating: .nan, count: psuLabels.count)
            for r in 0..<rows { value[Int(rowPSU[r])] = fpc2[r] }
            let fractions = value.allSatisfy { $0 <= 1 }
            if value.contains(where: { !($0 > 0) }) || (!fractions && value.contains { $0 < 1 }) {
                throw WeightingError.invalidDesign(
                    "fpc column '\(column)' must hold population sizes (all ≥ 1) or sampling fractions (all ≤ 1)")
            }
            fi = try value.indices.map { p in
                if fractions { return value[p] }
                guard value[p] >= Double(mi[p]) else {
                    throw WeightingError.fpcSmallerThanSample(
                        column: column, stratum: "PSU \(psuLabels[p])", population: value[p], sample: mi[p])
                }
                return Double(mi[p]) / value[p]
            }
        }
        derivedWeights = design.weight == nil
            ? (0..<rows).map { 1 / (fh[Int(rowStratum[$0])] * (twoStage ? fi[Int(rowPSU[$0])] : 1)) } : nil
        structure = DesignStructure(
            strataCount: H, psuStratum: psuStratum, unitPSU: twoStage ? unitPSU : nil, nh: nh, fh: fh, mi: mi, fi: fi,
            twoStage: twoStage && !design.ultimateCluster,
            lonely: design.lonelyPSU, domainLonely: design.adjustDomainLonely,
            stratumColumn: design.strata ?? "(one stratum)", stratumLabels: stratumLabels, psuLabels: psuLabels)
        self.rowPSU = rowPSU
        self.rowUnit = rowUnit
        psuCount = psuLabels.count
        strataCount = H
    }

    /// The design degrees of freedom of a domain (R `degf`): PSUs with a row in it minus their strata.
    public func degreesOfFreedom(domain: [Bool]) -> Int {
        var psu = [Bool](repeating: false, count: psuCount)
        for r in domain.indices where domain[r] { psu[Int(rowPSU[r])] = true }
        var stratum = [Bool](repeating: false, count: strataCount)
        for p in psu.indices where psu[p] { stratum[Int(structure.psuStratum[p])] = true }
        return psu.count(where: { $0 }) - stratum.count(where: { $0 })
    }

    /// The covariance (row-major `columns × columns`) of the totals of `scores` (row-major, `columns` a row).
    ///
    /// `domain` marks the rows of the estimation domain; it matters only for lonely PSUs inside domains
    /// (``SurveyDesign/adjustDomainLonely``).
    public func covariance(_ scores: [Double], columns: Int, domain: [Bool]? = nil) throws -> [Double] {
        // The kernel needs only each unit's totals: add the rows up first.
        var totals = [Double](repeating: 0, count: unitCount * columns)
        for r in rowUnit.indices {
            let u = Int(rowUnit[r]) * columns
            for j in 0..<columns { totals[u + j] += scores[r * columns + j] }
        }
        return try covariance(unitTotals: totals, columns: columns, domain: domain)
    }

    /// The variance unit of each row (its PSU, or its second-stage unit in a two-stage design), `0..<unitCount`.
    public var unitOfRow: [Int32] { rowUnit }

    /// The number of variance units.
    public var unitCount: Int { structure.unitPSU?.count ?? psuCount }

    /// The covariance of score totals given per unit (row-major `unitCount × columns`), as
    /// ``covariance(_:columns:domain:)`` on rows whose scores add up to them.
    public func covariance(unitTotals totals: [Double], columns: Int, domain: [Bool]? = nil) throws -> [Double] {
        let units = unitCount
        var triples = UnitScores(columns: columns)
        for u in 0..<units {
            for j in 0..<columns { triples.add(unit: Int32(u), column: j, value: totals[u * columns + j]) }
        }
        return try covariance(triples, domain: domain)
    }

    /// The covariance of score totals given as sparse per-unit entries, as ``covariance(_:columns:domain:)``
    /// on rows whose scores add up to them (entries of one unit and column are added in the order given).
    public func covariance(_ scores: UnitScores, domain: [Bool]? = nil) throws -> [Double] {
        var present: [Bool]? = nil
        if let domain, structure.domainLonely {
            var p = [Bool](repeating: false, count: psuCount)
            for r in domain.indices where domain[r] { p[Int(rowPSU[r])] = true }
            present = p
        }
        return try structure.covariance(estimates: scores.columns, scores: scores.entries, present: present)
    }
}

/// Score contributions of variance units, stored sparsely (zeros are dropped): the input of
/// ``LinearisedVariance/covariance(_:domain:)`` when a dense rows × columns matrix would be too large.
public struct UnitScores: Sendable {
    /// Score columns (estimates).
    public let columns: Int
    var entries = Scores()

    public init(columns: Int) { self.columns = columns }

    /// Adds `value` to column `column` of variance unit `unit` (``LinearisedVariance/unitOfRow``).
    public mutating func add(unit: Int32, column: Int, value: Double) {
        entries.append(unit: unit, estimate: Int32(column), value: value)
    }

    /// Entries stored.
    public var count: Int { entries.value.count }
}

extension ReplicateWeights {
    /// The rank of `count` replicate-weight columns from their Gram matrix (R `qr(..., tol = 1e-5)$rank`).
    public static func rank(ofGram gram: [Double], count: Int) -> Int { SurveyEstimator.rank(ofGram: gram, count: count) }
}
