import Foundation
import MicrodataWrite

extension SmallAreaReport {
    /// The arcsine transformation's or the GVF's facts for the metadata.
    static func adjustmentMetadata(_ job: SmallAreaEstimation) -> [MetadataItem] {
        var items: [MetadataItem] = []
        if let outcome = job.arcsine, let t = job.arcsineSettings {
            let e = outcome.effective
            let deff = t.designEffect == .area
                ? "each area's own design effect v(n − 1)/(p(1 − p)) (R survey deff = \"replace\"), the mean "
                    + "\(formatNumber(e.pooledDesignEffect)) of the \(e.areasWithDesignEffect) areas that have one where it is undefined (p = 0 or 1, zero variance)"
                : "the mean design effect \(formatNumber(e.pooledDesignEffect)) of the \(e.areasWithDesignEffect) areas that have one"
            items.append(MetadataItem(
                "Transformation", "arcsine as emdi::fh(transformation = \"arcsin\", backtransformation = \"\(t.backTransformation.rawValue)\"): "
                    + "the model is fitted to asin(√p) with sampling variance 1/(4 n_eff), n_eff = n / deff with \(deff); "
                    + "A, beta, gamma and std_residual are on the arcsine scale"))
            items.append(MetadataItem(
                "MSE", "parametric bootstrap (emdi boot_arcsin_2): \(outcome.successfulReplicates) of \(t.replicates) replicates, "
                    + "SplitMix64 seed \(t.seed)"))
        }
        if let g = job.gvf {
            items.append(MetadataItem(
                "Variance smoothing", "generalised variance function log v = a + b log n (Wolter 2007, ch. 7) fitted by least "
                    + "squares over the \(g.areasFitted) areas with v > 0; each area's variance replaced by exp(a + b log n) × "
                    + "Duan's smearing factor: a = \(formatNumber(g.intercept)), b = \(formatNumber(g.slope)), smearing = "
                    + "\(formatNumber(g.smearing)), R² = \(formatNumber(g.rSquared))"))
        }
        return items
    }

    static func adjustmentNotes(_ job: SmallAreaEstimation) -> [String] {
        var notes: [String] = []
        if let t = job.arcsineSettings {
            notes.append("estimate: the EBLUP on the arcsine scale brought back to a proportion ("
                         + (t.backTransformation == .naive ? "naive: sin² of it, truncated to [0, π/2]" : "bias-corrected: the integral of sin² over its normal distribution on [0, π/2]; sin² of x'β for areas without sample")
                         + "); mse: its parametric-bootstrap MSE.")
        }
        if job.gvf != nil { notes.append("The model used the GVF-smoothed direct variances (also in direct_cv); direct_se is the design-based standard error.") }
        return notes
    }
}
