import ArgumentParser
import Foundation
import MicrodataWrite

/// `mobility --area`: model-based local absolute mobility rates, made by `sae --mobility ORIGIN,DESTINATION`.
struct SmallAreaMobilityOptions: ParsableArguments {
    @Option(help: "Model-based (Fay–Herriot) upward, downward and immobile rates per value of this area column, as sae --mobility.")
    var area: String?
    @Option(help: "With --area: area covariates, CSV with one row per area (as sae --aux).") var aux: String?
    @Option(help: "With --area: the covariates in R syntax, e.g. 'x1 + factor(region)' (as sae --formula).") var formula: String?
    @Option(help: "With --area: reml (default), ml or fh (as sae --method).") var method: String?
    @Flag(help: "With --area: add EBLUPs ratio-benchmarked to the direct estimate over the fitted areas (as sae --benchmark).")
    var benchmark = false
    @Option(help: "With --area: the --aux column of area populations for --benchmark (as sae --population).") var population: String?
    @Option(name: .customLong("zero-variance"), help: "With --area: areas with zero direct variance: fail (default) or synthetic.")
    var zeroVariance: String?
    /// `--transform arcsin`, `--gvf` and their settings, as sae's.
    @OptionGroup var variances: SmallAreaVarianceOptions

    func validate() throws {
        let given = [aux.map { _ in "--aux" }, formula.map { _ in "--formula" }, method.map { _ in "--method" },
                     benchmark ? "--benchmark" : nil, population.map { _ in "--population" },
                     zeroVariance.map { _ in "--zero-variance" }, variances.transform.map { _ in "--transform" },
                     variances.gvf ? "--gvf" : nil].compactMap { $0 }
        if variances.sampleSize != nil {
            throw ValidationError("--sample-size is for sae --direct; mobility counts the sample sizes")
        }
        if area == nil && !given.isEmpty {
            throw ValidationError("\(given.joined(separator: ", ")) \(given.count == 1 ? "goes" : "go") with --area (model-based local rates)")
        }
        if area != nil && (aux == nil || formula == nil) {
            throw ValidationError("--area needs --aux FILE (area covariates) and --formula")
        }
    }
}

extension Mobility {
    /// `--area`: the options of `mobility` that mean the same in `sae` are handed to it; the others are refused.
    /// The estimates, checks and output are `sae --mobility ORIGIN,DESTINATION`'s, by running that command.
    func runSmallArea() throws {
        let area = smallArea.area!
        guard let origin, let destination else {
            throw ValidationError("--area needs --origin and --destination (class code columns)")
        }
        for (option, value) in [("--origin", origin), ("--destination", destination)]
        where value.contains(":") || value.contains(",") {
            throw ValidationError(
                "\(option) '\(value)': with --area give a column of class codes (1 highest unless --order low-to-high), "
                    + "not a derived class; derive it first (harmonise)")
        }
        // Raw codes are each their own tier, so tiers and rank both give sae's moves.
        guard ["tiers", "rank"].contains(directions) else { throw ValidationError("--directions must be tiers or rank") }
        if let order, !["high-to-low", "low-to-high"].contains(order) {
            throw ValidationError("--order: with --area, high-to-low or low-to-high (not a file)")
        }
        let refused: [String?] = [
            income.isRequested ? "--origin-income/--destination-income" : nil, by.map { _ in "--by" },
            level != 0.95 ? "--level (the intervals are 95%)" : nil, outputDirectory.map { _ in "--output-dir" },
            disclosure.audit.map { _ in "--audit" }, disclosure.auditPrivate.map { _ in "--audit-private" },
            crosswalks.isEmpty ? nil : "--crosswalks", imputation.isRequested ? "--imputations/--imputation-id" : nil,
            linking.join.isEmpty ? nil : "--join", linking.subpop.map { _ in "--subpop" },
            reading.recordType.map { _ in "--record-type" }, reading.string.isEmpty ? nil : "--string",
            reading.missing.isEmpty ? nil : "--missing", reading.strict ? "--strict" : nil,
        ]
        let given = refused.compactMap { $0 }
        if !given.isEmpty {
            throw ValidationError("--area (model-based local rates, as sae --mobility) does not take \(given.joined(separator: ", "))")
        }
        let format = try OutputFormat.resolve(format, for: output.map { URL(fileURLWithPath: $0) })
        var arguments = ["--data", data, "--mobility", "\(origin),\(destination)", "--class-order", order ?? "high-to-low",
                         "--area", area, "--aux", smallArea.aux!, "--formula", smallArea.formula!, "--format", format.rawValue]
        let optional: [(String, String?)] = [
            ("--codebook", codebook), ("--method", smallArea.method), ("--population", smallArea.population),
            ("--zero-variance", smallArea.zeroVariance), ("--output", output), ("--rules", disclosure.rules),
        ]
        for case let (name, value?) in optional { arguments += [name, value] }
        if smallArea.benchmark { arguments.append("--benchmark") }
        if disclosure.noDisclosureControl { arguments.append("--no-disclosure-control") }
        var command = try SmallArea.parse(arguments)
        command.designOptions = design
        command.delimiter = reading.delimiter
        command.presentation = presentation
        command.variances = smallArea.variances
        try command.run()
    }
}
