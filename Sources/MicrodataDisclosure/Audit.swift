import Foundation

/// The audit of one suppressed cell in one measure.
public struct AuditCell: Sendable, Codable, Equatable {
    public var cell: String
    public var key: [String]
    public var status: String
    public var measure: Measure
    public var value: Double
    /// The attacker's feasibility interval `[lower, upper]`.
    public var lower: Double
    public var upper: Double
    /// The protection interval the feasibility interval must cover (primaries only).
    public var requiredLower: Double?
    public var requiredUpper: Double?
    /// Whether exact (rational) elimination recovers the value from the published cells.
    public var exactlyDetermined: Bool
    public var pass: Bool
    public var reason: String
}

/// The audit of a protected table: per suppressed cell, and a one-line summary.
public struct AuditReport: Sendable, Codable, Equatable {
    public var tool: String
    public var rules: DisclosureRules
    /// Differences between the rendered artefact and the suppression mask (must be empty).
    public var consistency: [String]
    public var cells: [AuditCell]
    public var suppressedCells: Int
    public var recoverableCells: Int
    public var passed: Bool
    public var summary: String
    /// How the published numbers were made when they are not the true values (rounding), `nil` otherwise.
    public var publication: String? = nil

    /// The report as pretty-printed JSON with sorted keys.
    public func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(self)
    }
}

/// Attacks a published table: exact elimination in rational arithmetic, LP feasibility intervals for
/// every suppressed cell, and the singleton attack; passes only if every primary is protected.
struct Auditor {
    let table: ProtectionTable
    let rules: DisclosureRules
    let solver: any LinearProgramSolver

    /// - Parameters:
    ///   - statuses: the mask.
    ///   - published: per measure, the value read back from the artefact, `nil` for a marker.
    ///   - mainMeasure: the measure reported for secondaries.
    func audit(
        statuses: [CellStatus], requirements: [Int: [ProtectionRequirement]], published: [Measure: [Double?]],
        mainMeasure: Measure, consistency: [String]
    ) throws -> AuditReport {
        let suppressed = statuses.indices.filter { statuses[$0].isSuppressed }
        var reports: [AuditCell] = []
        var failing = Set<Int>()
        var measures: [Measure] = [mainMeasure]
        for reqs in requirements.values { for r in reqs where !measures.contains(r.measure) { measures.append(r.measure) } }
        for measure in measures {
            guard let values = published[measure] else { continue }
            let bounds = AttackerBounds(table: table, measure: measure)
            for component in components(suppressed) {
                let intervals = try attack(component, measure, values, bounds, known: nil)
                let determined = try exactlyDetermined(component)
                for (k, i) in component.enumerated() {
                    let reqs = (requirements[i] ?? []).filter { $0.measure == measure }
                    if reqs.isEmpty && measure != mainMeasure { continue }
                    let a = table.amount(i, measure)
                    var report = AuditCell(
                        cell: table.name(of: i), key: table.cells[i].key, status: statuses[i].label, measure: measure,
                        value: a, lower: intervals[k].0, upper: intervals[k].1, requiredLower: nil, requiredUpper: nil,
                        exactlyDetermined: determined.contains(k), pass: true, reason: "")
                    var reasons: [String] = []
                    if determined.contains(k) {
                        report.pass = false
                        reasons.append("exactly determined by the published cells")
                    }
                    for req in reqs {
                        let (low, high) = bounds.required(value: a, req)
                        report.requiredLower = min(report.requiredLower ?? low, low)
                        report.requiredUpper = max(report.requiredUpper ?? high, high)
                        if !covers(intervals[k], low, high) {
                            report.pass = false
                            reasons.append("interval does not cover the \(req.rule) protection interval")
                        }
                    }
                    if report.pass { reasons.append(reqs.isEmpty ? "secondary, not exactly determined" : "protected") }
                    report.reason = reasons.joined(separator: "; ")
                    if !report.pass { failing.insert(i) }
                    reports.append(report)
                }
                // Singleton attack: a singleton knows its own value.
                guard rules.singletonAttack else { continue }
                let targets = Set(component.filter { requirements[$0]?.contains { $0.measure == measure } ?? false })
                for s in component where table.cells[s].evidence.units == 1 && statuses[s].isPrimary {
                    // Cells whose only unit is the singleton's own are its own value: nothing to protect
                    // against this respondent (the outside attack above still covers them).
                    let attacked = targets.filter { $0 != s && !table.isOwnedBySingleton($0, singleton: s) }
                    if attacked.isEmpty { continue }
                    let others = try attack(component, measure, values, bounds, known: s, targets: attacked)
                    for (k, i) in component.enumerated() where attacked.contains(i) {
                        for req in (requirements[i] ?? []) where req.measure == measure {
                            let (low, high) = bounds.required(
                                value: table.amount(i, measure), req, knownShare: table.singletonShare(of: s, in: i, measure))
                            if !covers(others[k], low, high),
                                let r = reports.lastIndex(where: { $0.key == table.cells[i].key && $0.measure == measure })
                            {
                                reports[r].pass = false
                                reports[r].reason += "; singleton \(table.name(of: s)) narrows it to [\(others[k].0), \(others[k].1)]"
                                failing.insert(i)
                            }
                        }
                    }
                }
            }
        }
        // Groups: the suppressed parts of a relation with a published total sum to a recoverable number.
        for (r, units) in SecondarySuppression.smallSuppressedGroups(table, rules, suppressed: Set(suppressed)) {
            let relation = table.relations[r]
            for i in relation.parts where statuses[i].isSuppressed {
                guard let k = reports.firstIndex(where: { $0.key == table.cells[i].key && $0.measure == mainMeasure }) else {
                    continue
                }
                reports[k].pass = false
                reports[k].reason += "; the suppressed cells of \(table.name(of: relation.total)) together hold "
                    + "\(units) units, fewer than \(rules.suppressedGroupMinimumUnits), and their sum is recoverable"
                failing.insert(i)
            }
        }
        let passed = failing.isEmpty && consistency.isEmpty
        return AuditReport(
            tool: "microdata disclosure audit (GLPK LP, rational elimination)", rules: rules, consistency: consistency,
            cells: reports, suppressedCells: suppressed.count, recoverableCells: failing.count, passed: passed,
            summary: "\(failing.count) of \(suppressed.count) suppressed cells recoverable"
                + (consistency.isEmpty ? "" : "; \(consistency.count) artefact inconsistencies"))
    }

    private func covers(_ interval: (Double, Double), _ low: Double, _ high: Double) -> Bool {
        let tolerance = 1e-7 * max(1, abs(low), abs(high))
        return interval.0 <= low + tolerance && interval.1 >= high - tolerance
    }

    /// Suppressed cells grouped by shared relations.
    func components(_ suppressed: [Int]) -> [[Int]] {
        var parent = Dictionary(uniqueKeysWithValues: suppressed.map { ($0, $0) })
        func find(_ x: Int) -> Int {
            var x = x
            while parent[x]! != x { parent[x] = parent[parent[x]!]!; x = parent[x]! }
            return x
        }
        for relation in table.relations {
            let members = ([relation.total] + relation.parts).filter { parent[$0] != nil }
            for m in members.dropFirst() { parent[find(m)] = find(members[0]) }
        }
        var groups: [Int: [Int]] = [:]
        for s in suppressed { groups[find(s), default: []].append(s) }
        return groups.values.map { $0.sorted() }.sorted { $0[0] < $1[0] }
    }

    private func relationsTouching(_ component: [Int]) -> [Int] {
        var touched = Set<Int>()
        for i in component { touched.formUnion(table.relationsOfCell[i]) }
        return touched.sorted()
    }

    private func exactlyDetermined(_ component: [Int]) throws -> Set<Int> {
        let local = Dictionary(uniqueKeysWithValues: component.enumerated().map { ($1, $0) })
        let rows: [[(Int, Int64)]] = relationsTouching(component).map { r in
            let relation = table.relations[r]
            return ([(relation.total, Int64(1))] + relation.parts.map { ($0, Int64(-1)) })
                .compactMap { j, c in local[j].map { ($0, c) } }
        }
        return try ExactDisclosure.determined(rows: rows, unknowns: component.count)
    }

    /// Min and max of each cell of `component` given the published values, the a-priori bounds and,
    /// optionally, one cell known to the attacker.
    private func attack(
        _ component: [Int], _ measure: Measure, _ values: [Double?], _ bounds: AttackerBounds, known: Int?,
        targets: Set<Int>? = nil
    ) throws -> [(Double, Double)] {
        let local = Dictionary(uniqueKeysWithValues: component.enumerated().map { ($1, $0) })
        var lower: [Double?] = Array(repeating: bounds.lower, count: component.count)
        var upper: [Double?] = Array(repeating: bounds.upper, count: component.count)
        if let known, let k = local[known] {
            lower[k] = table.amount(known, measure)
            upper[k] = table.amount(known, measure)
        }
        var rows: [LinearProgram.Row] = []
        for r in relationsTouching(component) {
            let relation = table.relations[r]
            var rhs = 0.0
            var terms: [(column: Int, coefficient: Double)] = []
            for (j, c) in [(relation.total, 1.0)] + relation.parts.map({ ($0, -1.0) }) {
                if let k = local[j] {
                    terms.append((k, c))
                } else if let v = values[j] {
                    rhs -= c * v
                } else {
                    throw DisclosureError.table(
                        source: "audit", line: nil, reason: "cell \(table.name(of: j)) is a marker but not in the suppressed set")
                }
            }
            let slack = table.slack(r, measure)
            rows.append(.init(terms: terms, lower: rhs - slack, upper: rhs + slack))
        }
        let model = try solver.load(LinearProgram(columnLower: lower, columnUpper: upper, rows: rows))
        var result: [(Double, Double)] = []
        let integral = measure == .count || isIntegral(measure)
        for k in component.indices {
            if let targets, !targets.contains(component[k]) {
                result.append((bounds.lower, bounds.upper))
                continue
            }
            var pair: [Double] = []
            for direction in [OptimisationDirection.minimise, .maximise] {
                switch try model.optimise([(k, 1)], direction, exact: rules.exactLP) {
                case let .optimal(v): pair.append(v)
                case .unbounded: pair.append(direction == .minimise ? -.infinity : .infinity)
                case .infeasible:
                    throw DisclosureError.table(
                        source: "audit", line: nil,
                        reason: "published cells around \(table.name(of: component[k])) are inconsistent (no feasible table)")
                }
            }
            if integral {
                pair[0] = (pair[0] - 1e-7).rounded(.up)
                pair[1] = (pair[1] + 1e-7).rounded(.down)
            }
            result.append((pair[0], pair[1]))
        }
        return result
    }

    private func isIntegral(_ measure: Measure) -> Bool {
        table.cells.indices.allSatisfy { table.amount($0, measure).rounded() == table.amount($0, measure) }
    }
}
