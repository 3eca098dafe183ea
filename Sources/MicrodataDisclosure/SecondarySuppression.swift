import Foundation

/// Chooses secondary suppressions so that every primary cell's attacker interval covers its
/// protection interval, also against each singleton that knows its own value.
///
/// 1. Tables up to `gaussMaxCells` first get the singleton-aware Gaussian-elimination pattern
///    (`GaussElimination`): no primary is a linear combination of published cells.
/// 2. LP repair, primary by primary: if the attacker LP over the suppressed cells connected to the
///    primary already gives its protection interval, nothing is added. Otherwise a compact
///    Fischetti–Salazar model is solved on a neighbourhood of the primary (a small box of codes around
///    it, then growing breadth-first neighbourhoods, finally the whole table): two copies of the table
///    (attacker pushing the primary up and down) and a suppression variable per candidate cell that
///    widens its range. Cells outside the neighbourhood are held at their values, which only
///    restricts the attacker, so a pattern found there protects in the whole table. The cells the LP
///    solution moves are suppressed (or, for small neighbourhoods, the MIP's choice when cheaper).
/// 3. The same for every singleton scenario. Adding suppressions never narrows an attacker interval,
///    so the loop ends protected; the audit then checks the whole published table independently.
struct SecondarySuppression {
    let table: ProtectionTable
    let rules: DisclosureRules
    let solver: any LinearProgramSolver
    let requirements: [Int: [ProtectionRequirement]]
    /// Cells that may never be suppressed as secondaries.
    let forcedPublish: Set<Int>
    private let keyIndex: [[String]: Int]
    /// Each cell's rank among the keys sorted by code, so ties break the same whatever the row order.
    private let keyRank: [Int]

    init(
        table: ProtectionTable, rules: DisclosureRules, solver: any LinearProgramSolver,
        requirements: [Int: [ProtectionRequirement]], forcedPublish: Set<Int>
    ) {
        self.table = table
        self.rules = rules
        self.solver = solver
        self.requirements = requirements
        self.forcedPublish = forcedPublish
        keyIndex = Dictionary(table.cells.enumerated().map { ($1.key, $0) }, uniquingKeysWith: { a, _ in a })
        var rank = Array(repeating: 0, count: table.cells.count)
        let byKey = table.cells.indices.sorted { table.cells[$0].key.lexicographicallyPrecedes(table.cells[$1].key) }
        for (r, i) in byKey.enumerated() { rank[i] = r }
        keyRank = rank
    }

    /// Returns the cells to suppress in addition to the primaries.
    func run() throws -> Set<Int> {
        if table.relations.count == 1 { return try singleRelation() }
        var suppressed = Set(requirements.keys)
        let primaries = requirements.keys.sorted()
        if table.cells.count <= rules.gaussMaxCells, !primaries.isEmpty {
            suppressed.formUnion(try gauss(primaries))
        }
        let cache = AttackCache(table)
        for p in primaries {
            for requirement in requirements[p]! {
                try protect(p, requirement, known: [], suppressed: &suppressed, cache: cache)
            }
        }
        // Coalition attack: each singleton knows its own value, and two singletons sharing a relation pool
        // theirs. Only primaries suppressed together with them (same component of shared relations) can be
        // affected; repeat until stable.
        let singletons = rules.singletonAttack ? primaries.filter { table.cells[$0].evidence.units == 1 } : []
        var done = Set<[Int]>()
        var changed = !singletons.isEmpty
        while changed {
            changed = false
            let auditor = Auditor(table: table, rules: rules, solver: solver)
            for component in auditor.components(suppressed.sorted()) {
                let members = Set(component)
                for coalition in Auditor.coalitions(singletons.filter(members.contains), in: table) {
                    // A primary whose whole count is the coalition's own units (say the margin of a row
                    // where a singleton is the only non-empty cell) is known to them and cannot be
                    // protected against them; it is still protected against everybody else above.
                    for p in component
                    where !coalition.contains(p) && requirements[p] != nil && !table.isKnown(p, toCoalition: coalition)
                        && !done.contains(coalition + [p, component.count])
                    {
                        done.insert(coalition + [p, component.count])
                        let before = suppressed.count
                        for requirement in requirements[p]! {
                            try protect(p, requirement, known: coalition, suppressed: &suppressed, cache: cache)
                        }
                        if suppressed.count != before { changed = true }
                    }
                }
            }
        }
        return suppressed.subtracting(primaries)
    }

    /// A table with one relation (a one-way table without hierarchy) needs no LP: the audit's closed form
    /// decides each pattern, so the primaries are suppressed and then the cheapest candidates (non-zero
    /// parts by cost, zero-valued parts, finally the total) are added one at a time until it passes.
    private func singleRelation() throws -> Set<Int> {
        let primaries = Set(requirements.keys)
        let relation = table.relations[0]
        let measures = Set(requirements.values.flatMap { $0.map(\.measure) })
        let auditor = Auditor(table: table, rules: rules, solver: solver)
        func movable(_ j: Int) -> Bool { measures.allSatisfy { table.amount(j, $0) != 0 } }
        let open = relation.parts.filter {
            !primaries.contains($0) && choosable($0, primaries, []) && table.cells[$0].evidence.units > 0
        }
        var queue = open.filter(movable).sorted { cost($0) < cost($1) } + open.filter { !movable($0) }.sorted { cost($0) < cost($1) }
        if !primaries.contains(relation.total), choosable(relation.total, primaries, []) { queue.append(relation.total) }
        var suppressed = primaries
        while true {
            if primaries.isEmpty { return [] }
            let statuses = table.cells.indices.map { i -> CellStatus in
                primaries.contains(i) ? .primary("rule") : suppressed.contains(i) ? .secondary : .safe
            }
            let published = table.cells.indices.map { suppressed.contains($0) ? nil : Optional(table.amount($0, .value)) }
            let counts = table.cells.indices.map { suppressed.contains($0) ? nil : Optional(table.amount($0, .count)) }
            let report = try auditor.audit(
                statuses: statuses, requirements: requirements, published: [.count: counts, .value: published],
                mainMeasure: measures.contains(.value) ? .value : .count, consistency: [])
            let failing = report.cells.filter { !$0.pass }
            if failing.allSatisfy({ $0.status == CellStatus.secondary.label }) {
                return suppressed.subtracting(primaries)
            }
            guard !queue.isEmpty else {
                let cell = failing.first { $0.status != CellStatus.secondary.label }!
                throw DisclosureError.unprotectable(
                    cell: cell.cell,
                    reason: "even with every other cell of \(table.name(of: relation.total)) suppressed, \(cell.reason)"
                        + Self.advice)
            }
            suppressed.insert(queue.removeFirst())
        }
    }

    /// What a user can do about a table that cannot be protected.
    static let advice = ". No suppression pattern protects it: merge small categories (fewer, larger cells), "
        + "change the rules (threshold, protection levels), or publish a rounded table (check --round BASE)"

    /// The cells of `relation` whose suppressed parts hold fewer than `suppressedGroupMinimumUnits` units
    /// (but some) while its total is published, as (relation index, units of the suppressed parts).
    static func smallSuppressedGroups(_ table: ProtectionTable, _ rules: DisclosureRules, suppressed: Set<Int>)
        -> [(relation: Int, units: Int)]
    {
        let minimum = rules.suppressedGroupMinimumUnits
        guard minimum > 0 else { return [] }
        var out: [(Int, Int)] = []
        for (r, relation) in table.relations.enumerated() where !suppressed.contains(relation.total) {
            let units = relation.parts.filter { suppressed.contains($0) }.reduce(0) { $0 + table.cells[$1].evidence.units }
            if units > 0, units < minimum { out.append((r, units)) }
        }
        return out
    }

    /// Closes `suppressed` under `suppressedGroupMinimumUnits`: small groups get more suppressions
    /// (``enforceGroupMinimum(suppressed:excluded:)``), then, for tables up to `gaussMaxCells`, the
    /// Gaussian elimination with every suppressed cell as a target adds what keeps each of them from being
    /// determined by the published cells (a determined cell would be published again, shrinking its group);
    /// repeated until no group is small. Only adds cells, so every earlier protection stays valid.
    func closeUnderGroupMinimum(_ suppressed: inout Set<Int>) throws {
        guard rules.suppressedGroupMinimumUnits > 0 else { return }
        for _ in 0...table.cells.count {
            let added = enforceGroupMinimum(suppressed: &suppressed, excluded: [])
            if added.isEmpty { return }
            if table.cells.count <= rules.gaussMaxCells { suppressed.formUnion(try gauss(suppressed.sorted())) }
        }
    }

    /// Enforces `suppressedGroupMinimumUnits`: while some relation with a published total has suppressed
    /// parts holding fewer units than the minimum, the cheapest publishable non-empty part (not in
    /// `excluded`) is suppressed, or the total when no part is left. Adding suppressions never narrows
    /// an attacker interval, so earlier protection stays valid. Returns the cells added.
    func enforceGroupMinimum(suppressed: inout Set<Int>, excluded: Set<Int>) -> Set<Int> {
        var added = Set<Int>()
        // The cheapest publishable non-empty part, else the total; `nil` when nothing can be added.
        func pick(_ r: Int, _ suppressed: Set<Int>) -> Int? {
            let relation = table.relations[r]
            let parts = relation.parts.filter {
                choosable($0, suppressed, excluded) && isCandidate($0, .count, suppressed: suppressed)
            }
            if let cheapest = parts.min(by: { cost($0) < cost($1) }) { return cheapest }
            return choosable(relation.total, suppressed, excluded) ? relation.total : nil
        }
        // Each round suppresses one more cell, so this ends.
        while let next = Self.smallSuppressedGroups(table, rules, suppressed: suppressed).compactMap({ pick($0.relation, suppressed) }).first {
            suppressed.insert(next)
            added.insert(next)
        }
        return added
    }

    private func choosable(_ j: Int, _ suppressed: Set<Int>, _ excluded: Set<Int>) -> Bool {
        !suppressed.contains(j) && !excluded.contains(j) && !forcedPublish.contains(j) && !table.cells[j].structuralZero
    }

    /// The Gaussian-elimination pattern: candidates ordered by cost (expensive published first) or by
    /// cell index (`gaussOrder: "index"`, sdcTable's GAUSS); empty, zero and forced cells are published.
    private func gauss(_ primaries: [Int]) throws -> Set<Int> {
        let primarySet = Set(primaries)
        let measure: Measure = requirements.values.contains { $0.contains { $0.measure == .value } } ? .value : .count
        let forced = Set(table.cells.indices.filter {
            !primarySet.contains($0) && (forcedPublish.contains($0) || !isCandidate($0, measure, suppressed: primarySet))
        })
        let others = table.cells.indices.filter { !primarySet.contains($0) }
        let order: [Int]
        if rules.gaussOrder == "index" {
            order = others.filter { forced.contains($0) } + others.filter { !forced.contains($0) }
        } else {
            order = others.sorted { a, b in
                let (fa, fb) = (forced.contains(a), forced.contains(b))
                if fa != fb { return fa }
                return cost(a) > cost(b)
            }
        }
        let singletons = rules.singletonAttack ? Set(primaries.filter { table.cells[$0].evidence.units == 1 }) : []
        return try GaussElimination(table: table).run(primaries: primaries, singletons: singletons, order: order, forced: forced)
    }

    private func cost(_ j: Int) -> Double {
        let cell = table.cells[j]
        var c: Double
        switch rules.cost {
        case "unity": c = 1
        case "value": c = max(abs(cell.evidence.value), 1e-6)
        case "logValue": c = log1p(abs(cell.evidence.value)) + 1e-6
        default: c = Double(max(cell.evidence.units, 1))
        }
        if !cell.isInner { c *= 1 + rules.marginCostPenalty }
        // A tiny term by key makes ties deterministic and independent of row order.
        return c * (1 + 1e-9 * Double(keyRank[j]))
    }

    private func isCandidate(_ j: Int, _ measure: Measure, suppressed: Set<Int>) -> Bool {
        let cell = table.cells[j]
        return !suppressed.contains(j) && !forcedPublish.contains(j) && !cell.structuralZero
            && cell.evidence.units > 0 && table.amount(j, measure) != 0
    }

    /// The cross product, over dimensions, of p's code, its parent, up to `siblings` siblings (already
    /// suppressed ones first, then the cheapest non-empty) and up to `siblings` children; `nil` when the
    /// table is not a grid over its dimensions.
    private func box(around p: Int, siblings: Int, measure: Measure, suppressed: Set<Int>) -> [Int]? {
        let key = table.cells[p].key
        guard key.count == table.dimensions.count else { return nil }
        var choices: [[String]] = []
        for (d, dimension) in table.dimensions.enumerated() {
            let code = key[d]
            var codes = [code]
            func line(_ other: String) -> Int? {
                var k = key
                k[d] = other
                return keyIndex[k]
            }
            func rank(_ others: [String]) -> [String] {
                others.compactMap { c in line(c).map { (c, $0) } }
                    .filter { suppressed.contains($0.1) || isCandidate($0.1, measure, suppressed: suppressed) }
                    .sorted { a, b in
                        let (sa, sb) = (suppressed.contains(a.1), suppressed.contains(b.1))
                        if sa != sb { return sa }
                        return cost(a.1) < cost(b.1)
                    }
                    .prefix(siblings).map(\.0)
            }
            if let parent = dimension.children.first(where: { $0.value.contains(code) })?.key {
                codes.append(parent)
                codes += rank(dimension.children[parent]!.filter { $0 != code })
            }
            codes += rank(dimension.children[code] ?? [])
            choices.append(codes)
        }
        var cells: [Int] = []
        func walk(_ prefix: [String], _ d: Int) {
            if d == choices.count {
                if let i = keyIndex[prefix] { cells.append(i) }
                return
            }
            for c in choices[d] { walk(prefix + [c], d + 1) }
        }
        walk([], 0)
        return cells
    }

    /// Cells reached from `p` through shared relations, breadth first, at most `limit`.
    private func neighbourhood(of p: Int, limit: Int) -> [Int] {
        var seen: Set<Int> = [p]
        var order = [p]
        var head = 0
        while head < order.count, order.count < limit {
            let cell = order[head]
            head += 1
            for r in table.relationsOfCell[cell] {
                let relation = table.relations[r]
                for j in [relation.total] + relation.parts where !seen.contains(j) {
                    seen.insert(j)
                    order.append(j)
                    if order.count >= limit { break }
                }
                if order.count >= limit { break }
            }
        }
        return order
    }

    private func protect(
        _ p: Int, _ requirement: ProtectionRequirement, known: [Int], suppressed: inout Set<Int>, cache: AttackCache
    ) throws {
        let bounds = cache.bounds(requirement.measure)
        let a = table.amount(p, requirement.measure)
        let share = table.coalitionShare(of: known, in: p, requirement.measure)
        let (low, high) = bounds.required(
            value: a, requirement, knownShare: share, floor: bounds.lower(p, in: table))
        if low >= a, high <= a { return }
        if try alreadyProtected(p, requirement.measure, bounds, low, high, known, suppressed, cache) { return }
        // First a small box around p (its code, parent, children and a few siblings per dimension), then
        // breadth-first neighbourhoods of growing size, finally the whole table; zero-valued cells with
        // contributors (which can only move up) only when nothing else works.
        for k in [3, 8] {
            if let box = box(around: p, siblings: k, measure: requirement.measure, suppressed: suppressed),
                let chosen = try solve(p, box, requirement.measure, bounds, low, high, known, suppressed, zeros: false)
            {
                suppressed.formUnion(chosen)
                return
            }
        }
        var limit = max(rules.neighbourhoodCells, 8)
        while true {
            let cells = neighbourhood(of: p, limit: limit)
            if let chosen = try solve(p, cells, requirement.measure, bounds, low, high, known, suppressed, zeros: false)
                ?? (cells.count < limit
                    ? try solve(p, cells, requirement.measure, bounds, low, high, known, suppressed, zeros: true) : nil)
            {
                suppressed.formUnion(chosen)
                return
            }
            if cells.count < limit {
                throw DisclosureError.unprotectable(
                    cell: table.name(of: p),
                    reason: "no pattern of publishable non-empty cells gives the interval [\(low), \(high)]"
                        + (known.isEmpty ? "" : " when \(known.map { table.name(of: $0) }.joined(separator: " and ")) "
                            + "know their own values") + Self.advice)
            }
            limit *= 4
        }
    }

    /// Whether the attacker LP over the suppressed cells connected to `p` already gives `[low, high]`.
    private func alreadyProtected(
        _ p: Int, _ measure: Measure, _ bounds: AttackerBounds, _ low: Double, _ high: Double, _ known: [Int],
        _ suppressed: Set<Int>, _ cache: AttackCache
    ) throws -> Bool {
        let component = cache.component(of: p, suppressed)
        if component.cells.count > 4 * rules.neighbourhoodCells { return false }
        let attack = try cache.attack(component.id, measure, known) {
            let problem = try AttackProblem(
                table: table, component: component.cells, measure: measure, bounds: bounds,
                integral: measure == .count || table.integralValues, value: { table.amount($0, measure) })
            return try AttackModel(problem, known: known, truth: { table.amount($0, measure) }, solver: solver, exact: false)
        }
        let interval = try attack.interval(attack.problem.local[p]!)
        let tolerance = 1e-7 * max(1, abs(low), abs(high))
        let a = table.amount(p, measure)
        // An interval ending at the true value on a side the attacker could not tell a priori discloses it.
        let stops = known.isEmpty
            && ((interval.1 <= a + tolerance && a < bounds.upper - tolerance)
                || (interval.0 >= a - tolerance && a > bounds.lower(p, in: table) + tolerance))
        return interval.0 <= low + tolerance && interval.1 >= high - tolerance && !stops
    }

    /// Solves the compact model on `cells`; `nil` when infeasible there.
    private func solve(
        _ p: Int, _ cells: [Int], _ measure: Measure, _ bounds: AttackerBounds, _ low: Double, _ high: Double,
        _ known: [Int], _ suppressed: Set<Int>, zeros: Bool
    ) throws -> Set<Int>? {
        func open(_ j: Int) -> Bool {
            isCandidate(j, measure, suppressed: suppressed)
                || (zeros && !suppressed.contains(j) && choosable(j, suppressed, []) && table.cells[j].evidence.units > 0)
        }
        let local = Dictionary(uniqueKeysWithValues: cells.enumerated().map { ($1, $0) })
        let n = cells.count
        // Columns: y⁺ (0..<n), y⁻ (n..<2n), then one x per candidate.
        var lower: [Double?] = [], upper: [Double?] = []
        var candidates: [Int] = []
        var free = Array(repeating: false, count: n)
        for copy in 0..<2 {
            for (k, j) in cells.enumerated() {
                let a = table.amount(j, measure)
                if known.contains(j) || !(suppressed.contains(j) || open(j)) {
                    lower.append(a); upper.append(a)
                } else {
                    free[k] = true
                    lower.append(bounds.lower(j, in: table)); upper.append(bounds.upper)
                }
                if copy == 0, j != p, !known.contains(j), open(j) {
                    candidates.append(k)
                }
            }
        }
        lower[local[p]!] = high
        upper[local[p]!] = bounds.upper
        lower[n + local[p]!] = bounds.lower(p, in: table)
        upper[n + local[p]!] = low
        let xBase = 2 * n
        for _ in candidates { lower.append(0); upper.append(1) }
        var rows: [LinearProgram.Row] = []
        var touched = Set<Int>()
        for j in cells { touched.formUnion(table.relationsOfCell[j]) }
        for r in touched.sorted() {
            let relation = table.relations[r]
            let members = [(relation.total, 1.0)] + relation.parts.map { ($0, -1.0) }
            guard members.contains(where: { local[$0.0].map { free[$0] } ?? false }) else { continue }
            var rhs = 0.0
            var terms: [(column: Int, coefficient: Double)] = []
            for (j, coefficient) in members {
                if let k = local[j] {
                    terms.append((k, coefficient))
                } else {
                    rhs -= coefficient * table.amount(j, measure)
                }
            }
            for copy in 0..<2 {
                let slack = table.slack(r, measure)
                rows.append(.init(terms: terms.map { ($0.column + copy * n, $0.coefficient) }, lower: rhs - slack, upper: rhs + slack))
            }
        }
        // A suppressed candidate may move by up to `reach` times the primary's required shift (capped by
        // the a-priori bounds). Capping keeps the big-M coefficients small, so the MIP's integrality
        // tolerance cannot open a cell that is not suppressed; it only restricts the attacker, so
        // patterns found stay valid.
        let a0 = table.amount(p, measure)
        let reach = 4 * max(high - a0, a0 - low)
        for (c, k) in candidates.enumerated() {
            let a = table.amount(cells[k], measure)
            let up = min(bounds.upper - a, reach), down = max(0, min(a - bounds.lower(cells[k], in: table), reach))
            for copy in 0..<2 {
                let y = k + copy * n
                // y ≤ a + up·x and y ≥ a − down·x.
                rows.append(.init(terms: [(y, 1), (xBase + c, -up)], lower: nil, upper: a))
                rows.append(.init(terms: [(y, 1), (xBase + c, down)], lower: a, upper: nil))
            }
        }
        let objective = candidates.enumerated().map { (column: xBase + $0.offset, coefficient: cost(cells[$0.element])) }
        let model = try solver.load(LinearProgram(columnLower: lower, columnUpper: upper, rows: rows))
        guard case .optimal = try model.optimise(objective, .minimise, exact: false) else { return nil }
        // A candidate is needed iff the attacker's solution moves it (in either copy).
        let shift = max(high - a0, a0 - low, 1e-9)
        // Movements below this are solver noise or relation slack, not a need to suppress.
        let noise = max(1e-6 * shift, measure == .value && !table.integralValues ? 1e-8 * bounds.upper : 0)
        func moved() -> Set<Int> {
            Set(candidates.filter { k in
                let a = table.amount(cells[k], measure)
                return abs(model.columnValue(k) - a) > noise || abs(model.columnValue(n + k) - a) > noise
            }.map { cells[$0] })
        }
        let relaxed = moved()
        if relaxed.isEmpty { return [] }
        // The MIP may stop at its time limit with a poor incumbent: keep whichever valid set is cheaper.
        if candidates.count <= rules.mipMaxCandidates,
            case .optimal = try model.optimiseInteger(
                objective, .minimise, binaryColumns: candidates.indices.map { xBase + $0 },
                timeLimitSeconds: rules.mipTimeLimitSeconds)
        {
            let mip = Set(candidates.enumerated().filter { model.columnValue(xBase + $0.offset) > 0.5 }.map { cells[$0.element] })
            if mip.reduce(0, { $0 + cost($1) }) <= relaxed.reduce(0, { $0 + cost($1) }) { return mip }
        }
        return relaxed
    }
}
