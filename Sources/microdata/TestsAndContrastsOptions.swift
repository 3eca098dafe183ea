import ArgumentParser
import Foundation
import MicrodataCodebook
import MicrodataDisclosure
import MicrodataLink
import MicrodataReaders
import MicrodataWeighting
import MicrodataWrite

/// `tabulate` options for tests, contrasts and the covariance matrix of the estimates.
struct TestsAndContrastsOptions: ParsableArguments {
    @Option(help: """
        Test of independence of two categorical variables A,B, as R svychisq: the Rao-Scott F (default \
        statistic), the first-order Chisq, Wald and adjWald, at full precision; under replicate weights or \
        --jackknife as svychisq on the replicate design (df: rank of the replicate weights - 1). Withheld when \
        a cell of the A x B table fails disclosure control.
        """)
    var chisq: String?
    @Option(help: """
        Design-based t-test Y:G of the difference in the mean of Y between the two groups of G (second minus \
        first, in sorted order), as R svyttest(Y ~ G); rows missing Y or G are outside, and df is the \
        design's over the rest minus 1. Withheld when either group's mean is suppressed.
        """)
    var ttest: String?
    @Option(help: """
        A linear combination of the estimates, NAME=TERM +/- TERM (repeatable), with an SE that uses the \
        covariance between domains (R svycontrast on svyby(covmat = TRUE)). A term is [C*]DOMAIN[LEVEL]: C \
        a number or A/B, DOMAIN the by-values joined by '.', LEVEL in brackets for a categorical; quote a \
        label with backticks. Added as rows of statistic 'contrast'; withheld ([c]) when any estimate it \
        uses is suppressed.
        """)
    var contrast: [String] = []
    @Option(help: """
        Write the covariance matrix of the published estimates here (CSV, or JSON for a .json name); \
        suppressed estimates are left out.
        """)
    var vcov: String?

    var testRequested: Bool { chisq != nil || ttest != nil }
    /// Whether the pass must keep the covariance between domains.
    var needsFullCovariance: Bool { testRequested || !contrast.isEmpty || vcov != nil }

    /// Checks the statistics asked for: at least one; several only without contrasts, --vcov and cell keys.
    func validate(statistics: [Analysis], cellKey: Bool) throws {
        guard !statistics.isEmpty else {
            throw ValidationError(
                "give one or more of --mean, --total, --proportion, --ratio, --quantile, --variance, --gini, --lorenz, "
                    + "--top-share, --quantile-share-ratio, --percentile-ratio, --poverty-threshold, --poverty-rate, --poverty-gap, "
                    + "--atkinson, --gei, "
                    + "or a test (--chisq, --ttest)")
        }
        if cellKey && needsFullCovariance {
            throw ValidationError("--cell-key-seed perturbs counts; tests, contrasts and --vcov would undo it")
        }
        if statistics.count > 1 && (!contrast.isEmpty || vcov != nil) {
            throw ValidationError("--contrast and --vcov take one statistic")
        }
        if statistics.count > 1 && cellKey {
            throw ValidationError("--cell-key-seed takes one statistic")
        }
        let linear: Set<Analysis.Kind> = [.mean, .total, .proportion, .ratio]
        if (!contrast.isEmpty || vcov != nil), let a = statistics.first, !linear.contains(a.kind) {
            throw ValidationError("--contrast and --vcov take a mean, total, proportion or ratio (no covariance of \(a.kind.rawValue)s)")
        }
    }

    /// Checks the design of a test: `--chisq` follows R's svychisq for linearisation and replicate designs over
    /// all rows.
    func validate(design: SurveyDesign, subpopulation: Bool) throws {
        guard chisq != nil else { return }
        if design.designFactor != nil {
            throw ValidationError("--chisq is implemented for linearisation and replicate designs, not a design factor")
        }
        if subpopulation { throw ValidationError("--chisq takes no --subpop (R's N and df would be the subset's)") }
    }

    /// The analyses of a test (they replace the statistic options), and the by-variable it needs. Under
    /// replicates `--chisq` also estimates the cells' proportions, whose replicate covariance the test uses.
    func testAnalysis(_ design: SurveyDesign) throws -> (analyses: [Analysis], by: [String])? {
        if chisq != nil && ttest != nil { throw ValidationError("give --chisq or --ttest, not both") }
        if let chisq {
            let parts = chisq.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, !parts.contains(where: \.isEmpty) else {
                throw ValidationError("--chisq takes two variables A,B")
            }
            let replicated = design.replicates != nil || design.jackknife
            return ([Analysis(.total, parts)] + (replicated ? [Analysis(.proportion, parts)] : []), [])
        }
        if let ttest {
            let parts = ttest.split(separator: ":").map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, !parts.contains(where: \.isEmpty) else {
                throw ValidationError("--ttest takes Y:G (a variable and a two-group variable)")
            }
            return ([.mean(parts[0])], [parts[1]])
        }
        return nil
    }

    /// The estimator's subpopulation column: `--subpop`'s, or with `--ttest` the rows with both values.
    func subpopulationColumn(_ linking: LinkOptions) throws -> String? {
        try tTestSubpopulation(linking.subpop) == nil ? linking.subpopulationColumn : SubpopulationSource.column
    }

    /// `batch` with the subpopulation marker of ``subpopulationColumn(_:)``.
    func mark(_ batch: Batch, _ linking: LinkOptions) throws -> Batch {
        guard let e = try tTestSubpopulation(linking.subpop) else { return try linking.mark(batch) }
        return try SubpopulationSource.mark(batch, e)
    }

    /// `--ttest`: the subpopulation expression (rows with both values, within `--subpop`).
    func tTestSubpopulation(_ subpop: String?) throws -> RowExpression? {
        guard let ttest else { return nil }
        let parts = ttest.split(separator: ":").map { $0.trimmingCharacters(in: .whitespaces) }
        let text = (subpop.map { "(\($0)) & " } ?? "") + "!missing(\(parts[0])) & !missing(\(parts[1]))"
        do { return try RowExpression(parsing: text) } catch { throw ValidationError("--ttest: \(error)") }
    }

    /// The rows `derive` adds to the checked estimates, or the table of tests that replaces them.
    func derive(_ estimates: Estimates, level: Double) throws -> (CheckedEstimates) throws -> CheckedEstimates {
        if chisq != nil {
            guard let t = try estimates.independenceTest(block: 0) else {
                throw ValidationError("--chisq: each variable needs at least two levels")
            }
            let names = estimates.blocks[0].analysis.variables.joined(separator: ",")
            let rows = DerivedStatistic.independence(t, variables: names, designDF: estimates.degreesOfFreedom)
            return {
                $0.derivedTable(title: "Test of independence of \(names)", columns: DerivedStatistic.testHeader, rows,
                                valueColumns: DerivedStatistic.testValues)
            }
        }
        if let ttest {
            let cells = Array(estimates.blocks[0].cells)
            guard cells.count == 2 else {
                throw ValidationError("--ttest: '\(estimates.table.byVariables[0])' has \(cells.count) groups; it must have two")
            }
            let t = try estimates.tTest(first: cells[0], second: cells[1],
                                        degreesOfFreedom: estimates.degreesOfFreedom - 1, level: level)
            let row = DerivedStatistic.tTest(t, variables: ttest, uses: cells)
            return {
                $0.derivedTable(title: "t-test of \(ttest)", columns: DerivedStatistic.testHeader, [row],
                                valueColumns: DerivedStatistic.testValues)
            }
        }
        guard !contrast.isEmpty else { return { $0 } }
        guard estimates.table.cells.isEmpty == false else { return { $0 } }
        let specs = try contrast.map { try ContrastSpec(parsing: $0) }
        let cells = 0..<estimates.table.cells.count
        let df = estimates.degreesOfFreedom  // the design's: a contrast spans domains
        let q = estimates.table.usesTDistribution
            ? Distributions.tQuantile(1 - (1 - level) / 2, df: df) : Distributions.normalQuantile(1 - (1 - level) / 2)
        let rows = try specs.map { spec -> DerivedStatistic in
            let coefficients = try spec.resolve(in: estimates.table, cells: cells)
            let (e, se) = try estimates.contrast(coefficients)
            guard se.isFinite else {
                throw ValidationError(
                    "--contrast \(spec.name): the covariance of its estimates is not available (lonely-PSU rule per domain?)")
            }
            return DerivedStatistic.contrast(
                name: spec.name, variable: estimates.table.cells[0].variable, estimate: e, standardError: se,
                critical: q, df: df, uses: coefficients.filter { $0.value != 0 }.map(\.key).sorted())
        }
        return { $0.appending(rows, valueColumns: DerivedStatistic.contrastValues) }
    }

    /// Writes `--vcov`: the covariance of the estimates published in `checked`, labelled as contrasts name them.
    func writeCovariance(_ estimates: Estimates, _ checked: CheckedEstimates) throws {
        guard let vcov else { return }
        try checked.publishedCovariance(estimates).write(to: vcov)
    }
}
