/// The sampling structure a Taylor variance needs: strata, PSUs, second-stage units and FPCs.
struct DesignStructure {
    var strataCount: Int
    var psuStratum: [Int32]
    /// The PSU of each unit (second-stage unit for two-stage designs, otherwise the PSU itself).
    var unitPSU: [Int32]?
    /// Design number of PSUs per stratum.
    var nh: [Int]
    /// First-stage sampling fraction per stratum (0 without FPC).
    var fh: [Double]
    /// Second-stage units per PSU and their sampling fraction (two-stage designs only).
    var mi: [Int]
    var fi: [Double]
    var twoStage: Bool
    var lonely: LonelyPSURule
    var domainLonely: Bool
    var stratumColumn: String
    var stratumLabels: [String]
    var psuLabels: [String]

    func isCertainty(_ h: Int) -> Bool { 1 - fh[h] < 1e-7 }
}

/// Score contributions: (unit, estimate, value) triples.
struct Scores {
    var unit: [Int32] = []
    var estimate: [Int32] = []
    var value: [Double] = []

    mutating func append(unit u: Int32, estimate e: Int32, value v: Double) {
        if v == 0 { return }
        unit.append(u)
        estimate.append(e)
        value.append(v)
    }
}

extension DesignStructure {
    /// The Taylor covariance (row-major E×E) of estimates whose unit scores are `scores`.
    ///
    /// `present` (per PSU) restricts lonely-PSU bookkeeping to the PSUs of one domain (R's subset
    /// semantics for `average` and for `adjustDomainLonely`); `nil` uses the whole design.
    func covariance(estimates E: Int, scores: Scores, present: [Bool]?) throws -> [Double] {
        try covariance(CovarianceBlocks(full: E, fill: 0), scores: scores, present: present).values
    }

    /// The Taylor covariance within each block of `shape` (all zero on entry): the same entries as the full
    /// matrix, computed in the same order, with memory the sum of the blocks' squares.
    func covariance(_ shape: CovarianceBlocks, scores: Scores, present: [Bool]?) throws -> CovarianceBlocks {
        let E = shape.estimateCount
        let T = scores.unit.count
        func psuOf(_ u: Int32) -> Int32 { unitPSU?[Int(u)] ?? u }
        // Counting sort of the triples by PSU; by unit within a PSU for two-stage designs.
        let P = psuStratum.count
        var bucket = [Int](repeating: 0, count: P + 1)
        for t in 0..<T { bucket[Int(psuOf(scores.unit[t])) + 1] += 1 }
        for p in 0..<P { bucket[p + 1] += bucket[p] }
        var order = [Int](repeating: 0, count: T)
        var fill = bucket
        for t in 0..<T {
            let p = Int(psuOf(scores.unit[t]))
            order[fill[p]] = t
            fill[p] += 1
        }
        if unitPSU != nil {
            for p in 0..<P where bucket[p + 1] - bucket[p] > 1 {
                order[bucket[p]..<bucket[p + 1]].sort { scores.unit[$0] < scores.unit[$1] }
            }
        }
        let H = strataCount
        // PSU totals (sparse) and per-stratum sums.
        var psuIDs: [Int32] = []
        var psuStart: [Int] = [0]
        var psuEntries: [(Int32, Double)] = []
        var sumZ = [Double](repeating: 0, count: H * E)
        var scratch = [Double](repeating: 0, count: E)
        // Marked separately: a running sum can pass through exactly zero (scores ±c cancelling in a PSU).
        var isTouched = [Bool](repeating: false, count: E)
        var touched: [Int32] = []
        var v2 = twoStage ? shape : CovarianceBlocks(full: 0, fill: 0)
        // Stage-two contributions of the current PSU, unit after unit (reused: nothing is allocated per PSU).
        var unitEntries: [(Int32, Double)] = []
        var unitStarts: [Int] = []
        let single = shape.blockCount == 1
        // Several blocks: a PSU's entries are kept in estimate order, so that the products below run over the
        // entries of each block only (not every pair of the PSU's entries).
        let grouped = !single && !twoStage
        var i = 0
        while i < T {
            let p = psuOf(scores.unit[order[i]])
            var j = i
            unitEntries.removeAll(keepingCapacity: true)
            unitStarts.removeAll(keepingCapacity: true)
            while j < T && psuOf(scores.unit[order[j]]) == p {
                let u = scores.unit[order[j]]
                if twoStage { unitStarts.append(unitEntries.count) }
                while j < T && scores.unit[order[j]] == u {
                    let e = scores.estimate[order[j]]
                    let v = scores.value[order[j]]
                    if !isTouched[Int(e)] {
                        isTouched[Int(e)] = true
                        touched.append(e)
                    }
                    scratch[Int(e)] += v
                    if twoStage { unitEntries.append((e, v)) }
                    j += 1
                }
            }
            let h = Int(psuStratum[Int(p)])
            psuIDs.append(p)
            if grouped {  // each block's entries together (the sums per entry are unchanged)
                if touched.count * 8 >= E {  // an eighth of the estimates or more: a scan in order beats sorting
                    touched.removeAll(keepingCapacity: true)
                    for e in 0..<E where isTouched[e] { touched.append(Int32(e)) }
                } else {
                    touched.sort()
                }
            }
            for e in touched {
                psuEntries.append((e, scratch[Int(e)]))
                sumZ[h * E + Int(e)] += scratch[Int(e)]
            }
            psuStart.append(psuEntries.count)
            if twoStage {
                unitStarts.append(unitEntries.count)
                try stageTwo(psu: Int(p), stratum: h, entries: unitEntries, starts: unitStarts, touched: touched,
                             scratch: scratch, into: &v2)
            }
            for e in touched {
                scratch[Int(e)] = 0
                isTouched[Int(e)] = false
            }
            touched.removeAll(keepingCapacity: true)
            i = j
        }

        // Which strata take part, and the grand mean of PSU totals (for `adjust`).
        var presentCount = [Int](repeating: 0, count: H)
        if let present {
            for p in present.indices where present[p] { presentCount[Int(psuStratum[p])] += 1 }
        }
        var grand = [Double](repeating: 0, count: E)
        var totalPSUs = 0
        for h in 0..<H where present == nil || presentCount[h] > 0 {
            totalPSUs += nh[h]
            for e in 0..<E { grand[e] += sumZ[h * E + e] }
        }
        if totalPSUs > 0 { for e in 0..<E { grand[e] /= Double(totalPSUs) } }

        var v1 = shape
        let (coefficient, centreAtGrand, strataUsed, strataNA) = try stratumTerms(
            presentCount: present == nil ? nil : presentCount)
        // Σ_i z_i z_i' per stratum, then the centring term. Each (a, b) gets one product per PSU, in PSU order.
        v1.values.withUnsafeMutableBufferPointer { out in
            psuEntries.withUnsafeBufferPointer { entries in
                for k in psuIDs.indices {
                    let c = coefficient[Int(psuStratum[Int(psuIDs[k])])]
                    if c == 0 { continue }
                    let lo = psuStart[k], hi = psuStart[k + 1]
                    if grouped {
                        var g = lo
                        while g < hi {
                            let block = shape.block(of: Int(entries[g].0))
                            var gEnd = g + 1
                            while gEnd < hi && Int(entries[gEnd].0) < block.upperBound { gEnd += 1 }
                            for i in g..<gEnd {
                                let a = Int(entries[i].0)
                                let row = shape.position(a, a) - a
                                let cva = c * entries[i].1
                                for j in g..<gEnd { out[row + Int(entries[j].0)] += cva * entries[j].1 }
                            }
                            g = gEnd
                        }
                        continue
                    }
                    for i in lo..<hi {
                        let a = Int(entries[i].0)
                        let row = single ? a * E : shape.position(a, a) - a
                        let cva = c * entries[i].1
                        for j in lo..<hi where single || shape.shareBlock(a, Int(entries[j].0)) {
                            out[row + Int(entries[j].0)] += cva * entries[j].1
                        }
                    }
                }
            }
        }
        for h in 0..<H where coefficient[h] != 0 {
            let c = coefficient[h]
            let n = Double(nh[h])
            if centreAtGrand[h] {
                // Σ_i (z_i − g)(z_i − g)' = Σ z z' − S g' − g S' + n g g'  (empty PSUs are zero rows)
                for a in 0..<E {
                    let sa = sumZ[h * E + a]
                    for b in shape.block(of: a) {
                        v1[a, b] += c * (-sa * grand[b] - grand[a] * sumZ[h * E + b] + n * grand[a] * grand[b])
                    }
                }
            } else {
                for a in 0..<E {
                    let sa = sumZ[h * E + a]
                    if sa == 0 { continue }
                    for b in shape.block(of: a) { v1[a, b] -= c * sa * sumZ[h * E + b] / n }
                }
            }
        }
        if strataNA > 0 {
            let ok = strataUsed - strataNA
            let scale = ok > 0 ? Double(strataUsed) / Double(ok) : .nan
            for k in v1.values.indices { v1.values[k] *= scale }
        }
        if twoStage { for k in v1.values.indices { v1.values[k] += v2.values[k] } }
        return v1
    }

    /// Per stratum: the factor of its PSU totals' sum of squares (`(1 − f) n/(n − 1)`, or the lonely-PSU
    /// rule's), whether they are centred at the grand mean, and how many strata take part and have no
    /// variance (for ``LonelyPSURule/average``). `presentCount` (PSUs of one domain per stratum) applies
    /// the rules inside a domain; `nil` uses the whole design.
    func stratumTerms(presentCount: [Int]?) throws -> (
        coefficient: [Double], centreAtGrand: [Bool], strataUsed: Int, strataNA: Int
    ) {
        let H = strataCount
        var strataUsed = 0
        var strataNA = 0
        var coefficient = [Double](repeating: 0, count: H)
        var centreAtGrand = [Bool](repeating: false, count: H)
        for h in 0..<H {
            if let presentCount, presentCount[h] == 0 { continue }
            strataUsed += 1
            let n = nh[h]
            if isCertainty(h) { continue }
            let f = fh[h]
            if n >= 2 {
                let subsetLonely = domainLonely && presentCount != nil && presentCount![h] == 1
                if subsetLonely && lonely == .average {
                    strataNA += 1
                } else {
                    coefficient[h] = (1 - f) * Double(n) / Double(n - 1)
                    centreAtGrand[h] = subsetLonely && lonely == .adjust
                }
            } else {
                switch lonely {
                case .fail:
                    throw WeightingError.lonelyPSU(stratumColumn: stratumColumn, stratum: stratumLabels[h], stage: 1)
                case .remove, .certainty: break
                case .adjust:
                    coefficient[h] = 1 - f
                    centreAtGrand[h] = true
                case .average: strataNA += 1
                }
            }
        }
        return (coefficient, centreAtGrand, strataUsed, strataNA)
    }

    /// The second-stage term of PSU `p`: its units' entries are `entries[starts[k]..<starts[k + 1]]`, its total
    /// `scratch` at the `touched` estimates.
    private func stageTwo(
        psu p: Int, stratum h: Int, entries: [(Int32, Double)], starts: [Int], touched: [Int32], scratch: [Double],
        into v2: inout CovarianceBlocks
    ) throws {
        let m = mi[p]
        let f1 = fh[h]
        let f2 = fi[p]
        if 1 - f2 < 1e-7 { return }
        if m >= 2 {
            let c = f1 * (1 - f2) * Double(m) / Double(m - 1)
            for k in 0..<(starts.count - 1) {
                let vec = entries[starts[k]..<starts[k + 1]]
                for (a, va) in vec {
                    for (b, vb) in vec where v2.shareBlock(Int(a), Int(b)) { v2[Int(a), Int(b)] += c * va * vb }
                }
            }
            for a in touched {
                for b in touched where v2.shareBlock(Int(a), Int(b)) {
                    v2[Int(a), Int(b)] -= c * scratch[Int(a)] * scratch[Int(b)] / Double(m)
                }
            }
        } else {
            switch lonely {
            case .fail:
                throw WeightingError.lonelyPSU(stratumColumn: "PSU", stratum: psuLabels[p], stage: 2)
            case .remove, .certainty, .average: return
            case .adjust:
                let c = f1 * (1 - f2)
                for a in touched {
                    for b in touched where v2.shareBlock(Int(a), Int(b)) {
                        v2[Int(a), Int(b)] += c * scratch[Int(a)] * scratch[Int(b)]
                    }
                }
            }
        }
    }
}
