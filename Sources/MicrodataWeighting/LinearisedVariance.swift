/// The Taylor variance of totals of per-row scores under a one-stage design held in memory (R `svyrecvar`
/// with the design's first stage), for estimators that are not tables (design-based regression).
///
/// Built once from the design columns of every row; ``covariance(_:columns:domain:)`` then runs the same
/// kernel as ``SurveyEstimator`` (strata, PSUs, FPC, lonely-PSU rules).
public struct LinearisedVariance: Sendable {
    let structure: DesignStructure
    /// The PSU index of each row.
    let rowPSU: [Int32]
    /// Rows sampled per PSU.
    public let psuCount: Int
    public let strataCount: Int
    /// The sampling weight of each row derived from the FPCs (`N_h / n_h`), when the design has no weight column.
    public let derivedWeights: [Double]?

    /// - Parameters:
    ///   - strata: the stratum of each row (`nil`: one stratum).
    ///   - psu: the PSU of each row (`nil`: every row is its own PSU).
    ///   - fpc: the first-stage FPC of each row: population sizes (all ≥ 1) or sampling fractions (all ≤ 1).
    public init(
        design: SurveyDesign, rows: Int, strata: [String]?, psu: [String]?, fpc: [Double]?
    ) throws {
        if design.fpc.count > 1 && !design.ultimateCluster {
            throw WeightingError.invalidDesign("models support one-stage designs (use --ultimate-cluster)")
        }
        var stratumIndex: [String: Int32] = [:]
        var stratumLabels: [String] = []
        var rowStratum = [Int32](repeating: 0, count: rows)
        if let strata {
            for r in 0..<rows {
                let key = strata[r]
                if let h = stratumIndex[key] { rowStratum[r] = h; continue }
                let h = Int32(stratumLabels.count)
                stratumIndex[key] = h
                stratumLabels.append(key)
                rowStratum[r] = h
            }
        } else {
            stratumLabels = ["1"]
        }
        var psuIndex: [String: Int32] = [:]
        var psuStratum: [Int32] = []
        var psuLabels: [String] = []
        var rowPSU = [Int32](repeating: 0, count: rows)
        for r in 0..<rows {
            guard let psu else {
                rowPSU[r] = Int32(r)
                psuStratum.append(rowStratum[r])
                psuLabels.append("row \(r + 1)")
                continue
            }
            let key = design.nest ? stratumLabels[Int(rowStratum[r])] + "\u{1}" + psu[r] : psu[r]
            if let p = psuIndex[key] {
                if psuStratum[Int(p)] != rowStratum[r] {
                    throw WeightingError.invalidDesign(
                        "PSU \(psu[r]) is in more than one stratum; give --nest if PSU ids repeat across strata")
                }
                rowPSU[r] = p
                continue
            }
            let p = Int32(psuLabels.count)
            psuIndex[key] = p
            psuStratum.append(rowStratum[r])
            psuLabels.append(psu[r])
            rowPSU[r] = p
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
        derivedWeights = design.weight == nil ? (0..<rows).map { 1 / fh[Int(rowStratum[$0])] } : nil
        structure = DesignStructure(
            strataCount: H, psuStratum: psuStratum, unitPSU: nil, nh: nh, fh: fh, mi: [], fi: [], twoStage: false,
            lonely: design.lonelyPSU, domainLonely: design.adjustDomainLonely,
            stratumColumn: design.strata ?? "(one stratum)", stratumLabels: stratumLabels, psuLabels: psuLabels)
        self.rowPSU = rowPSU
        psuCount = psuLabels.count
        strataCount = H
    }

    /// The design degrees of freedom of a domain (R `degf`): PSUs with a row in it minus their strata.
    public func degreesOfFreedom(domain: [Bool]) -> Int {
        var psu = Set<Int32>()
        var strata = Set<Int32>()
        for r in domain.indices where domain[r] {
            psu.insert(rowPSU[r])
            strata.insert(structure.psuStratum[Int(rowPSU[r])])
        }
        return psu.count - strata.count
    }

    /// The covariance (row-major `columns × columns`) of the totals of `scores` (row-major, `columns` a row).
    ///
    /// `domain` marks the rows of the estimation domain; it matters only for lonely PSUs inside domains
    /// (``SurveyDesign/adjustDomainLonely``).
    public func covariance(_ scores: [Double], columns: Int, domain: [Bool]? = nil) throws -> [Double] {
        var triples = Scores()
        for r in rowPSU.indices {
            for j in 0..<columns {
                triples.append(unit: rowPSU[r], estimate: Int32(j), value: scores[r * columns + j])
            }
        }
        var present: [Bool]? = nil
        if let domain, structure.domainLonely {
            var p = [Bool](repeating: false, count: psuCount)
            for r in domain.indices where domain[r] { p[Int(rowPSU[r])] = true }
            present = p
        }
        return try structure.covariance(estimates: columns, scores: triples, present: present)
    }
}

extension ReplicateWeights {
    /// The rank of `count` replicate-weight columns from their Gram matrix (R `qr(..., tol = 1e-5)$rank`).
    public static func rank(ofGram gram: [Double], count: Int) -> Int { SurveyEstimator.rank(ofGram: gram, count: count) }
}
