import MicrodataReaders

/// Sums of one analysis, accumulated in the single pass over the batches.
///
/// One slot per (domain, level, unit) that has rows; every slot carries
/// `count, rows, Σw, Σwy, Σwy², Σwx` (`count` = contributing rows, `rows` = domain rows including missing
/// analysis values). Replicate sums are kept per slot and replicate as `Σw_r, Σw_r y, Σw_r y², Σw_r x`.
struct AnalysisState {
    static let width = 6
    static let repWidth = 4

    let analysis: Analysis
    var categorical: Bool? = nil
    var levelCoders: [ValueCoder]
    var levelMap = IndexTable(capacity: 64)
    var levelLabels: [String] = [""]  // level 0 = no level / missing
    /// Each level's value of every analysis variable (level 0 empty).
    var levelParts: [[String]] = [[]]
    var slotMap = IndexTable()
    var slotDomain: [Int32] = []
    var slotLevel: [Int32] = []
    var slotUnit: [Int32] = []
    var sums: [Double] = []
    var rep: [Double] = []
    var replicateCount = 0
    /// Calibration: per slot Σ d·q·x for q = 1, y, y², x_den (4 × p values).
    var calibrationWidth = 0
    var dxq: [Double] = []
    /// Raking: per slot unweighted Σ q·x (4 × p values).
    var uxq: [Double] = []
    var raking = false
    /// Iterative calibration: per contributing row, its calibration row, slot and `d·q` for the 4 q's.
    var calibrationRows = false
    var calibrationRow: [Int32] = []
    var calibrationSlot: [Int32] = []
    var calibrationDQ: [Double] = []
    // Quantile rows.
    var qx: [Double] = []
    var qw: [Double] = []
    var qdomain: [Int32] = []
    var qunit: [Int32] = []
    var qrow: [Int32] = []
    /// Calibrated or raked designs: per quantile row, its stored calibration row (−1: none) and its input weight;
    /// under linearisation also its calibration vector x (calibration) or joint cell (raking).
    var qcalibrationRow: [Int32] = []
    var qinputWeight: [Double] = []
    var qcalibrationX: [Double] = []
    var qjoint: [Int32] = []
    /// Replicate designs: the replicate weights of the quantile rows, in their order.
    var qreplicates: ReplicateSpill?
    // Rows of a categorical analysis, kept for likelihood proportion intervals.
    var keepRows = false
    /// Numeric analyses: per-domain contributors of the analysis variable (the numerator) and, for
    /// ratios, of the denominator.
    var numerators: ContributorAccumulator
    var denominators: ContributorAccumulator
    var rowWeight: [Double] = []
    var rowLevel: [Int32] = []
    var rowDomain: [Int32] = []
    var rowUnit: [Int32] = []
    /// Designs without PSUs: per slot, the central moments of its rows' `(w, y, x)` (``MomentLayout``), from
    /// which the variance is written in closed form instead of keeping a slot per row.
    var momentLayout: MomentLayout? = nil
    var moments: [Double] = []
    /// The batch being added: its own moments per slot (two passes), then merged into `moments`.
    var batchMoments: [Double] = []

    init(analysis: Analysis, keptContributions: Int = 4) {
        self.analysis = analysis
        numerators = ContributorAccumulator(kept: keptContributions)
        denominators = ContributorAccumulator(kept: keptContributions)
        levelCoders = Array(repeating: ValueCoder(), count: analysis.variables.count)
    }

    // A dense (unit × cell) index in front of the hash while it stays small (fewer cache misses).
    var cellMap = IndexTable(capacity: 64)
    /// The cells of levels below 16 by `domain << 4 | level`, in front of `cellMap` (−1: not yet looked up).
    var cellCache: [Int32] = []
    var cellCount = 0
    var cellCap = 8
    var dense: [Int32] = []
    var denseUnits = 0
    var denseOn = true
    static let denseLimit = 1 << 22

    @inline(__always)
    mutating func slot(domain: Int32, level: Int32, unit: Int32) -> Int {
        let cellKey = UInt64(UInt32(domain)) << 12 | UInt64(UInt32(level))
        if denseOn {
            var c: Int
            let ci = Int(domain) << 4 | Int(level)
            if level < 16 && ci < cellCache.count && cellCache[ci] >= 0 {
                c = Int(cellCache[ci])
            } else {
                if let existing = cellMap[cellKey] {
                    c = Int(existing)
                } else {
                    c = cellCount
                    cellMap.insert(cellKey, Int32(c))
                    cellCount += 1
                    if c >= cellCap { widenDense() }
                }
                if level < 16 && domain < 1 << 16 {
                    if ci >= cellCache.count {
                        cellCache.append(contentsOf: repeatElement(-1, count: max(ci + 1, 2 * cellCache.count) - cellCache.count))
                    }
                    cellCache[ci] = Int32(c)
                }
            }
            let u = Int(unit)
            if u >= denseUnits { growDense(to: u + 1) }
            if denseOn {
                let i = u * cellCap + c
                let s = dense[i]
                if s >= 0 { return Int(s) }
                let new = newSlot(UInt64(UInt32(domain)) << 44 | UInt64(UInt32(level)) << 32 | UInt64(UInt32(unit)),
                                  domain, level, unit)
                dense[i] = Int32(new)
                return new
            }
        }
        let key = UInt64(UInt32(domain)) << 44 | UInt64(UInt32(level)) << 32 | UInt64(UInt32(unit))
        if let s = slotMap[key] { return Int(s) }
        return newSlot(key, domain, level, unit)
    }

    private mutating func newSlot(_ key: UInt64, _ domain: Int32, _ level: Int32, _ unit: Int32) -> Int {
        let s = Int32(slotDomain.count)
        if !denseOn { slotMap.insert(key, s) }
        slotDomain.append(domain)
        slotLevel.append(level)
        slotUnit.append(unit)
        sums.append(contentsOf: repeatElement(0, count: Self.width))
        if calibrationWidth > 0 { dxq.append(contentsOf: repeatElement(0, count: calibrationWidth)) }
        if raking { uxq.append(contentsOf: repeatElement(0, count: calibrationWidth)) }
        if replicateCount > 0 { rep.append(contentsOf: repeatElement(0, count: replicateCount * Self.repWidth)) }
        if let m = momentLayout { moments.append(contentsOf: repeatElement(0, count: m.stride)) }
        return Int(s)
    }

    private mutating func growDense(to units: Int) {
        let target = max(units, denseUnits * 2, 64)
        if target * cellCap > Self.denseLimit {
            leaveDense()
            return
        }
        dense.append(contentsOf: repeatElement(-1, count: (target - denseUnits) * cellCap))
        denseUnits = target
    }

    /// Switches to the hash alone, filling it with every slot so far.
    private mutating func leaveDense() {
        denseOn = false
        dense = []
        for i in slotDomain.indices {
            slotMap.insert(UInt64(UInt32(slotDomain[i])) << 44 | UInt64(UInt32(slotLevel[i])) << 32
                               | UInt64(UInt32(slotUnit[i])), Int32(i))
        }
    }

    private mutating func widenDense() {
        let newCap = cellCap * 2
        if denseUnits * newCap > Self.denseLimit {
            leaveDense()
            return
        }
        var wider = [Int32](repeating: -1, count: denseUnits * newCap)
        for u in 0..<denseUnits {
            for c in 0..<cellCap { wider[u * newCap + c] = dense[u * cellCap + c] }
        }
        dense = wider
        cellCap = newCap
    }

    /// For a one-variable categorical analysis: the level of each code of its coder (−1 = not yet seen).
    var levelOfCode: [Int32] = []

    /// The slot of every row of a batch that is in a domain (−1 for the rest) and, for a categorical
    /// analysis, its level (0 = missing). Slots and levels are created in row order.
    mutating func assignSlots(
        _ columns: [Column], domains: [Int32], units: [Int32], count n: Int
    ) throws -> (slots: [Int32], levels: [Int32]) {
        var slots = [Int32](repeating: -1, count: n)
        guard categorical! else {
            for row in 0..<n where domains[row] >= 0 {
                slots[row] = Int32(truncatingIfNeeded: slot(domain: domains[row], level: 0, unit: units[row]))
            }
            return (slots, [])
        }
        var levels = [Int32](repeating: 0, count: n)
        if columns.count == 1 {
            let codes = levelCoders[0].codes(columns[0], n)
            for row in 0..<n where domains[row] >= 0 {
                let c = Int(codes[row])
                var level: Int32 = 0
                if c >= 0 {
                    if c < levelOfCode.count, levelOfCode[c] >= 0 {
                        level = levelOfCode[c]
                    } else {
                        level = try self.level(columns, row)!
                        while levelOfCode.count <= c { levelOfCode.append(-1) }
                        levelOfCode[c] = level
                    }
                }
                levels[row] = level
                slots[row] = Int32(truncatingIfNeeded: slot(domain: domains[row], level: level, unit: units[row]))
            }
        } else {
            for row in 0..<n where domains[row] >= 0 {
                let level = try self.level(columns, row) ?? 0
                levels[row] = level
                slots[row] = Int32(truncatingIfNeeded: slot(domain: domains[row], level: level, unit: units[row]))
            }
        }
        return (slots, levels)
    }

    /// Whether a row in a domain contributes to the estimate: its level, or its analysis values, are present.
    @inline(__always)
    static func contributes(_ row: Int, categorical: Bool, levels: [Int32], y: [Double], xd: [Double]) -> Bool {
        if categorical { return levels[row] != 0 }
        if y[row].isNaN { return false }
        return xd.isEmpty || !xd[row].isNaN
    }

    /// Adds a batch's rows to their slots: counts, `Σw, Σwy, Σwy², Σwx`, replicate sums, and the rows kept for
    /// quantiles and likelihood intervals. `y` and `xd` are empty for a categorical analysis, `xd` for all
    /// but a ratio; `replicates` holds replicate weights already multiplied out.
    mutating func addRows(
        slots: [Int32], levels: [Int32], weights w: [Double], y: [Double], xd: [Double], units: [Int32],
        domains: [Int32], replicates: [[Double]], firstRowNumber: Int
    ) throws {
        let n = slots.count
        let W = Self.width
        let isCategorical = categorical!
        let isRatio = !xd.isEmpty
        sums.withUnsafeMutableBufferPointer { S in
            for row in 0..<n {
                let s = Int(slots[row])
                if s < 0 { continue }
                let b = s * W
                S[b + 1] += 1
                if isCategorical {
                    if levels[row] == 0 { continue }
                    S[b] += 1
                    S[b + 2] += w[row]
                } else {
                    let v = y[row], wr = w[row]
                    if v.isNaN { continue }
                    if isRatio {
                        let x = xd[row]
                        if x.isNaN { continue }
                        S[b] += 1
                        S[b + 2] += wr
                        S[b + 3] += wr * v
                        S[b + 5] += wr * x
                    } else {
                        S[b] += 1
                        S[b + 2] += wr
                        S[b + 3] += wr * v
                        S[b + 4] += wr * v * v
                    }
                }
            }
        }
        if let layout = momentLayout { addMoments(layout, slots: slots, levels: levels, weights: w, y: y, xd: xd) }
        if !isCategorical && !analysis.keepsSortedRows {
            for row in 0..<n where slots[row] >= 0 && !y[row].isNaN && (!isRatio || !xd[row].isNaN) {
                let d = Int(domains[row])
                numerators.add(domain: d, value: y[row], weight: w[row])
                if isRatio { denominators.add(domain: d, value: xd[row], weight: w[row]) }
            }
        }
        let R = replicates.count
        if R > 0 {
            let RW = Self.repWidth
            rep.withUnsafeMutableBufferPointer { P in
                for r in 0..<R {
                    let rw = replicates[r]
                    for row in 0..<n {
                        let s = Int(slots[row])
                        if s < 0 || !Self.contributes(row, categorical: isCategorical, levels: levels, y: y, xd: xd) {
                            continue
                        }
                        let b = (s * R + r) * RW
                        let f = rw[row]
                        P[b] += f
                        if isCategorical { continue }
                        P[b + 1] += f * y[row]
                        if isRatio { P[b + 3] += f * xd[row] } else { P[b + 2] += f * y[row] * y[row] }
                    }
                }
            }
        }
        if keepRows && isCategorical {  // likelihood intervals are for proportions; means and totals are Wald
            for row in 0..<n where slots[row] >= 0 && levels[row] != 0 {
                rowWeight.append(w[row])
                rowLevel.append(levels[row])
                rowDomain.append(domains[row])
                rowUnit.append(units[row])
            }
        }
        if analysis.keepsSortedRows {
            if R > 0 && qreplicates == nil { qreplicates = try ReplicateSpill(replicates: R) }
            for row in 0..<n where slots[row] >= 0 && !y[row].isNaN {
                qx.append(y[row])
                qw.append(w[row])
                qdomain.append(domains[row])
                qunit.append(units[row])
                qrow.append(Int32(truncatingIfNeeded: firstRowNumber + row))
                try qreplicates?.append(replicates, row: row)
            }
        }
    }

    /// Adds the batch's contributing rows to the moments of their slots: the batch's own centres per slot, the
    /// powers of the deviations from them, then a merge into the running moments.
    private mutating func addMoments(
        _ layout: MomentLayout, slots: [Int32], levels: [Int32], weights w: [Double], y: [Double], xd: [Double]
    ) {
        let n = slots.count
        let st = layout.stride
        let count = layout.index(0, 0, 0)
        let isCategorical = categorical!
        if batchMoments.count < moments.count {
            batchMoments.append(contentsOf: repeatElement(0, count: moments.count - batchMoments.count))
        }
        var touched: [Int32] = []
        batchMoments.withUnsafeMutableBufferPointer { B in
            let b = B.baseAddress!
            for row in 0..<n {
                let s = Int(slots[row])
                if s < 0 || !Self.contributes(row, categorical: isCategorical, levels: levels, y: y, xd: xd) { continue }
                let m = b + s * st
                if m[count] == 0 { touched.append(Int32(s)) }
                m[count] += 1
                m[0] += w[row]
                if !isCategorical {
                    m[1] += y[row]
                    if !xd.isEmpty { m[2] += xd[row] }
                }
            }
            for s in touched {
                let m = b + Int(s) * st
                let k = m[count]
                m[0] /= k
                m[1] /= k
                m[2] /= k
                m[count] = 0
            }
            for row in 0..<n {
                let s = Int(slots[row])
                if s < 0 || !Self.contributes(row, categorical: isCategorical, levels: levels, y: y, xd: xd) { continue }
                let m = b + s * st
                layout.add(m, w[row] - m[0], isCategorical ? 0 : y[row] - m[1], xd.isEmpty ? 0 : xd[row] - m[2])
            }
            moments.withUnsafeMutableBufferPointer { M in
                for s in touched {
                    let m = b + Int(s) * st
                    layout.merge(into: M.baseAddress! + Int(s) * st, from: m)
                    for k in 0..<st { m[k] = 0 }
                }
            }
        }
    }

    /// Adds one row's calibration sums `Σ d·q·x` (and, for raking, `Σ q·x`) to slot `s`; for iterative
    /// calibration also keeps the row's `d·q`.
    mutating func addCalibration(
        slot s: Int, w: Double, y: Double, xd: Double, x: [Double], calibrationIndex: Int32
    ) {
        let p = x.count
        func add(_ q: Int, _ v: Double) {
            let base = s * 4 * p + q * p
            for j in 0..<p where x[j] != 0 {
                dxq[base + j] += v * x[j]
                if raking { uxq[base + j] += v / w * x[j] }
            }
            if calibrationIndex >= 0 {
                if q == 0 {
                    calibrationRow.append(calibrationIndex)
                    calibrationSlot.append(Int32(s))
                    calibrationDQ.append(contentsOf: repeatElement(0, count: 4))
                }
                calibrationDQ[calibrationDQ.count - 4 + q] = v
            }
        }
        add(0, w)
        if categorical! { return }
        add(1, w * y)
        if analysis.kind == .ratio { add(3, w * xd) } else { add(2, w * y * y) }
    }

    /// Keeps what the calibrated weight and the calibration residual of a quantile row need; called for the
    /// same rows, in the same order, as the quantile rows are kept.
    mutating func addQuantileCalibration(x: [Double], calibrationIndex: Int32, joint: Bool, keepX: Bool) {
        qcalibrationRow.append(calibrationIndex)
        guard keepX else { return }
        if joint {
            qjoint.append(Int32(x.firstIndex { $0 != 0 } ?? 0))
        } else {
            qcalibrationX.append(contentsOf: x)
        }
    }

    /// The level code of a row for a categorical analysis (1-based), or `nil` when any part is missing.
    @inline(__always)
    mutating func level(_ columns: [Column], _ row: Int) throws -> Int32? {
        var key: UInt64 = 0
        for (k, column) in columns.enumerated() {
            guard let c = levelCoders[k].code(column, row) else { return nil }
            key = key &* 4099 &+ UInt64(c)
        }
        if let l = levelMap[key] { return l }
        let l = Int32(levelLabels.count)
        if l >= 4095 {
            throw WeightingError.invalidRequest("'\(analysis.label)' has more than 4094 categories")
        }
        levelMap.insert(key, l)
        var parts: [String] = []
        for k in columns.indices {
            let c = levelCoders[k].code(columns[k], row)!
            parts.append(levelCoders[k].label(Int(c)))
        }
        levelLabels.append(parts.joined(separator: "."))
        levelParts.append(parts)
        return l
    }
}
