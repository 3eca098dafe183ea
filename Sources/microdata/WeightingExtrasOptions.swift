import ArgumentParser
import MicrodataWeighting

/// `tabulate` options on the weights themselves: unit weights and Kish's weighting effect per domain.
struct WeightingExtrasOptions: ParsableArguments {
    @Flag(help: """
        Every row has weight 1 and no weight column is read (also `--weight 1`), as R svydesign without \
        weights; the design line says so. With --fpc the FPCs still enter the variance.
        """)
    var unweighted = false
    @Flag(help: """
        Add Kish's weighting effect of each cell's domain: sum_w2 (Σw²), kish_deff (n Σw² / (Σw)²) and \
        n_eff ((Σw)² / Σw²), over the domain's rows with a non-zero input weight (n and weighted_n are \
        the other two inputs).
        """)
    var kish = false

    /// Applies the options to the design and estimation options of `tabulate`.
    func apply(to design: inout SurveyDesign, _ options: inout EstimationOptions) throws {
        if design.weight == "1" {
            design.weight = nil
            design.unitWeights = true
        }
        if unweighted {
            if design.weight != nil { throw ValidationError("give --weight or --unweighted, not both") }
            design.unitWeights = true
        }
        options.kish = kish
    }
}
