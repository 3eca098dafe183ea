import ArgumentParser
import Foundation
import MicrodataCodebook
import MicrodataReaders
import MicrodataWeighting

/// The survey-design options shared by `tabulate` and `mobility`.
struct DesignOptions: ParsableArguments {
    @Option(help: "The analysis weight column (omit to derive weights from --fpc population sizes).")
    var weight: String?
    @Option(help: "The stratum column.") var strata: String?
    @Option(help: "Cluster columns by stage: PSU[,SSU].") var psu: String?
    @Option(help: "FPC columns by stage (population sizes or sampling fractions).") var fpc: String?
    @Flag(help: "PSU ids repeat across strata (nest them in strata).") var nest = false
    @Option(name: .customLong("lonely-psu"), help: "fail, remove, certainty, adjust or average.")
    var lonelyPSU: String = "fail"
    @Flag(name: .customLong("adjust-domain-lonely"), help: "Apply the lonely-PSU rule inside domains.")
    var adjustDomainLonely = false
    @Flag(name: .customLong("ultimate-cluster"), help: "First-stage variance only, even with later-stage FPCs.")
    var ultimateCluster = false
    @Flag(name: .customLong("allow-zero-weights"), help: "Accept zero weights (rows stay in the design).")
    var allowZeroWeights = false
    @Flag(name: .customLong("allow-negative-weights"),
          help: "Accept negative weights (calibrated files have them), with a warning, as R survey does.")
    var allowNegativeWeights = false
    @Option(name: .customLong("replicate-weights"), help: "Regular expression naming the replicate weight columns.")
    var replicateWeights: String?
    @Option(name: .customLong("replicate-type"),
            help: "JK1, JKn, BRR, Fay, bootstrap, subbootstrap, SDR (successive-difference), ACS or other.")
    var replicateType: String?
    @Option(name: .customLong("fay-rho"), help: "Fay's rho.") var fayRho: Double?
    @Option(help: "Replicate variance scale (default by type).") var scale: Double?
    @Option(help: "A file of per-replicate scales (one number a line; a header line is skipped).")
    var rscales: String?
    @Flag(inversion: .prefixedNo,
          help: "Centre replicate variance on the full-sample estimate (--mse) or on the replicate mean (--no-mse); default: on for SDR and ACS, off otherwise.")
    var mse: Bool? = nil
    @Flag(name: .customLong("replicate-factors"), help: "Replicate columns are factors times the main weight.")
    var replicateFactors = false
    @Flag(help: "Jackknife variance from delete-one-PSU replicates built from --strata/--psu (JK1/JKn).")
    var jackknife = false
    @Option(name: .customLong("design-factor"), help: "DEFT: SE = deft × SRS-with-replacement SE.")
    var designFactor: Double?
    @Option(name: .customLong("cluster-households"), help: "Household id column: households as clusters.")
    var clusterHouseholds: String?

    /// The design these options describe; without `--weight` (and no `--fpc` or `unweighted`), the one weight
    /// the codebook names (`--codebook`, or an SPSS/Stata/SAS `data` file's own metadata).
    ///
    /// - Throws: `ValidationError` for contradictory or malformed options, or a codebook naming several weights.
    func design(codebook: String? = nil, data: String? = nil, unweighted: Bool = false) throws -> SurveyDesign {
        var design = try designFromOptions()
        guard design.weight == nil, design.fpc.isEmpty, !unweighted, codebook != nil || data != nil else { return design }
        let dataURL = data.flatMap { $0 == "-" ? nil : URL(fileURLWithPath: $0) }
        guard let book = try CodebookSource.forData(codebook: codebook, data: dataURL) else { return design }
        do {
            design.weight = try CodebookWeight.single(in: book)
        } catch { throw ValidationError("\(error)") }
        design.weightFromCodebook = design.weight != nil
        return design
    }

    private func designFromOptions() throws -> SurveyDesign {
        guard let rule = LonelyPSURule(rawValue: lonelyPSU.lowercased()) else {
            throw ValidationError("--lonely-psu must be one of fail, remove, certainty, adjust, average")
        }
        if designFactor != nil && clusterHouseholds != nil {
            throw ValidationError("give --design-factor or --cluster-households, not both")
        }
        var clusters = commaList(psu)
        if let h = clusterHouseholds {
            if !clusters.isEmpty || strata != nil { throw ValidationError("--cluster-households replaces --strata/--psu") }
            clusters = [h]
        }
        var replicates: ReplicateWeights? = nil
        if let pattern = replicateWeights {
            guard let typeName = replicateType, let type = ReplicateType(name: typeName) else {
                throw ValidationError("--replicate-weights needs --replicate-type (JK1, JKn, BRR, Fay, bootstrap, "
                                      + "subbootstrap, SDR, ACS, other)")
            }
            var scales: [Double]? = nil
            if let path = rscales {
                let records = try DelimitedRecords(contentsOf: URL(fileURLWithPath: path)).records
                scales = try records.compactMap { r -> Double? in
                    guard let f = r.fields.first else { return nil }
                    if let v = Double(f) { return v }
                    if r.line == 1 { return nil }
                    throw ValidationError("\(path), line \(r.line): '\(f)' is not a number")
                }
            }
            replicates = ReplicateWeights(pattern: pattern, type: type, fayRho: fayRho, scale: scale, rscales: scales,
                                          mse: mse, combinedWeights: !replicateFactors)
        } else if replicateType != nil {
            throw ValidationError("--replicate-type needs --replicate-weights")
        }
        var design = SurveyDesign(
            weight: weight, strata: strata, clusters: clusters, fpc: commaList(fpc), nest: nest, lonelyPSU: rule,
            adjustDomainLonely: adjustDomainLonely, ultimateCluster: ultimateCluster, replicates: replicates,
            designFactor: designFactor, allowZeroWeights: allowZeroWeights)
        design.jackknife = jackknife
        design.allowNegativeWeights = allowNegativeWeights
        design.householdsAsClusters = clusterHouseholds != nil
        if jackknife && (replicates != nil || designFactor != nil) {
            throw ValidationError("--jackknife builds replicates from the design; it excludes --replicate-weights and --design-factor")
        }
        return design
    }
}

/// The non-empty, trimmed items of a comma-separated option.
func commaList(_ text: String?) -> [String] {
    (text ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
}
