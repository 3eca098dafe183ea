extension SurveyEstimator {
    /// One run of iterative proportional fitting on the joint table of the raking margins.
    struct RakingRun {
        /// The raking factor of each joint cell.
        var g: [Double]
        /// g after each margin's step in the last sweep.
        var steps: [[Double]]
        var sweeps: Int
        var converged: Bool
    }

    /// R `rake()`: post-stratifies the joint-cell totals `w` to each margin in turn, sweep after sweep, until the
    /// largest change of a cell between sweeps is below `tolerance` or after `maxSweeps` sweeps; with no
    /// tolerance, exactly `maxSweeps` sweeps (a replicate does as many sweeps as the full sample).
    func rakeJointCells(
        _ cells: [Double], _ raking: Raking, tolerance: Double?, maxSweeps: Int, replicate: Int? = nil
    ) throws -> RakingRun {
        let p = cells.count
        let categories = jointCategories()
        var w = cells
        var g = [Double](repeating: 1, count: p)
        var old = w
        var steps: [[Double]] = []
        var sweeps = 0
        while sweeps < maxSweeps {
            steps = []
            for (m, margin) in raking.margins.enumerated() {
                for (c, level) in rakingLevels[m].enumerated() {
                    var sample = 0.0
                    for j in 0..<p where categories[m][j] == c { sample += w[j] }
                    let target = margin.totals[level]!
                    if sample == 0 {
                        if target == 0 { continue }
                        throw WeightingError.invalidDesign(
                            "raking: '\(margin.column)' level \(level) has a population total but no sample"
                                + (replicate.map { " in replicate \($0 + 1)" } ?? ""))
                    }
                    let factor = target / sample
                    for j in 0..<p where categories[m][j] == c {
                        w[j] *= factor
                        g[j] *= factor
                    }
                }
                steps.append(g)
            }
            sweeps += 1
            if let tolerance {
                var delta = 0.0
                for j in 0..<p { delta = max(delta, abs(old[j] - w[j])) }
                if delta < tolerance { return RakingRun(g: g, steps: steps, sweeps: sweeps, converged: true) }
                old = w
            }
        }
        return RakingRun(g: g, steps: steps, sweeps: sweeps, converged: tolerance == nil)
    }

    /// R `rake()` on an `svyrep.design`: the full sample's raking factor of every stored calibration row, and
    /// every replicate's (rows × replicates), each replicate raked on its own joint-cell totals for `sweeps` sweeps.
    func replicateRaking(_ raking: Raking, fullSample g: [Double], sweeps: Int) throws -> (rowG: [Double], replicateG: [Double]) {
        let R = replicateNames?.count ?? 0
        let n = calibrationRowD.count
        let p = calibrationTerms
        let joint = (0..<n).map { k in (0..<p).first { calibrationRowX[k * p + $0] != 0 } ?? 0 }
        var replicateG = [Double](repeating: 1, count: n * R)
        for r in 0..<R {
            var cells = [Double](repeating: 0, count: p)
            for k in 0..<n { cells[joint[k]] += calibrationRowReplicates[k * R + r] }
            let gr = try rakeJointCells(cells, raking, tolerance: nil, maxSweeps: sweeps, replicate: r).g
            for k in 0..<n { replicateG[k * R + r] = gr[joint[k]] }
        }
        return (joint.map { g[$0] }, replicateG)
    }
}
