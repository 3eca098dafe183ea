/// How counts are published instead of suppressing them (docs/disclosure.md §2.5).
public enum RoundingMethod: Sendable, Hashable {
    /// Every published cell, inner cells and margins alike, rounded independently to the nearest multiple
    /// of `base` (halves up). Margins are rounded true totals, so they need not equal the sum of the
    /// rounded cells.
    case conventional(base: Int)
    /// Inner cells with a count `≤ redactAtOrBelow` are redacted, the rest rounded to `base`; every margin
    /// is the sum of the published rounded cells beneath it, **not** the true total (OpenSAFELY).
    case redactThenRound(base: Int, redactAtOrBelow: Int)

    /// The base of the rounding.
    public var base: Int {
        switch self {
        case let .conventional(base), let .redactThenRound(base, _): base
        }
    }

    /// One sentence stating how the published numbers were made, written into the audit.
    public var statement: String {
        switch self {
        case let .conventional(base):
            "every cell, margins included, rounded independently to the nearest multiple of \(base); margins are rounded true totals and need not add up"
        case let .redactThenRound(base, limit):
            "inner cells with counts 0 to \(limit) redacted, the others rounded to the nearest multiple of \(base); totals are sums of the published rounded cells, not true totals"
        }
    }
}

extension DisclosureControl {
    /// Publishes the unit counts of `table` rounded (or redacted, then rounded) and audits the result.
    ///
    /// The audit gives, for every cell, the attacker's interval for its true count: the box each published
    /// number leaves (published 10 with base 5 → `[8, 12]`, "0" → `[0, 2]`, redacted → `[0, limit]`),
    /// narrowed by the table's relations with an LP (GLPK, rational when `exactLP`). A cell whose true count
    /// fails the threshold rule passes when its interval is not a single value.
    ///
    /// Status labels are `rounded:<base>`, `redacted:threshold` and `total-of-published:<base>` (a margin
    /// that is the sum of the published cells beneath it).
    ///
    /// - Throws: `DisclosureError.auditFailed` with the report when a small cell is determined exactly;
    ///   `DisclosureError.table` for a base below 1.
    public func round(_ table: ProtectionTable, method: RoundingMethod) throws -> CheckedTable {
        let base = method.base
        guard base >= 1 else {
            throw DisclosureError.table(source: "rounding", line: nil, reason: "rounding base must be at least 1, found \(base)")
        }
        var published: [Int?] = []
        var statuses: [CellStatus] = []
        var boxes: [(lower: Double?, upper: Double?)] = []
        for cell in table.cells {
            let n = cell.evidence.units
            switch method {
            case .conventional:
                let r = Rounding.conventional(n, base: base)
                published.append(r.published)
                statuses.append(.rounded(base))
                boxes.append((Double(r.lower), Double(r.upper)))
            case let .redactThenRound(_, limit):
                if cell.isInner {
                    let r = Rounding.redactThenRound(n, redactAtOrBelow: limit, base: base)
                    published.append(r.published)
                    statuses.append(r.published == nil ? .redacted("threshold") : .rounded(base))
                    boxes.append((Double(r.lower), Double(r.upper)))
                } else {
                    published.append(nil)  // filled from the inner cells below
                    statuses.append(.totalOfPublished(base))
                    boxes.append((0, nil))  // the true total is only tied to its parts
                }
            }
        }
        if case .redactThenRound = method {
            for i in table.cells.indices where !table.cells[i].isInner {
                published[i] = try innerCells(of: i, table).reduce(0) { $0 + (published[$1] ?? 0) }
            }
        }
        let header = table.dimensions.map(\.name) + ["count", "status"]
        let rows = table.cells.indices.map { i in
            table.cells[i].key + [published[i].map(String.init) ?? CheckedTable.marker, statuses[i].label]
        }
        // Fail closed: what is rendered must be what was computed.
        var consistency: [String] = []
        for (i, row) in rows.enumerated() {
            let field = row[table.dimensions.count]
            if (published[i].map(String.init) ?? CheckedTable.marker) != field || row.last != statuses[i].label {
                consistency.append("\(table.name(of: i)): rendered '\(field)' does not match")
            }
        }
        let intervals = try roundingIntervals(table, boxes)
        var cells: [AuditCell] = []
        var failing = 0, small = 0
        for i in table.cells.indices {
            let n = table.cells[i].evidence.units
            let (lo, hi) = intervals[i]
            let exact = lo == hi
            let sensitive = rules.failsThreshold(units: n)
            if sensitive { small += 1 }
            let pass = !(sensitive && exact)
            if !pass { failing += 1 }
            let reason: String
            if sensitive {
                reason = exact ? "exactly determined (\(n) units, below the threshold \(rules.threshold))"
                    : "\(n) units, below the threshold: not exactly determined"
            } else {
                reason = "at or above the threshold, or empty"
            }
            cells.append(AuditCell(
                cell: table.name(of: i), key: table.cells[i].key, status: statuses[i].label, measure: .count,
                value: Double(n), lower: lo, upper: hi, requiredLower: nil, requiredUpper: nil,
                exactlyDetermined: exact, pass: pass, reason: reason))
        }
        let redacted = statuses.filter(\.isSuppressed).count
        var summary: String
        switch method {
        case let .conventional(b):
            summary = "rounded to base \(b): \(failing) of \(small) cells below the threshold exactly determined"
        case let .redactThenRound(b, limit):
            let inner = table.cells.filter(\.isInner).count
            summary = "redacted \(redacted) of \(inner) cells (counts 0 to \(limit)), rounded the rest to base \(b), "
                + "totals are sums of the published rounded cells: \(failing) of \(small) cells below the threshold exactly determined"
        }
        if !consistency.isEmpty { summary += "; \(consistency.count) artefact inconsistencies" }
        let report = AuditReport(
            tool: "microdata disclosure audit (rounding existence intervals, GLPK LP)", rules: rules,
            consistency: consistency, cells: cells, suppressedCells: redacted, recoverableCells: failing,
            passed: failing == 0 && consistency.isEmpty, summary: summary, publication: method.statement)
        guard report.passed else { throw DisclosureError.auditFailed(report) }
        return CheckedTable(header: header, rows: rows, statuses: statuses, audit: report, stamp: nil)
    }

    /// The inner cells summed by cell `i`.
    private func innerCells(of i: Int, _ table: ProtectionTable) throws -> [Int] {
        var out: [Int] = []
        var stack = [i]
        var steps = 0
        while let c = stack.popLast() {
            steps += 1
            if table.cells[c].isInner { out.append(c); continue }
            guard steps <= table.cells.count * 4,
                let r = table.relationsOfCell[c].first(where: { table.relations[$0].total == c })
            else {
                throw DisclosureError.table(source: "rounding", line: nil, reason: "cell \(table.name(of: c)) is neither inner nor a total")
            }
            stack += table.relations[r].parts
        }
        return out
    }

    /// Min and max of every cell's true count given each cell's box and the table's relations.
    private func roundingIntervals(_ table: ProtectionTable, _ boxes: [(lower: Double?, upper: Double?)]) throws
        -> [(Double, Double)]
    {
        let rows = table.relations.map { r in
            LinearProgram.Row(terms: [(r.total, 1.0)] + r.parts.map { ($0, -1.0) }, lower: 0, upper: 0)
        }
        let model = try solver.load(LinearProgram(columnLower: boxes.map(\.lower), columnUpper: boxes.map(\.upper), rows: rows))
        var out: [(Double, Double)] = []
        for i in table.cells.indices {
            var pair: [Double] = []
            for direction in [OptimisationDirection.minimise, .maximise] {
                switch try model.optimise([(i, 1)], direction, exact: rules.exactLP) {
                case let .optimal(v): pair.append(direction == .minimise ? (v - 1e-7).rounded(.up) : (v + 1e-7).rounded(.down))
                case .unbounded: pair.append(direction == .minimise ? -.infinity : .infinity)
                case .infeasible:
                    throw DisclosureError.table(
                        source: "rounding audit", line: nil, reason: "the rounded cells around \(table.name(of: i)) admit no table")
                }
            }
            out.append((pair[0], pair[1]))
        }
        return out
    }
}
