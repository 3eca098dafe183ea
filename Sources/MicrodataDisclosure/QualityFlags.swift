/// ONS coefficient-of-variation bands for survey estimates (kept apart from disclosure status).
public enum CVBand: String, Sendable, Codable {
    case precise
    case reasonablyPrecise = "reasonably precise"
    case acceptable
    /// ONS marks these `x` and does not publish them.
    case unreliable = "unreliable"
}

/// Nomis/APS sample-size flags: `!` disclosive (0–2 respondents), `*` unreliable (3–9).
public enum NomisFlag: String, Sendable, Codable {
    case disclosive = "!"
    case unreliable = "*"
    case none = ""
}

/// The quality labels shown next to an estimate.
public struct QualityFlags: Sendable, Hashable, Codable {
    /// `nil` when the CV is undefined (zero estimate or no standard error).
    public var cvBand: CVBand?
    public var nomis: NomisFlag
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

    /// Both quality labels for an estimate.
    public func quality(estimate: Double, standardError: Double?, sampleSize: Int) -> QualityFlags {
        let cv = standardError.flatMap { estimate == 0 ? nil : $0 / abs(estimate) }
        return QualityFlags(cvBand: cv.flatMap(cvBand), nomis: nomisFlag(sampleSize: sampleSize))
    }
}
