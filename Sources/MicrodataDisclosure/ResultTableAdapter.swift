import MicrodataWeighting

extension DisclosureControl {
    /// Checks the estimates of a `ResultTable` (what `tabulate` produces) and attaches the quality layer.
    ///
    /// Each cell's `unweightedCount` goes through the threshold rule (numerator and denominator of a
    /// rate are separate cells upstream); failing cells are suppressed (estimate, standard error,
    /// interval and counts become the marker). Every row carries its ONS CV band and Nomis flag.
    /// A `ResultTable` carries no additive relations, so no secondary suppression is needed for its
    /// means, proportions and ratios; additive totals with margins go through `ProtectionTable` and
    /// `protect(_:hasMagnitude:)` instead.
    public func check(_ result: ResultTable) throws -> CheckedTable {
        let header = result.byVariables + [
            "statistic", "variable", "level", "estimate", "se", "ci_low", "ci_high", "unweighted_n", "weighted_n",
            "cv_band", "nomis", "status",
        ]
        var rows: [[String]] = []
        var statuses: [CellStatus] = []
        var problems: [String] = []
        for (i, cell) in result.cells.enumerated() {
            guard cell.byValues.count == result.byVariables.count else {
                throw DisclosureError.table(
                    source: "result table", line: i + 1,
                    reason: "cell has \(cell.byValues.count) by-values for \(result.byVariables.count) by-variables")
            }
            let status: CellStatus =
                rules.failsThreshold(units: cell.unweightedCount)
                ? .primary("threshold")
                : (cell.unweightedCount == 0 && rules.zerosNeedReview ? .review("zero") : .safe)
            let quality = rules.quality(
                estimate: cell.estimate, standardError: cell.standardError, sampleSize: cell.unweightedCount)
            let numbers = [
                cell.estimate, cell.standardError, cell.ciLow, cell.ciHigh, Double(cell.unweightedCount),
                cell.weightedCount,
            ]
            let shown = numbers.map { status.isSuppressed ? CheckedTable.marker : Self.format($0) }
            rows.append(
                cell.byValues + [cell.statistic, cell.variable, cell.level ?? ""] + shown
                    + [quality.cvBand?.rawValue ?? "", quality.nomis.rawValue, status.label])
            statuses.append(status)
            // Fail closed: the rendered row must carry the marker exactly where the mask says.
            let fields = rows[i][(result.byVariables.count + 3)..<(result.byVariables.count + 9)]
            if status.isSuppressed != fields.allSatisfy({ $0 == CheckedTable.marker }) {
                problems.append("row \(i + 1): rendered values do not match status \(status.label)")
            }
        }
        let suppressed = statuses.filter(\.isSuppressed).count
        let report = AuditReport(
            tool: "microdata disclosure check (primary rules; no additive relations)", rules: rules,
            consistency: problems, cells: [], suppressedCells: suppressed, recoverableCells: 0,
            passed: problems.isEmpty, summary: "0 of \(suppressed) suppressed cells recoverable")
        guard report.passed else { throw DisclosureError.auditFailed(report) }
        return CheckedTable(header: header, rows: rows, statuses: statuses, audit: report, stamp: nil)
    }
}
