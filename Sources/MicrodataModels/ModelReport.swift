import Foundation
import MicrodataWrite

/// The output checks of a model (on by default): residual degrees of freedom and units behind each indicator.
public struct ModelChecks: Sendable, Hashable {
    /// Units (rows of the domain) an indicator, factor-level or interaction-cell coefficient must rest on.
    public var threshold: Int
    /// A model with fewer residual degrees of freedom publishes no coefficient.
    public var minimumResidualDegreesOfFreedom: Int

    public init(threshold: Int, minimumResidualDegreesOfFreedom: Int) {
        self.threshold = threshold
        self.minimumResidualDegreesOfFreedom = minimumResidualDegreesOfFreedom
    }

    /// Whether `model` may be published at all; `nil` if it may, else the rule that stops it.
    public func failure(_ model: SurveyModel) -> String? {
        model.residualDF < Double(minimumResidualDegreesOfFreedom)
            ? "minimumResidualDegreesOfFreedom: residual df \(formatNumber(model.residualDF)) < \(minimumResidualDegreesOfFreedom)"
            : nil
    }

    /// Whether a coefficient is withheld (`[c]`): an indicator resting on fewer than `threshold` units.
    public func suppresses(_ c: SurveyModel.Coefficient) -> Bool { c.isIndicator && c.units < threshold }
}

/// Builds the publication of fitted models (the one model every writer renders), and the model's audit JSON.
public enum ModelReport {
    /// The marker of a withheld coefficient.
    public static let suppressed = "[c]"

    /// One fitted model and the by-group it belongs to (empty without `--by`).
    public struct Group: Sendable {
        public var by: [String: String]
        public var model: SurveyModel
        public init(by: [String: String], model: SurveyModel) {
            self.by = by
            self.model = model
        }
    }

    /// The column names: by-variables, then `term, estimate, se, t, p, ci_low, ci_high, df`, with
    /// `exponentiate` `exp_estimate, exp_ci_low, exp_ci_high`, and `status`; for multiply imputed data, `fmi`
    /// and `m` last (`df` is then each coefficient's Rubin df).
    public static func header(byVariables: [String], exponentiate: Bool, imputed: Bool = false) -> [String] {
        byVariables + ["term", "estimate", "se", "t", "p", "ci_low", "ci_high", "df"]
            + (exponentiate ? ["exp_estimate", "exp_ci_low", "exp_ci_high"] : []) + ["status"] + (imputed ? ["fmi", "m"] : [])
    }

    /// The records of every coefficient; `checks` (nil: off) withholds indicators on too few units (every number
    /// but the model's residual df is the marker, and the status says why). An aliased coefficient is missing.
    public static func records(_ groups: [Group], byVariables: [String], exponentiate: Bool, checks: ModelChecks?)
        -> PublishedRecords
    {
        var out: [[TableValue]] = []
        func number(_ x: Double?) -> TableValue { x.map(TableValue.number) ?? .missing }
        let imputed = groups.contains { $0.model.imputations != nil }
        for g in groups {
            for c in g.model.coefficients {
                var row = byVariables.map { TableValue.text(g.by[$0] ?? "") } + [.text(c.term)]
                if checks?.suppresses(c) ?? false {
                    let marker = TableValue.marker(suppressed)
                    // A Rubin df carries the coefficient's between-imputation variance: withheld with it.
                    let df = c.degreesOfFreedom == nil ? TableValue.number(g.model.residualDF) : marker
                    row += Array(repeating: marker, count: 6) + [df] + (exponentiate ? Array(repeating: marker, count: 3) : [])
                    row.append(.text("primary:threshold"))
                    if imputed { row += [marker, marker] }
                } else {
                    row += [c.estimate, c.standardError, c.t, c.p, c.ciLow, c.ciHigh].map(number)
                        + [.number(c.degreesOfFreedom ?? g.model.residualDF)]
                    if exponentiate { row += [c.estimate, c.ciLow, c.ciHigh].map { number($0.map(exp)) } }
                    row.append(.text(checks == nil ? "not-checked" : "safe"))
                    if imputed { row += [number(c.fractionMissingInformation), number(g.model.imputations.map(Double.init))] }
                }
                out.append(row)
            }
        }
        return PublishedRecords(columns: header(byVariables: byVariables, exponentiate: exponentiate, imputed: imputed), rows: out)
    }

    /// The rows of ``records(_:byVariables:exponentiate:checks:)`` as text fields.
    public static func rows(_ groups: [Group], byVariables: [String], exponentiate: Bool, checks: ModelChecks?) -> [[String]] {
        records(groups, byVariables: byVariables, exponentiate: exponentiate, checks: checks).rows.map { $0.map(\.field) }
    }

    /// The publication: one table of coefficients (shown as estimates by term), the design, each model's size and
    /// residual df and every Wald test as metadata; `stamp` marks output made without checks.
    public static func publication(
        _ groups: [Group], byVariables: [String], exponentiate: Bool, checks: ModelChecks?, stamp: String?,
        source: String, formula: String, version: String
    ) -> Publication {
        let records = records(groups, byVariables: byVariables, exponentiate: exponentiate, checks: checks)
        var grid: [PublishedRow] = []
        for g in groups {
            let by = byVariables.map { "\($0)=\(g.by[$0] ?? "")" }
            for c in g.model.coefficients {
                let cell = checks?.suppresses(c) ?? false
                    ? PublishedCell.suppressed
                    : c.estimate.map { PublishedCell(estimate: $0, standardError: c.standardError, ciLow: c.ciLow, ciHigh: c.ciHigh) }
                        ?? .notAvailable
                grid.append(PublishedRow(label: (by + [c.term]).joined(separator: " "), cells: [cell]))
            }
        }
        let design = groups.first.map { "design: \($0.model.designDescription); family \($0.model.family.rawValue)" } ?? ""
        let table = PublishedTable(
            id: "coefficients", title: "Coefficients of \(formula)", unit: "Coefficients on the link scale",
            rowHeading: "Term", columns: ["Estimate"], rows: grid, decimals: 4, records: records)
        var metadata = [MetadataItem("Design", design)]
        for g in groups {
            let by = byVariables.map { "\($0)=\(g.by[$0] ?? "")" }.joined(separator: " ")
            let at = by.isEmpty ? "" : " (\(by))"
            let m = g.model
            metadata.append(MetadataItem(
                "Model" + at, "n = \(m.n), weighted n = \(formatNumber(m.weightedN)), residual df \(formatNumber(m.residualDF))"
                    + (m.missingRows > 0 ? ", \(m.missingRows) rows with a missing model variable left out" : "")))
            for t in m.tests {
                metadata.append(MetadataItem(
                    "Wald test" + at + " " + t.term,
                    "F = \(formatNumber(t.f)) on \(t.df) and \(formatNumber(t.ddf)) df, p = \(formatNumber(t.p))"))
            }
        }
        if let checks {
            metadata.append(MetadataItem(
                "Disclosure rules", "threshold \(checks.threshold) units behind each indicator coefficient; "
                    + "minimumResidualDegreesOfFreedom \(checks.minimumResidualDegreesOfFreedom)"))
        }
        return Publication(
            title: "Design-based regression: \(formula)", source: source, tables: [table], metadata: metadata,
            uncheckedStamp: stamp, version: version, design: design,
            rules: checks.map { "threshold \($0.threshold); minimumResidualDegreesOfFreedom \($0.minimumResidualDegreesOfFreedom)" })
    }

    /// The model's disclosure audit (`--audit`): per model the coefficients, the tests and which terms the
    /// checks withheld.
    public static func auditJSON(_ groups: [Group], byVariables: [String], checks: ModelChecks?) -> String {
        json(groups, byVariables: byVariables, exponentiate: false, checks: checks, stamp: nil)
    }

    static func json(
        _ groups: [Group], byVariables: [String], exponentiate: Bool, checks: ModelChecks?, stamp: String?
    ) -> String {
        func number(_ x: Double?) -> Any { x.map { $0.isFinite ? $0 as Any : NSNull() } ?? NSNull() }
        let models: [[String: Any]] = groups.map { g in
            let m = g.model
            let coefficients: [[String: Any]] = m.coefficients.map { c in
                if checks?.suppresses(c) ?? false { return ["term": c.term, "suppressed": suppressed] }
                var o: [String: Any] = [
                    "term": c.term, "estimate": number(c.estimate), "se": number(c.standardError), "t": number(c.t),
                    "p": number(c.p), "ci_low": number(c.ciLow), "ci_high": number(c.ciHigh),
                ]
                if let df = c.degreesOfFreedom { o["df"] = number(df) }
                if let fmi = c.fractionMissingInformation { o["fmi"] = number(fmi) }
                if exponentiate {
                    o["exp_estimate"] = number(c.estimate.map(exp))
                    o["exp_ci_low"] = number(c.ciLow.map(exp))
                    o["exp_ci_high"] = number(c.ciHigh.map(exp))
                }
                return o
            }
            var o: [String: Any] = [
                "coefficients": coefficients, "residualDf": m.residualDF, "n": m.n, "weightedN": m.weightedN,
                "missingRows": m.missingRows, "family": m.family.rawValue, "design": m.designDescription,
                "level": m.level,
                "tests": m.tests.map { ["term": $0.term, "F": $0.f, "df": $0.df, "ddf": $0.ddf, "p": $0.p] as [String: Any] },
            ]
            if let imputations = m.imputations { o["imputations"] = imputations }
            if !byVariables.isEmpty { o["by"] = g.by }
            if let checks {
                o["disclosure"] = [
                    "threshold": checks.threshold,
                    "minimumResidualDegreesOfFreedom": checks.minimumResidualDegreesOfFreedom,
                    "suppressed": m.coefficients.filter { checks.suppresses($0) }.map(\.term),
                ] as [String: Any]
            }
            return o
        }
        var top: [String: Any] = groups.count == 1 && byVariables.isEmpty ? models[0] : ["models": models]
        if let stamp { top["stamp"] = stamp }
        let data = (try? JSONSerialization.data(withJSONObject: top, options: [.prettyPrinted, .sortedKeys])) ?? Data()
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}

/// Full precision, shortest round-trip form; whole numbers without `.0`.
func formatNumber(_ x: Double) -> String {
    if x.isNaN { return "NA" }
    if x.isInfinite { return x > 0 ? "Inf" : "-Inf" }
    if x == x.rounded() && abs(x) < 1e15 { return String(Int64(x)) }
    return "\(x)"
}
