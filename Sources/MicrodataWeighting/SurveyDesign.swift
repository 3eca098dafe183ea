/// How a survey was sampled, and so how standard errors are estimated.
///
/// Build one with ``init(weight:strata:clusters:fpc:)`` for a full design, or with the UK modes
/// ``weightsOnly(weight:)``, ``householdClusters(weight:household:)`` and ``designFactor(weight:deft:)`` for
/// end-user files without design variables. Column names are matched case-insensitively.
public struct SurveyDesign: Sendable, Hashable {
    /// The analysis weight column; `nil` derives weights from the FPCs (π = Π n_s/N_s), as R does.
    public var weight: String?
    /// The stratum column; `nil` for one stratum.
    public var strata: String?
    /// Cluster columns by stage (PSU first); empty means every row is its own PSU.
    public var clusters: [String]
    /// Finite population corrections by stage: population sizes (all > 1) or sampling fractions (all ≤ 1).
    public var fpc: [String]
    /// PSU ids are unique only within strata (R `nest=TRUE`); otherwise an id in two strata is an error.
    public var nest: Bool
    /// What a stratum with one PSU contributes.
    public var lonelyPSU: LonelyPSURule
    /// Apply the lonely-PSU rule inside domains (R `options(survey.adjust.domain.lonely=TRUE)`).
    public var adjustDomainLonely: Bool
    /// Use only the first-stage (ultimate cluster) term even when later-stage FPCs are given.
    public var ultimateCluster: Bool
    /// Replicate weights; when set, the variance comes from them instead of linearisation.
    public var replicates: ReplicateWeights?
    /// A design factor (DEFT): SE = deft × SE of simple random sampling with replacement.
    public var designFactor: Double?
    /// Jackknife variance from delete-one-PSU replicates built from the strata and PSUs (R
    /// `as.svrepdesign` type JK1 without strata, JKn with), including its lonely-PSU handling.
    public var jackknife: Bool = false
    /// Calibration of the weights (GREG, post-stratification, or R `calibrate()` with a distance and
    /// g-weight bounds); Taylor designs only.
    public var calibration: Calibration? = nil
    /// Raking of the weights to population margins; Taylor designs only.
    public var raking: Raking? = nil
    /// Accept rows with weight 0 (they stay in the design and contribute nothing); otherwise an error.
    public var allowZeroWeights: Bool
    /// Accept negative weights, as R survey does (calibrated weights can be negative); the estimates report
    /// how many rows had one (``Estimates/negativeWeightRows``). Otherwise a negative weight is an error.
    public var allowNegativeWeights: Bool = false
    /// The single cluster column holds household ids (the UK households-as-clusters mode); only the
    /// description changes, so every result names the mode.
    public var householdsAsClusters: Bool = false
    /// Every row has weight 1 and no weight column is read (R `svydesign` without `weights` or `probs`);
    /// the description says so.
    public var unitWeights: Bool = false
    /// The weight column was named by the codebook, not the command line; the description says so.
    public var weightFromCodebook: Bool = false

    public init(
        weight: String?, strata: String? = nil, clusters: [String] = [], fpc: [String] = [], nest: Bool = false,
        lonelyPSU: LonelyPSURule = .fail, adjustDomainLonely: Bool = false, ultimateCluster: Bool = false,
        replicates: ReplicateWeights? = nil, designFactor: Double? = nil, allowZeroWeights: Bool = false
    ) {
        self.weight = weight
        self.strata = strata
        self.clusters = clusters
        self.fpc = fpc
        self.nest = nest
        self.lonelyPSU = lonelyPSU
        self.adjustDomainLonely = adjustDomainLonely
        self.ultimateCluster = ultimateCluster
        self.replicates = replicates
        self.designFactor = designFactor
        self.allowZeroWeights = allowZeroWeights
    }

    /// Weights only: every row is an independent draw with replacement (SRS with weights).
    public static func weightsOnly(weight: String) -> SurveyDesign { SurveyDesign(weight: weight) }

    /// Households as clusters: with-replacement variance over households, no strata.
    public static func householdClusters(weight: String, household: String) -> SurveyDesign {
        var design = SurveyDesign(weight: weight, clusters: [household])
        design.householdsAsClusters = true
        return design
    }

    /// A published design factor scales the SRS-with-replacement standard error.
    public static func designFactor(weight: String, deft: Double) -> SurveyDesign {
        SurveyDesign(weight: weight, designFactor: deft)
    }

    /// The variance mode in words, printed with every result.
    public var modeDescription: String {
        let mode = variance
        if weightFromCodebook, let weight { return mode + "; weight \(weight) (from the codebook)" }
        return unitWeights ? mode + "; unit weights (no weight column)" : mode
    }

    private var variance: String {
        if let deft = designFactor {
            return "design factor: SE = \(deft) x SRS-with-replacement SE (weights \(weight ?? "-"))"
        }
        if jackknife {
            return "jackknife (\(strata == nil ? "JK1" : "JKn")) built from \(strata.map { "strata \($0), " } ?? "")"
                + "PSUs \(clusters.first ?? "rows")"
        }
        if let r = replicates {
            return "replicate weights: \(r.type.rawValue), columns /\(r.pattern)/"
                + (r.usesMSE ? ", mse" : ", centred on the replicate mean")
        }
        if strata == nil && clusters.isEmpty && fpc.isEmpty {
            return "weights only (SRS with weights, with replacement)"
        }
        var parts = ["linearisation"]
        if let strata { parts.append("strata \(strata)") }
        if householdsAsClusters && clusters.count == 1 {
            parts.append("households as clusters (\(clusters[0]))")
        } else if !clusters.isEmpty {
            parts.append("clusters \(clusters.joined(separator: ", "))")
        }
        parts.append(fpc.isEmpty ? "with replacement" : "fpc \(fpc.joined(separator: ", "))")
        if lonelyPSU != .fail { parts.append("lonely PSU: \(lonelyPSU.rawValue)") }
        if let raking { parts.append("raked on \(raking.margins.map(\.column).joined(separator: ", "))") }
        if let calibration { parts.append("calibrated (\(calibration.summary)) on \(calibration.terms.count) totals") }
        return parts.joined(separator: "; ")
    }
}

/// What a stratum with a single PSU contributes to the variance (R `survey.lonely.psu`).
public enum LonelyPSURule: String, Sendable, Hashable, CaseIterable {
    /// An error naming the stratum.
    case fail
    /// Contributes nothing.
    case remove
    /// Treated as sampled with certainty: contributes nothing.
    case certainty
    /// Centred at the grand mean of all PSU totals (survey ≥ 4.4 and Stata `singleunit(centered)`).
    case adjust
    /// The variance is scaled up by strata / strata-with-two-or-more-PSUs.
    case average
}

/// Replicate weights read from columns whose names match a pattern.
public struct ReplicateWeights: Sendable, Hashable {
    /// A regular expression; matching columns in file order are the replicates.
    public var pattern: String
    public var type: ReplicateType
    /// Fay's ρ (for ``ReplicateType/fay``).
    public var fayRho: Double?
    /// The overall scale; `nil` uses the type's default (JK1 (R−1)/R, BRR 1/R, Fay 1/(R(1−ρ)²), bootstrap
    /// and subbootstrap 1/(R−1), SDR/ACS 4/R).
    public var scale: Double?
    /// Per-replicate scales; `nil` means all 1.
    public var rscales: [Double]?
    /// Centre on the full-sample estimate instead of the replicate mean; `nil`: true for SDR/ACS, else false.
    public var mse: Bool?
    /// The columns are full analysis weights (`true`) or factors to multiply the main weight by (`false`).
    public var combinedWeights: Bool
    /// Degrees of freedom; `nil` computes rank(replicate weights) − 1 as R does.
    public var degreesOfFreedom: Double?

    public init(
        pattern: String, type: ReplicateType, fayRho: Double? = nil, scale: Double? = nil, rscales: [Double]? = nil,
        mse: Bool? = nil, combinedWeights: Bool = true, degreesOfFreedom: Double? = nil
    ) {
        self.pattern = pattern
        self.type = type
        self.fayRho = fayRho
        self.scale = scale
        self.rscales = rscales
        self.mse = mse
        self.combinedWeights = combinedWeights
        self.degreesOfFreedom = degreesOfFreedom
    }

    /// Whether the variance is centred on the full-sample estimate.
    public var usesMSE: Bool { mse ?? (type == .sdr || type == .acs) }

    /// The scale for `count` replicates.
    public func effectiveScale(count: Int) throws -> Double {
        if let scale { return scale }
        let r = Double(count)
        switch type {
        case .jk1: return (r - 1) / r
        case .jkn: return 1
        case .brr: return 1 / r
        case .fay:
            guard let rho = fayRho else {
                throw WeightingError.invalidDesign("Fay replicate weights need --fay-rho")
            }
            return 1 / (r * (1 - rho) * (1 - rho))
        case .bootstrap, .subbootstrap: return 1 / (r - 1)
        case .sdr, .acs: return 4 / r
        case .other: throw WeightingError.invalidDesign("replicate type 'other' needs an explicit scale")
        }
    }
}

/// The kind of replicate weights.
public enum ReplicateType: String, Sendable, Hashable, CaseIterable {
    case jk1 = "JK1"
    case jkn = "JKn"
    case brr = "BRR"
    case fay = "Fay"
    case bootstrap
    case subbootstrap
    case sdr = "successive-difference"
    case acs = "ACS"
    case other

    /// Parses a name case-insensitively (`sdr` is accepted for successive-difference).
    public init?(name: String) {
        let lower = name.lowercased()
        if lower == "sdr" { self = .sdr; return }
        guard let match = ReplicateType.allCases.first(where: { $0.rawValue.lowercased() == lower }) else {
            return nil
        }
        self = match
    }
}
