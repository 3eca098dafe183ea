import Foundation
import MicrodataWrite

/// Builds the publication of a small-area job (the one model every writer renders) and its output checks.
///
/// Disclosure: an area whose direct estimate may not be published is fitted as an area without sample, so every
/// published number is a function of publishable direct estimates and the auxiliary data only; its direct
/// estimate shows the marker.
public enum SmallAreaReport {
    /// The columns of the area table.
    public static func header(benchmarked: Bool) -> [String] {
        ["area", "kind", "estimate", "mse", "rmse", "cv", "gamma", "direct", "direct_se"]
            + (benchmarked ? ["benchmarked"] : []) + ["direct_cv", "std_residual", "direct_status"]
    }

    /// One record per area of the auxiliary data.
    public static func records(_ job: SmallAreaEstimation) -> PublishedRecords {
        let b = job.benchmarkFactor
        var rows: [[TableValue]] = []
        for (e, d) in zip(job.fit.areas, job.directs) {
            var row: [TableValue] = [.text(e.area), .text(e.kind.rawValue), .number(e.estimate), .number(e.mse),
                                     .number(e.rmse), e.cv.map(TableValue.number) ?? .missing, .number(e.gamma)]
            switch d {
            case nil: row += [.missing, .missing]
            case let d? where d.publishable:
                row += [d.estimate.map(TableValue.number) ?? .missing, d.standardError.map(TableValue.number) ?? .missing]
            case _?: row += [.marker(ModelReport.suppressed), .marker(ModelReport.suppressed)]
            }
            if let b { row.append(e.kind == .eblup ? .number(e.estimate * b) : .missing) }
            // Beside the model's cv: the direct estimate's, where it is published and used.
            let directCV = e.kind == .eblup && e.direct != 0 ? e.directVariance!.squareRoot() / abs(e.direct!) : nil
            row += [directCV.map(TableValue.number) ?? .missing, e.standardisedResidual.map(TableValue.number) ?? .missing]
            row.append(.text(status(e, d, job)))
            rows.append(row)
        }
        return PublishedRecords(columns: header(benchmarked: b != nil), rows: rows)
    }

    /// Why an area has the estimate it has: its direct estimate's disclosure status and use.
    static func status(_ e: FayHerriotFit.AreaEstimate, _ d: DirectEstimate?, _ job: SmallAreaEstimation) -> String {
        guard let d else { return "no-sample" }
        if job.zeroVarianceAreas.contains(d.area) { return d.status + "; zero-variance: fitted without it" }
        if !d.publishable { return d.status + "; fitted without it" }
        return d.status
    }

    /// The publication: the area table, the fixed effects, and the fit's facts as metadata.
    public static func publication(
        _ job: SmallAreaEstimation, statistic: String, formula: String, source: String, design: String?,
        rules: String?, stamp: String?, version: String
    ) -> Publication {
        let fit = job.fit
        var grid: [PublishedRow] = []
        for (e, d) in zip(fit.areas, job.directs) {
            // Normal 95% intervals, ±1.96 root MSE and ±1.96 SE (the lines of the HTML chart).
            let half = 1.959963984540054 * e.rmse
            let model = PublishedCell(estimate: e.estimate, standardError: e.rmse, ciLow: e.estimate - half, ciHigh: e.estimate + half)
            let direct: PublishedCell
            switch d {
            case let d? where d.publishable && d.estimate != nil:
                let half = d.standardError.map { 1.959963984540054 * $0 }
                direct = PublishedCell(estimate: d.estimate, standardError: d.standardError, ciLow: half.map { d.estimate! - $0 },
                                       ciHigh: half.map { d.estimate! + $0 }, unweightedCount: d.count)
            case let d? where !d.publishable: direct = PublishedCell(estimate: nil, marker: .suppressed)
            default: direct = PublishedCell(estimate: nil, marker: .notAvailable)
            }
            grid.append(PublishedRow(label: e.area, cells: [model, direct]))
        }
        let areas = PublishedTable(
            id: "areas", title: "\(statistic): model-based (Fay–Herriot \(fit.method.rawValue.uppercased())) and direct estimates",
            unit: "Estimate (root MSE for the model, interval ±1.96 root MSE; standard error for the direct)", rowHeading: "Area",
            columns: ["Model estimate", "Direct estimate"], rows: grid, decimals: 4, records: records(job))
        let coefficientRows = fit.coefficients.map {
            [TableValue.text($0.term), .number($0.estimate), .number($0.standardError), .number($0.z), .number($0.p)]
        }
        let coefficients = PublishedTable(
            id: "coefficients", title: "Fixed effects of \(formula)", unit: "Coefficients", rowHeading: "Term",
            columns: ["Estimate"],
            rows: fit.coefficients.map { PublishedRow(label: $0.term, cells: [PublishedCell(estimate: $0.estimate, standardError: $0.standardError)]) },
            decimals: 4,
            records: PublishedRecords(columns: ["term", "estimate", "se", "z", "p"], rows: coefficientRows))
        return Publication(
            title: "Small-area estimates: \(statistic)", source: source, tables: [areas, coefficients],
            notes: notes(job), metadata: metadata(job, formula: formula), charts: [.bars(tableID: "areas"), .intervals(tableID: "areas", orderBy: 1)],
            uncheckedStamp: stamp, version: version,
            design: design, rules: rules)
    }

    /// The fit's facts: method, A, convergence, areas and benchmark.
    public static func metadata(_ job: SmallAreaEstimation, formula: String) -> [MetadataItem] {
        let fit = job.fit
        let synthetic = fit.areas.filter { $0.kind == .synthetic }.count
        let withheld = job.directs.compactMap { $0 }.filter { !$0.publishable }.count
        var items = [
            MetadataItem("Model", "area-level Fay–Herriot, \(fit.method.rawValue.uppercased()) (R sae::eblupFH; "
                         + (job.arcsine == nil ? "MSE" : "MSE on the arcsine scale") + " as sae::mseFH: "
                         + (fit.method == .fh ? "Prasad–Rao" : "Datta–Lahiri")
                         + (job.arcsine == nil ? "" : "; the published mse is bootstrapped, see MSE") + "), formula \(formula)"),
            MetadataItem("A (area-effect variance)", formatNumber(fit.variance)),
            MetadataItem("Fisher scoring", "\(fit.iterations) iterations, converged (relative change of A at most the tolerance)"),
            MetadataItem("Log-likelihood", formatNumber(fit.logLikelihood)),
            MetadataItem("Areas", "\(fit.areas.count) in the auxiliary file: \(fit.sampledAreas) fitted (eblup), \(synthetic) synthetic"
                         + (withheld > 0 ? " (\(withheld) with a direct estimate withheld by disclosure control, fitted as without sample)" : "")
                         + (job.zeroVarianceAreas.isEmpty ? "" : " (\(job.zeroVarianceAreas.count) with zero direct variance)")),
        ]
        for c in fit.coefficients {
            items.append(MetadataItem("beta \(c.term)", "\(formatNumber(c.estimate)) (se \(formatNumber(c.standardError)))"))
        }
        if let bias = fit.biasDiagnostic {
            items.append(MetadataItem(
                "Bias diagnostic", "direct = a + b × estimate over the fitted areas: a = \(formatNumber(bias.intercept)) "
                    + "(se \(formatNumber(bias.interceptSE))), b = \(formatNumber(bias.slope)) (se \(formatNumber(bias.slopeSE)))"))
        }
        if let normality = normalityItem(job) { items.append(normality) }
        items += adjustmentMetadata(job)
        if let b = job.benchmarkFactor {
            items.append(MetadataItem("Benchmark", "ratio benchmarking of the EBLUPs to the direct estimate over the fitted areas: factor \(formatNumber(b))"))
        }
        return items
    }

    static func notes(_ job: SmallAreaEstimation) -> [String] {
        var notes = [
            "kind = eblup: gamma × direct + (1 − gamma) × synthetic; kind = synthetic: x'β for an area without a usable direct estimate, MSE x'(X'V⁻¹X)⁻¹x + A.",
            "An area whose direct estimate may not be published is fitted as an area without sample, so no published figure depends on it.",
            normalityNote,
        ]
        if job.fit.truncated {
            notes.append("A was estimated at or below 0 and set to 0: every estimate is the synthetic x'β (gamma = 0).")
        }
        notes += adjustmentNotes(job)
        if job.benchmarkFactor != nil { notes.append("benchmarked: the EBLUP times the benchmark factor; its MSE is not adjusted.") }
        return notes
    }

    /// The output checks for the audit: each area's direct estimate, published or withheld.
    public static func outputChecks(_ job: SmallAreaEstimation) -> [OutputCheck] {
        job.directs.compactMap { $0 }.map { d in
            OutputCheck(
                rule: "direct-estimate", subject: "area \(d.area)", status: d.publishable ? .pass : .fail, withheld: !d.publishable,
                evidence: d.publishable
                    ? "direct estimate publishable (\(d.status)); used by the model"
                    : "direct estimate not publishable (\(d.status)): withheld and not used by the model")
        }
    }
}

extension SmallAreaReport {
    /// One publication of several jobs on the same areas (e.g. the upward, downward and immobile rates): each job's
    /// area and fixed-effects tables, their ids suffixed with `ids`, and each job's notes and metadata prefixed
    /// with its statistic.
    public static func publication(
        _ jobs: [SmallAreaEstimation], statistics: [String], ids: [String], formula: String, source: String,
        design: String?, rules: String?, stamp: String?, version: String
    ) -> Publication {
        let parts = zip(jobs, statistics).map {
            publication($0, statistic: $1, formula: formula, source: source, design: design, rules: rules, stamp: stamp, version: version)
        }
        var combined = parts[0]
        (combined.tables, combined.notes, combined.metadata, combined.charts) = ([], [], [], [])
        for (part, (id, statistic)) in zip(parts, zip(ids, statistics)) {
            for var table in part.tables {
                table.id += "-" + id
                combined.tables.append(table)
            }
            combined.charts += [.bars(tableID: "areas-" + id), .intervals(tableID: "areas-" + id, orderBy: 1)]
            combined.notes += part.notes.map { "\(statistic): \($0)" }
            combined.metadata += part.metadata.map { MetadataItem("\(id) \($0.key)", $0.value) }
        }
        return combined
    }
}
