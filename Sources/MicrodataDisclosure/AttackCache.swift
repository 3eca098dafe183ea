/// What ``SecondarySuppression`` reuses between primaries while the suppressed set stays the same: the
/// components of suppressed cells (linked by shared relations), the loaded attacker models per component,
/// measure and known coalition, and the a-priori bounds per measure.
///
/// The suppressed set only grows during a run, so its size identifies it; any change drops the components
/// and models.
final class AttackCache {
    private let table: ProtectionTable
    /// The suppressed-set size the components were built for.
    private var version = -1
    /// Each suppressed cell's index into `components`, −1 for published cells.
    private var componentOf: [Int]
    /// Suppressed cells grouped by shared relations, each sorted.
    private var components: [[Int]] = []
    private var attacks: [Key: AttackModel] = [:]
    private var attackerBounds: [Measure: AttackerBounds] = [:]
    /// Models kept at most (each holds a GLPK problem); the cache is emptied when full.
    private let capacity = 256

    private struct Key: Hashable {
        var component: Int
        var measure: Measure
        var known: [Int]
    }

    init(_ table: ProtectionTable) {
        self.table = table
        componentOf = Array(repeating: -1, count: table.cells.count)
    }

    func bounds(_ measure: Measure) -> AttackerBounds {
        if let b = attackerBounds[measure] { return b }
        let b = AttackerBounds(table: table, measure: measure)
        attackerBounds[measure] = b
        return b
    }

    /// The component holding the suppressed cell `p`: its index (for ``attack(_:_:_:make:)``) and cells.
    func component(of p: Int, _ suppressed: Set<Int>) -> (id: Int, cells: [Int]) {
        if suppressed.count != version { rebuild(suppressed) }
        return (componentOf[p], components[componentOf[p]])
    }

    /// The model of component `c` in `measure` with `known` fixed, built by `make` when not cached.
    func attack(_ c: Int, _ measure: Measure, _ known: [Int], make: () throws -> AttackModel) rethrows -> AttackModel {
        let key = Key(component: c, measure: measure, known: known)
        if let model = attacks[key] { return model }
        if attacks.count >= capacity { attacks.removeAll() }
        let model = try make()
        attacks[key] = model
        return model
    }

    private func rebuild(_ suppressed: Set<Int>) {
        version = suppressed.count
        attacks.removeAll()
        components.removeAll()
        var isSuppressed = Array(repeating: false, count: table.cells.count)
        for i in suppressed { isSuppressed[i] = true }
        componentOf = Array(repeating: -1, count: table.cells.count)
        for start in suppressed.sorted() where componentOf[start] < 0 {
            let c = components.count
            componentOf[start] = c
            var members = [start]
            var head = 0
            while head < members.count {
                let cell = members[head]
                head += 1
                for r in table.relationsOfCell[cell] {
                    let relation = table.relations[r]
                    if isSuppressed[relation.total], componentOf[relation.total] < 0 {
                        componentOf[relation.total] = c
                        members.append(relation.total)
                    }
                    for j in relation.parts where isSuppressed[j] && componentOf[j] < 0 {
                        componentOf[j] = c
                        members.append(j)
                    }
                }
            }
            components.append(members.sorted())
        }
    }
}
