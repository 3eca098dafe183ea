/// Primary rules, secondary suppression, rendering and the mandatory audit, in one call.
public struct DisclosureControl: Sendable {
    public var rules: DisclosureRules
    public var solver: any LinearProgramSolver

    public init(rules: DisclosureRules, solver: any LinearProgramSolver = GLPKSolver()) {
        self.rules = rules
        self.solver = solver
    }

    /// The primary status and protection requirements of every cell, plus class-disclosure reviews: a
    /// relation whose whole total sits in one of its possible (not structurally zero) categories marks
    /// that category and the total `review:class-disclosure` unless they are already suppressed.
    ///
    /// With `hasMagnitude == false` the table is a frequency table: dominance is not assessed.
    public func primaryStatuses(_ table: ProtectionTable, hasMagnitude: Bool)
        -> (statuses: [CellStatus], requirements: [Int: [ProtectionRequirement]])
    {
        var statuses: [CellStatus] = []
        var requirements: [Int: [ProtectionRequirement]] = [:]
        for (i, cell) in table.cells.enumerated() {
            var evidence = cell.evidence
            if !hasMagnitude { evidence.topContributions = [] }
            let assessment = rules.assess(evidence, structuralZero: cell.structuralZero)
            statuses.append(assessment.status)
            // A frequency table publishes no values: only the count needs protection.
            let needed = hasMagnitude ? assessment.requirements : assessment.requirements.filter { $0.measure == .count }
            if !needed.isEmpty { requirements[i] = needed }
        }
        if rules.classDisclosureNeedsReview {
            // A declared structural zero is a category nobody can be in, known a priori: a relation whose
            // only possible category holds the whole total tells nothing new, so only possible categories
            // count (docs/disclosure.md §2.2: zeros are disclosive only in non-structural cells).
            for relation in table.relations where table.cells[relation.total].evidence.units > 0 {
                let possible = relation.parts.filter { !table.cells[$0].structuralZero }
                let nonEmpty = possible.filter { table.cells[$0].evidence.units > 0 }
                guard possible.count > 1, nonEmpty.count == 1 else { continue }
                for i in [relation.total, nonEmpty[0]] where statuses[i] == .safe {
                    statuses[i] = .review("class-disclosure")
                }
            }
        }
        return (statuses, requirements)
    }

    /// Protects `table` and audits the rendered result.
    ///
    /// - Parameters:
    ///   - hasMagnitude: whether the table publishes magnitudes (`value`) besides unit counts.
    ///   - forcedPublish: cells that must not become secondaries.
    /// - Throws: `DisclosureError.auditFailed` (carrying the report) when any primary is recoverable or the
    ///   rendered table does not match the mask; `DisclosureError.unprotectable` when no pattern exists.
    ///   - primaries: primary cells with their protection levels given by the user (for instance from a
    ///     tau-ARGUS table with statuses), replacing the rule-based ones.
    ///   - standardErrors: per cell, the standard error of its published value; when given, the output
    ///     gets the quality columns `cv_band` (ONS) and `nomis` (APS sample-size flag), kept apart from
    ///     `status` and left empty on suppressed cells.
    ///   - valueIsCount: whether the published value is a weighted count of people (an APS level), so
    ///     that the Nomis `~` flag (estimate below `nomisSmallEstimateBelow`) applies.
    ///
    /// An estimate in the unreliable CV band is withheld when the rules say `unreliableEstimates:
    /// "suppress"` (ONS convention): its value is written as `unreliableMarker`. That is a quality
    /// decision, not protection; the audit assumes the attacker knows the value anyway.
    public func protect(
        _ table: ProtectionTable, hasMagnitude: Bool, forcedPublish: Set<Int> = [],
        primaries: [Int: [ProtectionRequirement]]? = nil, standardErrors: [Int: Double]? = nil,
        valueIsCount: Bool = false
    ) throws -> CheckedTable {
        var (statuses, requirements) = primaryStatuses(table, hasMagnitude: hasMagnitude)
        if let primaries {
            for (i, status) in statuses.enumerated() where status.isPrimary { statuses[i] = .safe }
            for (i, reqs) in primaries { statuses[i] = .primary(reqs.ruleLabel) }
            requirements = primaries
        }
        if !hasMagnitude {
            requirements = requirements.mapValues { $0.filter { $0.measure == .count } }.filter { !$0.value.isEmpty }
        }
        let suppression = SecondarySuppression(
            table: table, rules: rules, solver: solver, requirements: requirements, forcedPublish: forcedPublish)
        let secondaries = try suppression.run()
        for i in secondaries { statuses[i] = .secondary }
        try releaseDeterminedSecondaries(table, &statuses)
        // The suppressed parts of a relation with a published total add up to a recoverable cell: it needs
        // enough units too (`suppressedGroupMinimumUnits`).
        if rules.suppressedGroupMinimumUnits > 0 {
            var suppressed = Set(statuses.indices.filter { statuses[$0].isSuppressed })
            let before = suppressed
            try suppression.closeUnderGroupMinimum(&suppressed)
            for i in suppressed.subtracting(before) { statuses[i] = .secondary }
            // A no-op after the elimination (nothing suppressed is determined); larger tables may lose
            // a cell here, and the audit then reports the group (fail closed).
            try releaseDeterminedSecondaries(table, &statuses)
        }
        // A secondary pinned to one value by the a-priori bounds (say a 1 whose relation leaves room for
        // exactly 1) protects nothing and is known anyway: publish it and audit again.
        for _ in 0...statuses.count {
            do {
                return try render(
                    table, statuses: statuses, requirements: requirements, hasMagnitude: hasMagnitude,
                    standardErrors: standardErrors, valueIsCount: valueIsCount)
            } catch let DisclosureError.auditFailed(report) {
                let failing = report.cells.filter { !$0.pass }
                guard report.consistency.isEmpty, !failing.isEmpty,
                    failing.allSatisfy({ $0.status == CellStatus.secondary.label && $0.exactlyDetermined })
                else { throw DisclosureError.auditFailed(report) }
                let keys = Set(failing.map(\.key))
                for i in statuses.indices where statuses[i] == .secondary && keys.contains(table.cells[i].key) {
                    statuses[i] = .safe
                }
            }
        }
        throw DisclosureError.table(source: "protect", line: nil, reason: "releasing determined secondaries did not end")
    }

    /// A secondary that the published cells determine exactly protects nothing: publish it. Returns the
    /// cells published.
    @discardableResult
    private func releaseDeterminedSecondaries(_ table: ProtectionTable, _ statuses: inout [CellStatus]) throws
        -> Set<Int>
    {
        let auditor = Auditor(table: table, rules: rules, solver: solver)
        var all = Set<Int>()
        while true {
            var released = false
            for component in auditor.components(statuses.indices.filter { statuses[$0].isSuppressed }) {
                let local = Dictionary(uniqueKeysWithValues: component.enumerated().map { ($1, $0) })
                var touched = Set<Int>()
                for i in component { touched.formUnion(table.relationsOfCell[i]) }
                let rows: [[(Int, Int64)]] = touched.sorted().map { r in
                    let relation = table.relations[r]
                    return ([(relation.total, Int64(1))] + relation.parts.map { ($0, Int64(-1)) })
                        .compactMap { j, c in local[j].map { ($0, c) } }
                }
                for k in try ExactDisclosure.determined(rows: rows, unknowns: component.count)
                where statuses[component[k]] == .secondary {
                    statuses[component[k]] = .safe
                    all.insert(component[k])
                    released = true
                }
            }
            if !released { return all }
        }
    }

    /// Renders the table with a `status` column, reads the rendered fields back, checks them against the
    /// mask and the computed values, and audits what was read back.
    func render(
        _ table: ProtectionTable, statuses: [CellStatus], requirements: [Int: [ProtectionRequirement]],
        hasMagnitude: Bool, standardErrors: [Int: Double]? = nil, valueIsCount: Bool = false
    ) throws -> CheckedTable {
        let header = table.dimensions.map(\.name) + ["count"] + (hasMagnitude ? ["value"] : [])
            + (standardErrors == nil ? [] : ["cv_band", "nomis"]) + ["status"]
        var rows: [[String]] = []
        for (i, cell) in table.cells.enumerated() {
            let hide = statuses[i].isSuppressed
            let quality = standardErrors.map {
                rules.quality(
                    estimate: cell.evidence.value, standardError: $0[i], sampleSize: cell.evidence.units,
                    isCount: valueIsCount)
            }
            // The estimate is the value column (the count column of a frequency table).
            let withheld = !hide && quality?.withheld == true
            var row = cell.key
            row.append(hide ? CheckedTable.marker : withheld && !hasMagnitude ? rules.unreliableMarker : String(cell.evidence.units))
            if hasMagnitude {
                row.append(hide ? CheckedTable.marker : withheld ? rules.unreliableMarker : Self.format(cell.evidence.value))
            }
            if let quality { row += hide ? ["", ""] : [quality.cvBand?.rawValue ?? "", quality.nomis.rawValue] }
            row.append(statuses[i].label)
            rows.append(row)
        }
        let (consistency, published) = verify(table, statuses: statuses, header: header, rows: rows)
        let report = try Auditor(table: table, rules: rules, solver: solver).audit(
            statuses: statuses, requirements: requirements, published: published,
            mainMeasure: hasMagnitude ? .value : .count, consistency: consistency)
        guard report.passed else { throw DisclosureError.auditFailed(report) }
        return CheckedTable(header: header, rows: rows, statuses: statuses, audit: report, stamp: nil)
    }

    /// Compares rendered rows with the mask: every suppressed cell must be the marker, every other
    /// value must equal the computed one. Returns the problems and the values read back per measure.
    public func verify(_ table: ProtectionTable, statuses: [CellStatus], header: [String], rows: [[String]])
        -> (problems: [String], published: [Measure: [Double?]])
    {
        var problems: [String] = []
        let d = table.dimensions.count
        let valueColumn = header.firstIndex(of: "value")
        let bandColumn = header.firstIndex(of: "cv_band")
        var counts: [Double?] = [], values: [Double?] = []
        if rows.count != table.cells.count {
            problems.append("rendered \(rows.count) rows for \(table.cells.count) cells")
        }
        for (i, cell) in table.cells.enumerated() where i < rows.count {
            let row = rows[i]
            guard row.count == header.count, Array(row.prefix(d)) == cell.key else {
                problems.append("row \(i + 1) does not match cell \(table.name(of: i))")
                counts.append(nil); values.append(nil)
                continue
            }
            let fields = [(d, Double(cell.evidence.units))] + (valueColumn.map { [($0, cell.evidence.value)] } ?? [])
            var read: [Double?] = []
            for (column, truth) in fields {
                let field = row[column]
                if statuses[i].isSuppressed {
                    if field != CheckedTable.marker {
                        problems.append("\(table.name(of: i)): suppressed but published as '\(field)'")
                    }
                    read.append(nil)
                } else if field == rules.unreliableMarker, let band = bandColumn, row[band] == CVBand.unreliable.rawValue {
                    // Withheld for quality, not protection: the audit assumes the attacker has the value.
                    read.append(truth)
                } else if let v = Double(field), abs(v - truth) <= 1e-9 * max(1, abs(truth)) {
                    read.append(v)
                } else {
                    problems.append("\(table.name(of: i)): published '\(field)' but the cell is \(Self.format(truth))")
                    read.append(nil)
                }
            }
            if row.last != statuses[i].label { problems.append("\(table.name(of: i)): status column '\(row.last ?? "")'") }
            counts.append(read[0])
            values.append(read.count > 1 ? read[1] : read[0])
        }
        return (problems, [.count: counts, .value: valueColumn == nil ? counts : values])
    }

    static func format(_ v: Double) -> String {
        v == v.rounded() && abs(v) < 1e15 ? String(Int64(v)) : String(v)
    }
}
