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
    /// What the attacker is assumed to know and do: the audit is a proof against this model only.
    public var attackerModel: AttackerModel? = nil

    /// The report as pretty-printed JSON with sorted keys.
    public func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(self)
    }
}

/// Attacks a published table: exact elimination in rational arithmetic, LP feasibility intervals for
/// every suppressed cell (with the published-zeros floor and integrality), and the coalition attack of
/// every singleton and every pair of singletons sharing a relation; passes only if every primary is
/// protected.
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
        // Published zeros: every suppressed cell holds a unit unless the mask itself hides an empty one.
        let floorHolds = suppressed.allSatisfy { table.cells[$0].evidence.units > 0 }
        var reports: [AuditCell] = []
        var failing = Set<Int>()
        var tried = CoalitionLog()
        var measures: [Measure] = [mainMeasure]
        for reqs in requirements.values { for r in reqs where !measures.contains(r.measure) { measures.append(r.measure) } }
        let groups = components(suppressed)
        for measure in measures {
            guard let values = published[measure] else { continue }
            let bounds = AttackerBounds(table: table, measure: measure, nonEmptyFloor: floorHolds)
            let integral = measure == .count || isIntegral(measure)
            for component in groups {
                let problem = try AttackProblem(
                    table: table, component: component, measure: measure, bounds: bounds, integral: integral,
                    value: { values[$0] })
                let truth = { (i: Int) in table.amount(i, measure) }
                let intervals = try problem.intervals(truth: truth, solver: solver, exact: rules.exactLP)
                let determined = try exactlyDetermined(component)
                var reportIndex: [Int: Int] = [:]
                for (k, i) in component.enumerated() {
                    let reqs = (requirements[i] ?? []).filter { $0.measure == measure }
                    if reqs.isEmpty && measure != mainMeasure { continue }
                    let a = truth(i)
                    let (lo, hi) = intervals[k]
                    let floor = bounds.lower(i, in: table)
                    // A point interval is an exact disclosure whatever the rank argument says (bounds do it).
                    let point = hi - lo <= 1e-9 * max(1, abs(a))
                    var report = AuditCell(
                        cell: table.name(of: i), key: table.cells[i].key, status: statuses[i].label, measure: measure,
                        value: a, lower: lo, upper: hi, requiredLower: nil, requiredUpper: nil,
                        exactlyDetermined: determined.contains(k) || point, pass: true, reason: "")
                    var reasons: [String] = []
                    if determined.contains(k) {
                        report.pass = false
                        reasons.append("exactly determined by the published cells")
                    } else if point {
                        report.pass = false
                        reasons.append("exactly determined by the published cells and the a-priori bounds")
                    }
                    for req in reqs {
                        let (low, high) = bounds.required(value: a, req, floor: floor)
                        report.requiredLower = min(report.requiredLower ?? low, low)
                        report.requiredUpper = max(report.requiredUpper ?? high, high)
                        if !covers(intervals[k], low, high) {
                            report.pass = false
                            reasons.append("interval does not cover the \(req.rule) protection interval")
                        } else if !point, let side = stopsAtTruth(intervals[k], a, floor: floor, ceiling: bounds.upper) {
                            report.pass = false
                            reasons.append("interval stops at the true value \(side): under-protected")
                        }
                    }
                    if report.pass { reasons.append(reqs.isEmpty ? "secondary, not exactly determined" : "protected") }
                    report.reason = reasons.joined(separator: "; ")
                    if !report.pass { failing.insert(i) }
                    reportIndex[i] = reports.count
                    reports.append(report)
                }
                guard rules.singletonAttack else { continue }
                let targets = component.filter { requirements[$0]?.contains { $0.measure == measure } ?? false }
                let singletons = component.filter { table.cells[$0].evidence.units == 1 && statuses[$0].isPrimary }
                if targets.isEmpty || singletons.isEmpty { continue }
                func fail(_ i: Int, _ coalition: [Int], _ interval: (Double, Double)) {
                    guard let r = reportIndex[i] else { return }
                    let who = coalition.map { table.name(of: $0) }.joined(separator: " and ")
                    let verb = coalition.count == 1 ? "knows its own value" : "pool their own values"
                    reports[r].pass = false
                    reports[r].reason += "; \(who) \(verb) and narrow it to [\(interval.0), \(interval.1)]"
                    failing.insert(i)
                }
                func check(_ t: Int, _ coalition: [Int], _ interval: (Double, Double)) -> Bool {
                    let share = table.coalitionShare(of: coalition, in: t, measure)
                    for req in requirements[t]! where req.measure == measure {
                        let (low, high) = bounds.required(
                            value: truth(t), req, knownShare: share, floor: bounds.lower(t, in: table))
                        if !covers(interval, low, high) { return false }
                    }
                    return true
                }
                if problem.rows.count == 1 {
                    tried.record(singles: singletons.count, pairs: singletons.count * (singletons.count - 1) / 2)
                    let worst = WorstCoalition(problem: problem, singletons: singletons, truth: truth)
                    for t in targets {
                        if let (coalition, interval) = worst.find(t, table: table, check: check) {
                            fail(t, coalition, interval)
                        }
                    }
                    continue
                }
                for coalition in Self.coalitions(singletons, in: table) {
                    tried.record(coalition, names: coalition.map { table.name(of: $0) })
                    let attacked = targets.filter { !coalition.contains($0) && !table.isKnown($0, toCoalition: coalition) }
                    if attacked.isEmpty { continue }
                    let narrowed = try problem.intervals(
                        known: coalition, truth: truth, targets: Set(attacked), solver: solver, exact: rules.exactLP)
                    for (k, i) in component.enumerated() where attacked.contains(i) && !check(i, coalition, narrowed[k]) {
                        fail(i, coalition, narrowed[k])
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
        let model = AttackerModel(rules: rules, floorHolds: floorHolds, measures: measures, tried: tried)
        return AuditReport(
            tool: "microdata disclosure audit (GLPK LP and MIP, rational elimination)", rules: rules,
            consistency: consistency, cells: reports, suppressedCells: suppressed.count, recoverableCells: failing.count,
            passed: passed,
            summary: "\(failing.count) of \(suppressed.count) suppressed cells recoverable"
                + (consistency.isEmpty ? "" : "; \(consistency.count) artefact inconsistencies"),
            attackerModel: model)
    }

    /// The coalitions attacked in one group: each singleton alone, then each pair of singletons of
    /// different respondents that share a relation.
    static func coalitions(_ singletons: [Int], in table: ProtectionTable) -> [[Int]] {
        var out = singletons.map { [$0] }
        for (x, s) in singletons.enumerated() {
            let relations = Set(table.relationsOfCell[s])
            for t in singletons[(x + 1)...] where table.relationsOfCell[t].contains(where: relations.contains) {
                if let a = table.soleUnitCell(of: s), a == table.soleUnitCell(of: t) { continue }
                out.append([s, t])
            }
        }
        return out
    }

    /// Whether a primary's interval ends at its true value on a side where the attacker could not already
    /// tell (the value is not at its a-priori bound): that side is disclosed.
    private func stopsAtTruth(_ interval: (Double, Double), _ a: Double, floor: Double, ceiling: Double) -> String? {
        let tolerance = 1e-7 * max(1, abs(a))
        if interval.1 <= a + tolerance, a < ceiling - tolerance { return "from above" }
        if interval.0 >= a - tolerance, a > floor + tolerance { return "from below" }
        return nil
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

    private func isIntegral(_ measure: Measure) -> Bool {
        table.cells.indices.allSatisfy { table.amount($0, measure).rounded() == table.amount($0, measure) }
    }
}

/// Counts (and the first few names of) the coalitions an audit tried.
struct CoalitionLog {
    var singles = 0
    var pairs = 0
    var listed: [[String]] = []

    mutating func record(singles: Int, pairs: Int) {
        self.singles += singles
        self.pairs += pairs
    }

    mutating func record(_ coalition: [Int], names: [String]) {
        if coalition.count == 1 { singles += 1 } else { pairs += 1 }
        if listed.count < 100 { listed.append(names) }
    }
}

/// What the audit assumes an attacker knows and does; the audit proves protection against this, and only
/// this (RELIABILITY.md, "Attacker model").
public struct AttackerModel: Sendable, Codable, Equatable {
    /// The a-priori bounds on every suppressed cell.
    public var bounds: String
    /// How whole numbers are used.
    public var integrality: String
    /// The coalitions of respondents attacked.
    public var coalitions: String
    /// Which relations (margins) the attacker uses.
    public var margins: String
    public var singletonsTried: Int
    public var pairsTried: Int
    /// The first 100 coalitions tried, by cell name (those of one-relation groups are counted, not listed).
    public var coalitionsListed: [[String]]

    init(rules: DisclosureRules, floorHolds: Bool, measures: [Measure], tried: CoalitionLog) {
        bounds = (floorHolds && measures.contains(.count)
            ? "counts of suppressed cells >= 1 (zeros are published, so a suppressed cell is not empty); "
            : "counts of suppressed cells >= 0 (an empty cell is suppressed, so the published-zeros floor is not used); ")
            + "values >= 0 when no contribution is negative; every cell <= twice the largest published cell"
        integrality = "counts and whole-number tables are integers: LP bounds are rounded, an integral optimal "
            + "vertex is the integer optimum, and GLPK branch and cut (glp_intopt) decides a fractional one"
        coalitions = rules.singletonAttack
            ? "every singleton (a one-unit primary knows its own value) and every pair of singletons of different "
                + "respondents in one relation pool their values"
            : "none (singletonAttack is off)"
        margins = "every relation of the table: all published subtotals and margins, as published"
        singletonsTried = tried.singles
        pairsTried = tried.pairs
        coalitionsListed = tried.listed
    }

}

/// The coalition of at most two singletons that narrows a target the most in a group with one relation.
/// Fixing a cell only shifts the others' sum, so for an inner target (whose known share is 0) the two
/// largest shifts on each side are the worst case; an aggregate, whose requirement depends on the
/// coalition's share of it, is tried against every single and pair.
struct WorstCoalition {
    let problem: AttackProblem
    let singletons: [Int]
    let sums: AttackProblem.RelationSums
    /// Per singleton, how fixing it raises the others' minimum and lowers their maximum.
    let shift: [(Double, Double)]
    /// Singleton positions by decreasing raise and by decreasing drop (the first few).
    let byRaise: [Int]
    let byDrop: [Int]

    init(problem: AttackProblem, singletons: [Int], truth: (Int) -> Double) {
        self.problem = problem
        self.singletons = singletons
        sums = problem.relationSums(problem.lower, problem.upper)
        let sums = self.sums
        let shift = singletons.map { problem.shifts(problem.local[$0]!, truth($0), sums) }
        self.shift = shift
        byRaise = Array(singletons.indices.sorted { shift[$0].0 > shift[$1].0 }.prefix(4))
        byDrop = Array(singletons.indices.sorted { shift[$0].1 > shift[$1].1 }.prefix(4))
    }

    private func interval(_ kt: Int, _ picked: [Int]) -> (Double, Double) {
        problem.closedFormInterval(
            kt, sums, lo: problem.lower[kt], hi: problem.upper[kt],
            raise: picked.reduce(0) { $0 + shift[$1].0 }, drop: picked.reduce(0) { $0 + shift[$1].1 })
    }

    /// The breaking coalition and the interval it leaves, or `nil` when `t` holds against all.
    func find(
        _ t: Int, table: ProtectionTable, check: (Int, [Int], (Double, Double)) -> Bool
    ) -> ([Int], (Double, Double))? {
        let kt = problem.local[t]!
        func eligible(_ x: Int) -> Bool { singletons[x] != t && !table.isOwnedBySingleton(t, singleton: singletons[x]) }
        if table.cells[t].isInner {
            let raise = Array(byRaise.filter(eligible).prefix(2)), drop = Array(byDrop.filter(eligible).prefix(2))
            let high = interval(kt, raise).1, low = interval(kt, drop).0
            if check(t, [], (low, high)) { return nil }
            let picked = check(t, [], (problem.lower[kt], high)) ? drop : raise
            return (picked.map { singletons[$0] }, interval(kt, picked))
        }
        let members = singletons.indices.filter(eligible)
        for (n, x) in members.enumerated() {
            for y in [nil] + members[(n + 1)...].map(Optional.some) {
                let picked = [x] + (y.map { [$0] } ?? [])
                let coalition = picked.map { singletons[$0] }
                if table.isKnown(t, toCoalition: coalition) { continue }
                let narrowed = interval(kt, picked)
                if !check(t, coalition, narrowed) { return (coalition, narrowed) }
            }
        }
        return nil
    }
}
