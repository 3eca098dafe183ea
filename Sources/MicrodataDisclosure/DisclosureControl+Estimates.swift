import MicrodataWeighting
import MicrodataWrite

extension DisclosureControl {
    /// Checks the estimates of a `EstimateTable` (what `tabulate` produces) and attaches the quality layer.
    ///
    /// Every cell goes through `DisclosureRules.assess(_: CellEstimate)` (threshold on its units and,
    /// for numeric analyses, on the contributors with a non-zero value and, for indicators, with zero;
    /// NK and p% on the weighted contributions; units on each side of a quantile). Failing cells are
    /// suppressed: every number of the row (estimate, standard error, interval, design effect, df, counts)
    /// becomes the marker and the quality columns are left empty.
    ///
    /// Additive estimates are protected as a table with all their margins: proportions and totals of the
    /// levels of a categorical (levels sum to their domain, domains to the whole), and the totals behind
    /// domain means, totals and ratios (`--by`). The margins (the overall estimate and, for several
    /// by-variables, the lower-order margins) are not in this output, but another call publishes them, so
    /// they are modelled as published and never chosen as secondaries: a hidden domain cannot be
    /// recovered by subtracting the others from the overall figure. Protection is per output; a set of
    /// outputs is audited together by `microdata release`.
    ///
    /// With `complement` (a `--subpop` output), a cell whose domain has 1 to `threshold − 1` rows outside
    /// the subpopulation is a primary too (`subpop-complement`): see ``SubpopulationComplement``.
    ///
    /// `imposed` are primaries decided elsewhere, by cell (the cells that fail in any imputation: see
    /// ``checkImputations(_:imputations:)``), added to the cells' own.
    public func check(
        _ result: EstimateTable, complement: SubpopulationComplement? = nil, imposed: [Int: PrimaryAssessment] = [:]
    ) throws -> CheckedEstimates {
        var statuses: [CellStatus] = []
        var requirements: [Int: [ProtectionRequirement]] = [:]
        var differenced: [Int: [ProtectionRequirement]] = [:]
        for (i, cell) in result.cells.enumerated() {
            var assessment = rules.assess(cell)
            if let extra = imposed[i], case let .primary(why) = extra.status {
                var given: [String] = []
                if case let .primary(r) = assessment.status { given = r.split(separator: "+").map(String.init) }
                let added = why.split(separator: "+").map(String.init).filter { !given.contains($0) }
                assessment.status = .primary((given + added).joined(separator: "+"))
                assessment.requirements += extra.requirements
                differenced[i, default: []] += extra.requirements
            }
            if let complement, complement.flags(byValues: cell.byValues, level: cell.level, rules: rules) {
                let rule = ProtectionRequirement(
                    measure: .count, lower: frequencyLevel(cell.unweightedCount), upper: frequencyLevel(cell.unweightedCount),
                    rule: "subpop-complement")
                var given: [String] = []
                if case let .primary(r) = assessment.status { given = r.split(separator: "+").map(String.init) }
                assessment.status = .primary((given + ["subpop-complement"]).joined(separator: "+"))
                assessment.requirements.append(rule)
                differenced[i, default: []].append(rule)
            }
            statuses.append(assessment.status)
            if !assessment.requirements.isEmpty { requirements[i] = assessment.requirements }
        }
        let labelled = statuses
        var reports: [AuditReport] = []
        // Levels of a categorical, one table per statistic and variable (a call may ask for several).
        var levelled: [[String]: [Int]] = [:]
        for (i, cell) in result.cells.enumerated() where cell.level != nil && ["proportion", "total"].contains(cell.statistic) {
            levelled[[cell.statistic, cell.variable], default: []].append(i)
        }
        for key in levelled.keys.sorted(by: { $0.joined(separator: "\u{0}") < $1.joined(separator: "\u{0}") }) {
            let (protected, audit) = try protectLevels(result, cells: levelled[key]!, extra: differenced)
            for (i, status) in protected where status.isSuppressed || statuses[i].isSuppressed == false {
                statuses[i] = status
            }
            if let audit { reports.append(audit) }
        }
        // Domain means, totals and ratios of a numeric variable, one table per statistic and variable.
        var groups: [[String]: [Int]] = [:]
        for (i, cell) in result.cells.enumerated()
        where cell.level == nil && cell.contributors != nil && ["mean", "total", "ratio"].contains(cell.statistic) {
            groups[[cell.statistic, cell.variable], default: []].append(i)
        }
        if !result.byVariables.isEmpty {
            for key in groups.keys.sorted(by: { $0.joined(separator: "\u{0}") < $1.joined(separator: "\u{0}") }) {
                let (protected, audit) = try protectDomains(
                    result, cells: groups[key]!, statuses: statuses, requirements: requirements)
                for (i, status) in protected where status.isSuppressed { statuses[i] = status }
                if let audit { reports.append(audit) }
            }
        }
        Self.suppressAcrossStatistics(result, &statuses)
        // The protection tables name their own rules: an imposed primary keeps the name of its cause.
        for i in imposed.keys where statuses[i].isPrimary { statuses[i] = labelled[i] }
        return try render(result, statuses: statuses, additiveAudit: Self.merge(reports))
    }

    /// Several statistics in one output: a cell hidden in one statistic's table is hidden in every other that
    /// shares its domain, level and a variable, since one gives the other away (a total is the mean times
    /// the published weighted count; a ratio's denominator is its numerator's total over the ratio).
    /// Hiding more cells only widens an attacker's intervals, so each table's protection still holds.
    static func suppressAcrossStatistics(_ result: EstimateTable, _ statuses: inout [CellStatus]) {
        let variables = result.cells.map { Set($0.variable.split(whereSeparator: { $0 == "/" || $0 == ":" })) }
        guard Set(result.cells.map { "\($0.statistic)|\($0.variable)" }).count > 1 else { return }
        var groups: [[String]: [Int]] = [:]
        for (i, cell) in result.cells.enumerated() { groups[cell.byValues + [cell.level ?? ""], default: []].append(i) }
        for cells in groups.values where cells.count > 1 {
            var changed = true
            while changed {
                changed = false
                for a in cells where statuses[a].isSuppressed {
                    for b in cells where !statuses[b].isSuppressed && !variables[a].isDisjoint(with: variables[b]) {
                        statuses[b] = .secondary
                        changed = true
                    }
                }
            }
        }
    }

    /// One report for several protected tables of one output.
    private static func merge(_ reports: [AuditReport]) -> AuditReport? {
        guard var merged = reports.first else { return nil }
        for report in reports.dropFirst() {
            merged.consistency += report.consistency
            merged.cells += report.cells
            merged.suppressedCells += report.suppressedCells
            merged.recoverableCells += report.recoverableCells
            merged.passed = merged.passed && report.passed
        }
        if reports.count > 1 {
            merged.summary = "\(merged.recoverableCells) of \(merged.suppressedCells) suppressed cells recoverable"
        }
        return merged
    }

    /// The dimensions over the by-variables of `cells` (plus `extra` codes for a last dimension), each
    /// with its total, and the grid key of every cell.
    private static func dimensions(_ result: EstimateTable, cells: [Int], level: Bool) throws
        -> (dimensions: [TableDimension], keys: [Int: [String]])
    {
        var codes = Array(repeating: [String](), count: result.byVariables.count + (level ? 1 : 0))
        var seen = Array(repeating: Set<String>(), count: codes.count)
        var keys: [Int: [String]] = [:]
        for i in cells {
            let cell = result.cells[i]
            let key = cell.byValues + (level ? [cell.level ?? ""] : [])
            for (d, code) in key.enumerated() where seen[d].insert(code).inserted { codes[d].append(code) }
            keys[i] = key
        }
        let names = result.byVariables + (level ? ["level"] : [])
        let dimensions = try names.indices.map { d in
            try TableDimension(name: names[d], codes: codes[d], total: "All \(names[d])")
        }
        return (dimensions, keys)
    }

    /// The margins another call publishes (the overall figure and lower-order margins of the by-variables,
    /// per level for a categorical) unless a primary rule hides them there: they may not be secondaries
    /// here. Domain sizes (`All level`) stay candidates, as before.
    private func publishedMargins(_ table: ProtectionTable, level: Bool) -> Set<Int> {
        let levelTotal = level ? table.dimensions.last?.total : nil
        return Set(table.cells.indices.filter { i in
            let cell = table.cells[i]
            return !cell.isInner && (levelTotal == nil || cell.key.last != levelTotal)
                && !rules.assess(cell.evidence).status.isPrimary
        })
    }

    /// The primaries of a result table's grid: its inner cells' (a margin that fails a rule is not
    /// published by its own call, so it protects rather than needs protection here).
    private func innerPrimaries(_ table: ProtectionTable, hasMagnitude: Bool) -> [Int: [ProtectionRequirement]] {
        var primaries: [Int: [ProtectionRequirement]] = [:]
        for (i, cell) in table.cells.enumerated() where cell.isInner {
            var evidence = cell.evidence
            if !hasMagnitude { evidence.topContributions = [] }
            let assessment = rules.assess(evidence, structuralZero: cell.structuralZero)
            if assessment.status.isPrimary { primaries[i] = assessment.requirements }
        }
        return primaries
    }

    /// The frequency protection level of a cell of `units` units.
    private func frequencyLevel(_ units: Int) -> Double {
        max(rules.frequencyProtectionMinimum, rules.frequencyProtectionPercent / 100 * Double(units))
    }

    /// Protects the level cells of `result` as one table over (by-variables…, level) with all margins;
    /// `extra` are primaries beyond the cells' own rules (by result cell).
    private func protectLevels(
        _ result: EstimateTable, cells: [Int], extra: [Int: [ProtectionRequirement]] = [:]
    ) throws -> ([Int: CellStatus], AuditReport?) {
        let (dimensions, keyOfCell) = try Self.dimensions(result, cells: cells, level: true)
        var given: [[String]: (evidence: CellEvidence, line: Int)] = [:]
        for i in cells {
            let cell = result.cells[i]
            given[keyOfCell[i]!] = (CellEvidence(units: cell.unweightedCount, value: cell.weightedCount), i + 1)
        }
        let table = try ProtectionTable.grid(dimensions: dimensions, given: given, source: "result table")
        var primaries = innerPrimaries(table, hasMagnitude: false)
        var index: [[String]: Int] = [:]
        for (flat, cell) in table.cells.enumerated() { index[cell.key] = flat }
        for (i, reqs) in extra { if let key = keyOfCell[i], let flat = index[key] { primaries[flat, default: []] += reqs } }
        let checked = try protect(
            table, hasMagnitude: false, forcedPublish: publishedMargins(table, level: true).subtracting(primaries.keys),
            primaries: primaries)
        return (Self.statuses(of: keyOfCell, in: table, checked), checked.audit)
    }

    /// Protects domain means, totals or ratios as the table of their numerator totals `Σ w·y` over the
    /// by-variables with all margins. A mean is that total over the domain's weighted count, and both are
    /// additive over domains, so a pattern that hides the totals' differences hides the means'.
    private func protectDomains(
        _ result: EstimateTable, cells: [Int], statuses: [CellStatus], requirements: [Int: [ProtectionRequirement]]
    ) throws -> ([Int: CellStatus], AuditReport?) {
        guard cells.contains(where: { statuses[$0].isPrimary }) else { return ([:], nil) }
        let (dimensions, keyOfCell) = try Self.dimensions(result, cells: cells, level: false)
        var given: [[String]: (evidence: CellEvidence, line: Int)] = [:]
        for i in cells {
            let cell = result.cells[i], c = cell.contributors!
            given[keyOfCell[i]!] = (
                CellEvidence(units: cell.unweightedCount, value: c.total, topContributions: c.top, hasNegative: c.hasNegative),
                i + 1)
        }
        let table = try ProtectionTable.grid(dimensions: dimensions, given: given, source: "result table")
        var index: [[String]: Int] = [:]
        for (flat, cell) in table.cells.enumerated() { index[cell.key] = flat }
        var primaries: [Int: [ProtectionRequirement]] = [:]
        for i in cells where statuses[i].isPrimary { primaries[index[keyOfCell[i]!]!] = requirements[i] ?? [] }
        do {
            let checked = try protect(
                table, hasMagnitude: true, forcedPublish: publishedMargins(table, level: false), primaries: primaries)
            return (Self.statuses(of: keyOfCell, in: table, checked), checked.audit)
        } catch DisclosureError.unprotectable {
            // Fail closed: no pattern exists with the margins published, so none of these estimates is.
            return (Dictionary(uniqueKeysWithValues: cells.map { ($0, statuses[$0].isPrimary ? statuses[$0] : .secondary) }), nil)
        }
    }

    /// The protected status of each result cell, by its grid key.
    private static func statuses(of keys: [Int: [String]], in table: ProtectionTable, _ checked: CheckedTable)
        -> [Int: CellStatus]
    {
        var index: [[String]: Int] = [:]
        for (flat, cell) in table.cells.enumerated() { index[cell.key] = flat }
        var out: [Int: CellStatus] = [:]
        for (i, key) in keys { if let flat = index[key] { out[i] = checked.statuses[flat] } }
        return out
    }

    private func render(_ result: EstimateTable, statuses: [CellStatus], additiveAudit: AuditReport?) throws
        -> CheckedEstimates
    {
        var rows: [[TableValue]] = []
        var problems: [String] = []
        let kish = result.cells.contains { $0.kish != nil }
        let numeric = Self.header(result).indices.filter { Self.measureColumns.contains(Self.header(result)[$0]) }
            .prefix(8)
        for i in result.cells.indices {
            let status = statuses[i]
            rows.append(try row(result, i, status: status, kish: kish))
            // Fail closed: the row must carry the marker in every number exactly where the mask says.
            if status.isSuppressed != numeric.allSatisfy({ rows[i][$0] == .marker(CheckedTable.marker) }) {
                problems.append("row \(i + 1): published values do not match status \(status.label)")
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
        return CheckedEstimates(
            estimates: result, records: PublishedRecords(columns: Self.header(result), rows: rows), statuses: statuses,
            audit: report, stamp: nil)
    }

    /// The table with disclosure control turned off: every value at full precision, the quality flags, the
    /// status `not-checked`, and the bypass stamp. No rule, protection or audit runs.
    public func unchecked(_ result: EstimateTable) throws -> CheckedEstimates {
        let kish = result.cells.contains { $0.kish != nil }
        let rows = try result.cells.indices.map { try row(result, $0, status: nil, kish: kish) }
        return CheckedEstimates(
            estimates: result, records: PublishedRecords(columns: Self.header(result), rows: rows),
            statuses: Array(repeating: .review("not-checked"), count: rows.count), audit: nil,
            stamp: CheckedTable.bypassStamp)
    }

    /// The columns of the numbers of an estimate, in order.
    static let measureColumns = ["estimate", "se", "ci_low", "ci_high", "deff", "df", "n", "weighted_n"]

    private static func header(_ result: EstimateTable) -> [String] {
        result.byVariables + ["statistic", "variable", "level"] + measureColumns + ["cv_band", "nomis", "status"]
            + (result.cells.contains { $0.kish != nil } ? kishHeader : [])
            + (result.imputations != nil ? imputationHeader : [])
    }

    /// The columns of multiply imputed estimates, last: the fraction of missing information and `m` (Rubin's df
    /// are in `df`).
    static let imputationHeader = ["fmi", "m"]

    /// The columns of Kish's weighting effect of each cell's domain, after the others when asked for.
    static let kishHeader = ["sum_w2", "kish_deff", "n_eff"]

    /// The published row of cell `i`; `status` `nil` when disclosure control is off (nothing hidden).
    /// `kish`: whether any cell of the table carries Kish fields (checked once per table, not per row).
    private func row(_ result: EstimateTable, _ i: Int, status: CellStatus?, kish: Bool) throws -> [TableValue] {
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
        // Every number is hidden on a suppressed cell: a count, a weighted count or a domain df (n − 1)
        // discloses as much as the estimate.
        let shown = numbers.enumerated().map { k, x -> TableValue in
            if suppressed { return .marker(CheckedTable.marker) }
            if withheld && k < 4 { return .marker(rules.unreliableMarker) }
            return x.map(TableValue.number) ?? .missing
        }
        func text(_ s: String?) -> TableValue { s.map(TableValue.text) ?? .missing }
        return cell.byValues.map(TableValue.text) + [.text(cell.statistic), .text(cell.variable), text(cell.level)] + shown
            + (suppressed ? [.missing, .missing] : [text(quality.cvBand?.rawValue), .text(quality.nomis.rawValue)])
            + [.text(status?.label ?? "not-checked")] + kishFields(kish, cell, suppressed: suppressed)
            + imputationFields(result, cell, suppressed: suppressed)
    }

    /// The fraction of missing information and `m` of a combined cell: hidden with the cell.
    private func imputationFields(_ result: EstimateTable, _ cell: CellEstimate, suppressed: Bool) -> [TableValue] {
        guard result.imputations != nil else { return [] }
        if suppressed { return Self.imputationHeader.map { _ in .marker(CheckedTable.marker) } }
        return [cell.fractionMissingInformation, cell.imputations.map(Double.init)].map { $0.map(TableValue.number) ?? .missing }
    }

    /// Σw², deff and n_eff of the cell's domain: hidden with the cell.
    private func kishFields(_ table: Bool, _ cell: CellEstimate, suppressed: Bool) -> [TableValue] {
        guard table else { return [] }
        guard let k = cell.kish else { return Self.kishHeader.map { _ in .missing } }
        if suppressed { return Self.kishHeader.map { _ in .marker(CheckedTable.marker) } }
        return [k.sumSquaredWeights, k.designEffect, k.effectiveSampleSize].map(TableValue.number)
    }
}
