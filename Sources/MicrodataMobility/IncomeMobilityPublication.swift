import Foundation
import MicrodataDisclosure
import MicrodataWrite

/// Turns income-mobility results into published tables whose every number has passed disclosure control:
/// `income_boundaries`, `income_transition`, `rank_rank`, `ige`, `absolute_income` and `rank_bins` per group, and
/// `income_differences` between groups.
public struct IncomeMobilityPublication: Sendable {
    public var results: IncomeMobilityResults
    /// The disclosure decision; `nil` only when checks were turned off explicitly (the output is stamped).
    public var protection: IncomeMobilityProtection?
    public var rules: DisclosureRules
    /// How origin income was deflated, in words (for the notes).
    public var deflation: String

    public init(
        results: IncomeMobilityResults, protection: IncomeMobilityProtection?, rules: DisclosureRules, deflation: String
    ) {
        self.results = results
        self.protection = protection
        self.rules = rules
        self.deflation = deflation
    }

    /// The tables, charts and notes, appended to `base` (the class tables, when they were asked for too) or
    /// to a new publication titled `title`.
    public func publication(appendingTo base: Publication?, title: String, source: String, metadata: [MetadataItem]) -> Publication {
        var tables: [PublishedTable] = []
        var charts: [Chart] = []
        let k = results.quantileGroups
        let labels = (1...k).map(String.init)
        let several = results.groups.count > 1
        let slugs = several ? uniqueSlugs(results.groups.map(\.name)).map { "-" + $0 } : [""]
        for (g, group) in results.groups.enumerated() {
            let suffix = slugs[g]
            let named = several ? " (\(group.name))" : ""
            let first = tables.count
            func withheld(_ table: String, _ row: String) -> Bool { protection?.isWithheld(group: g, table, row) ?? false }
            let bounds = (0..<(k - 1)).map { b in
                PublishedRow(label: "\(b + 1)", cells: [
                    withheld("boundaries", "\(b + 1) origin") ? .suppressed : PublishedCell(estimate: group.originBoundaries[b]),
                    withheld("boundaries", "\(b + 1) destination")
                        ? .suppressed : PublishedCell(estimate: group.destinationBoundaries[b]),
                ])
            }
            tables.append(PublishedTable(
                id: "income_boundaries" + suffix, title: "Upper boundaries of the income groups" + named,
                unit: "Income (origin deflated): group b holds incomes above boundary b − 1 and at most boundary b",
                rowHeading: "Group", columns: ["Origin income", "Destination income"], rows: bounds, decimals: 2))
            let transition = (0..<k).map { i in
                PublishedRow(label: labels[i], cells: (0..<k).map { j in
                    cell(group.transition[i][j], percent: true,
                         hide: protection?.transitionWithheld(group: g, origin: i, destination: j) ?? false,
                         review: protection?.transitions.reviewReason(group: g, origin: i, destination: j))
                })
            }
            tables.append(PublishedTable(
                id: "income_transition" + suffix,
                title: "Income transition: destination income group by origin income group" + named,
                unit: "Percentage of each origin group in each destination group (rows sum to 100; group 1 is lowest)",
                rowHeading: "Origin income group", columns: labels, rows: transition))
            func scalarRows(_ table: String, _ rows: [(String, MobilityEstimate?)], percent: Bool, hideN: Bool = false)
                -> [PublishedRow]
            {
                rows.map { name, e in
                    PublishedRow(label: name, cells: [
                        cell(e, percent: percent, hide: withheld(table, name), flagReliability: percent,
                             hideCount: hideN || (protection?.countsWithheld(group: g) ?? false))
                    ])
                }
            }
            tables.append(PublishedTable(
                id: "rank_rank" + suffix, title: "Rank-rank slope: child's income rank on parents' income rank" + named,
                unit: "Weighted least squares of percentile ranks (0–100) within the domain", rowHeading: "Coefficient",
                columns: ["Estimate"],
                rows: scalarRows("rank_rank", [("slope", group.rankRank["slope"]), ("intercept", group.rankRank["intercept"])],
                                 percent: false), decimals: 3))
            var igeRows = scalarRows(
                "ige", [("elasticity", group.ige["elasticity"]), ("intercept", group.ige["intercept"])], percent: false,
                hideN: withheld("ige", "n"))
            igeRows.append(PublishedRow(label: "excluded", cells: [
                withheld("ige", "excluded") ? .suppressed : PublishedCell(estimate: Double(group.igeExcluded))
            ]))
            tables.append(PublishedTable(
                id: "ige" + suffix, title: "Intergenerational elasticity: log child income on log origin income" + named,
                unit: "Weighted least squares over positive incomes; `excluded`: rows of the domain with an income ≤ 0",
                rowHeading: "Coefficient", columns: ["Estimate"], rows: igeRows, decimals: 3))
            tables.append(PublishedTable(
                id: "absolute_income" + suffix, title: "Absolute income mobility" + named,
                unit: "Percentage of the domain whose destination income is above (upward) or below (downward) origin income",
                rowHeading: "Direction", columns: ["Percentage"],
                rows: scalarRows("absolute_income", [("upward", group.absolute["upward"]), ("downward", group.absolute["downward"])],
                                 percent: true), decimals: 1))
            let bins = group.rankBins.enumerated().map { b, bin in
                PublishedRow(label: "\(b + 1)", cells: [bin.childRank, bin.fitted, bin.parentRank].map { v in
                    withheld("rank_bins", "\(b + 1)") ? .suppressed : v.isFinite ? PublishedCell(estimate: v) : .notAvailable
                })
            }
            tables.append(PublishedTable(
                id: "rank_bins" + suffix, title: "Binned scatter: mean child rank by ventile of parents' rank" + named,
                unit: "Weighted mean ranks (0–100) in each twentieth of parents' rank, and the rank-rank line there",
                rowHeading: "Parents' rank ventile", columns: ["Mean child rank", "Fitted child rank", "Mean parent rank"],
                rows: bins))
            for t in first..<tables.count {
                tables[t].name = String(tables[t].id.dropLast(suffix.count))
                tables[t].groups = group.values
                if several { tables[t].group = group.name }
            }
            charts.append(.heatmap(tableID: "income_transition" + suffix))
            charts.append(.bars(tableID: "absolute_income" + suffix))
            charts.append(.scatter(tableID: "rank_bins" + suffix, x: 2, y: 0, line: 1))
        }
        if several && !results.differences.isEmpty {
            let rows = results.differences.map { d -> PublishedRow in
                let parts = d.measure.split(separator: ":").map(String.init)
                let hide = (protection?.isWithheld(group: d.groupA, parts[0], parts[1]) ?? false)
                    || (protection?.isWithheld(group: d.groupB, parts[0], parts[1]) ?? false)
                return PublishedRow(
                    label: "\(d.measure): \(results.groups[d.groupA].name) − \(results.groups[d.groupB].name)",
                    cells: [cell(d.difference, percent: parts[0] == "absolute_income", hide: hide, flagReliability: false,
                                 hideCount: true)])
            }
            tables.append(PublishedTable(
                id: "income_differences", title: "Differences in income mobility between groups",
                unit: "Slopes as they are, shares in percentage points; standard errors allow for groups sharing PSUs",
                rowHeading: "Measure and groups", columns: ["Difference"], rows: rows, decimals: 3))
        }
        let withheld = protection?.transitions.allGroupsTotalSuppressed ?? false
        var notes = [
            withheld ? "The number of rows with both incomes is withheld: every table is suppressed."
                : "\(results.validRows) of \(results.rows) rows have both incomes (and a group); the others stay in "
                    + "the design as a domain outside the tables.",
            "Income groups are weighted \(k)-quantile groups of each income within the group's domain, with "
                + "boundaries by R svyquantile's default rule (the smallest income whose weighted CDF is at least p); "
                + "an income equal to a boundary is in the lower group. \(deflation)",
            "Ranks are weighted mid-ranks in percent within the group's domain (weight strictly below plus half the "
                + "weight tied, over the total, × 100). The elasticity uses rows with both incomes positive.",
            "Standard errors are design-based (\(results.designDescription)) and, as R svyglm/svyby on the ranked "
                + "data, treat ranks and group boundaries as fixed. Shares have logit intervals at the "
                + "\(Int(results.level * 100))% level; slopes and differences Wald intervals, with Student's t on "
                + "\(withheld ? CheckedTable.marker : formatNumber(results.degreesOfFreedom, decimals: 0)) design degrees of "
                + "freedom (one fewer for slopes).",
        ]
        if let protection, !protection.withheld.isEmpty {
            notes.append("Withheld for disclosure control: " + protection.withheld.sorted().map { key in
                let parts = key.split(separator: "|").map(String.init)
                return "\(results.groups[Int(parts[0])!].name) \(parts[1]) \(parts[2]) (\(protection.reasons[key] ?? ""))"
            }.joined(separator: "; ") + ".")
        }
        var meta = metadata
        if let audit = protection?.transitions.checked.audit {
            meta.append(MetadataItem("Disclosure audit (income transitions)", audit.summary))
        }
        meta.append(MetadataItem(
            "Disclosure rules (income)", "\(rules.inForce); transition cells and margins as class tables; quantile "
                + "boundaries need \(rules.threshold) rows on each side; slopes need \(rules.threshold) rows and "
                + "\(rules.minimumResidualDegreesOfFreedom) residual df"))
        if var base {
            base.tables += tables
            base.charts += charts
            base.notes += notes
            base.metadata += meta
            if protection == nil { base.uncheckedStamp = CheckedTable.bypassStamp }
            return base
        }
        return Publication(
            title: title, source: source, tables: tables, notes: notes, metadata: meta, charts: charts,
            uncheckedStamp: protection == nil ? CheckedTable.bypassStamp : nil)
    }

    private func cell(
        _ estimate: MobilityEstimate?, percent: Bool, hide: Bool, flagReliability: Bool = true, review: String? = nil,
        hideCount: Bool = false
    ) -> PublishedCell {
        publishedCell(
            estimate, percent: percent, hide: hide, flagReliability: flagReliability, review: review,
            hideCount: hideCount, rules: rules)
    }
}
