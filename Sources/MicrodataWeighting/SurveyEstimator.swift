import Foundation
import MicrodataReaders

/// Design-based estimation in one streaming pass.
///
/// Feed every ``Batch`` to ``add(_:)``, then call ``finish()``. The pass keeps, per analysis, sums of
/// `w, wy, wy², wx` for each (domain, category, PSU or second-stage unit) and per replicate; variances come
/// from those PSU totals (Taylor linearisation) or from replicate estimates. Each batch is worked a column at a
/// time through a few arrays of the batch's length (key codes, units, domains, slots); nothing is allocated per
/// row except where a new PSU, domain or category first appears (and the values of quantile variables, which
/// must be sorted, and for iterative calibration the calibration vector, weight and unit of every row, since
/// its g-weights are a nonlinear function of x).
public struct SurveyEstimator {
    public let design: SurveyDesign
    public let analyses: [Analysis]
    public let options: EstimationOptions

    var states: [AnalysisState]
    let taylor: Bool
    let elementPSU: Bool
    /// Second-stage units are tracked (two cluster stages with FPCs at both).
    let twoStage: Bool
    let weightsFromFPC: Bool
    /// Every row is its own PSU (no cluster column) and the variance is linearised: the rows of a stratum are
    /// not kept as PSUs; each slot is a (domain, level, stratum) and carries central moments
    /// (``MomentLayout``) from which ``finish()`` writes the variance in closed form.
    let momentVariance: Bool
    /// Rows per stratum (its PSUs, when every row is one) and rows with a non-zero weight inside the
    /// subpopulation, for ``momentVariance``.
    var stratumRows: [Int] = []
    var stratumPositive: [Int] = []

    var stratumCoder = ValueCoder()
    var psuCoder = ValueCoder()
    var ssuCoder = ValueCoder()
    var psuMap = IndexTable()
    var psuStratum: [Int32] = []
    var psuLabel: [Int32] = []
    var psuPositive: [Bool] = []
    var unitMap = IndexTable()
    var unitPSU: [Int32] = []
    var stratumFPC: [Double] = []
    var psuFPC2: [Double] = []
    var byCoders: [ValueCoder]
    var domainMap = IndexTable(capacity: 64)
    /// With one by-variable: the domain of each of its codes, in front of `domainMap` (−1: not yet looked up).
    var domainOfCode: [Int32] = []
    var domainLabels: [[String]] = []
    var rowsSeen = 0
    var replicateNames: [String]? = nil
    var gram: [Double] = []
    var needGram = false
    var kishN = 0
    var kishSum = 0.0
    var kishSum2 = 0.0
    /// Per domain: rows with a non-zero weight, Σw and Σw² (``EstimationOptions/kish``).
    var domainKish: [KishWeighting] = []
    var excludedByMissingDomain = 0
    /// Rows with a negative weight (allowed by ``SurveyDesign/allowNegativeWeights``).
    var negativeWeightRows = 0
    var unitRows: [Int] = []
    // Calibration: x per row, per-unit Σ d x and Σ d x x'.
    let calibrationTerms: Int
    var calibrationCoders: [ValueCoder] = []
    var calibrationMatch: [[Int8]] = []
    var unitDX: [Double] = []
    var unitDXX: [Double] = []
    let rakingLevels: [[String]]
    var jointRows: [Double] = []
    /// Iterative calibration (R `grake`): x, d and unit of every row with positive weight.
    let iterativeCalibration: Bool
    var calibrationRowX: [Double] = []
    var calibrationRowD: [Double] = []
    var calibrationRowUnit: [Int32] = []
    /// Calibrated replicate designs: the replicate weights of every stored calibration row (rows × replicates).
    var calibrationRowReplicates: [Double] = []

    /// Prepares a pass for `analyses` under `design`.
    public init(design: SurveyDesign, analyses: [Analysis], options: EstimationOptions = EstimationOptions()) throws {
        guard !analyses.isEmpty else { throw WeightingError.invalidRequest("nothing to estimate") }
        for a in analyses {
            if a.kind == .ratio && a.variables.count != 2 {
                throw WeightingError.invalidRequest("a ratio needs a numerator and a denominator (N/D)")
            }
            if a.kind != .proportion && a.kind != .ratio && a.kind != .total && a.variables.count != 1 {
                throw WeightingError.invalidRequest("\(a.kind.rawValue) takes one variable")
            }
            if a.kind == .quantile && (a.probabilities.isEmpty || a.probabilities.contains { !($0 >= 0 && $0 <= 1) }) {
                throw WeightingError.invalidRequest("quantile probabilities must be in [0, 1]")
            }
        }
        if design.unitWeights && design.weight != nil {
            throw WeightingError.invalidDesign("give a weight column or unit weights, not both")
        }
        if design.weight == nil && design.fpc.isEmpty && !design.unitWeights {
            throw WeightingError.invalidDesign("give a weight column (or FPCs to derive weights from)")
        }
        if design.weight == nil && !design.unitWeights && (design.replicates != nil || design.designFactor != nil) {
            throw WeightingError.invalidDesign("replicate weights and design factors need a weight column")
        }
        if design.fpc.count > max(design.clusters.count, 1) {
            throw WeightingError.invalidDesign("more FPC columns (\(design.fpc.count)) than sampling stages")
        }
        if design.fpc.count > 2 {
            throw WeightingError.invalidDesign("FPC-based variance is implemented for up to two stages")
        }
        if let deft = design.designFactor, !(deft > 0) {
            throw WeightingError.invalidDesign("the design factor must be positive, found \(deft)")
        }
        self.design = design
        self.analyses = analyses
        self.options = options
        states = analyses.map { AnalysisState(analysis: $0, keptContributions: options.keptContributions) }
        if analyses.contains(where: { $0.kind == .quantile })
            && (options.quantileInterval == .likelihood || options.quantileInterval == .wilson)
        {
            throw WeightingError.invalidRequest(
                "quantile intervals cannot use the \(options.quantileInterval.rawValue) method (R has none)")
        }
        if options.scoreQuantileInterval && (design.replicates != nil || design.designFactor != nil || !options.by.isEmpty) {
            throw WeightingError.invalidRequest(
                "the score quantile interval is implemented for linearisation designs without --by")
        }
        if options.ciMethod == .likelihood {
            if design.calibration != nil || design.raking != nil {
                throw WeightingError.invalidRequest(
                    "the likelihood proportion interval is not implemented for calibrated or raked weights")
            }
            for i in states.indices { states[i].keepRows = true }
        }
        taylor = design.replicates == nil && design.designFactor == nil
        elementPSU = design.clusters.isEmpty
        twoStage = design.clusters.count >= 2 && design.fpc.count >= 2
        weightsFromFPC = design.weight == nil && !design.unitWeights
        if options.kish && weightsFromFPC {
            throw WeightingError.invalidRequest(
                "Kish's weighting effect per domain needs a weight column or unit weights (weights derived from FPCs)")
        }
        byCoders = Array(repeating: ValueCoder(), count: options.by.count)
        if design.calibration != nil && design.raking != nil {
            throw WeightingError.invalidDesign("give calibration or raking, not both")
        }
        calibrationTerms = design.calibration?.terms.count ?? design.raking?.jointCells ?? 0
        // Replicate designs calibrate or rake every replicate (R calibrate, rake on an svyrep.design), from the stored rows.
        iterativeCalibration = (design.calibration?.isIterative ?? false)
            || ((design.calibration != nil || design.raking != nil) && design.replicates != nil)
        if let calibration = design.calibration, iterativeCalibration {
            _ = try NewtonCalibration(calibration)  // rejects impossible bounds before the pass
        }
        rakingLevels = design.raking?.levels ?? []
        if calibrationTerms > 0 {
            if (!taylor && design.replicates == nil) || design.designFactor != nil || design.jackknife || weightsFromFPC {
                throw WeightingError.invalidDesign(
                    "calibration and raking are implemented for linearisation and replicate-weight designs with a "
                        + "weight column")
            }
            calibrationCoders = Array(repeating: ValueCoder(), count: calibrationTerms)
            calibrationMatch = Array(repeating: [], count: calibrationTerms)
            for i in states.indices {
                states[i].calibrationWidth = 4 * calibrationTerms
                states[i].raking = design.raking != nil
                states[i].calibrationRows = iterativeCalibration
            }
            if let raking = design.raking {
                calibrationCoders = Array(repeating: ValueCoder(), count: raking.margins.count)
                calibrationMatch = Array(repeating: [], count: raking.margins.count)
                jointRows = [Double](repeating: 0, count: calibrationTerms)
            }
        }
        if options.by.count > 4 { throw WeightingError.invalidRequest("at most four by-variables") }
        momentVariance = taylor && elementPSU && !design.jackknife && calibrationTerms == 0
            && options.ciMethod != .likelihood && !analyses.contains { $0.keepsSortedRows }
    }

    /// Whether slots carry central moments: for the closed-form variance of designs without PSUs, and for the
    /// simple-random-sampling variance a design factor scales.
    var usesMoments: Bool { momentVariance || design.designFactor != nil }

    private func column(_ batch: Batch, _ name: String) throws -> Column {
        guard let c = batch.column(named: name) else { throw WeightingError.missingColumn(name) }
        return c
    }

    /// Accumulates one batch, a column at a time: first every row's unit and domain (checking the design),
    /// then for each analysis the slot of every row, then the sums in one tight loop per analysis.
    public mutating func add(_ batch: Batch) throws {
        let n = batch.rowCount
        let weights: [Double] = try design.weight.map { try column(batch, $0).doubles }
            ?? [Double](repeating: 1, count: n)
        let strataColumn = try design.strata.map { try column(batch, $0) }
        let psuColumn = try design.clusters.first.map { try column(batch, $0) }
        let ssuColumn = twoStage ? try column(batch, design.clusters[1]) : nil
        let fpc1 = try design.fpc.first.map { try column(batch, $0).doubles }
        let fpc2 = design.fpc.count > 1 ? try column(batch, design.fpc[1]).doubles : nil
        let byColumns = try options.by.map { try column(batch, $0) }
        let inside: [Double]? = try options.subpopulation.map { try column(batch, $0).doubles }
        if design.clusters.count > 1 { for c in design.clusters { _ = try column(batch, c) } }

        // Replicate weight columns, matched by pattern on the first batch.
        var replicateValues: [[Double]] = []
        if let spec = design.replicates {
            if replicateNames == nil {
                let regex: Regex<AnyRegexOutput>
                do { regex = try Regex(spec.pattern) } catch {
                    throw WeightingError.invalidDesign("replicate pattern /\(spec.pattern)/ is not a regular expression")
                }
                let names = batch.columns.map(\.name).filter { $0.firstMatch(of: regex) != nil }
                if names.isEmpty {
                    throw WeightingError.invalidDesign("no column matches the replicate pattern /\(spec.pattern)/")
                }
                if let rs = spec.rscales, rs.count != names.count {
                    throw WeightingError.invalidDesign(
                        "\(rs.count) rscales given for \(names.count) replicate columns")
                }
                replicateNames = names
                for i in states.indices { states[i].replicateCount = names.count }
                needGram = spec.degreesOfFreedom == nil && options.degreesOfFreedom == nil
                if needGram { gram = [Double](repeating: 0, count: names.count * names.count) }
            }
            // Replicate weights: factors times the full-sample weight, or combined weights; missing = 0.
            let factors = !spec.combinedWeights
            replicateValues = try replicateNames!.map { name in
                var v = try column(batch, name).doubles
                for row in 0..<n { v[row] = v[row].isNaN ? 0 : (factors ? v[row] * weights[row] : v[row]) }
                return v
            }
        }
        let p = calibrationTerms
        let calibrationColumns: [Column?] = try design.raking.map { r in try r.margins.map { try column(batch, $0.column) } }
            ?? (design.calibration?.terms ?? []).map { term in
            switch term {
            case .intercept: return nil
            case .level(let c, _, _), .numeric(let c, _): return try column(batch, c)
            }
        }

        // Analysis columns.
        var numeric: [[[Double]]] = []
        var categoricalColumns: [[Column]] = []
        for i in states.indices {
            let cols = try states[i].analysis.variables.map { try column(batch, $0) }
            if states[i].categorical == nil {
                let a = states[i].analysis
                if a.kind == .proportion || (a.kind == .total && a.variables.count > 1) {
                    states[i].categorical = true
                } else if a.kind == .mean || a.kind == .total, case .text = cols[0].storage {
                    states[i].categorical = true
                } else {
                    states[i].categorical = false
                }
            }
            if usesMoments && states[i].momentLayout == nil && !states[i].analysis.keepsSortedRows {
                states[i].momentLayout = MomentLayout(kind: states[i].analysis.kind, categorical: states[i].categorical!)
            }
            if states[i].categorical! {
                numeric.append([])
                categoricalColumns.append(cols)
            } else {
                numeric.append(cols.map(\.doubles))
                categoricalColumns.append([])
            }
        }

        // The design: every row's unit (PSU or second-stage unit) and domain (−1: zero weight or no domain).
        let stratumCodes = taylor ? strataColumn.map { stratumCoder.codes($0, n) } : nil
        let psuCodes = taylor ? psuColumn.map { psuCoder.codes($0, n) } : nil
        let ssuCodes = taylor ? ssuColumn.map { ssuCoder.codes($0, n) } : nil
        var byCodes: [[Int32]] = []
        for k in byColumns.indices { byCodes.append(byCoders[k].codes(byColumns[k], n)) }
        for k in byCoders.indices where byCoders[k].count > 65_000 {
            throw WeightingError.invalidRequest("'\(options.by[k])' has too many values")
        }
        var units = [Int32](repeating: 0, count: n)
        var domains = [Int32](repeating: -1, count: n)
        for row in 0..<n {
            let rowNumber = rowsSeen + row + 1
            let w = weights[row]
            if design.weight != nil
                && (!w.isFinite || (w < 0 && !design.allowNegativeWeights) || (w == 0 && !design.allowZeroWeights))
            {
                throw WeightingError.invalidWeight(
                    column: design.weight!, row: rowNumber, value: w.isNaN ? "missing" : String(w))
            }
            var unit: Int32 = 0
            if taylor {
                var s: Int32 = 0
                if let stratumCodes {
                    s = stratumCodes[row]
                    if s < 0 { throw WeightingError.missingDesignValue(column: design.strata!, row: rowNumber) }
                }
                while stratumFPC.count <= Int(s) { stratumFPC.append(.nan) }
                if let fpc1 {
                    let f = fpc1[row]
                    if f.isNaN { throw WeightingError.missingDesignValue(column: design.fpc[0], row: rowNumber) }
                    if stratumFPC[Int(s)].isNaN {
                        stratumFPC[Int(s)] = f
                    } else if stratumFPC[Int(s)] != f {
                        throw WeightingError.invalidDesign(
                            "fpc column '\(design.fpc[0])' varies within stratum (\(stratumLabel(s))) at row \(rowNumber)")
                    }
                }
                var psu: Int32
                if momentVariance {
                    psu = s
                    while stratumRows.count <= Int(s) {
                        stratumRows.append(0)
                        stratumPositive.append(0)
                    }
                    stratumRows[Int(s)] += 1
                    if w != 0 && (inside.map { $0[row] != 0 && !$0[row].isNaN } ?? true) { stratumPositive[Int(s)] += 1 }
                } else if let psuCodes {
                    let v = psuCodes[row]
                    if v < 0 { throw WeightingError.missingDesignValue(column: design.clusters[0], row: rowNumber) }
                    psu = try psuSlot(stratum: s, code: v)
                } else {
                    psu = Int32(psuStratum.count)
                    newPSU(stratum: s, label: -1)
                }
                if !momentVariance && w != 0 && (inside.map { $0[row] != 0 && !$0[row].isNaN } ?? true) {
                    psuPositive[Int(psu)] = true
                }
                if let ssuCodes {
                    let v = ssuCodes[row]
                    if v < 0 { throw WeightingError.missingDesignValue(column: design.clusters[1], row: rowNumber) }
                    let key = UInt64(UInt32(psu)) << 32 | UInt64(UInt32(v))
                    if let u = unitMap[key] {
                        unit = u
                    } else {
                        unit = Int32(unitPSU.count)
                        unitMap.insert(key, unit)
                        unitPSU.append(psu)
                    }
                    if let fpc2 {
                        let f = fpc2[row]
                        if f.isNaN { throw WeightingError.missingDesignValue(column: design.fpc[1], row: rowNumber) }
                        psuFPC2[Int(psu)] = f
                    }
                } else {
                    unit = psu
                }
            }
            units[row] = unit
            if weightsFromFPC {
                while unitRows.count <= Int(unit) { unitRows.append(0) }
                unitRows[Int(unit)] += 1
            }
            // Outside the subpopulation a row keeps its unit but weighs nothing (R sets its probability to Inf).
            if let inside, inside[row] == 0 || inside[row].isNaN { continue }
            kishN += w != 0 ? 1 : 0
            if w < 0 { negativeWeightRows += 1 }
            kishSum += w
            kishSum2 += w * w
            if w == 0 { continue }

            var domain: Int32 = 0
            if byCodes.count == 1, case let c = Int(byCodes[0][row]), c >= 0, c < domainOfCode.count, domainOfCode[c] >= 0 {
                domain = domainOfCode[c]
            } else if !byCodes.isEmpty {
                var key: UInt64 = 0
                var missing = false
                for k in byCodes.indices {
                    let c = byCodes[k][row]
                    if c < 0 { missing = true; break }
                    if c > 0xFFFF { throw tooManyDomains() }  // the domain key holds 16 bits per by-variable
                    key |= UInt64(UInt16(truncatingIfNeeded: c)) << (16 * UInt64(k))
                }
                if missing {
                    excludedByMissingDomain += 1
                    continue
                }
                if let d = domainMap[key] {
                    domain = d
                } else {
                    domain = Int32(domainLabels.count)
                    if domainLabels.count >= options.maxDomains { throw tooManyDomains() }
                    domainMap.insert(key, domain)
                    domainLabels.append(byCodes.indices.map { byCoders[$0].label(Int(byCodes[$0][row])) })
                }
                if byCodes.count == 1 {
                    let c = Int(byCodes[0][row])
                    if c >= domainOfCode.count {
                        domainOfCode.append(contentsOf: repeatElement(-1, count: max(c + 1, 2 * domainOfCode.count) - domainOfCode.count))
                    }
                    domainOfCode[c] = domain
                }
            } else if domainLabels.isEmpty {
                domainLabels.append([])
            }
            domains[row] = domain
            if options.kish {
                while domainKish.count <= Int(domain) {
                    domainKish.append(KishWeighting(n: 0, sumWeights: 0, sumSquaredWeights: 0))
                }
                domainKish[Int(domain)].n += 1
                domainKish[Int(domain)].sumWeights += w
                domainKish[Int(domain)].sumSquaredWeights += w * w
            }
        }

        // Each analysis: the slot of every row, then its sums.
        var slots: [[Int32]] = []
        var levels: [[Int32]] = []
        for i in states.indices {
            let (s, l) = try states[i].assignSlots(categoricalColumns[i], domains: domains, units: units, count: n)
            slots.append(s)
            levels.append(l)
        }
        let ys = numeric.map { $0.first ?? [] }
        let xds = numeric.map { $0.count > 1 ? $0[1] : [] }
        if p > 0 {
            var x = [Double](repeating: 0, count: p)
            for row in 0..<n {
                let rowNumber = rowsSeen + row + 1
                let w = weights[row]
                try calibrationRow(&x, calibrationColumns, row: row, rowNumber: rowNumber)
                var calibrationIndex: Int32 = -1
                if iterativeCalibration && w > 0 {
                    calibrationIndex = Int32(calibrationRowD.count)
                    calibrationRowX.append(contentsOf: x)
                    calibrationRowD.append(w)
                    calibrationRowUnit.append(units[row])
                    for r in replicateValues.indices { calibrationRowReplicates.append(replicateValues[r][row]) }
                }
                let u = Int(units[row])
                if unitDX.count < (u + 1) * p {
                    unitDX.append(contentsOf: repeatElement(0, count: (u + 1) * p - unitDX.count))
                    unitDXX.append(contentsOf: repeatElement(0, count: (u + 1) * p * p - unitDXX.count))
                }
                for a in 0..<p where x[a] != 0 {
                    unitDX[u * p + a] += w * x[a]
                    for b in 0..<p { unitDXX[(u * p + a) * p + b] += w * x[a] * x[b] }
                }
                for i in states.indices where slots[i][row] >= 0 {
                    let y = ys[i], xd = xds[i]
                    guard AnalysisState.contributes(row, categorical: states[i].categorical!, levels: levels[i],
                                                    y: y, xd: xd) else { continue }
                    states[i].addCalibration(slot: Int(slots[i][row]), w: w, y: y.isEmpty ? 0 : y[row],
                                             xd: xd.isEmpty ? 0 : xd[row], x: x, calibrationIndex: calibrationIndex)
                    if states[i].analysis.kind == .quantile {
                        states[i].addQuantileCalibration(x: x, calibrationIndex: calibrationIndex,
                                                         joint: design.raking != nil, keepX: taylor)
                    }
                }
            }
        }
        if needGram {
            let R = replicateValues.count
            var repRow = [Double](repeating: 0, count: R)
            gram.withUnsafeMutableBufferPointer { g in
                for row in 0..<n {
                    // R drops the rows outside a subset of a replicate design, and its degf with them.
                    if let inside, inside[row] == 0 || inside[row].isNaN { continue }
                    for r in 0..<R { repRow[r] = replicateValues[r][row] }
                    for a in 0..<R where repRow[a] != 0 {
                        let ra = repRow[a]
                        for b in a..<R { g[a * R + b] += ra * repRow[b] }
                    }
                }
            }
        }
        for i in states.indices {
            try states[i].addRows(
                slots: slots[i], levels: levels[i], weights: weights, y: ys[i], xd: xds[i], units: units,
                domains: domains,
                replicates: replicateValues, firstRowNumber: rowsSeen + 1)
        }
        rowsSeen += n
    }

    private mutating func calibrationRow(_ x: inout [Double], _ columns: [Column?], row: Int, rowNumber: Int) throws {
        if let raking = design.raking {
            var joint = 0
            for (m, margin) in raking.margins.enumerated() {
                guard let c = calibrationCoders[m].code(columns[m]!, row) else {
                    throw WeightingError.missingDesignValue(column: margin.column, row: rowNumber)
                }
                let ci = Int(c)
                while calibrationMatch[m].count <= ci { calibrationMatch[m].append(-1) }
                if calibrationMatch[m][ci] < 0 {
                    let label = calibrationCoders[m].label(ci)
                    guard let index = rakingLevels[m].firstIndex(of: label) else {
                        throw WeightingError.invalidDesign(
                            "'\(margin.column)' value \(label) (row \(rowNumber)) has no population total for raking")
                    }
                    calibrationMatch[m][ci] = Int8(clamping: index)
                }
                joint = joint * rakingLevels[m].count + Int(calibrationMatch[m][ci])
            }
            for j in x.indices { x[j] = 0 }
            x[joint] = 1
            jointRows[joint] += 1
            return
        }
        for (k, term) in design.calibration!.terms.enumerated() {
            switch term {
            case .intercept: x[k] = 1
            case .numeric(let name, _):
                guard let v = columns[k]!.double(at: row) else {
                    throw WeightingError.missingDesignValue(column: name, row: rowNumber)
                }
                x[k] = v
            case .level(let name, let value, _):
                guard let c = calibrationCoders[k].code(columns[k]!, row) else {
                    throw WeightingError.missingDesignValue(column: name, row: rowNumber)
                }
                let ci = Int(c)
                while calibrationMatch[k].count <= ci { calibrationMatch[k].append(-1) }
                if calibrationMatch[k][ci] < 0 {
                    calibrationMatch[k][ci] = calibrationCoders[k].label(ci) == value ? 1 : 0
                }
                x[k] = Double(calibrationMatch[k][ci])
            }
        }
    }

    /// The PSU slot of PSU code `v` in stratum `s`, added the first time the PSU is seen (PSU codes are assigned in
    /// order of first appearance, so without nesting a new code is the next slot).
    @inline(__always)
    mutating func psuSlot(stratum s: Int32, code v: Int32) throws -> Int32 {
        if design.nest {
            let key = UInt64(UInt32(s)) << 32 | UInt64(UInt32(v))
            if let p = psuMap[key] { return p }
            let psu = Int32(psuStratum.count)
            psuMap.insert(key, psu)
            newPSU(stratum: s, label: v)
            return psu
        }
        if Int(v) == psuStratum.count {
            newPSU(stratum: s, label: v)
        } else if Int(v) > psuStratum.count {
            throw WeightingError.invalidRequest("PSU codes of '\(design.clusters[0])' out of order")
        } else if psuStratum[Int(v)] != s {
            throw WeightingError.invalidDesign(
                "PSU \(psuCoder.label(Int(v))) of '\(design.clusters[0])' is in strata "
                    + "(\(stratumLabel(psuStratum[Int(v)]))) and (\(stratumLabel(s))); "
                    + "use nest if PSU ids repeat across strata")
        }
        return v
    }

    mutating func newPSU(stratum: Int32, label: Int32) {
        psuStratum.append(stratum)
        psuLabel.append(label)
        psuPositive.append(false)
        psuFPC2.append(.nan)
    }

    func stratumLabel(_ s: Int32) -> String {
        design.strata == nil ? "1" : stratumCoder.label(Int(s))
    }

    /// Reads every batch of `source` and estimates.
    public static func estimate(
        design: SurveyDesign, analyses: [Analysis], options: EstimationOptions = EstimationOptions(),
        source: inout some BatchSource
    ) throws -> Estimates {
        var estimator = try SurveyEstimator(design: design, analyses: analyses, options: options)
        while let batch = try source.nextBatch() { try estimator.add(batch) }
        return try estimator.finish()
    }
}

extension SurveyEstimator {
    /// The error for a `by` with more domains than ``EstimationOptions/maxDomains``.
    func tooManyDomains() -> WeightingError {
        .invalidRequest(
            "--by \(options.by.joined(separator: ",")) makes more than \(options.maxDomains) domains; "
                + (options.fullCovariance ? "the design covariance grows with the square of their number " : "")
                + "(raise the cap with --max-domains, "
                + "or group the by-variable's values)")
    }
}
