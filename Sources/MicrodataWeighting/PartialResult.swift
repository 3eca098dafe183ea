import Foundation
import MicrodataCodebook

/// What a partial result was asked for: the statistics, the design and the estimation options, as a record
/// that two partial results must share to be combined.
public struct EstimationRequest: Codable, Sendable, Equatable {
    struct Statistic: Codable, Sendable, Equatable {
        var kind: String
        var variables: [String]
    }

    struct Replicates: Codable, Sendable, Equatable {
        var pattern: String
        var type: String
        var fayRho: Double?
        var scale: Double?
        var rscales: PackedDoubles?
        var mse: Bool?
        var combinedWeights: Bool
        var degreesOfFreedom: Double?
    }

    struct Design: Codable, Sendable, Equatable {
        var weight: String?
        var strata: String?
        var clusters: [String]
        var fpc: [String]
        var nest: Bool
        var lonelyPSU: String
        var adjustDomainLonely: Bool
        var ultimateCluster: Bool
        var replicates: Replicates?
        var designFactor: Double?
        var jackknife: Bool
        var allowZeroWeights: Bool
        var allowNegativeWeights: Bool
        var householdsAsClusters: Bool
        var unitWeights: Bool
        var weightFromCodebook: Bool
    }

    struct Estimation: Codable, Sendable, Equatable {
        var deff: String?
        var level: Double
        var ci: String
        var useT: Bool
        var degreesOfFreedom: Double?
        var maxDomains: Int
        var keptContributions: Int
        var kish: Bool
        var subpopulation: String?
    }

    var statistics: [Statistic]
    var by: [String]
    var design: Design
    var estimation: Estimation

    /// The request of a pass with these arguments.
    /// - Throws: ``WeightingError/invalidRequest(_:)`` when its accumulators cannot be merged.
    public init(design d: SurveyDesign, analyses: [Analysis], options o: EstimationOptions) throws {
        if let reason = SurveyEstimator.partialRefusal(design: d, analyses: analyses, options: o) {
            throw WeightingError.invalidRequest("--partial: " + reason)
        }
        statistics = analyses.map { Statistic(kind: $0.kind.rawValue, variables: $0.variables) }
        by = o.by
        design = Design(
            weight: d.weight, strata: d.strata, clusters: d.clusters, fpc: d.fpc, nest: d.nest, lonelyPSU: d.lonelyPSU.rawValue,
            adjustDomainLonely: d.adjustDomainLonely, ultimateCluster: d.ultimateCluster,
            replicates: d.replicates.map {
                Replicates(pattern: $0.pattern, type: $0.type.rawValue, fayRho: $0.fayRho, scale: $0.scale,
                           rscales: $0.rscales.map(PackedDoubles.init), mse: $0.mse, combinedWeights: $0.combinedWeights,
                           degreesOfFreedom: $0.degreesOfFreedom)
            },
            designFactor: d.designFactor, jackknife: d.jackknife, allowZeroWeights: d.allowZeroWeights,
            allowNegativeWeights: d.allowNegativeWeights, householdsAsClusters: d.householdsAsClusters,
            unitWeights: d.unitWeights, weightFromCodebook: d.weightFromCodebook)
        estimation = Estimation(
            deff: o.deff?.rawValue, level: o.level, ci: o.ciMethod.rawValue, useT: o.useT, degreesOfFreedom: o.degreesOfFreedom,
            maxDomains: o.maxDomains, keptContributions: o.keptContributions, kish: o.kish, subpopulation: o.subpopulation)
    }

    /// The statistics asked for.
    public func analyses() throws -> [Analysis] {
        try statistics.map { s in
            guard let kind = Analysis.Kind(rawValue: s.kind) else { throw Self.unknown("statistic", s.kind) }
            return Analysis(kind, s.variables)
        }
    }

    /// The survey design.
    public func surveyDesign() throws -> SurveyDesign {
        guard let lonely = LonelyPSURule(rawValue: design.lonelyPSU) else { throw Self.unknown("lonely-PSU rule", design.lonelyPSU) }
        var d = SurveyDesign(
            weight: design.weight, strata: design.strata, clusters: design.clusters, fpc: design.fpc, nest: design.nest,
            lonelyPSU: lonely, adjustDomainLonely: design.adjustDomainLonely, ultimateCluster: design.ultimateCluster,
            designFactor: design.designFactor, allowZeroWeights: design.allowZeroWeights)
        if let r = design.replicates {
            guard let type = ReplicateType(rawValue: r.type) else { throw Self.unknown("replicate type", r.type) }
            d.replicates = ReplicateWeights(
                pattern: r.pattern, type: type, fayRho: r.fayRho, scale: r.scale, rscales: r.rscales?.values, mse: r.mse,
                combinedWeights: r.combinedWeights, degreesOfFreedom: r.degreesOfFreedom)
        }
        d.jackknife = design.jackknife
        d.allowNegativeWeights = design.allowNegativeWeights
        d.householdsAsClusters = design.householdsAsClusters
        d.unitWeights = design.unitWeights
        d.weightFromCodebook = design.weightFromCodebook
        return d
    }

    /// The estimation options (each domain's own covariance only: a table needs no more).
    public func estimationOptions() throws -> EstimationOptions {
        guard let ci = ProportionCIMethod(rawValue: estimation.ci) else { throw Self.unknown("interval", estimation.ci) }
        var deff: DesignEffectKind? = nil
        if let e = estimation.deff {
            guard let kind = DesignEffectKind(rawValue: e) else { throw Self.unknown("design effect", e) }
            deff = kind
        }
        var o = EstimationOptions(
            by: by, deff: deff, level: estimation.level, ciMethod: ci, useT: estimation.useT,
            degreesOfFreedom: estimation.degreesOfFreedom, subpopulation: estimation.subpopulation)
        o.maxDomains = estimation.maxDomains
        o.keptContributions = estimation.keptContributions
        o.kish = estimation.kish
        o.fullCovariance = false
        return o
    }

    private static func unknown(_ what: String, _ value: String) -> WeightingError {
        .invalidRequest("the partial result names an unknown \(what) '\(value)' (written by another version?)")
    }
}

/// One pass's accumulators with everything needed to check and finish them elsewhere: the request, the
/// context it ran in (tool version, disclosure rules, reading options), the codebook entries of its variables
/// (for value labels) and the data file it read. `microdata tabulate --partial` writes one; `microdata combine`
/// merges several that share a request.
///
/// NOT DISCLOSURE CONTROLLED: it holds unweighted counts and per-PSU totals, and is never an output to release.
public struct PartialResult: Codable, Sendable, Equatable {
    public var request: EstimationRequest
    /// Settings the numbers depend on beyond the request, compared by name (`tool`, `rules`, `missing`, ...).
    public var context: [String: String]
    /// The codebook's entries for the by- and analysis variables (value labels), empty without a codebook.
    public var labels: [Variable]
    /// The data file read (an absolute path); not compared.
    public var data: String
    public var accumulators: PartialAccumulators

    public init(
        request: EstimationRequest, context: [String: String], labels: [Variable], data: String,
        accumulators: PartialAccumulators
    ) {
        self.request = request
        self.context = context
        self.labels = labels
        self.data = data
        self.accumulators = accumulators
    }

    /// The JSON payload: keys sorted, doubles bit-exact, so equal results give equal bytes.
    public func payload() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }

    /// Reads a payload written by ``payload()``.
    public init(payload: Data) throws {
        self = try JSONDecoder().decode(PartialResult.self, from: payload)
    }

    /// The first pair of partial results that would count the same rows twice: equal accumulators (one file
    /// given twice, or a copy) or the same data file (not standard input); `nil` when there is none. Counts that
    /// doubled this way would pass disclosure thresholds the real counts fail.
    public static func repeatedPart(_ results: [PartialResult]) -> (first: Int, second: Int, reason: String)? {
        for j in results.indices {
            for i in 0..<j {
                if results[i].accumulators == results[j].accumulators {
                    return (i, j, "they hold the same accumulators")
                }
                let data = results[i].data
                if !data.isEmpty, data != "-", !data.hasPrefix("/dev/"), data == results[j].data {
                    return (i, j, "both were made from \(data)")
                }
            }
        }
        return nil
    }

    /// The first field (dotted path, such as `design.strata`, `by`, `context.rules` or `labels.region`) in which
    /// `other` was asked for differently, with both values; `nil` when the requests are the same.
    public func difference(from other: PartialResult) -> (field: String, this: String, other: String)? {
        if let d = Self.difference(try? JSONSerialization.jsonObject(with: JSONEncoder().encode(request)),
                                   try? JSONSerialization.jsonObject(with: JSONEncoder().encode(other.request)), path: "")
        {
            return d
        }
        for key in Set(context.keys).union(other.context.keys).sorted() where context[key] != other.context[key] {
            return ("context." + key, context[key] ?? "(none)", other.context[key] ?? "(none)")
        }
        let mine = Dictionary(labels.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        let theirs = Dictionary(other.labels.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        for name in Set(mine.keys).union(theirs.keys).sorted() where mine[name] != theirs[name] {
            func show(_ v: Variable?) -> String {
                v.map { "\($0.categories.count) value labels" + ($0.label.map { ", label '\($0)'" } ?? "") } ?? "(not in the codebook)"
            }
            return ("labels." + name, show(mine[name]), show(theirs[name]))
        }
        return nil
    }

    private static func difference(_ a: Any?, _ b: Any?, path: String) -> (field: String, this: String, other: String)? {
        if let a = a as? [String: Any], let b = b as? [String: Any] {
            for key in Set(a.keys).union(b.keys).sorted() {
                if let d = difference(a[key], b[key], path: path.isEmpty ? key : path + "." + key) { return d }
            }
            return nil
        }
        func text(_ v: Any?) -> String {
            guard let v, !(v is NSNull) else { return "(none)" }
            if let data = try? JSONSerialization.data(withJSONObject: v, options: [.sortedKeys, .fragmentsAllowed]) {
                return String(decoding: data, as: UTF8.self)
            }
            return "\(v)"
        }
        let (ta, tb) = (text(a), text(b))
        return ta == tb ? nil : (path, ta, tb)
    }

    /// A codebook holding the recorded entries, for the value labels of the publication (`nil` without any).
    public var codebook: Codebook? { labels.isEmpty ? nil : Codebook(variables: labels, source: "partial result") }
}
