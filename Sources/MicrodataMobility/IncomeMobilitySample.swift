import MicrodataWrite
import Foundation
import MicrodataCodebook
import MicrodataReaders
import MicrodataWeighting

/// What an income-mobility run measures: the two incomes, the number of quantile groups, the deflation of
/// origin income and the `--by` groups.
public struct IncomeMobilitySpec: Sendable, Hashable {
    /// The origin (parents') and destination (children's) income variables.
    public var origin: String
    public var destination: String
    /// Quantile groups of each income (5: quintiles).
    public var groups: Int
    /// Origin income is multiplied by this (prices of the destination year over those of the origin year).
    public var deflator: Double
    /// A variable holding each row's multiplier for origin income, instead of `deflator`.
    public var deflateOrigin: String?
    /// Group variables: measures per group and differences between groups.
    public var by: [String]
    public var level: Double
    /// The column marking the subpopulation (non-zero inside), when there is one.
    public var subpopulation: String?

    public init(
        origin: String, destination: String, groups: Int = 5, deflator: Double = 1, deflateOrigin: String? = nil,
        by: [String] = [], level: Double = 0.95, subpopulation: String? = nil
    ) {
        self.origin = origin
        self.destination = destination
        self.groups = groups
        self.deflator = deflator
        self.deflateOrigin = deflateOrigin
        self.by = by
        self.level = level
        self.subpopulation = subpopulation
    }
}

/// The rows an income-mobility run needs, held in memory (quantile groups and ranks need every row), with
/// the design columns.
///
/// Rows without both incomes (or outside `--subpop`, or missing a `--by` value) stay in the design outside
/// every domain, as the class tables keep them.
public struct IncomeMobilitySample: Sendable {
    public let spec: IncomeMobilitySpec
    public let design: SurveyDesign
    /// Origin income (deflated) and destination income; NaN when missing.
    var x: [Double] = []
    var y: [Double] = []
    /// The design weight of each row (NaN until `finish` when the design has no weight column).
    var weight: [Double] = []
    var strata: [String]? = nil
    var psu: [String]? = nil
    var fpc: [Double]? = nil
    /// One array per replicate-weight column (in the order of the data).
    var replicates: [[Double]] = []
    var replicateNames: [String]? = nil
    /// The `--by` group of each row (−1: missing a group value or outside the subpopulation).
    var group: [Int] = []
    var groupLabels: [String] = []
    private var groupIndex: [String: Int] = [:]
    /// The codebook, for value labels of `--by` groups.
    let codebook: Codebook?

    public init(spec: IncomeMobilitySpec, design: SurveyDesign, codebook: Codebook? = nil) throws {
        guard spec.groups >= 2 && spec.groups <= 100 else {
            throw MobilityError("--groups must be between 2 and 100, found \(spec.groups)")
        }
        guard spec.deflator.isFinite && spec.deflator > 0 else {
            throw MobilityError("--deflator must be a positive number, found \(spec.deflator)")
        }
        if design.designFactor != nil || design.jackknife || design.calibration != nil || design.raking != nil
            || design.householdsAsClusters
        {
            throw WeightingError.invalidDesign(
                "income mobility is implemented for linearisation designs (strata, PSUs, FPC), weights only and "
                    + "replicate weights")
        }
        if design.replicates != nil && design.weight == nil {
            throw WeightingError.invalidDesign("replicate weights need a weight column")
        }
        self.spec = spec
        self.design = design
        self.codebook = codebook
        if spec.by.isEmpty {
            groupLabels = ["All"]
            groupIndex[""] = 0
        }
    }

    /// The variables read from the data (replicate weights are matched by pattern on top of these).
    public var requiredVariables: [String] {
        var names = [spec.origin, spec.destination] + spec.by
        if let d = spec.deflateOrigin { names.append(d) }
        if let w = design.weight { names.append(w) }
        if let s = design.strata { names.append(s) }
        names += design.clusters.prefix(1) + design.fpc.prefix(1)
        var seen = Set<String>()
        return names.filter { seen.insert($0.lowercased()).inserted }
    }

    /// Adds one batch.
    ///
    /// - Throws: `MobilityError` for a variable missing from the data; `WeightingError` for a missing design
    ///   value or a replicate pattern that matches nothing.
    public mutating func add(_ batch: Batch) throws {
        func column(_ name: String, _ role: String) throws -> Column {
            guard let c = batch.column(named: name) else { throw MobilityError("\(role) variable \(name) is not in the data") }
            return c
        }
        let origin = try column(spec.origin, "origin income")
        let destination = try column(spec.destination, "destination income")
        let deflate = try spec.deflateOrigin.map { try column($0, "--deflate-origin") }
        let by = try spec.by.map { try column($0, "--by") }
        let inside = try spec.subpopulation.map { try column($0, "subpopulation") }
        let n = batch.rowCount
        let first = x.count
        for r in 0..<n {
            let factor = deflate.map { $0.double(at: r) ?? .nan } ?? spec.deflator
            x.append((origin.double(at: r) ?? .nan) * factor)
            y.append(destination.double(at: r) ?? .nan)
            var g = spec.by.isEmpty ? 0 : -1
            if !spec.by.isEmpty {
                let values = by.map { $0.text(at: r) }
                if values.allSatisfy({ $0 != nil }) {
                    let key = values.map { $0! }.joined(separator: "\u{1E}")
                    if let known = groupIndex[key] {
                        g = known
                    } else {
                        g = groupLabels.count
                        groupIndex[key] = g
                        groupLabels.append(key)
                    }
                }
            }
            if let inside, !((inside.double(at: r) ?? 0) != 0) { g = -1 }
            group.append(g)
        }
        if let w = design.weight {
            let c = try column(w, "weight")
            for r in 0..<n {
                guard let v = c.double(at: r) else { throw WeightingError.missingDesignValue(column: w, row: first + r + 1) }
                weight.append(v)
            }
        } else {
            weight += [Double](repeating: .nan, count: n)
        }
        func labels(_ name: String) throws -> [String] {
            let c = try column(name, "design")
            return try (0..<n).map { r in
                guard let t = c.text(at: r) else { throw WeightingError.missingDesignValue(column: name, row: first + r + 1) }
                return t
            }
        }
        if let s = design.strata { strata = (strata ?? []) + (try labels(s)) }
        if let p = design.clusters.first { psu = (psu ?? []) + (try labels(p)) }
        if let f = design.fpc.first {
            let c = try column(f, "fpc")
            fpc = (fpc ?? []) + (try (0..<n).map { r in
                guard let v = c.double(at: r) else { throw WeightingError.missingDesignValue(column: f, row: first + r + 1) }
                return v
            })
        }
        if let spec = design.replicates {
            if replicateNames == nil {
                let regex: Regex<AnyRegexOutput>
                do { regex = try Regex(spec.pattern) } catch {
                    throw WeightingError.invalidDesign("replicate pattern /\(spec.pattern)/ is not a regular expression")
                }
                replicateNames = batch.columns.map(\.name).filter { $0.firstMatch(of: regex) != nil }
                guard !(replicateNames ?? []).isEmpty else {
                    throw WeightingError.invalidDesign("no column matches the replicate pattern /\(spec.pattern)/")
                }
                replicates = [[Double]](repeating: [], count: replicateNames!.count)
            }
            for (i, name) in replicateNames!.enumerated() {
                let c = try column(name, "replicate weight")
                for r in 0..<n {
                    guard let v = c.double(at: r) else { throw WeightingError.missingDesignValue(column: name, row: first + r + 1) }
                    replicates[i].append(v)
                }
            }
        }
    }

    /// Rows read.
    public var rowCount: Int { x.count }

    /// The label of group `g` for output: value labels from the codebook, joined with ", ".
    func groupName(_ g: Int) -> String {
        if spec.by.isEmpty { return "All" }
        let values = groupLabels[g].split(separator: "\u{1E}", omittingEmptySubsequences: false).map(String.init)
        return zip(spec.by, values).map { name, value in
            codebook?.variable(named: name)?.category(for: value)?.label ?? value
        }.joined(separator: ", ")
    }

    /// The by-variables, codes and labels of group `g` (empty without `--by`).
    func groupValues(_ g: Int) -> [GroupValue] {
        if spec.by.isEmpty { return [] }
        let values = groupLabels[g].split(separator: "\u{1E}", omittingEmptySubsequences: false).map(String.init)
        return zip(spec.by, values).map { name, value in
            GroupValue(name: name, code: value, label: codebook?.variable(named: name)?.category(for: value)?.label)
        }
    }

    /// The groups in output order: numerically when the first value is a number, else as text.
    func groupOrder() -> [Int] {
        Array(groupLabels.indices).sorted { a, b in
            let (ka, kb) = (groupLabels[a], groupLabels[b])
            let (x, y) = (Double(ka.split(separator: "\u{1E}").first ?? ""), Double(kb.split(separator: "\u{1E}").first ?? ""))
            if let x, let y, x != y { return x < y }
            return ka < kb
        }
    }
}
