/// ONS coefficient-of-variation bands for survey estimates (kept apart from disclosure status).
public enum CVBand: String, Sendable, Codable {
    case precise
    case reasonablyPrecise = "reasonably precise"
    case acceptable
    /// "Unreliable for practical purposes": ONS does not publish these (it marks them `x`); with
    /// `unreliableEstimates: "suppress"` neither do we, writing `unreliableMarker` (`[u]`) instead, because
    /// `x` here means suppressed for disclosure.
    case unreliable = "unreliable"
}

/// Nomis/APS observation flags: `-` missing, `!` disclosive (0–2 respondents), `*` unreliable (3–9),
/// `~` a count estimate below 500.
public enum NomisFlag: String, Sendable, Codable {
    /// The figure is missing (no estimate).
    case missing = "-"
    case disclosive = "!"
    case unreliable = "*"
    /// A count estimate below `nomisSmallEstimateBelow` (500 for APS levels).
    case smallEstimate = "~"
    case none = ""
}

/// The quality labels shown next to an estimate.
public struct QualityFlags: Sendable, Hashable, Codable {
    /// `nil` when the CV is undefined (zero estimate or no standard error).
    public var cvBand: CVBand?
    public var nomis: NomisFlag
    /// Whether the estimate is withheld as unreliable (CV band `unreliable` and
    /// `unreliableEstimates: "suppress"`): its numbers are written as `unreliableMarker`.
    public var withheld: Bool = false
}

extension DisclosureRules {
    /// The ONS band of a coefficient of variation given as a fraction (0.05 = 5%); band limits are
    /// inclusive upper limits (`≤ 5%` precise, `≤ 10%`, `≤ 20%`, above unreliable).
    public func cvBand(_ cv: Double) -> CVBand? {
        guard cv.isFinite, cv >= 0, cvBands.count >= 3 else { return nil }
        let percent = cv * 100
        if percent <= cvBands[0] { return .precise }
        if percent <= cvBands[1] { return .reasonablyPrecise }
        if percent <= cvBands[2] { return .acceptable }
        return .unreliable
    }

    /// The Nomis/APS flag for an unweighted sample size.
    public func nomisFlag(sampleSize: Int) -> NomisFlag {
        if sampleSize <= nomisDisclosiveMax { return .disclosive }
        if sampleSize <= nomisUnreliableMax { return .unreliable }
        return .none
    }

    /// The Nomis/APS flag of an estimate, one per observation in the order `-` (missing), `!`, `*`, then
    /// `~` for a count estimate (a weighted count of people, an APS level) below `nomisSmallEstimateBelow`.
    public func nomisFlag(estimate: Double?, sampleSize: Int, isCount: Bool) -> NomisFlag {
        guard let estimate, estimate.isFinite else { return .missing }
        let bySample = nomisFlag(sampleSize: sampleSize)
        if bySample != .none { return bySample }
        if isCount, estimate < nomisSmallEstimateBelow { return .smallEstimate }
        return .none
    }

    /// Both quality labels for an estimate, and whether it is withheld as unreliable.
    ///
    /// - Parameter isCount: whether the estimate is a count of people (Nomis `~` applies only to those).
    public func quality(estimate: Double?, standardError: Double?, sampleSize: Int, isCount: Bool = false)
        -> QualityFlags
    {
        let cv = standardError.flatMap { se in estimate.flatMap { $0 == 0 || !$0.isFinite ? nil : se / abs($0) } }
        let band = cv.flatMap(cvBand)
        return QualityFlags(
            cvBand: band, nomis: nomisFlag(estimate: estimate, sampleSize: sampleSize, isCount: isCount),
            withheld: band == .unreliable && unreliableEstimates == "suppress")
    }
}
