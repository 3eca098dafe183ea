import Foundation
import MicrodataCodebook

/// The primary rules, protection levels, costs and quality bands, read from a rules file
/// (`Codebooks/disclosure/default-rules.json`, overridden key by key by a user file).
public struct DisclosureRules: Sendable, Codable, Equatable {
    /// Minimum number of unweighted distinct units per published cell, margin, numerator and denominator.
    public var threshold: Int
    /// NK dominance: unsafe iff the `nkN` largest unit contributions exceed `nkK`% of the cell total.
    public var nkN: Int
    public var nkK: Double
    /// Whether the NK boundary is strict (`>`, tau-ARGUS/sdcTable) or inclusive (`≥`, ACRO).
    public var nkStrict: Bool
    /// p% rule: unsafe iff `X − x1 − x2 < p/100 · x1` (always strict).
    public var pPercent: Double
    /// Models: residual degrees of freedom below this fail (ACRO `safe_dof_threshold`).
    public var minimumResidualDegreesOfFreedom: Int
    /// Whether zero-count cells are flagged for review (structural zeros are always safe).
    public var zerosNeedReview: Bool
    /// Whether a row or column with all of its total in one category is flagged for review.
    public var classDisclosureNeedsReview: Bool
    /// Frequency protection: the attacker interval must cover `value ± max(minimum, percent% · value)`.
    public var frequencyProtectionPercent: Double
    public var frequencyProtectionMinimum: Double
    /// Secondary suppression cost: `unity`, `count`, `value` or `logValue`.
    public var cost: String
    /// Relative extra cost of margins, so inner cells are preferred on ties.
    public var marginCostPenalty: Double
    /// Whether the audit attacks with each singleton's knowledge of its own value.
    public var singletonAttack: Bool
    /// Whether audit bounds are certified by GLPK's rational simplex (`glp_exact`).
    public var exactLP: Bool
    /// ONS CV band upper limits in percent (precise, reasonably precise, acceptable); above is unreliable.
    public var cvBands: [Double]
    /// Nomis/APS: sample sizes `0...nomisDisclosiveMax` disclosive, up to `nomisUnreliableMax` unreliable.
    public var nomisDisclosiveMax: Int
    public var nomisUnreliableMax: Int
    /// Nomis/APS `~`: a count estimate below this (500) is flagged.
    public var nomisSmallEstimateBelow: Double
    /// What happens to an estimate in the `unreliable` CV band: `suppress` (not published, as ONS does;
    /// its numbers are written as `unreliableMarker`) or `flag` (published, the `cv_band` column says so).
    public var unreliableEstimates: String
    /// The marker of a withheld unreliable estimate (`[u]`; ONS writes `x`, which here means disclosive).
    public var unreliableMarker: String
    /// The meaning of every quality label and marker, keyed by the label as written (`!`, `*`, `~`, `-`,
    /// the CV bands, `[u]`, `x`); printed in audits and documentation.
    public var qualityLegend: [String: String]
    /// Rounding base for the rounding alternatives, and the redaction limit applied before rounding.
    public var roundingBase: Int
    /// Counts up to this are redacted before rounding; `nil` (the default) means below the threshold,
    /// `threshold − 1` (OpenSAFELY uses 7).
    public var redactAtOrBelow: Int?
    /// The redaction limit actually used: `redactAtOrBelow`, or `threshold − 1` when it is not set.
    public var redactionLimit: Int { redactAtOrBelow ?? threshold - 1 }
    /// Secondary suppression solves a per-primary MIP (GLPK `glp_intopt`) when the neighbourhood has at
    /// most this many candidate cells, and rounds the LP relaxation otherwise.
    public var mipMaxCandidates: Int
    public var mipTimeLimitSeconds: Double
    /// Tables with at most this many cells first get the singleton-aware Gaussian-elimination pattern
    /// (exact, no primary a combination of published cells); larger ones go straight to LP repair.
    public var gaussMaxCells: Int
    /// Candidate order for the elimination: `cost` (most expensive published first) or `index`.
    public var gaussOrder: String
    /// Cells in the first neighbourhood of a primary used by the repair LP (grown when infeasible).
    public var neighbourhoodCells: Int
    /// Minimum number of units summed over the suppressed cells of a relation whose total is published
    /// (sdcTable's SIMPLEHEURISTIC `threshold`): that sum is recoverable as the total minus the published
    /// parts, so it is a cell in its own right. Below it, more parts are suppressed (cheapest first) and,
    /// when none is left, the total. `0` turns the rule off.
    public var suppressedGroupMinimumUnits: Int

    /// Reads `defaults` and, if given, `overrides`; keys in `overrides` replace those in `defaults`.
    /// Keys starting with `_` are notes (source, date, licence) and are ignored.
    ///
    /// Both files are validated against `rules.schema.json` (beside `defaults`, else in the Codebooks
    /// folder): every key must be known and every value in range, so a threshold below 2 (allowed only
    /// when `disclosureControl` is off), a percentage above 100 or a misspelt key is an error naming the
    /// file, the key's path and, for an unknown key, the closest known one.
    public static func load(defaults: URL, overrides: URL? = nil, disclosureControl: Bool = true) throws -> DisclosureRules {
        let schema = try RulesSchema.locate(besides: defaults)
        func validated(_ url: URL, partial: Bool) throws -> [String: JSONValue] {
            let object = try object(at: url)
            if let first = schema.violations(of: .object(object), partial: partial, disclosureControl: disclosureControl).first {
                throw DisclosureError.rules(file: url.path, reason: first.description)
            }
            return object
        }
        var merged = try validated(defaults, partial: false)
        if let overrides {
            for (key, value) in try validated(overrides, partial: true) { merged[key] = value }
        }
        let source = overrides?.path ?? defaults.path
        merged = merged.filter { !$0.key.hasPrefix("_") }
        let rules: DisclosureRules
        do {
            rules = try JSONDecoder().decode(DisclosureRules.self, from: JSONEncoder().encode(JSONValue.object(merged)))
        } catch {
            throw DisclosureError.rules(file: source, reason: "\(error)")
        }
        if rules.nomisUnreliableMax < rules.nomisDisclosiveMax {
            throw DisclosureError.rules(
                file: source,
                reason: "$.nomisUnreliableMax: expected a number >= nomisDisclosiveMax (\(rules.nomisDisclosiveMax)), found \(rules.nomisUnreliableMax)")
        }
        if zip(rules.cvBands, rules.cvBands.dropFirst()).contains(where: { $0 >= $1 }) {
            throw DisclosureError.rules(
                file: source, reason: "$.cvBands: expected increasing band limits, found \(rules.cvBands)")
        }
        return rules
    }

    private static func object(at url: URL) throws -> [String: JSONValue] {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw DisclosureError.rules(file: url.path, reason: "cannot read: \(error.localizedDescription)")
        }
        guard let object = (try? JSONDecoder().decode(JSONValue.self, from: data))?.object else {
            throw DisclosureError.rules(file: url.path, reason: "not a JSON object")
        }
        return object
    }

    /// The default rules, `disclosure/default-rules.json` in the project's `Codebooks/` folder (see
    /// ``CodebooksFolder``).
    public static func defaultRulesURL() throws -> URL {
        do {
            return try CodebooksFolder.file("disclosure/default-rules.json")
        } catch let error as CodebooksFolderError {
            throw DisclosureError.rules(file: "Codebooks/disclosure/default-rules.json", reason: "\(error) (or pass --rules)")
        }
    }

}
