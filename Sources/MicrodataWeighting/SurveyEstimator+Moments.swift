extension SurveyEstimator {
    /// The score sums of one domain in one stratum: its rows with a score (`n`), all its rows (`rows`, missing
    /// analysis values included), each estimate's score total `S` and the centred sums of score products `C`.
    private struct MomentGroup {
        var stratum: Int
        var domain: Int
        var rows = 0
        var n = 0.0
        var total: [Double]
        var centred: [Double]
    }

    /// The score polynomial of estimate `spec` for rows of `level` (categorical analyses: `g` is constant
    /// per level, `(I_L − p_L)/W` for a proportion, `I_L` for a total).
    private func score(_ spec: EstimateSpec, level: Int32, categorical: Bool) -> CentredScore {
        guard categorical else { return spec.score }
        var s = CentredScore()
        s.a0 = spec.cDomain + (spec.level == level ? spec.cw : 0)
        return s
    }

    /// Per (stratum, domain) with rows: score totals and centred product sums from the slots' moments, the
    /// levels of a domain combined as within-level sums plus the spread of the level means.
    private func momentGroups(_ st: AnalysisState, specs: [EstimateSpec], estimatesOfDomain: [[Int]]) -> [MomentGroup] {
        let layout = st.momentLayout!
        let W = AnalysisState.width
        let categorical = st.categorical ?? false
        let order = st.slotDomain.indices.sorted {
            (st.slotUnit[$0], st.slotDomain[$0], st.slotLevel[$0]) < (st.slotUnit[$1], st.slotDomain[$1], st.slotLevel[$1])
        }
        var groups: [MomentGroup] = []
        var i = 0
        let origin = layout.index(0, 0, 0)
        st.moments.withUnsafeBufferPointer { M in
            while i < order.count {
                let h = Int(st.slotUnit[order[i]]), d = Int(st.slotDomain[order[i]])
                var j = i
                while j < order.count && Int(st.slotUnit[order[j]]) == h && Int(st.slotDomain[order[j]]) == d { j += 1 }
                let ids = estimatesOfDomain[d]
                let k = ids.count
                var g = MomentGroup(stratum: h, domain: d, total: [Double](repeating: 0, count: k),
                                    centred: [Double](repeating: 0, count: k * k))
                var means: [(n: Double, zbar: [Double])] = []
                for s in order[i..<j] {
                    g.rows += Int(st.sums[s * W + 1])
                    let m = M.baseAddress! + s * layout.stride
                    let n = m[origin]
                    if n == 0 || k == 0 { continue }
                    g.n += n
                    let centre = (m[0], m[1], m[2])
                    let terms = ids.map { score(specs[$0], level: st.slotLevel[s], categorical: categorical)
                        .terms(layout, centre: centre) }
                    var zbar = [Double](repeating: 0, count: k)
                    for a in 0..<k {
                        var sum = 0.0
                        for (index, c) in terms[a] { sum += c * m[index] }
                        g.total[a] += sum
                        zbar[a] = sum / n
                    }
                    // Within the slot: Σ (z_a − z̄_a)(z_b − z̄_b) = Σ_{α,β ≠ 0} q_α q_β (T[α+β] − T[α] T[β] / n).
                    for a in 0..<k {
                        for b in a..<k {
                            var sum = 0.0
                            for (ia, ca) in terms[a] where ia != origin {
                                for (ib, cb) in terms[b] where ib != origin {
                                    sum += ca * cb * (m[ia + ib - origin] - m[ia] * m[ib] / n)
                                }
                            }
                            g.centred[a * k + b] += sum
                        }
                    }
                    means.append((n, zbar))
                }
                // Between the levels: Σ_l n_l (z̄_la − z̄_a)(z̄_lb − z̄_b).
                if g.n > 0 {
                    for (n, zbar) in means {
                        for a in 0..<k {
                            let da = zbar[a] - g.total[a] / g.n
                            for b in a..<k { g.centred[a * k + b] += n * da * (zbar[b] - g.total[b] / g.n) }
                        }
                    }
                }
                for a in 0..<k { for b in 0..<a { g.centred[a * k + b] = g.centred[b * k + a] } }
                groups.append(g)
                i = j
            }
        }
        return groups
    }

    /// The linearised covariance of a design whose rows are its PSUs, from the moments of every (domain,
    /// level, stratum) slot rather than a score per row: in stratum h with n_h rows, the n_dh rows of domain d
    /// with a score add `c_h [C_ab + S_a S_b (n_h − n_dh)/(n_dh n_h)]` for two estimates of d and
    /// `−c_h S_a S_b / n_h` for estimates of two domains (every other row's score is zero), with the factors and
    /// lonely-PSU rules of ``DesignStructure/covariance(_:scores:present:)``, to which it is equal in exact
    /// arithmetic.
    func momentCovariance(
        _ st: AnalysisState, specs: [EstimateSpec], estimatesOfDomain: [[Int]], structure: DesignStructure,
        perDomain: Bool, bounds: [Int]
    ) throws -> CovarianceBlocks {
        let groups = momentGroups(st, specs: specs, estimatesOfDomain: estimatesOfDomain)
        let E = specs.count
        let H = structure.strataCount
        if perDomain {
            var cov = CovarianceBlocks(bounds: bounds, fill: .nan)
            var groupsOf = [[Int]](repeating: [], count: domainLabels.count)
            for (k, g) in groups.enumerated() { groupsOf[g.domain].append(k) }
            for d in groupsOf.indices where !estimatesOfDomain[d].isEmpty {
                var present = [Int](repeating: 0, count: H)
                for k in groupsOf[d] { present[groups[k].stratum] = groups[k].rows }
                let block = try stratumSum(
                    groupsOf[d].map { groups[$0] }, estimates: estimatesOfDomain[d].count, local: true,
                    estimatesOfDomain: estimatesOfDomain, shape: CovarianceBlocks(full: estimatesOfDomain[d].count, fill: 0),
                    structure: structure, presentCount: present)
                let ids = estimatesOfDomain[d]
                for (a, ea) in ids.enumerated() { for (b, eb) in ids.enumerated() { cov[ea, eb] = block[a, b] } }
            }
            return cov
        }
        return try stratumSum(groups, estimates: E, local: false, estimatesOfDomain: estimatesOfDomain,
                              shape: CovarianceBlocks(bounds: bounds, fill: 0), structure: structure, presentCount: nil)
    }

    /// Σ_h over the groups (of one domain when `local`, numbering its estimates from 0) into `shape`.
    private func stratumSum(
        _ groups: [MomentGroup], estimates E: Int, local: Bool, estimatesOfDomain: [[Int]], shape: CovarianceBlocks,
        structure: DesignStructure, presentCount: [Int]?
    ) throws -> CovarianceBlocks {
        let H = structure.strataCount
        let (coefficient, centreAtGrand, strataUsed, strataNA) = try structure.stratumTerms(presentCount: presentCount)
        func ids(_ g: MomentGroup) -> [Int] { local ? Array(0..<E) : estimatesOfDomain[g.domain] }
        // The grand mean of PSU totals over the strata taking part (lonely PSUs centred at it).
        var grand = [Double](repeating: 0, count: E)
        if centreAtGrand.contains(true) {
            var psus = 0
            for h in 0..<H where presentCount == nil || presentCount![h] > 0 { psus += structure.nh[h] }
            for g in groups { for (a, e) in ids(g).enumerated() { grand[e] += g.total[a] } }
            if psus > 0 { for e in 0..<E { grand[e] /= Double(psus) } }
        }
        var cov = shape
        var groupsOf = [[Int]](repeating: [], count: H)
        for (k, g) in groups.enumerated() { groupsOf[g.stratum].append(k) }
        for h in 0..<H where coefficient[h] != 0 {
            let c = coefficient[h]
            let nh = Double(structure.nh[h])
            var stratumTotal = [Double](repeating: 0, count: centreAtGrand[h] ? E : 0)
            for k in groupsOf[h] {
                let g = groups[k]
                let e = ids(g)
                let m = e.count
                if g.n == 0 { continue }
                for a in 0..<m {
                    if centreAtGrand[h] { stratumTotal[e[a]] = g.total[a] }
                    for b in 0..<m {
                        let ab = g.centred[a * m + b]
                        // Σ z_a z_b over the stratum's rows, centred at their mean or (lonely) about nothing yet.
                        let v = centreAtGrand[h]
                            ? ab + g.total[a] * g.total[b] / g.n
                            : ab + g.total[a] * g.total[b] * (nh - g.n) / (g.n * nh)
                        cov[e[a], e[b]] += c * v
                    }
                }
                if centreAtGrand[h] { continue }
                for k2 in groupsOf[h] where groups[k2].domain != g.domain && groups[k2].n > 0 {
                    let g2 = groups[k2]
                    let e2 = ids(g2)
                    for a in 0..<m where g.total[a] != 0 {
                        for b in e2.indices where cov.shareBlock(e[a], e2[b]) {
                            cov[e[a], e2[b]] -= c * g.total[a] * g2.total[b] / nh
                        }
                    }
                }
            }
            if centreAtGrand[h] {
                // Σ (z − g)(z − g)' = Σ z z' − S g' − g S' + n g g'  (rows outside every domain are zero rows)
                for a in 0..<E {
                    for b in cov.block(of: a) {
                        cov[a, b] += c * (-stratumTotal[a] * grand[b] - grand[a] * stratumTotal[b] + nh * grand[a] * grand[b])
                    }
                }
            }
        }
        if strataNA > 0 {
            let ok = strataUsed - strataNA
            let scale = ok > 0 ? Double(strataUsed) / Double(ok) : .nan
            for k in cov.values.indices { cov.values[k] *= scale }
        }
        return cov
    }

    /// Per domain, its weighted mean ȳ of a numeric analysis as `reference + offset`: the reference is the centre
    /// of one of its slots and the offset `Σ w (y − reference) / Σ w` comes from the deviations, so `y − ȳ`
    /// keeps the digits a rounded ȳ (1e-7 at 1e9) would lose.
    func momentMeans(_ st: AnalysisState) -> [(reference: Double, offset: Double)] {
        let layout = st.momentLayout!
        var reference = [Double?](repeating: nil, count: domainLabels.count)
        var sums = [(w: Double, wd: Double)](repeating: (0, 0), count: domainLabels.count)
        st.moments.withUnsafeBufferPointer { M in
            for s in st.slotDomain.indices {
                let d = Int(st.slotDomain[s])
                let m = M.baseAddress! + s * layout.stride
                let n = m[layout.index(0, 0, 0)]
                if n == 0 { continue }
                let ref = reference[d] ?? m[1]
                reference[d] = ref
                // Σ w = n c_w + T[1,0,0]; Σ w (y − ref) = Σ w (c_y − ref) + c_w T[0,1,0] + T[1,1,0]
                let w = n * m[0] + m[layout.index(1, 0, 0)]
                let wd = w * (m[1] - ref) + m[0] * m[layout.index(0, 1, 0)] + m[layout.index(1, 1, 0)]
                sums[d].w += w
                sums[d].wd += wd
            }
        }
        return reference.indices.map { d in (reference[d] ?? 0, sums[d].w == 0 ? 0 : sums[d].wd / sums[d].w) }
    }

    /// Per domain, `Σ w (y − ȳ)²` of a numeric analysis from its slots' moments (the design factor's and design
    /// effect's simple-random-sampling variance), ȳ from ``momentMeans(_:)``.
    func momentSquares(_ st: AnalysisState, means: [(reference: Double, offset: Double)]) -> [Double] {
        let layout = st.momentLayout!
        var out = [Double](repeating: 0, count: domainLabels.count)
        st.moments.withUnsafeBufferPointer { M in
            for s in st.slotDomain.indices {
                let d = Int(st.slotDomain[s])
                let m = M.baseAddress! + s * layout.stride
                var squares = CentredScore()
                squares.c2 = 1
                squares.mu = means[d].reference
                squares.muOffset = means[d].offset
                for (index, c) in squares.terms(layout, centre: (m[0], m[1], m[2])) { out[d] += c * m[index] }
            }
        }
        return out
    }

    /// Per domain: its rows minus the strata they are in (every row its own PSU).
    func momentDegreesOfFreedom(_ st: AnalysisState) -> [Double] {
        var rows = [Int: Int]()
        let W = AnalysisState.width
        for s in st.slotDomain.indices {
            rows[Int(st.slotDomain[s]) << 32 | Int(st.slotUnit[s]), default: 0] += Int(st.sums[s * W + 1])
        }
        var df = [Double](repeating: 0, count: domainLabels.count)
        for (key, n) in rows where n > 0 { df[key >> 32] += Double(n - 1) }
        return df
    }
}
