extension SurveyEstimator {
    /// The unit scores of a categorical analysis (proportions, or totals of levels), one entry per unit and
    /// estimate: the estimate of level l in domain d scores `cDomain · Σ_d w + cw · Σ_{d,l} w` in a unit, so
    /// the unit's slots (one per level met) are first added up per domain. A unit then has one entry per
    /// estimate of each domain it meets, where adding slot by slot gave levels met × estimates.
    func categoricalScores(_ st: AnalysisState, specs: [EstimateSpec], estimatesOfDomain: [[Int]]) -> Scores {
        let W = AnalysisState.width
        let L = st.levelLabels.count
        // Groups: one per (unit, domain) in the order first met; per group the domain's weight total, then one
        // total per level.
        var groupOf = IndexTable(capacity: max(st.slotDomain.count / max(L - 1, 1), 64))
        var groupUnit: [Int32] = []
        var groupDomain: [Int32] = []
        var totals: [Double] = []
        for s in st.slotDomain.indices {
            let l = Int(st.slotLevel[s])
            if l == 0 { continue }  // no level: outside every estimate's score
            let d = st.slotDomain[s]
            let u = st.slotUnit[s]
            let key = UInt64(UInt32(u)) << 32 | UInt64(UInt32(d))
            let g: Int
            if let existing = groupOf[key] {
                g = Int(existing)
            } else {
                g = groupUnit.count
                groupOf.insert(key, Int32(g))
                groupUnit.append(u)
                groupDomain.append(d)
                totals.append(contentsOf: repeatElement(0, count: L))
            }
            let qw = st.sums[s * W + 2]
            totals[g * L] += qw
            totals[g * L + l] += qw
        }
        var scores = Scores()
        for g in groupUnit.indices {
            let base = g * L
            for e in estimatesOfDomain[Int(groupDomain[g])] {
                let p = specs[e]
                scores.append(unit: groupUnit[g], estimate: Int32(e),
                              value: p.cDomain * totals[base] + p.cw * totals[base + Int(p.level)])
            }
        }
        return scores
    }
}
