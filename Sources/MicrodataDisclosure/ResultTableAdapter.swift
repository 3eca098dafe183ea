import MicrodataWeighting

extension DisclosureControl {
    /// Checks the estimates of a `ResultTable` (what `tabulate` produces) and attaches the quality layer.
    ///
    /// Each cell's `unweightedCount` goes through the threshold rule; failing cells are suppressed
    /// (estimate, standard error, interval and counts become the marker). Proportions and totals of the
    /// levels of a categorical are additive (levels sum to their domain, domains to the whole), so they are
    /// modelled as a table with margins and protected with secondary suppression and the audit; a suppressed
    /// level can then not be recovered as one minus the others. Every row carries its ONS CV band and Nomis
    /// flag (`-`, `!`, `*`, and `~` for level totals below 500); with `unreliableEstimates: "suppress"` an
    /// estimate with CV above 20% has its estimate, standard error and interval written as `[u]`.
    public func check(_ result: ResultTable) throws -> CheckedTable {
        var statuses = result.cells.map { cell -> CellStatus in
            rules.failsThreshold(units: cell.unweightedCount)
                ? .primary("threshold")
                : (cell.unweightedCount == 0 && rules.zerosNeedReview ? .review("zero") : .safe)
        }
        var report: AuditReport?
        let levelled = result.cells.indices.filter {
            result.cells[$0].level != nil && ["proportion", "total"].contains(result.cells[$0].statistic)
        }
        if !levelled.isEmpty {
            let (protected, audit) = try protectLevels(result, cells: levelled)
            for (i, status) in protected where status.isSuppressed || statuses[i].isSuppressed == false {
                statuses[i] = status
            }
            report = audit
        }
        return try render(result, statuses: statuses, additiveAudit: report)
    }

    /// Protects the level cells of `result` as one table over (by-variables…, level) with all margins.
    private func protectLevels(_ result: ResultTable, cells: [Int]) throws -> ([Int: CellStatus], AuditReport?) {
        var codes = Array(repeating: [String](), count: result.byVariables.count + 1)
        var given: [[String]: (evidence: CellEvidence, line: Int)] = [:]
        var keyOfCell: [Int: [String]] = [:]
        for i in cells {
            let cell = result.cells[i]
            let key = cell.byValues + [cell.level ?? ""]
            for (d, code) in key.enumerated() where !codes[d].contains(code) { codes[d].append(code) }
            given[key] = (CellEvidence(units: cell.unweightedCount, value: cell.weightedCount), i + 1)
            keyOfCell[i] = key
        }
        let names = result.byVariables + ["level"]
        let dimensions = try names.indices.map { d in
            try TableDimension(name: names[d], codes: codes[d], total: "All \(names[d])")
        }
        let table = try ProtectionTable.grid(dimensions: dimensions, given: given, source: "result table")
        let checked = try protect(table, hasMagnitude: false)
        var index: [[String]: Int] = [:]
        for (flat, cell) in table.cells.enumerated() { index[cell.key] = flat }
        var out: [Int: CellStatus] = [:]
        for (i, key) in keyOfCell { if let flat = index[key] { out[i] = checked.statuses[flat] } }
        return (out, checked.audit)
    }

    private func render(_ result: ResultTable, statuses: [CellStatus], additiveAudit: AuditReport?) throws
        -> CheckedTable
    {
        var rows: [[String]] = []
        var problems: [String] = []
        for i in result.cells.indices {
            let status = statuses[i]
            rows.append(try row(result, i, status: status))
            // Fail closed: the rendered row must carry the marker exactly where the mask says.
            let first = result.byVariables.count + 3
            let fields = [first, first + 1, first + 2, first + 3, first + 6, first + 7].map { rows[i][$0] }
            if status.isSuppressed != fields.allSatisfy({ $0 == CheckedTable.marker }) {
                problems.append("row \(i + 1): rendered values do not match status \(status.label)")
            }
        }
        let suppressed = statuses.filter(\.isSuppressed).count
        var report = additiveAudit ?? AuditReport(
            tool: "microdata disclosure check (primary rules; no additive relations)", rules: rules,
            consistency: [], cells: [], suppressedCells: suppressed, recoverableCells: 0,
            passed: true, summary: "0 of \(suppressed) suppressed cells recoverable")
        report.consistency += problems
        report.passed = report.passed && problems.isEmpty
        guard report.passed else { throw DisclosureError.auditFailed(report) }
        return CheckedTable(header: Self.header(result), rows: rows, statuses: statuses, audit: report, stamp: nil)
    }

    /// The table with disclosure control turned off: every value at full precision, the quality flags, the
    /// status `not-checked`, and the bypass stamp. No rule, protection or audit runs.
    public func unchecked(_ result: ResultTable) throws -> CheckedTable {
        let rows = try result.cells.indices.map { try row(result, $0, status: nil) }
        return CheckedTable.bypassingDisclosureControl(header: Self.header(result), rows: rows)
    }

    private static func header(_ result: ResultTable) -> [String] {
        result.byVariables + [
            "statistic", "variable", "level", "estimate", "se", "ci_low", "ci_high", "deff", "df", "n", "weighted_n",
            "cv_band", "nomis", "status",
        ]
    }

    /// The rendered row of cell `i`; `status` `nil` when disclosure control is off (nothing hidden).
    private func row(_ result: ResultTable, _ i: Int, status: CellStatus?) throws -> [String] {
        let cell = result.cells[i]
        guard cell.byValues.count == result.byVariables.count else {
            throw DisclosureError.table(
                source: "result table", line: i + 1,
                reason: "cell has \(cell.byValues.count) by-values for \(result.byVariables.count) by-variables")
        }
        let suppressed = status?.isSuppressed ?? false
        // A weighted count of a categorical's level is an APS-style count estimate (Nomis `~`).
        let quality = rules.quality(
            estimate: cell.estimate, standardError: cell.standardError, sampleSize: cell.unweightedCount,
            isCount: cell.statistic == "total" && cell.level != nil)
        // An unreliable estimate withheld for quality (ONS convention): estimate, se and interval.
        let withheld = status != nil && !suppressed && quality.withheld
        let numbers: [Double?] = [
            cell.estimate, cell.standardError, cell.ciLow, cell.ciHigh, cell.designEffect, cell.degreesOfFreedom,
            Double(cell.unweightedCount), cell.weightedCount,
        ]
        // Everything but the design df is hidden on a suppressed cell (a count can disclose too).
        let shown = numbers.enumerated().map { k, x -> String in
            if suppressed && k != 5 { return CheckedTable.marker }
            if withheld && k < 4 { return rules.unreliableMarker }
            return x.map(status == nil ? ResultTableWriter.formatFull : Self.format) ?? ""
        }
        return cell.byValues + [cell.statistic, cell.variable, cell.level ?? ""] + shown
            + (suppressed ? ["", ""] : [quality.cvBand?.rawValue ?? "", quality.nomis.rawValue])
            + [status?.label ?? "not-checked"]
    }
}
