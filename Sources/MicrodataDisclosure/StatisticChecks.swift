import MicrodataWeighting
import MicrodataWrite

/// A statistic refused outright, whatever the data: the minimum and maximum are one respondent's value.
public struct RefusedStatistic: Error, Equatable, CustomStringConvertible {
    public var statistic: String
    public var reason: String

    public var description: String { "\(statistic) is never published: \(reason)" }
}

extension DisclosureRules {
    /// Refuses the minimum (`p = 0`) and maximum (`p = 1`) and any `p` outside (0, 1).
    ///
    /// - Throws: ``RefusedStatistic`` naming the statistic.
    public static func checkQuantileProbability(_ p: Double) throws {
        if p == 0 || p == 1 {
            throw RefusedStatistic(
                statistic: p == 0 ? "the minimum (quantile 0)" : "the maximum (quantile 1)",
                reason: "it is one respondent's own value; publish a quantile strictly between 0 and 1 with the "
                    + "threshold of units on each side")
        }
        guard p > 0 && p < 1 else {
            throw RefusedStatistic(statistic: "quantile \(p)", reason: "a quantile must be strictly between 0 and 1")
        }
    }

    /// The mode rule: a modal category is published only with at least `threshold` units at it (fewer
    /// would publish that a small group shares the value). The count is shown only when it passes.
    public func modeCheck(subject: String, unitsAtMode: Int) -> OutputCheck {
        let fails = unitsAtMode < threshold
        return OutputCheck(
            rule: "mode-threshold", subject: subject, status: fails ? .fail : .pass, withheld: fails,
            evidence: fails
                ? "fewer than \(threshold) units at the mode: withheld"
                : "\(unitsAtMode) units at the mode (at least \(threshold))")
    }

    /// Every rule applied to every cell of a checked `tabulate` table, with its evidence. The only count
    /// given is a published cell's own `n` (which the output shows); every other count, and every count of
    /// a withheld cell, is said to be above or below the threshold, and dominance above or below its limit.
    public func outputChecks(
        _ result: EstimateTable, statuses: [CellStatus], complement: SubpopulationComplement? = nil
    ) -> [OutputCheck] {
        var checks: [OutputCheck] = []
        for (cell, status) in zip(result.cells, statuses) {
            let subject = Self.subject(result, cell)
            let withheld = status.isSuppressed
            func add(_ rule: String, _ fails: Bool, pass: String, fail: String) {
                checks.append(OutputCheck(
                    rule: rule, subject: subject, status: fails ? .fail : .pass, withheld: withheld,
                    evidence: fails ? fail + (withheld ? ": withheld" : "") : pass))
            }
            // Only the cell's own count is published with it; other counts are given as "at least".
            func units(_ n: Int, _ what: String, published: Bool = false) -> String {
                published && !withheld
                    ? "\(n) \(what) (at least \(threshold))"
                    : "at least \(threshold) \(what)" + (withheld ? " (count withheld with the cell)" : "")
            }
            add("threshold", failsThreshold(units: cell.unweightedCount),
                pass: units(cell.unweightedCount, "units", published: true), fail: "fewer than \(threshold) units")
            if let c = cell.contributors {
                add("threshold-nonzero", failsThreshold(units: c.nonZero),
                    pass: units(c.nonZero, "units with a non-zero value"),
                    fail: "fewer than \(threshold) units with a non-zero value")
                if c.indicator {
                    add("threshold-zero", failsThreshold(units: c.zero), pass: units(c.zero, "units with zero"),
                        fail: "fewer than \(threshold) units with zero (the complement of a count)")
                }
                if ["mean", "total", "ratio"].contains(cell.statistic) {
                    if c.hasNegative {
                        checks.append(OutputCheck(
                            rule: "dominance", subject: subject, status: .review, withheld: withheld,
                            evidence: "negative contributions: NK and p% are not defined"))
                    } else {
                        add("nk", failsNK(top: c.top, total: c.total),
                            pass: "the \(nkN) largest weighted contributions hold at most \(Self.number(nkK))% of the total",
                            fail: "the \(nkN) largest weighted contributions hold more than \(Self.number(nkK))% of the total")
                        add("p%", failsPPercent(top: c.top, total: c.total),
                            pass: "the contributions beyond the two largest hold at least \(Self.number(pPercent))% of the largest",
                            fail: "the second largest contributor could estimate the largest within \(Self.number(pPercent))%")
                    }
                }
            }
            if let d = cell.denominatorContributors {
                add("threshold-denominator", failsThreshold(units: d.nonZero),
                    pass: units(d.nonZero, "units with a non-zero denominator"),
                    fail: "fewer than \(threshold) units with a non-zero denominator")
            }
            if let sides = cell.quantileSides, cell.unweightedCount > 0 {
                let fails = sides.below < threshold || sides.above < threshold
                add("quantile-sides", fails,
                    pass: "at least \(threshold) units on each side",
                    fail: "fewer than \(threshold) units on one side of the quantile")
            }
            if let complement, let outside = complement.outside(
                byValues: cell.byValues, level: complement.isCategorical ? cell.level : nil)
            {
                let fails = failsThreshold(units: outside)
                add("subpop-complement", fails,
                    pass: outside == 0
                        ? "no row of the domain is outside the subpopulation"
                        : "at least \(threshold) rows of the domain are outside the subpopulation",
                    fail: "fewer than \(threshold) rows of the domain are outside the subpopulation: the published "
                        + "whole population minus this cell would show them")
            }
            switch status {
            case .secondary:
                checks.append(OutputCheck(
                    rule: "secondary", subject: subject, status: .pass, withheld: true,
                    evidence: "withheld so that no primary cell can be recovered from the margins"))
            case .review(let reason):
                checks.append(OutputCheck(
                    rule: reason, subject: subject, status: .review, withheld: false, evidence: "published; needs review: \(reason)"))
            default: break
            }
        }
        return checks
    }

    /// The cells of a checked table for cross-output differencing: counts of published cells only.
    public static func auditedCells(_ result: EstimateTable, statuses: [CellStatus]) -> [AuditedCell] {
        zip(result.cells, statuses).map { cell, status in
            AuditedCell(
                domain: zip(result.byVariables, cell.byValues).map { "\($0)=\($1)" }, statistic: cell.statistic,
                variable: cell.variable, level: cell.level, units: status.isSuppressed ? nil : cell.unweightedCount)
        }
    }

    static func subject(_ result: EstimateTable, _ cell: CellEstimate) -> String {
        let domain = zip(result.byVariables, cell.byValues).map { "\($0)=\($1)" }
        return (domain + [cell.statistic, cell.variable] + (cell.level.map { [$0] } ?? [])).joined(separator: " ")
    }

    static func number(_ x: Double) -> String { x == x.rounded() && abs(x) < 1e15 ? String(Int64(x)) : String(x) }

    /// The checks of a protected table's audit (`check`, `mobility`): each suppressed cell, whether the
    /// audit found it protected, and its reason without values.
    public static func outputChecks(_ audit: PublicAuditReport) -> [OutputCheck] {
        var checks = audit.cells.map { c in
            OutputCheck(
                rule: c.status.hasPrefix("primary") ? "protection" : c.status, subject: c.cell,
                status: c.pass ? .pass : .fail, withheld: AuditReport.isSuppressedLabel(c.status) && !c.exactlyDetermined,
                evidence: "\(c.status): \(c.reason)")
        }
        checks.append(OutputCheck(
            rule: "audit", subject: "output", status: audit.passed ? .pass : .fail,
            evidence: audit.summary + "; artefact inconsistencies: \(audit.artefactInconsistencies)"))
        return checks
    }
}
