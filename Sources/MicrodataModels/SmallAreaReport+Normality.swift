import Foundation
import MicrodataWrite

extension SmallAreaReport {
    /// The metadata item of the normality diagnostics, `nil` when no area was fitted.
    ///
    /// Disclosure: computed from the standardised residuals of the fitted areas only, each of which is published
    /// in the area table (`std_residual`); an area whose direct estimate is withheld is fitted as without sample
    /// and has no residual, so W, p, skewness and kurtosis are functions of published figures.
    static func normalityItem(_ job: SmallAreaEstimation) -> MetadataItem? {
        guard let normality = job.fit.normality else { return nil }
        var text: String
        switch normality.test {
        case .success(let t):
            text = "Shapiro–Wilk W = \(formatNumber(t.w)), p = \(formatNumber(t.p)) over the \(t.count) fitted areas (R shapiro.test)"
        case .failure(let reason):
            text = "Shapiro–Wilk test not computed: \(reason)"
        }
        if let m = normality.moments {
            text += "; skewness \(formatNumber(m.skewness)), kurtosis \(formatNumber(m.kurtosis)) (moments, 3 for a normal distribution, as emdi)"
        }
        if job.arcsine != nil { text += "; on the arcsine scale, as the residuals" }
        return MetadataItem("Normality of the standardised residuals", text)
    }

    /// What the normality diagnostics mean.
    static let normalityNote = "Normality of the standardised residuals (direct − x'β) / √(A + ψ) over the fitted areas: "
        + "the model assumes normal area effects and sampling errors; a small Shapiro–Wilk p value, a skewness far from 0 "
        + "or a kurtosis far from 3 casts doubt on the MSEs and intervals."
}
