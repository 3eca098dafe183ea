import ArgumentParser
import Foundation
import MicrodataCodebook
import MicrodataDisclosure
import MicrodataWeighting
import MicrodataWrite

/// `tabulate --partial`: the accumulators of one part of the data, for `microdata combine`.
extension Tabulate {
    /// The partial result and its sidecar, for the up-front output checks.
    var partialOutputs: [String?] { partial.map { [$0, OutputAudit.sidecar(for: $0)] } ?? [] }

    /// Refuses, before any data is read, what a partial result cannot carry.
    func checkPartial(design: SurveyDesign, analyses: [Analysis], options: EstimationOptions) throws {
        guard partial != nil else { return }
        let cannot: [(Bool, String)] = [
            (output != nil || disclosure.audit != nil || disclosure.auditPrivate != nil,
             "--output and --audit belong to microdata combine, which finishes and checks the table"),
            (disclosure.noDisclosureControl, "--no-disclosure-control belongs to microdata combine (a partial result is never published)"),
            (imputation.isRequested, "multiple imputations are combined by Rubin's rules over whole passes; run tabulate on the concatenated data"),
            (cellKey.seed != nil, "cell-key perturbation needs every record's key in the final cell; run tabulate on the concatenated data"),
            (linking.subpop != nil, "a subpopulation's complement check is not carried in a partial result; run tabulate on the concatenated data"),
            (!linking.join.isEmpty, "--join is not recorded in a partial result; join the files first (microdata link)"),
            (tests.needsFullCovariance, "tests, contrasts and --vcov need the full covariance; run tabulate on the concatenated data"),
        ]
        if let (_, reason) = cannot.first(where: \.0) { throw ValidationError("--partial: " + reason) }
        if let reason = SurveyEstimator.partialRefusal(design: design, analyses: analyses, options: options) {
            throw ValidationError("--partial: " + reason)
        }
    }

    /// Writes the accumulators of `estimator` (one pass, not finished) to `--partial`, with a sidecar stamped
    /// as intermediate.
    func writePartial(_ estimator: SurveyEstimator, codebook: Codebook?) throws {
        guard let partial else { return }
        let result = PartialResult(
            request: try EstimationRequest(design: estimator.design, analyses: estimator.analyses, options: estimator.options),
            context: try Self.partialContext(rules: disclosure.rules, reading: reading),
            labels: Self.labels(of: estimator.analyses.flatMap(\.variables) + estimator.options.by, in: codebook),
            data: data == "-" ? data : URL(fileURLWithPath: data).standardizedFileURL.path, accumulators: try estimator.partialAccumulators())
        try OutputFile.write(PartialFile.encode(try result.payload()), to: partial)
        try OutputAudit.uncontrolled(for: partial, stamp: PartialFile.stamp, tool: "microdata \(buildVersion)")
        FileHandle.standardError.write(Data("partial result: \(partial) (\(PartialFile.stamp))\n".utf8))
    }

    /// What the numbers depend on beyond the request: the tool, the disclosure rules (file hashes) and the reading
    /// options that change values.
    static func partialContext(rules: String?, reading: ReadingOptions?) throws -> [String: String] {
        var context = ["tool": "microdata \(buildVersion)", "rules": try rulesFingerprint(rules)]
        if let reading {
            context["missing"] = reading.missing.joined(separator: " ")
            context["string"] = reading.string.joined(separator: ",")
            context["record-type"] = reading.recordType ?? ""
            context["strict"] = String(reading.strict)
        }
        return context
    }

    /// The SHA-256 of the default rules file and of the override, if any.
    static func rulesFingerprint(_ rules: String?) throws -> String {
        let defaults = try DisclosureRules.defaultRulesURL().path
        guard let base = SHA256.hex(fileAt: defaults) else { throw ValidationError("cannot read the disclosure rules \(defaults)") }
        guard let rules else { return "defaults \(base)" }
        guard let override = SHA256.hex(fileAt: rules) else { throw ValidationError("cannot read the rules file \(rules)") }
        return "defaults \(base); override \(override)"
    }

    /// The codebook entries of `names` with only what a publication shows: the variable label and value labels.
    static func labels(of names: [String], in codebook: Codebook?) -> [Variable] {
        var seen = Set<String>()
        return names.compactMap { name in
            guard seen.insert(name.lowercased()).inserted, let v = codebook?.variable(named: name) else { return nil }
            return Variable(name: name, labels: v.labels, categories: v.categories.map {
                Category(value: $0.value, label: $0.label, isMissing: $0.isMissing)
            })
        }
    }
}
