import Foundation

extension FayHerriotFit {
    /// The normality diagnostics of the standardised residuals (as emdi's `summary` of an `fh` model): the
    /// Shapiro–Wilk test, skewness and kurtosis.
    public struct Normality: Sendable, Hashable {
        /// The test, or why it was not computed (fewer than 3 or more than 5000 areas, residuals all equal).
        public var test: Result<ShapiroWilk, ShapiroWilk.Failure>
        /// `nil` when the residuals are all equal.
        public var moments: SampleMoments?
    }

    /// The diagnostics over the fitted areas only (kind `eblup`, those with a published standardised residual):
    /// an area whose direct estimate is withheld is fitted as without sample and has no residual, so it takes no
    /// part. `nil` when no area was fitted.
    public var normality: Normality? {
        let residuals = areas.compactMap(\.standardisedResidual)
        guard !residuals.isEmpty else { return nil }
        return Normality(
            test: Result { () throws(ShapiroWilk.Failure) in try ShapiroWilk(residuals) },
            moments: SampleMoments(residuals))
    }
}
