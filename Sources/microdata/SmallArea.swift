import ArgumentParser
import Foundation
import MicrodataCodebook
import MicrodataDisclosure
import MicrodataModels
import MicrodataReaders
import MicrodataWeighting
import MicrodataWrite

/// `microdata sae`: model-based estimates for small areas (area-level Fay–Herriot, as R sae::eblupFH).
struct SmallArea: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sae",
        abstract: "Model-based small-area estimates (area-level Fay–Herriot EBLUP, as R sae::eblupFH/mseFH).",
        discussion: """
            Makes the direct estimate and its design variance in each --area (as tabulate --by AREA, every design \
            of tabulate but calibration), or reads them with --direct; fits the Fay–Herriot model on the area \
            covariates of --aux (one row per area, including areas without sample) and writes per area the EBLUP \
            (kind eblup) or, for an area without a usable direct estimate, the synthetic estimate x'β (kind \
            synthetic), with MSE, root MSE, CV, gamma (the weight on the direct estimate) and the direct estimate \
            and SE where publishable. REML (default), ML or the Fay–Herriot moment method; A converged to 1e-10 \
            relative. Disclosure control: each area's direct estimate is checked as tabulate checks it; an area \
            whose direct estimate may not be published is fitted as an area without sample, so no published \
            figure depends on it. --mobility ORIGIN,DESTINATION fits the upward, downward and immobile rates (each \
            person's move between class codes, 1 highest unless --class-order low-to-high) as proportions of one \
            derived variable: one area table per rate. Zero direct variances are refused by name unless --gvf \
            smooths the variances (log v = a + b log n) or --transform arcsin fits a proportion on the arcsine \
            scale (as emdi::fh, bootstrap MSE).
            """)

    @Option(help: "The data file (as tabulate); or give --direct.") var data: String?
    @Option(help: "The codebook: DDI XML, or an SPSS/Stata/SAS file whose metadata describes --data.")
    var codebook: String?
    @OptionGroup var designOptions: DesignOptions
    @Option(help: "Mean of a numeric variable per area.") var mean: String?
    @Option(help: "Proportion of one level per area: V=LEVEL.") var proportion: String?
    @Option(help: "Total of a numeric variable per area.") var total: String?
    @Option(help: "Absolute mobility rates per area: ORIGIN,DESTINATION class codes; one table each for upward, downward, immobile.")
    var mobility: String?
    @Option(name: .customLong("class-order"), help: "With --mobility: high-to-low (default, code 1 highest) or low-to-high.")
    var classOrder: String = "high-to-low"
    @Option(help: "The area column (in the data or --direct file, and in --aux).") var area: String
    @Option(help: "Area covariates: CSV with one row per area (the --area column and the formula's columns).")
    var aux: String
    @Option(help: "The covariates in R syntax, e.g. 'x1 + x2 + factor(region)' (a left side 'y ~' is ignored).")
    var formula: String
    @Option(help: "reml (default), ml or fh (Fay–Herriot moments).") var method: String = "reml"
    @Option(help: "Direct estimates made elsewhere: a file with one row per area (e.g. tabulate --by AREA output).")
    var direct: String?
    @Option(help: "With --direct: the estimate column.") var estimate: String = "estimate"
    @Option(help: "With --direct: the standard-error column.") var se: String = "se"
    @Flag(help: "Add EBLUPs ratio-benchmarked to the direct estimate over the fitted areas.") var benchmark = false
    @Option(help: "The --aux column of area populations (benchmarking a mean or proportion).") var population: String?
    @Option(name: .customLong("zero-variance"),
            help: "Areas whose direct variance is zero: fail (default, naming them) or synthetic (fit them as without sample).")
    var zeroVariance: String = "fail"
    @OptionGroup(title: "Proportions near 0 or 1 and zero variances") var variances: SmallAreaVarianceOptions
    @Option(help: "csv, json, markdown, text, html or xlsx (with --output).") var format: String = "csv"
    @Option(help: "Output file (default: standard output).") var output: String?
    @Option(help: "Rules file overriding Codebooks/disclosure/default-rules.json.") var rules: String?
    @Flag(name: .customLong("no-disclosure-control"),
          help: "Turn the checks of the direct estimates off: the output is stamped NOT DISCLOSURE CONTROLLED.")
    var noDisclosureControl = false
    @OptionGroup(title: "Reading") var delimiter: DelimiterOption
    @OptionGroup(title: "Presentation") var presentation: PresentationOptions

    func run() throws {
        try OutputTarget.check(
            outputs: [output, OutputAudit.sidecar(for: output), output.map(Presentation.csvMetadataPath)],
            inputs: [data, codebook, aux, direct, rules])
        guard let fhMethod = FayHerriot.Method(rawValue: method.lowercased()) else {
            throw ValidationError("--method must be reml, ml or fh")
        }
        guard let zero = SmallAreaEstimation.ZeroVariance(rawValue: zeroVariance.lowercased()) else {
            throw ValidationError("--zero-variance must be fail or synthetic")
        }
        guard let outputFormat = OutputFormat(rawValue: format.lowercased()) else {
            throw ValidationError("--format must be csv, json, markdown, text, html or xlsx")
        }
        if outputFormat == .xlsx && output == nil { throw ValidationError("--format xlsx needs --output FILE") }
        let statistics = [mean, proportion, total, mobility].compactMap { $0 }
        guard (data == nil) != (direct == nil) else { throw ValidationError("give --data or --direct") }
        if data != nil && statistics.count != 1 { throw ValidationError("give one of --mean, --proportion V=LEVEL, --total, --mobility O,D") }
        guard ["high-to-low", "low-to-high"].contains(classOrder) else { throw ValidationError("--class-order must be high-to-low or low-to-high") }
        let arcsine = try variances.arcsine()
        if arcsine != nil && (mean != nil || total != nil) { throw ValidationError("--transform arcsin is for --proportion, --mobility or --direct proportions") }
        if direct != nil && !statistics.isEmpty { throw ValidationError("--direct takes its estimates from the file: no --mean/--proportion/--total") }
        if direct == nil && variances.sampleSize != nil {
            throw ValidationError("--sample-size names a column of the --direct file; with --data the sample sizes are counted")
        }
        if benchmark && population == nil && total == nil {
            throw ValidationError("--benchmark of a mean or proportion needs --population COL (area populations in --aux)")
        }
        let auxName = URL(fileURLWithPath: aux).lastPathComponent
        let auxiliary = try ModelData(source: DataReader.open(data: URL(fileURLWithPath: aux), codebook: nil))
        var label = "direct estimates from \(direct.map { URL(fileURLWithPath: $0).lastPathComponent } ?? "")"
        var design: String? = nil
        var rulesInForce: String? = nil
        var threshold: Int? = nil
        var directs: [DirectEstimate]
        var rates: [(label: String, directs: [DirectEstimate])] = []
        if let direct {
            let file = URL(fileURLWithPath: direct).lastPathComponent
            let frame = try ModelData(source: DataReader.open(data: DataReader.dataURL(direct), codebook: nil,
                                                              options: ReadOptions(format: delimiter.format)))
            directs = try SmallAreaDirect.read(frame, area: area, estimate: estimate, se: se, file: file)
            if let column = variances.sampleSize {
                try SmallAreaDirect.attachSampleSizes(&directs, data: frame, area: area, column: column, file: file)
            }
        } else {
            let moves = try mobility.map(Self.originDestination)
            let (analysis, level): (Analysis, String?) = try moves != nil
                ? (Analysis(.proportion, ["move"]), MobilityMoves.rates[0])
                : Self.analysis(mean: mean, proportion: proportion, total: total)
            label = Tabulate.title([analysis], by: [area]) + (level.map { " = \($0)" } ?? "")
            let surveyDesign = try designOptions.design(codebook: codebook, data: data)
            let book = try codebook.map { try CodebookSource.load(URL(fileURLWithPath: $0)).codebook }
            var names = (moves.map { [$0.0, $0.1] } ?? analysis.variables) + surveyDesign.clusters + surveyDesign.fpc + [area]
            names += [surveyDesign.weight, surveyDesign.strata].compactMap { $0 }
            var source: any BatchSource = try DataReader.open(
                data: DataReader.dataURL(data!), codebook: book,
                options: ReadOptions(variables: surveyDesign.replicates == nil ? Array(Set(names)) : nil, format: delimiter.format))
            if let moves {
                source = MobilityMoves(source, origin: moves.0, destination: moves.1, highFirst: classOrder == "high-to-low")
            }
            let loaded = noDisclosureControl ? nil : try DisclosureOutputOptions.loadRules(rules)
            let table = try SmallAreaDirect.estimate(
                source, design: surveyDesign, analysis: analysis, area: area, keptContributions: max(2, loaded?.nkN ?? 2))
            design = table.designLine
            FileHandle.standardError.write(Data((table.designLine + "\n").utf8))
            var statuses = [CellStatus](repeating: .safe, count: table.cells.count)
            if let loaded {
                do {
                    statuses = try DisclosureControl(rules: loaded).check(table).statuses
                } catch let DisclosureError.auditFailed(report) {
                    if let output { OutputTarget.removeStaleFile(output) }
                    FileHandle.standardError.write(Data("disclosure audit FAILED: \(report.summary); nothing written\n".utf8))
                    throw ExitCode.needsReview
                }
                rulesInForce = loaded.inForce
                threshold = loaded.threshold
            }
            let sizes = SmallAreaDirect.sampleSizes(of: table)
            // An area's sample size sums the counts of all its levels. A fit that uses it (--gvf, --transform) would
            // publish it through ψ, γ and the design effects, and with the other levels' counts a suppressed one:
            // every level of such an area is withheld too.
            let sizesPublished = variances.gvf || variances.transform != nil
            let exposedAreas = Set(table.cells.indices.filter {
                sizesPublished && table.cells[$0].level != nil && statuses[$0].isSuppressed
            }.map { table.cells[$0].byValues })
            for rate in moves == nil ? [level] : MobilityMoves.rates.map(Optional.some) {
                let rateDirects = try SmallAreaDirect.cells(of: table, level: rate).map { i in
                    let c = table.cells[i]
                    let secondary = !statuses[i].isSuppressed && exposedAreas.contains(c.byValues)
                    return DirectEstimate(
                        area: c.byValues[0], estimate: c.estimate, standardError: c.standardError, count: c.unweightedCount,
                        sampleSize: sizes[i],
                        status: noDisclosureControl ? "not-checked" : secondary ? "secondary" : statuses[i].label,
                        publishable: !statuses[i].isSuppressed && !secondary)
                }
                let rateLabel = moves == nil ? label : "\(rate!) mobility rate (\(moves!.0) to \(moves!.1)) by \(area)"
                rates.append((rateLabel, rateDirects))
            }
            directs = rates[0].directs
            label = rates[0].label
        }
        if rates.isEmpty { rates = [(label, directs)] }
        var jobs: [SmallAreaEstimation] = []
        do {
            for rate in rates {
                jobs.append(try SmallAreaEstimation(
                    directs: rate.directs, auxiliary: auxiliary, area: area, formula: formula, model: FayHerriot(method: fhMethod),
                    zeroVariance: zero,
                    benchmark: benchmark ? (population.map { .population($0) } ?? .sum) : nil, file: auxName,
                    arcsine: arcsine, smoothVariances: variances.gvf))
            }
        } catch let error as FormulaError {
            throw ValidationError("--formula: \(error)")
        }
        let job = jobs[0]
        for (j, rate) in zip(jobs, rates) where j.fit.truncated {
            FileHandle.standardError.write(Data(
                "warning: \(rate.label): A estimated at \(j.fit.unconstrainedVariance) and set to 0: every estimate is synthetic (gamma = 0)\n".utf8))
        }
        let stamp = noDisclosureControl ? CheckedTable.bypassStamp : nil
        if let stamp { FileHandle.standardError.write(Data("warning: \(stamp)\n".utf8)) }
        var publication = SmallAreaReport.publication(
            job, statistic: label, formula: formula, source: data.map { URL(fileURLWithPath: $0).lastPathComponent } ?? label,
            design: design, rules: rulesInForce, stamp: stamp, version: buildVersion)
        if mobility != nil {
            publication = SmallAreaReport.publication(
                jobs, statistics: rates.map(\.label), ids: MobilityMoves.rates, formula: formula,
                source: URL(fileURLWithPath: data!).lastPathComponent, design: design, rules: rulesInForce, stamp: stamp,
                version: buildVersion)
            label = "absolute mobility rates (\(mobility!)) by \(area)"
        }
        presentation.apply(
            to: &publication, title: "Small-area estimates: \(label)",
            source: data.map { Presentation.defaultSource(file: $0, weight: designOptions.weight, design: design) } ?? label)
        try publication.write(format: outputFormat, to: output)
        if let stamp {
            try OutputAudit.uncontrolled(for: output, stamp: stamp, tool: "microdata \(buildVersion)")
        } else {
            try OutputAudit.write(
                for: output, tool: "microdata \(buildVersion)", stamp: nil, rules: rulesInForce, threshold: threshold,
                checks: jobs.flatMap(SmallAreaReport.outputChecks))
        }
    }

    /// `ORIGIN,DESTINATION` of --mobility.
    static func originDestination(_ value: String) throws -> (String, String) {
        let parts = value.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else { throw ValidationError("--mobility takes ORIGIN,DESTINATION") }
        return (parts[0], parts[1])
    }

    /// The statistic estimated per area and, for a proportion, the level.
    static func analysis(mean: String?, proportion: String?, total: String?) throws -> (Analysis, String?) {
        if let mean { return (.mean(mean), nil) }
        if let total { return (.total(total), nil) }
        let parts = proportion!.split(separator: "=", maxSplits: 1).map(String.init)
        guard parts.count == 2, !parts[1].isEmpty else { throw ValidationError("--proportion takes V=LEVEL") }
        return (Analysis(.proportion, [parts[0]]), parts[1])
    }
}
