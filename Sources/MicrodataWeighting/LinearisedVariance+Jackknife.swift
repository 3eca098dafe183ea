extension LinearisedVariance {
    /// Delete-one-PSU jackknife replicate weights built from the strata and PSUs (R `as.svrepdesign`, type JK1
    /// without strata and JKn with), with the lonely-PSU handling of `tabulate --jackknife`.
    ///
    /// Replicate (h, i) sets the weights of PSU i to 0 and multiplies the other rows of stratum h by
    /// n_h/(n_h−1); its rscale is (1 − f_h)(n_h − 1)/n_h.
    ///
    /// - Parameter weights: the full-sample weight of each row.
    /// - Throws: ``WeightingError/lonelyPSU(stratumColumn:stratum:stage:)`` for a stratum with one PSU under
    ///   the `fail` rule; ``WeightingError/invalidDesign(_:)`` when no replicate remains.
    public func jackknifeReplicates(weights: [Double]) throws -> (weights: [[Double]], rscales: [Double], scale: Double) {
        let s = structure
        let H = s.strataCount, P = s.psuStratum.count
        var psusOf = [[Int32]](repeating: [], count: H)
        for p in 0..<P { psusOf[Int(s.psuStratum[p])].append(Int32(p)) }
        let rowStratum = rowPSU.map { s.psuStratum[Int($0)] }
        var replicates: [[Double]] = []
        var rscales: [Double] = []
        for h in 0..<H where !psusOf[h].isEmpty {
            let n = psusOf[h].count
            if n == 1 {
                switch s.lonely {
                case .fail:
                    throw WeightingError.lonelyPSU(stratumColumn: s.stratumColumn, stratum: s.stratumLabels[h], stage: 1)
                case .remove, .certainty, .average: continue
                case .adjust:
                    let k = Double(H) / Double(H - 1)
                    replicates.append(weights.indices.map { rowStratum[$0] == h ? 0 : k * weights[$0] })
                    rscales.append(Double(H - 1) / Double(H))
                    continue
                }
            }
            let grow = Double(n) / Double(n - 1)
            for p in psusOf[h] {
                replicates.append(weights.indices.map { r in
                    rowPSU[r] == p ? 0 : (rowStratum[r] == h ? grow * weights[r] : weights[r])
                })
                rscales.append((1 - s.fh[h]) * Double(n - 1) / Double(n))
            }
        }
        if rscales.isEmpty {
            throw WeightingError.invalidDesign("every stratum was sampled exhaustively: no jackknife replicates")
        }
        let scale = s.lonely == .average && rscales.count < P ? Double(P) / Double(rscales.count) : 1
        return (replicates, rscales, scale)
    }
}
