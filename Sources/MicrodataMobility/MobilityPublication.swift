import MicrodataWeighting
import Foundation
import MicrodataDisclosure
import MicrodataWrite

/// Turns mobility results into a ``Publication`` whose every number has passed disclosure control.
public struct MobilityPublication: Sendable {
    public var results: MobilityResults
    public var classes: ClassScheme
    /// The disclosure decision; `nil` only when checks were turned off explicitly (the output is stamped).
    public var protection: MobilityProtection?
    public var rules: DisclosureRules
    public var title: String
    public var subtitle: String?
    public var source: String
    public var notes: [String]
    public var metadata: [MetadataItem]
    /// Each group's variables, codes and labels (``MobilityPass/groupValues``): their own columns in CSV and JSON.
    public var groupValues: [[GroupValue]] = []

    public init(
        results: MobilityResults, classes: ClassScheme, protection: MobilityProtection?, rules: DisclosureRules,
        title: String, subtitle: String? = nil, source: String, notes: [String] = [], metadata: [MetadataItem] = []
    ) {
        self.subtitle = subtitle
        self.results = results
        self.classes = classes
        self.protection = protection
        self.rules = rules
        self.title = title
        self.source = source
        self.notes = notes
        self.metadata = metadata
    }

    /// The publication: per group the outflow, inflow, joint and count tables, absolute rates, the
    /// upward:downward ratio and the log odds ratios (local, reference-cell and every pair); with several groups,
    /// the differences between them.
    public func publication() -> Publication {
        var tables: [PublishedTable] = []
        var charts: [Chart] = []
        let k = classes.classes.count
        let labels = classes.classes.map { $0.code == $0.shortLabel ? $0.code : "\($0.code) \($0.shortLabel)" }
        let codes = classes.classes.map(\.code)
        let several = results.tables.count > 1
        let slugs = uniqueSlugs(results.tables.map(\.group))
        for (g, table) in results.tables.enumerated() {
            let suffix = several ? "-\(slugs[g])" : ""
            let firstTable = tables.count
            defer {
                for t in firstTable..<tables.count {
                    tables[t].name = String(tables[t].id.dropLast(suffix.count))
                    if several { tables[t].group = table.group }
                    if g < groupValues.count { tables[t].groups = groupValues[g] }
                }
            }
            let named = several ? " (\(table.group))" : ""
            func hidden(_ i: Int, _ j: Int) -> Bool { protection?.cellSuppressed(group: g, origin: i, destination: j) ?? false }
            func rowHidden(_ i: Int) -> Bool { protection?.originTotalSuppressed(group: g, origin: i) ?? false }
            func columnHidden(_ j: Int) -> Bool { protection?.destinationTotalSuppressed(group: g, destination: j) ?? false }
            let totalHidden = protection?.totalSuppressed(group: g) ?? false
            // Zeros and whole-row/column cells (class disclosure) are published for review, as `check` flags them.
            func review(_ i: Int, _ j: Int) -> String? { protection?.reviewReason(group: g, origin: i, destination: j) }

            // A k × k grid of percentages; a cell is hidden when it or the margin it is a share of is.
            func grid(_ values: [[MobilityEstimate?]], marginHidden: (Int, Int) -> Bool) -> [PublishedRow] {
                (0..<k).map { i in
                    PublishedRow(label: labels[i], code: codes[i], cells: (0..<k).map { j in
                        cell(values[i][j], percent: true, hide: hidden(i, j) || marginHidden(i, j), review: review(i, j))
                    })
                }
            }
            let outflow = grid(table.outflow) { i, _ in rowHidden(i) }
            tables.append(PublishedTable(
                id: "outflow" + suffix, title: "Outflow: destination class by origin class" + named,
                unit: "Percentage of people from each origin class in each destination class (rows sum to 100)",
                rowHeading: "Origin class", columns: labels, rows: outflow))
            tables[tables.count - 1].columnCodes = codes
            let inflow = grid(table.inflow) { _, j in columnHidden(j) }
            tables.append(PublishedTable(
                id: "inflow" + suffix, title: "Inflow: origin class of each destination class" + named,
                unit: "Percentage of people in each destination class who came from each origin class (columns sum to 100)",
                rowHeading: "Origin class", columns: labels, rows: inflow))
            tables[tables.count - 1].columnCodes = codes
            let joint = grid(table.joint) { _, _ in totalHidden }
            tables.append(PublishedTable(
                id: "joint" + suffix, title: "Origin by destination, percentage of all people" + named,
                unit: "Percentage of all people with both classes", rowHeading: "Origin class", columns: labels,
                rows: joint))
            tables[tables.count - 1].columnCodes = codes
            var counts = (0..<k).map { i in
                PublishedRow(label: labels[i], code: codes[i], cells: (0..<k).map { j in
                    cell(table.counts[i][j], percent: false, hide: hidden(i, j), review: review(i, j))
                } + [cell(table.originTotals[i], percent: false, hide: rowHidden(i), review: review(i, k))])
            }
            counts.append(PublishedRow(label: "All origins", code: "all", cells: (0..<k).map { j in
                cell(table.destinationTotals[j], percent: false, hide: columnHidden(j), review: review(k, j))
            } + [cell(table.total, percent: false, hide: totalHidden, review: review(k, k))]))
            tables.append(PublishedTable(
                id: "counts" + suffix, title: "Weighted number of people by origin and destination class" + named,
                unit: "Weighted count (survey weights)", rowHeading: "Origin class", columns: labels + ["All destinations"],
                rows: counts, decimals: 0))
            tables[tables.count - 1].columnCodes = codes + ["all"]

            let rateRows = ["immobile", "mobile", "upward", "downward"].map { name in
                PublishedRow(label: rateLabel(name), code: name, cells: [
                    cell(table.rates[name], percent: true, hide: protection?.rateSuppressed(group: g, name) ?? false)
                ])
            }
            tables.append(PublishedTable(
                id: "rates" + suffix, title: "Absolute mobility rates" + named,
                unit: "Percentage of all people with both classes", rowHeading: "Rate", columns: ["Percentage"],
                rows: rateRows))
            tables.append(PublishedTable(
                id: "ratio" + suffix, title: "Upward to downward mobility" + named,
                unit: "Ratio of upward to downward moves", rowHeading: "Ratio", columns: ["Ratio"],
                rows: [PublishedRow(label: "Upward : downward", cells: [
                    cell(table.rates["upward:downward"], percent: false,
                         hide: protection?.rateSuppressed(group: g, "upward:downward") ?? false)
                ])], decimals: 2))
            tables += oddsRatioTables(table, k: k, suffix: suffix, named: named, hidden: hidden)
            charts.append(.heatmap(tableID: "outflow" + suffix))
            charts.append(.bars(tableID: "rates" + suffix))
        }
        if several && !results.differences.isEmpty {
            let rows = results.differences.map { d -> PublishedRow in
                let ga = results.tables.firstIndex { $0.group == d.groupA } ?? 0
                let gb = results.tables.firstIndex { $0.group == d.groupB } ?? 0
                let hide = (protection?.rateSuppressed(group: ga, d.measure) ?? false)
                    || (protection?.rateSuppressed(group: gb, d.measure) ?? false)
                return PublishedRow(
                    label: "\(rateLabel(d.measure)): \(d.groupA) − \(d.groupB)",
                    cells: [cell(d.difference, percent: true, hide: hide, flagReliability: false)])
            }
            tables.append(PublishedTable(
                id: "differences", title: "Differences in absolute rates between groups",
                unit: "Percentage points; standard errors allow for groups sharing PSUs", rowHeading: "Rate and groups",
                columns: ["Difference"], rows: rows))
        }
        var notes = self.notes
        // With every group's table suppressed, the design degrees of freedom (rows or PSUs counted) are withheld.
        let withheld = protection?.allGroupsTotalSuppressed ?? false
        if let m = results.imputations {
            notes.append(
                "Multiply imputed data: every measure is combined over \(m) imputations by Rubin's rules (R mitools "
                    + "MIcombine), with Wald intervals at the \(Int(results.level * 100))% level on Student's t with "
                    + "Rubin's degrees of freedom (df); fmi is the fraction of missing information. A cell is published "
                    + "only if it passes disclosure control in every imputation.")
        } else {
            notes.append(
                "Shares and rates have logit confidence intervals at the \(Int(results.level * 100))% level; counts, "
                    + "ratios and log odds ratios have Wald intervals, with Student's t on "
                    + "\(withheld ? CheckedTable.marker : formatDF(results.degreesOfFreedom)) design degrees of freedom.")
        }
        notes.append(
            "A move is upward when the destination class is in a higher tier than the origin class and downward when "
                + "it is in a lower one; moves within a tier are mobile but neither up nor down.")
        let stamp = protection == nil ? CheckedTable.bypassStamp : nil
        var metadata = self.metadata
        if let audit = protection?.checked.audit { metadata.append(MetadataItem("Disclosure audit", audit.summary)) }
        metadata.append(MetadataItem(
            "Disclosure rules", "\(rules.inForce); applied to every cell, margin and rate numerator (unweighted "
                + "respondents), with secondary suppression so no suppressed cell can be recovered"))
        // The test uses every cell of a group: it is published only when none of them is suppressed.
        for (g, table) in results.tables.enumerated() where protection?.groupFullyPublished(group: g) ?? true {
            if let t = table.independenceTest {
                metadata.append(MetadataItem(
                    "Test of independence" + (several ? " (\(table.group))" : ""),
                    "Rao–Scott F = \(formatNumber(t.f, decimals: 2)) on \(formatNumber(t.numeratorDF, decimals: 2)) and "
                        + "\(formatNumber(t.denominatorDF, decimals: 1)) df, p = \(pValueText(t.pValue))"))
            }
        }
        return Publication(
            title: title, subtitle: subtitle, source: source, tables: tables, notes: notes, metadata: metadata, charts: charts,
            uncheckedStamp: stamp, design: self.metadata.first { $0.key == "Design" }?.value, rules: rules.inForce,
            disclosure: protection?.checked.audit?.summary)
    }

    /// The log odds ratio tables of one group: the local form (adjacent origins by adjacent destinations), the
    /// reference-cell form (each origin and destination against the lowest classes) and every pair; a 2 × 2 table
    /// has one ratio, both local and reference-cell. A ratio is hidden when any of its four cells is.
    private func oddsRatioTables(
        _ table: MobilityTable, k: Int, suffix: String, named: String, hidden: (Int, Int) -> Bool
    ) -> [PublishedTable] {
        guard k >= 2 else { return [] }
        let code = { (i: Int) in classes.classes[i].code }
        func ratio(_ a: Int, _ b: Int, _ x: Int, _ y: Int) -> PublishedCell {
            let or = table.logOddsRatios.first {
                $0.originA == a && $0.originB == b && $0.destinationA == x && $0.destinationB == y
            }
            let hide = [(a, x), (a, y), (b, x), (b, y)].contains { hidden($0.0, $0.1) }
            return cell(or?.logOddsRatio, percent: false, hide: hide, flagReliability: false)
        }
        let pairs = (0..<(k - 1)).map { "\(code($0)) vs \(code($0 + 1))" }
        var out = [PublishedTable(
            id: "odds" + suffix,
            title: "Relative mobility: local log odds ratios" + (k == 2 ? " (also the reference-cell form)" : "") + named,
            unit: "Log odds ratio of adjacent origin classes (rows) reaching adjacent destination classes (columns)",
            rowHeading: "Origin classes", columns: pairs,
            rows: (0..<(k - 1)).map { a in
                PublishedRow(label: pairs[a], cells: (0..<(k - 1)).map { x in ratio(a, a + 1, x, x + 1) })
            }, decimals: 2)]
        guard k > 2 else { return out }
        let last = k - 1
        out.append(PublishedTable(
            id: "odds-reference" + suffix,
            title: "Relative mobility: reference-cell log odds ratios against origin \(code(last)) and destination "
                + "\(code(last))" + named,
            unit: "Log odds ratio of origin class (row) against origin \(code(last)) reaching destination class "
                + "(column) against destination \(code(last))",
            rowHeading: "Origin class", columns: (0..<last).map { code($0) },
            rows: (0..<last).map { a in
                PublishedRow(label: code(a), cells: (0..<last).map { x in ratio(a, last, x, last) })
            }, decimals: 2))
        var every: [PublishedRow] = []
        for a in 0..<k { for b in (a + 1)..<k { for x in 0..<k { for y in (x + 1)..<k {
            every.append(PublishedRow(
                label: "origins \(code(a)) vs \(code(b)), destinations \(code(x)) vs \(code(y))",
                cells: [ratio(a, b, x, y)]))
        } } } }
        out.append(PublishedTable(
            id: "odds-all" + suffix, title: "Relative mobility: every log odds ratio" + named,
            unit: "Log odds ratio log(N_aA N_bB / (N_aB N_bA)) of origins a vs b reaching destinations A vs B",
            rowHeading: "Classes compared", columns: ["Log odds ratio"], rows: every, decimals: 2))
        return out
    }

    /// A published cell from an estimate: percentages scaled by 100, the marker when hidden or undefined,
    /// `[u]` when the coefficient of variation is above the rules' last band.
    private func cell(
        _ estimate: MobilityEstimate?, percent: Bool, hide: Bool, flagReliability: Bool = true, review: String? = nil
    ) -> PublishedCell {
        publishedCell(estimate, percent: percent, hide: hide, flagReliability: flagReliability, review: review, rules: rules)
    }
}

/// A published cell from an estimate: percentages scaled by 100, the marker when hidden or undefined, `[u]` when
/// the coefficient of variation is above the rules' last band; `hideCount` leaves out the unweighted n.
func publishedCell(
    _ estimate: MobilityEstimate?, percent: Bool, hide: Bool, flagReliability: Bool = true, review: String? = nil,
    hideCount: Bool = false, rules: DisclosureRules
) -> PublishedCell {
    if hide { return .suppressed }
    guard let e = estimate, e.estimate.isFinite else { return .notAvailable }
    let scale = percent ? 100.0 : 1.0
    var unreliable = false
    if flagReliability, let cv = e.coefficientOfVariation { unreliable = rules.cvBand(cv) == .unreliable }
    return PublishedCell(
        estimate: e.estimate * scale, standardError: e.standardError * scale, ciLow: e.ciLow * scale,
        ciHigh: e.ciHigh * scale, unweightedCount: hideCount ? nil : e.numeratorCount, lowReliability: unreliable,
        review: review
    ).imputed(e.imputations.map {
        ImputedPrecision(degreesOfFreedom: e.degreesOfFreedom ?? .infinity,
                         fractionMissingInformation: e.fractionMissingInformation ?? 0, imputations: $0)
    })
}

private func rateLabel(_ name: String) -> String {
    switch name {
    case "immobile": "Immobile (same class as origin)"
    case "mobile": "Mobile (different class)"
    case "upward": "Upward mobility"
    case "downward": "Downward mobility"
    default: name
    }
}

/// A short id part per group: lower-case letters and digits joined by `-`, at most 20 characters, made
/// unique (`-2`, `-3`, …) where groups differ only in case, punctuation or after the 20th character.
func uniqueSlugs(_ groups: [String]) -> [String] {
    var taken: Set<String> = []
    return groups.enumerated().map { g, text in
        let kept = text.lowercased().map { $0.isLetter || $0.isNumber ? $0 : "-" }
        var base = String(String(kept).split(separator: "-").joined(separator: "-").prefix(20))
        if base.isEmpty { base = "group-\(g + 1)" }
        var slug = base
        var n = 1
        while !taken.insert(slug).inserted {
            n += 1
            slug = "\(base)-\(n)"
        }
        return slug
    }
}

private func formatDF(_ df: Double) -> String {
    df == df.rounded() && abs(df) < 1e12 ? String(Int64(df)) : formatNumber(df, decimals: 1)
}

private func pValueText(_ p: Double) -> String {
    p < 0.001 ? "< 0.001" : formatNumber(p, decimals: 3)
}
