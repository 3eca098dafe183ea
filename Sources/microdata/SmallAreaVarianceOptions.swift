import ArgumentParser
import MicrodataModels

/// `--transform arcsin`, `--gvf` and their settings: `sae` for proportions near 0 or 1 and zero direct variances.
struct SmallAreaVarianceOptions: ParsableArguments {
    @Option(help: ArgumentHelp("""
        arcsin: fit a proportion on the arcsine scale, asin(√p) with sampling variance 1/(4 n_eff), n_eff = n / \
        design effect, as emdi::fh(transformation = "arcsin"); areas with p = 0 or 1 are then fitted.
        """, valueName: "arcsin"))
    var transform: String?
    @Option(help: "With --transform arcsin: naive (sin² of the EBLUP, default) or bc (bias-corrected, as emdi).")
    var backtransform: String = "naive"
    @Option(name: .customLong("design-effect"),
            help: "With --transform arcsin: area (each area's own, default; the mean where undefined) or pooled (the mean for all).")
    var designEffect: String = "area"
    @Option(help: "With --transform arcsin: parametric-bootstrap replicates for the MSE.") var bootstrap: Int = 200
    @Option(help: "With --transform arcsin: the bootstrap's seed (SplitMix64).") var seed: UInt64 = 123
    @Flag(help: "Smooth the direct variances by a generalised variance function log v = a + b log n before fitting.")
    var gvf = false
    @Option(name: .customLong("sample-size"),
            help: "With --direct and --gvf or --transform: the column of area sample sizes.")
    var sampleSize: String?

    func validate() throws {
        if let transform, transform != "arcsin" { throw ValidationError("--transform must be arcsin") }
        if transform != nil && gvf {
            throw ValidationError("--gvf smooths untransformed variances: the arcsine scale's variance is 1/(4 n_eff) already")
        }
        if transform == nil && (backtransform != "naive" || designEffect != "area" || bootstrap != 200 || seed != 123) {
            throw ValidationError("--backtransform, --design-effect, --bootstrap and --seed need --transform arcsin")
        }
        if sampleSize != nil && transform == nil && !gvf { throw ValidationError("--sample-size is for --gvf or --transform arcsin") }
        if bootstrap < 1 { throw ValidationError("--bootstrap must be at least 1") }
    }

    /// The transformation asked for, or `nil`.
    func arcsine() throws -> ArcsineTransformation? {
        guard transform != nil else { return nil }
        guard let back = ArcsineTransformation.BackTransformation(rawValue: backtransform) else {
            throw ValidationError("--backtransform must be naive or bc")
        }
        guard let deff = ArcsineTransformation.DesignEffect(rawValue: designEffect) else {
            throw ValidationError("--design-effect must be area or pooled")
        }
        return ArcsineTransformation(backTransformation: back, designEffect: deff, replicates: bootstrap, seed: seed)
    }
}
