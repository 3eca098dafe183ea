import Foundation
import MicrodataCodebook
import MicrodataHarmonise
import MicrodataReaders
import MicrodataWeighting
import MicrodataWrite

/// Builds the cell totals of an origin-by-destination table, with their full design covariance, in one pass.
///
/// Each row's origin and destination class (raw codes, or harmonised on the fly) and group (the `by`
/// values) name one cell; rows without both classes stay in the design as a domain outside the table. The
/// weighted total of every cell and the covariance between all of them come from the weighting layer's
/// linearisation (or replicates, or design factor), so every mobility measure is a delta-method function of
/// them.
///
/// ```swift
/// var estimator = try MobilityEstimator(origin: o, destination: d, by: ["COUNTRY"], design: design,
///                                       registry: registry, codebook: book)
/// while let batch = try source.nextBatch() { try estimator.add(batch) }
/// let table = try estimator.finish()
/// ```
public struct MobilityEstimator {
    public let origin: ClassSpec
    public let destination: ClassSpec
    public let by: [String]
    /// The names of the variables the reader must supply.
    public let requiredVariables: [String]

    private var harmoniser: Harmoniser?
    private let nssec: NSSECTables?
    /// The shipped schemes, so codes outside a `coded` scheme are left out (and reported) as they are read.
    private let schemes: [String: ClassScheme]
    private var estimator: SurveyEstimator
    private let codebook: Codebook?
    private var rows = 0
    private var validRows = 0
    private var skippedLabels: [String] = []
    private var skippedCounts: [Int] = []
    /// Distinct raw values already classified, for the origin (0) and the destination (1).
    private var classMemo: [[ValueKey: Int32]] = [[:], [:]]
    private var classNames: [String] = []
    private var classIndexByName: [String: Int32] = [:]
    /// Per by-variable: distinct values and their labels; then the running group key of a prefix of them.
    private var groupMemo: [[ValueKey: Int32]]
    private var groupValueLabels: [[String]]
    private var groupPairs: [Int64: Int64] = [:]
    private var groupLabels: [String] = [""]
    private var cellNames: [Int64: String] = [:]

    private enum ValueKey: Hashable {
        case int(Int64)
        case real(UInt64)
        case text(String)
    }
    private static let cellVariable = "__mobility_cell"
    private static let groupVariable = "__mobility_group"
    private static let pairVariable = "__mobility_pair"
    /// Replicate designs: each group's origin-destination proportions, for the Rao–Scott test.
    private var proportions: SurveyEstimator?
    private var pairNames: [Int64: String] = [:]
    private static let separator: Character = "\u{1F}"

    /// Prepares the pass.
    ///
    /// - Parameters:
    ///   - registry: the crosswalks, needed when a class is harmonised (NS-SEC schemes).
    ///   - codebook: labels for the group values, when the data has one.
    /// - Throws: `MobilityError` or the weighting layer's `WeightingError` for an impossible request.
    public init(
        origin: ClassSpec, destination: ClassSpec, by: [String] = [], design: SurveyDesign,
        registry: CrosswalkRegistry?, codebook: Codebook? = nil, level: Double = 0.95, subpopulation: String? = nil,
        schemes: [String: ClassScheme] = [:]
    ) throws {
        self.origin = origin
        self.destination = destination
        self.by = by
        self.codebook = codebook
        groupMemo = Array(repeating: [:], count: by.count)
        groupValueLabels = Array(repeating: [], count: by.count)
        let needsRegistry = [origin, destination].contains { $0.target != nil && $0.source != .coded }
        if needsRegistry && registry?.nssec == nil {
            throw MobilityError("NS-SEC and education classes need the shipped crosswalks (Codebooks/crosswalks), which were not found")
        }
        nssec = registry?.nssec
        self.schemes = schemes
        let steps = [origin.nssecSpec(prefix: "__origin_nssec"), destination.nssecSpec(prefix: "__destination_nssec")]
            .compactMap { $0 }
        let education = [origin.educationSpec(prefix: "__origin_edu"), destination.educationSpec(prefix: "__destination_edu")]
            .compactMap { $0 }
        if let registry, !steps.isEmpty || !education.isEmpty {
            var options = HarmoniseOptions(weightVariable: design.weight)
            options.valueLabels = HarmoniseOptions.valueLabels(of: codebook)
            do {
                harmoniser = try Harmoniser(registry: registry, nssec: steps, education: education, options: options)
            } catch let e as HarmoniseError {
                throw MobilityError(e.description)
            }
        }
        var required = [origin.variable, destination.variable] + by
        for spec in [origin, destination] {
            if let reference = spec.statusCoding {
                let coding = try reference.resolve(in: registry?.nssec)
                required += reference.roleVariables(coding)
            } else if case .soc(_, let status?) = spec.source {
                required.append(status)
            }
            if case .education(_, let nation?) = spec.source { required.append(nation) }
        }
        if let w = design.weight { required.append(w) }
        if let s = design.strata { required.append(s) }
        required += design.clusters + design.fpc
        var seen = Set<String>()
        requiredVariables = required.filter { seen.insert($0.lowercased()).inserted }
        estimator = try SurveyEstimator(
            design: design, analyses: [.total(Self.cellVariable)],
            options: EstimationOptions(level: level, subpopulation: subpopulation))
        // Under replicates the Rao–Scott test needs the replicate covariance of each group's cell proportions
        // (R svychisq.svyrep.design), estimated by group alongside the totals.
        if design.replicates != nil || design.jackknife {
            var options = EstimationOptions(by: by.isEmpty ? [] : [Self.groupVariable], level: level,
                                            subpopulation: subpopulation)
            options.fullCovariance = false
            proportions = try SurveyEstimator(design: design, analyses: [.proportion(Self.pairVariable)], options: options)
        }
    }

    /// Adds one batch.
    ///
    /// - Throws: `MobilityError` for a variable missing from the data; errors of the harmonisation and
    ///   weighting layers (a bad weight, say) as they are.
    public mutating func add(_ input: Batch) throws {
        let batch = try harmoniser?.apply(input) ?? input
        let originCodes = try classCodes(origin, side: 0, prefix: "__origin_nssec", in: batch)
        let destinationCodes = try classCodes(destination, side: 1, prefix: "__destination_nssec", in: batch)
        let groups = try by.map { name -> Column in
            guard let c = batch.column(named: name) else { throw MobilityError("--by variable \(name) is not in the data") }
            return c
        }
        // Per row only dictionary look-ups on the raw values: every String is made once per distinct value.
        var cells = [String?](repeating: nil, count: batch.rowCount)
        var pairs = [String?](repeating: nil, count: proportions == nil ? 0 : batch.rowCount)
        var groupNames = [String?](repeating: nil, count: proportions == nil || by.isEmpty ? 0 : batch.rowCount)
        rowLoop: for r in 0..<batch.rowCount {
            let o = originCodes[r], d = destinationCodes[r]
            guard o >= 0, d >= 0 else { continue }
            var group: Int64 = 0
            for (k, g) in groups.enumerated() {
                let v = groupValueIndex(k, g, r)
                if v < 0 { continue rowLoop }
                let pair = group << 32 | Int64(v)
                if let known = groupPairs[pair] {
                    group = known
                } else {
                    let next = Int64(groupLabels.count)
                    groupLabels.append(groupLabels[Int(group)] + groupValueLabels[k][Int(v)] + "\u{1E}")
                    groupPairs[pair] = next
                    group = next
                }
            }
            if !pairs.isEmpty {
                let key = Int64(o) << 16 | Int64(d)
                if pairNames[key] == nil {
                    pairNames[key] = classNames[Int(o)] + String(Self.separator) + classNames[Int(d)]
                }
                pairs[r] = pairNames[key]
                if !groupNames.isEmpty { groupNames[r] = groupLabels[Int(group)] }
            }
            let cellKey = group << 32 | Int64(o) << 16 | Int64(d)
            if let name = cellNames[cellKey] {
                cells[r] = name
            } else {
                let name = groupLabels[Int(group)] + String(Self.separator) + classNames[Int(o)]
                    + String(Self.separator) + classNames[Int(d)]
                cellNames[cellKey] = name
                cells[r] = name
            }
            validRows += 1
        }
        rows += batch.rowCount
        var withCells = batch
        withCells.columns.append(Column(name: Self.cellVariable, storage: .text(cells)))
        try estimator.add(withCells)
        if proportions != nil {
            withCells.columns.append(Column(name: Self.pairVariable, storage: .text(pairs)))
            if !by.isEmpty { withCells.columns.append(Column(name: Self.groupVariable, storage: .text(groupNames))) }
            try proportions!.add(withCells)
        }
    }

    /// A hashable stand-in for the value at `row` of `column`, without making a String; `nil` when missing.
    private static func valueKey(_ column: Column, _ row: Int) -> ValueKey? {
        switch column.storage {
        case .integer(let v, let missing): return missing[row] ? nil : .int(v[row])
        case .real(let v):
            let x = v[row]
            if x.isNaN { return nil }
            return x == x.rounded() && abs(x) < 9e15 ? .int(Int64(x)) : .real(x.bitPattern)
        case .text(let v): return v[row].map(ValueKey.text)
        }
    }

    /// The index of the value of by-variable `k` at `row` in `groupValueLabels[k]`, or −1 when missing.
    private mutating func groupValueIndex(_ k: Int, _ column: Column, _ row: Int) -> Int32 {
        guard let key = Self.valueKey(column, row) else { return -1 }
        if let i = groupMemo[k][key] { return i }
        guard let text = column.text(at: row) else { return -1 }
        let i = Int32(groupValueLabels[k].count)
        groupValueLabels[k].append(text)
        groupMemo[k][key] = i
        return i
    }

    /// The index in `classNames` of the class code of a value (`text`), or −1 when it has none.
    private mutating func classIndex(of code: String) -> Int32 {
        if let i = classIndexByName[code] { return i }
        let i = Int32(classNames.count)
        classNames.append(code)
        classIndexByName[code] = i
        return i
    }

    /// The class of each row of `batch` as an index into `classNames`; −1 when it has none (and the code is
    /// counted in `skippedCodes` when it is not a non-response code).
    private mutating func classCodes(_ spec: ClassSpec, side: Int, prefix: String, in batch: Batch) throws -> [Int32] {
        let column: Column
        switch spec.source {
        case .education:
            let name = "\(side == 0 ? "__origin_edu" : "__destination_edu")_\(spec.target ?? "")"
            guard let c = batch.column(named: name) else { throw MobilityError("the qualification step of \(spec.variable) gave no column") }
            column = c
        case .raw, .nssecOperational, .coded:
            guard let c = batch.column(named: spec.variable) else {
                throw MobilityError("variable \(spec.variable) is not in the data")
            }
            column = c
        case .soc:
            let suffix = ["NSSEC8": "class8", "NSSEC5": "class5", "NSSEC3": "class3"][spec.target ?? ""] ?? "class8"
            guard let c = batch.column(named: "\(prefix)_\(suffix)") else {
                throw MobilityError("the NS-SEC derivation of \(spec.variable) gave no \(suffix) column")
            }
            column = c
        }
        var out = [Int32](repeating: -1, count: batch.rowCount)
        for r in 0..<batch.rowCount {
            guard let key = Self.valueKey(column, r) else { continue }
            let code: Int32
            if let known = classMemo[side][key] {
                code = known
            } else {
                code = classCode(spec, column.text(at: r) ?? "")
                classMemo[side][key] = code
            }
            if code >= 0 {
                out[r] = code
            } else if code <= -2 {
                skippedCounts[Int(-2 - code)] += 1
            }
        }
        return out
    }

    /// The memo entry for one distinct value: a class index, −1 (no class, not reported) or −2 − k (no class,
    /// reported as `skippedLabels[k]`).
    private mutating func classCode(_ spec: ClassSpec, _ text: String) -> Int32 {
        switch spec.source {
        case .raw:
            return classIndex(of: text)
        case .nssecOperational:
            let code = text.hasPrefix("L") ? text : "L" + text
            guard let classes = nssec?.classes(of: code) else {
                if text.hasPrefix("-") { return -1 }
                skippedLabels.append("\(spec.variable)=\(text)")
                skippedCounts.append(0)
                return Int32(-1 - skippedLabels.count)
            }
            guard let code = Self.collapse(classes, to: spec.target) else { return -1 }
            return classIndex(of: code)
        case .soc, .education:
            guard let code = Self.usable(text) else { return -1 }
            return classIndex(of: code)
        case .coded:
            guard let scheme = schemes[spec.target ?? ""], scheme.index(of: text) != nil else {
                if text.hasPrefix("-") || text.isEmpty { return -1 }
                skippedLabels.append("\(spec.variable)=\(text)")
                skippedCounts.append(0)
                return Int32(-1 - skippedLabels.count)
            }
            return classIndex(of: text)
        }
    }

    /// Codes with no class, by `VARIABLE=code`, with the number of rows that had them.
    private var skippedCodes: [String: Int] {
        var out: [String: Int] = [:]
        for (label, n) in zip(skippedLabels, skippedCounts) { out[label, default: 0] += n }
        return out
    }

    private static func collapse(_ classes: NSSECClasses, to target: String?) -> String? {
        switch target {
        case "NSSEC5": usable(classes.class5)
        case "NSSEC3": usable(classes.class3)
        default: usable(classes.class8)
        }
    }

    /// `NC` (not classified) and `*` (the optional never-worked category of the 5- and 3-class schemes) are
    /// outside the table.
    private static func usable(_ code: String) -> String? {
        code == "NC" || code == "*" || code.isEmpty ? nil : code
    }

    /// Ends the pass.
    ///
    /// - Parameters:
    ///   - schemes: the shipped class schemes (for NS-SEC targets).
    ///   - order: for raw codes, the classes highest first; `nil` sorts the codes found (numerically when they
    ///     are numbers), with `lowToHigh` reversing that order.
    public mutating func finish(
        schemes: [String: ClassScheme], order: [ClassScheme.Class]? = nil, lowToHigh: Bool = false
    ) throws -> MobilityPass {
        let estimates = try estimator.finish()
        guard let block = estimates.blocks.first else { throw MobilityError("no estimates") }
        var found: [(group: String, origin: String, destination: String, cell: Int)] = []
        for c in block.cells {
            guard let level = estimates.table.cells[c].level else { continue }
            let parts = level.split(separator: Self.separator, omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 3 else { continue }
            found.append((parts[0], parts[1], parts[2], c))
        }
        guard !found.isEmpty else {
            throw MobilityError("no row has both an origin and a destination class")
        }
        let originScheme = try scheme(for: origin, schemes: schemes, codes: found.map(\.origin) + found.map(\.destination),
                                      order: order, lowToHigh: lowToHigh)
        let destinationScheme = try scheme(for: destination, schemes: schemes,
                                           codes: found.map(\.origin) + found.map(\.destination), order: order,
                                           lowToHigh: lowToHigh)
        guard originScheme.classes.map(\.code) == destinationScheme.classes.map(\.code) else {
            throw MobilityError("origin and destination must use the same classes (\(originScheme.name) vs \(destinationScheme.name))")
        }
        let classes = originScheme
        let groupKeys = Array(Set(found.map(\.group))).sorted { a, b in
            let (x, y) = (Double(a.split(separator: "\u{1E}").first ?? ""), Double(b.split(separator: "\u{1E}").first ?? ""))
            if let x, let y, x != y { return x < y }
            return a < b
        }
        let k = classes.classes.count
        let m = groupKeys.count * k * k
        var totals = [Double](repeating: 0, count: m)
        var counts = [Int](repeating: 0, count: m)
        var position: [Int: Int] = [:]  // estimate cell -> index
        for f in found {
            guard let g = groupKeys.firstIndex(of: f.group), let i = classes.index(of: f.origin),
                let j = classes.index(of: f.destination)
            else {
                throw MobilityError("class \(f.origin) or \(f.destination) is not in the scheme \(classes.name)")
            }
            let index = (g * k + i) * k + j
            let cell = estimates.table.cells[f.cell]
            totals[index] = cell.estimate
            counts[index] = cell.unweightedCount
            position[f.cell] = index
        }
        var covariance = [Double](repeating: 0, count: m * m)
        let n = block.cells.count
        for (a, ia) in position {
            for (b, ib) in position {
                let v = block.covariance[(a - block.cells.lowerBound) * n + (b - block.cells.lowerBound)]
                guard !v.isNaN else {
                    throw MobilityError(
                        "the design gives no covariance between cells (\(estimates.table.designDescription)); mobility "
                            + "measures need it: use linearisation (strata, PSUs, --cluster-households) or replicate "
                            + "weights, not a design factor or a per-domain lonely-PSU rule")
                }
                covariance[ia * m + ib] = v
            }
        }
        var cellTotals = CellTotals(
            classCount: k, groupCount: groupKeys.count, totals: totals, covariance: covariance,
            unweightedCounts: counts, degreesOfFreedom: estimates.degreesOfFreedom, rowsInDesign: rows)
        if let proportions {
            let estimates = try proportions.finish()
            cellTotals.proportionCovariance = Self.proportionCovariance(estimates, cells: m) { group, origin, destination in
                guard let g = groupKeys.firstIndex(of: group), let i = classes.index(of: origin),
                      let j = classes.index(of: destination) else { return nil }
                return (g * k + i) * k + j
            }
        }
        let groups = groupKeys.map { key -> String in
            if by.isEmpty { return "All" }
            let values = key.split(separator: "\u{1E}", omittingEmptySubsequences: false).map(String.init)
            return zip(by, values).map { name, value in
                codebook?.variable(named: name)?.category(for: value)?.label ?? value
            }.joined(separator: ", ")
        }
        var pass = MobilityPass(
            totals: cellTotals, classes: classes, groups: groups, rows: rows, validRows: validRows,
            designDescription: estimates.table.designDescription, harmoniseAudit: harmoniser?.audit,
            unclassifiedCodes: skippedCodes)
        pass.groupValues = groupKeys.map { key in
            guard !by.isEmpty else { return [] }
            let values = key.split(separator: "\u{1E}", omittingEmptySubsequences: false).map(String.init)
            return zip(by, values).map { name, value in
                GroupValue(name: name, code: value, label: codebook?.variable(named: name)?.category(for: value)?.label)
            }
        }
        pass.negativeWeightRows = estimates.negativeWeightRows
        return pass
    }

    /// The replicate covariance of each cell's proportion of its group's table (`cells × cells`, indexed as the
    /// totals by `index(group, origin, destination)`; 0 between groups), from the proportions by group.
    private static func proportionCovariance(
        _ estimates: Estimates, cells m: Int, index: (String, String, String) -> Int?
    ) -> [Double] {
        var covariance = [Double](repeating: 0, count: m * m)
        for block in estimates.blocks {
            var placed: [(Int, Int)] = []  // (position in the block, cell index)
            for c in block.cells {
                let cell = estimates.table.cells[c]
                let parts = (cell.level ?? "").split(separator: separator, omittingEmptySubsequences: false)
                guard parts.count == 2, let i = index(cell.byValues.first ?? "", String(parts[0]), String(parts[1]))
                else { continue }
                placed.append((c - block.cells.lowerBound, i))
            }
            let n = block.cells.count
            for (a, ia) in placed { for (b, ib) in placed { covariance[ia * m + ib] = block.covariance[a * n + b] } }
        }
        return covariance
    }

    private func scheme(
        for spec: ClassSpec, schemes: [String: ClassScheme], codes: [String], order: [ClassScheme.Class]?,
        lowToHigh: Bool
    ) throws -> ClassScheme {
        if let target = spec.target {
            guard let scheme = schemes[target] else { throw MobilityError("class scheme \(target) is not shipped") }
            return scheme
        }
        if let order { return ClassScheme(name: "raw", classes: order) }
        // Numbers in numeric order (reversed for low-to-high); codes that are not numbers ("none") below them all.
        let distinct = Array(Set(codes))
        var numbers = distinct.filter { Double($0) != nil }.sorted { Double($0)! < Double($1)! }
        if lowToHigh { numbers.reverse() }
        let words = distinct.filter { Double($0) == nil }.sorted()
        let ordered = numbers + words
        let variable = codebook?.variable(named: spec.variable)
        return ClassScheme(
            name: "raw",
            classes: ordered.enumerated().map { i, code in
                ClassScheme.Class(code: code, label: variable?.category(for: code)?.label ?? code, tier: i)
            })
    }
}

/// What one pass found: the cell totals and how they were made.
public struct MobilityPass: Sendable {
    public var totals: CellTotals
    public var classes: ClassScheme
    public var groups: [String]
    /// Each group's variables with their codes and labels (empty without `--by`).
    public var groupValues: [[GroupValue]] = []
    /// Rows read, and rows with both classes (the table's domain).
    public var rows: Int
    public var validRows: Int
    /// The variance method, from the weighting layer.
    public var designDescription: String
    /// What the on-the-fly harmonisation did, when there was any.
    public var harmoniseAudit: HarmoniseAudit?
    /// Operational-category codes with no NS-SEC class, with how often they occurred.
    public var unclassifiedCodes: [String: Int]
    /// Rows with a negative weight (accepted only with ``SurveyDesign/allowNegativeWeights``).
    public var negativeWeightRows = 0
}
