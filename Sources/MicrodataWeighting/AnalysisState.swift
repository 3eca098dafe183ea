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
    // Rows of a categorical analysis, kept for likelihood proportion intervals.
    var keepRows = false
    var rowWeight: [Double] = []
    var rowLevel: [Int32] = []
    var rowDomain: [Int32] = []
    var rowUnit: [Int32] = []

    init(analysis: Analysis) {
        self.analysis = analysis
        levelCoders = Array(repeating: ValueCoder(), count: analysis.variables.count)
    }

    // A dense (unit × cell) index in front of the hash while it stays small (fewer cache misses).
    var cellMap = IndexTable(capacity: 64)
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
            let c: Int
            if let existing = cellMap[cellKey] {
                c = Int(existing)
            } else {
                c = cellCount
                cellMap.insert(cellKey, Int32(c))
                cellCount += 1
                if c >= cellCap { widenDense() }
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
        slotMap.insert(key, s)
        slotDomain.append(domain)
        slotLevel.append(level)
        slotUnit.append(unit)
        sums.append(contentsOf: repeatElement(0, count: Self.width))
        if calibrationWidth > 0 { dxq.append(contentsOf: repeatElement(0, count: calibrationWidth)) }
        if raking { uxq.append(contentsOf: repeatElement(0, count: calibrationWidth)) }
        if replicateCount > 0 { rep.append(contentsOf: repeatElement(0, count: replicateCount * Self.repWidth)) }
        return Int(s)
    }

    private mutating func growDense(to units: Int) {
        let target = max(units, denseUnits * 2, 64)
        if target * cellCap > Self.denseLimit {
            denseOn = false
            dense = []
            return
        }
        dense.append(contentsOf: repeatElement(-1, count: (target - denseUnits) * cellCap))
        denseUnits = target
    }

    private mutating func widenDense() {
        let newCap = cellCap * 2
        if denseUnits * newCap > Self.denseLimit {
            denseOn = false
            dense = []
            return
        }
        var wider = [Int32](repeating: -1, count: denseUnits * newCap)
        for u in 0..<denseUnits {
            for c in 0..<cellCap { wider[u * newCap + c] = dense[u * cellCap + c] }
        }
        dense = wider
        cellCap = newCap
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
        return l
    }
}
