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

/// Renders fitted models as CSV, JSON, Markdown or text: the one place where model results become output.
public enum ModelReport {
    public enum Format: String, Sendable, CaseIterable { case csv, json, markdown, text }

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

    /// The column names: by-variables, then `term, estimate, se, t, p, ci_low, ci_high, df`, and with
    /// `exponentiate` `exp_estimate, exp_ci_low, exp_ci_high`.
    public static func header(byVariables: [String], exponentiate: Bool) -> [String] {
        byVariables + ["term", "estimate", "se", "t", "p", "ci_low", "ci_high", "df"]
            + (exponentiate ? ["exp_estimate", "exp_ci_low", "exp_ci_high"] : [])
    }

    /// The rows of every coefficient; `checks` (nil: off) withholds indicators on too few units.
    public static func rows(_ groups: [Group], byVariables: [String], exponentiate: Bool, checks: ModelChecks?) -> [[String]] {
        var out: [[String]] = []
        for g in groups {
            for c in g.model.coefficients {
                var row = byVariables.map { g.by[$0] ?? "" } + [c.term]
                if checks?.suppresses(c) ?? false {
                    row += Array(repeating: suppressed, count: 6) + [formatNumber(g.model.residualDF)]
                        + (exponentiate ? Array(repeating: suppressed, count: 3) : [])
                } else {
                    let values = [c.estimate, c.standardError, c.t, c.p, c.ciLow, c.ciHigh]
                    row += values.map { $0.map(formatNumber) ?? "NA" } + [formatNumber(g.model.residualDF)]
                    if exponentiate {
                        row += [c.estimate, c.ciLow, c.ciHigh].map { $0.map { formatNumber(exp($0)) } ?? "NA" }
                    }
                }
                out.append(row)
            }
        }
        return out
    }

    /// The rendered report; `stamp` (written first) marks output made without checks. `presentation` gives the
    /// title, source and notes (every format but CSV, whose caller writes them beside it) and the digits of
    /// Markdown and text, which show numbers rounded (CSV and JSON keep full precision).
    public static func render(
        _ groups: [Group], byVariables: [String], format: Format, exponentiate: Bool, checks: ModelChecks?,
        stamp: String?, presentation: Presentation? = nil
    ) -> String {
        let header = header(byVariables: byVariables, exponentiate: exponentiate)
        let exact = rows(groups, byVariables: byVariables, exponentiate: exponentiate, checks: checks)
        let digits = presentation?.digits ?? .standard
        let rows = format == .markdown || format == .text ? digits.rounded(header: header, rows: exact) : exact
        let design = groups.first.map { "design: \($0.model.designDescription); family \($0.model.family.rawValue)" } ?? ""
        switch format {
        case .csv:
            return ([header] + rows).map { $0.map(csvField).joined(separator: ",") }.joined(separator: "\n") + "\n"
        case .markdown:
            var out = stamp.map { "**\($0)**\n\n" } ?? ""
            out += presentation?.markdownHeader(lines: [design]) ?? "_\(design)_\n\n"
            out += "| " + header.joined(separator: " | ") + " |\n|" + header.map { _ in " --- |" }.joined() + "\n"
            for r in rows { out += "| " + r.joined(separator: " | ") + " |\n" }
            return out + testsText(groups, byVariables: byVariables, digits: digits) + (presentation?.markdownFooter() ?? "")
        case .text:
            var widths = header.map(\.count)
            for r in rows { for (k, f) in r.enumerated() { widths[k] = max(widths[k], f.count) } }
            func line(_ r: [String]) -> String {
                r.enumerated().map { k, f in f.padding(toLength: widths[k], withPad: " ", startingAt: 0) }
                    .joined(separator: "  ").trimmingCharacters(in: .whitespaces)
            }
            return (stamp.map { $0 + "\n" } ?? "") + (presentation?.textHeader(lines: [design]) ?? design + "\n")
                + ([header] + rows).map(line).joined(separator: "\n") + "\n"
                + testsText(groups, byVariables: byVariables, digits: digits) + (presentation?.textFooter() ?? "")
        case .json:
            return json(groups, byVariables: byVariables, exponentiate: exponentiate, checks: checks, stamp: stamp,
                        presentation: presentation)
        }
    }

    static func testsText(_ groups: [Group], byVariables: [String], digits: DisplayDigits) -> String {
        var out = ""
        for g in groups {
            for t in g.model.tests {
                let by = byVariables.map { "\($0)=\(g.by[$0] ?? "")" }.joined(separator: " ")
                out += "Wald test\(by.isEmpty ? "" : " (\(by))") \(t.term): F = \(digits.text(t.f)) on \(t.df) and "
                    + "\(digits.text(t.ddf)) df, p = \(digits.text(t.p))\n"
            }
        }
        return out
    }

    static func json(
        _ groups: [Group], byVariables: [String], exponentiate: Bool, checks: ModelChecks?, stamp: String?,
        presentation: Presentation?
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
        if let presentation {
            top["title"] = presentation.title
            top["source"] = presentation.source
            top["notes"] = presentation.notes
        }
        let data = (try? JSONSerialization.data(withJSONObject: top, options: [.prettyPrinted, .sortedKeys])) ?? Data()
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    static func csvField(_ s: String) -> String {
        s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }
}

/// Full precision, shortest round-trip form; whole numbers without `.0`.
func formatNumber(_ x: Double) -> String {
    if x.isNaN { return "NA" }
    if x.isInfinite { return x > 0 ? "Inf" : "-Inf" }
    if x == x.rounded() && abs(x) < 1e15 { return String(Int64(x)) }
    return "\(x)"
}
