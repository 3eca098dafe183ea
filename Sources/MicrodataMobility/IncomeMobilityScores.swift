import MicrodataWeighting

extension PreparedGroup {
    /// Entries a measure has at most in one row: the k cells of the row's origin group and the six others.
    private var rowEntries: Int { k + 6 }

    /// The group's measures (as ``measures(weights:into:offset:withScores:score:)``) with their scores added to
    /// `scores` as totals per variance unit, at columns `offset...`.
    ///
    /// When the group's rows share units (PSUs) the scores are totalled per unit here, a unit × measure block at
    /// a time; otherwise each row's non-zero scores are stored for the kernel to total. Either way no dense
    /// rows × measures matrix is held, and every total is added in the same order (rows increasing) as before.
    func measures(
        weights w: [Double], into values: inout [Double], offset: Int, kernel: LinearisedVariance,
        scores: inout UnitScores
    ) {
        let unit = kernel.unitOfRow
        let perGroup = k * k + 6
        var slot = [Int32](repeating: -1, count: kernel.unitCount)
        var units: [Int32] = []
        for r in rows where slot[Int(unit[r])] < 0 {
            slot[Int(unit[r])] = Int32(units.count)
            units.append(unit[r])
        }
        guard units.count * perGroup <= rows.count * rowEntries else {
            measures(weights: w, into: &values, offset: offset, withScores: true) { r, j, v in
                scores.add(unit: unit[r], column: offset + j, value: v)
            }
            return
        }
        var totals = [Double](repeating: 0, count: units.count * perGroup)
        measures(weights: w, into: &values, offset: offset, withScores: true) { r, j, v in
            totals[Int(slot[Int(unit[r])]) * perGroup + j] += v
        }
        for (s, u) in units.enumerated() {
            for j in 0..<perGroup { scores.add(unit: u, column: offset + j, value: totals[s * perGroup + j]) }
        }
    }
}
