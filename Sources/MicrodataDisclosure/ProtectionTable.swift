/// The canonical model of a release: every published cell (inner cells, subtotals, margins) with its
/// evidence, and the linear relations `total = Σ parts` that tie them together.
///
/// Inner cells are the finest cross-classification; every other cell is the sum of inner cells, so
/// margins, hierarchies and several tables from the same data share one linear system.
public struct ProtectionTable: Sendable {
    /// One published cell.
    public struct Cell: Sendable, Hashable {
        /// One code per dimension.
        public var key: [String]
        public var evidence: CellEvidence
        /// Whether every code is a finest category.
        public var isInner: Bool
        /// Declared structural zero (always safe, never a secondary).
        public var structuralZero: Bool
        /// Whether the cell was in the input table (rather than computed as a margin or an empty cell).
        public var fromInput: Bool

        public init(key: [String], evidence: CellEvidence, isInner: Bool, structuralZero: Bool, fromInput: Bool) {
            self.key = key
            self.evidence = evidence
            self.isInner = isInner
            self.structuralZero = structuralZero
            self.fromInput = fromInput
        }
    }

    /// `cells[total] = Σ cells[parts]`.
    public struct Relation: Sendable, Hashable {
        public var total: Int
        public var parts: [Int]

        public init(total: Int, parts: [Int]) {
            self.total = total
            self.parts = parts
        }
    }

    public var dimensions: [TableDimension]
    public var cells: [Cell]
    public var relations: [Relation]
    /// For each cell, the relations it appears in.
    public private(set) var relationsOfCell: [[Int]]
    /// Whether every value is a whole number (LPs then use exact equalities; counts always are).
    public private(set) var integralValues = true
    /// Per dimension, the parent of each code in its hierarchy (the total is the parent of top-level codes).
    private var parentOfCode: [[String: String]] = []
    /// Per cell, how many non-empty inner cells it sums. With zeros published this is known to everybody,
    /// and a cell can hold no fewer units.
    public private(set) var nonEmptyInnerCells: [Int] = []

    /// Builds the model directly (cells and relations already known, for instance several linked tables).
    public init(dimensions: [TableDimension], cells: [Cell], relations: [Relation]) {
        self.dimensions = dimensions
        self.cells = cells
        self.relations = relations
        var index = Array(repeating: [Int](), count: cells.count)
        for (r, relation) in relations.enumerated() {
            index[relation.total].append(r)
            for part in relation.parts { index[part].append(r) }
        }
        relationsOfCell = index
        parentOfCode = dimensions.map { d in
            var parents: [String: String] = [:]
            for (parent, kids) in d.children { for kid in kids { parents[kid] = parent } }
            return parents
        }
        integralValues = cells.allSatisfy { $0.evidence.value == $0.evidence.value.rounded() }
        nonEmptyInnerCells = Self.countNonEmptyInner(cells, relations)
    }

    /// Non-empty inner cells beneath each cell, through the first relation defining it (any defining
    /// relation partitions the same units); cells that no relation defines count themselves.
    private static func countNonEmptyInner(_ cells: [Cell], _ relations: [Relation]) -> [Int] {
        var count: [Int?] = Array(repeating: nil, count: cells.count)
        var definition = Array(repeating: -1, count: cells.count)
        for (r, relation) in relations.enumerated().reversed() { definition[relation.total] = r }
        for root in cells.indices where count[root] == nil {
            var stack = [root]
            while let c = stack.last {
                if count[c] != nil { stack.removeLast(); continue }
                let r = definition[c]
                if cells[c].isInner || r < 0 {
                    count[c] = cells[c].evidence.units > 0 ? 1 : 0
                    stack.removeLast()
                    continue
                }
                let pending = relations[r].parts.filter { count[$0] == nil }
                if pending.isEmpty {
                    count[c] = relations[r].parts.reduce(0) { $0 + count[$1]! }
                    stack.removeLast()
                } else {
                    stack.append(contentsOf: pending)
                }
            }
        }
        return count.map { $0! }
    }

    /// Builds the full grid over `dimensions` from the cells given.
    ///
    /// Missing inner cells are empty (0 units, value 0); missing subtotals and margins are computed.
    /// Given subtotals and margins must equal the sum of their parts (values within 1e-9 relative).
    /// - Parameters:
    ///   - given: evidence per key (one code per dimension), with the input line for error messages.
    ///   - structuralZeros: keys of declared structural zeros.
    /// - Throws: `DisclosureError.table` for unknown codes or non-additive margins.
    public static func grid(
        dimensions: [TableDimension], given: [[String]: (evidence: CellEvidence, line: Int)],
        structuralZeros: Set<[String]> = [], source: String = "table"
    ) throws -> ProtectionTable {
        let codeIndex = dimensions.map { d in Dictionary(uniqueKeysWithValues: d.codes.enumerated().map { ($1, $0) }) }
        let sizes = dimensions.map(\.codes.count)
        var strides = Array(repeating: 1, count: sizes.count)
        for d in stride(from: sizes.count - 2, through: 0, by: -1) { strides[d] = strides[d + 1] * sizes[d + 1] }
        let count = sizes.reduce(1, *)
        var input: [CellEvidence?] = Array(repeating: nil, count: count)
        var inputLine = Array(repeating: 0, count: count)
        for (key, entry) in given {
            guard key.count == dimensions.count else {
                throw DisclosureError.table(source: source, line: entry.line, reason: "expected \(dimensions.count) codes, found \(key.count)")
            }
            var flat = 0
            for (d, code) in key.enumerated() {
                guard let i = codeIndex[d][code] else {
                    throw DisclosureError.table(
                        source: source, line: entry.line, reason: "unknown code '\(code)' for dimension \(dimensions[d].name)")
                }
                flat += i * strides[d]
            }
            input[flat] = entry.evidence
            inputLine[flat] = entry.line
        }
        func decode(_ flat: Int) -> [Int] { (0..<sizes.count).map { (flat / strides[$0]) % sizes[$0] } }
        // Children per dimension as code indices; leaf = no children.
        let kids: [[[Int]]] = dimensions.enumerated().map { d, dim in
            dim.codes.map { code in (dim.children[code] ?? []).map { codeIndex[d][$0]! } }
        }
        var computed: [CellEvidence?] = Array(repeating: nil, count: count)
        var cells: [Cell] = []
        cells.reserveCapacity(count)
        // Evaluate with an explicit stack so deep hierarchies do not recurse.
        func evidence(_ root: Int) throws -> CellEvidence {
            if let done = computed[root] { return done }
            var stack = [root]
            while let flat = stack.last {
                if computed[flat] != nil { stack.removeLast(); continue }
                let coords = decode(flat)
                guard let d = coords.indices.first(where: { !kids[$0][coords[$0]].isEmpty }) else {
                    computed[flat] = input[flat] ?? CellEvidence(units: 0, value: 0)
                    stack.removeLast()
                    continue
                }
                let partFlats = kids[d][coords[d]].map { flat + ($0 - coords[d]) * strides[d] }
                let pending = partFlats.filter { computed[$0] == nil }
                if !pending.isEmpty { stack.append(contentsOf: pending); continue }
                var sum = CellEvidence(units: 0, value: 0)
                for part in partFlats { sum = sum.adding(computed[part]!) }
                if let given = input[flat] {
                    let tolerance = 1e-9 * max(1, abs(sum.value))
                    guard abs(given.value - sum.value) <= tolerance else {
                        let names = zip(dimensions, coords).map { "\($0.name)=\($0.codes[$1])" }.joined(separator: ", ")
                        throw DisclosureError.table(
                            source: source, line: inputLine[flat],
                            reason: "cell \(names) is \(given.value) but its parts along \(dimensions[d].name) sum to \(sum.value)")
                    }
                    var merged = given
                    if merged.topContributions.isEmpty { merged.topContributions = sum.topContributions }
                    merged.hasNegative = merged.hasNegative || sum.hasNegative
                    computed[flat] = merged
                } else {
                    computed[flat] = sum
                }
                stack.removeLast()
            }
            return computed[root]!
        }
        var relations: [Relation] = []
        for flat in 0..<count {
            let coords = decode(flat)
            let key = zip(dimensions, coords).map { $0.codes[$1] }
            let inner = coords.indices.allSatisfy { kids[$0][coords[$0]].isEmpty }
            cells.append(Cell(
                key: key, evidence: try evidence(flat), isInner: inner,
                structuralZero: structuralZeros.contains(key), fromInput: input[flat] != nil))
            for d in coords.indices where !kids[d][coords[d]].isEmpty {
                relations.append(Relation(
                    total: flat, parts: kids[d][coords[d]].map { flat + ($0 - coords[d]) * strides[d] }))
            }
        }
        return ProtectionTable(dimensions: dimensions, cells: cells, relations: relations)
    }

    /// The inner cell holding the only unit of cell `i`, or `nil` unless `i` has exactly one unit.
    ///
    /// Units are disjoint across the inner cells of one cross-classification, so a one-unit subtotal or
    /// margin has exactly one non-empty inner cell beneath it: the respondent's own cell.
    public func soleUnitCell(of i: Int) -> Int? {
        guard cells[i].evidence.units == 1 else { return nil }
        var current = i
        var steps = 0
        while !cells[current].isInner {
            guard let r = relationsOfCell[current].first(where: { relations[$0].total == current }),
                let next = relations[r].parts.first(where: { cells[$0].evidence.units > 0 }), steps <= cells.count
            else { return nil }
            current = next
            steps += 1
        }
        return current
    }

    /// Whether every unit of cell `t` is the single unit of the one-unit cell `s`: the respondent behind
    /// `s` then knows `t` exactly (it is their own value), so `t` cannot, and need not, be protected
    /// against them. Protection of `t` against everybody else is unaffected.
    public func isOwnedBySingleton(_ t: Int, singleton s: Int) -> Bool {
        guard let a = soleUnitCell(of: s), let b = soleUnitCell(of: t) else { return false }
        return a == b
    }

    /// What the respondent behind the one-unit cell `s` contributes to cell `p` in `measure`, and so knows
    /// of it: `s`'s whole amount when its unit's inner cell lies beneath `p` (or is `p`), otherwise 0.
    ///
    /// Against that respondent `p` can be no smaller than this share (contributions are non-negative), so
    /// only the rest of `p`, the other respondents' part, can be protected from them.
    public func singletonShare(of s: Int, in p: Int, _ measure: Measure) -> Double {
        guard let atom = soleUnitCell(of: s), lies(atom, beneath: p) else { return 0 }
        return amount(s, measure)
    }

    /// Whether the respondents behind the one-unit cells of `coalition` together are every unit of `t`:
    /// they then know `t` exactly (for one singleton, ``isOwnedBySingleton(_:singleton:)``).
    public func isKnown(_ t: Int, toCoalition coalition: [Int]) -> Bool {
        let atoms = Set(coalition.compactMap { soleUnitCell(of: $0) })
        guard !atoms.isEmpty, cells[t].evidence.units <= atoms.count else { return false }
        return atoms.filter { lies($0, beneath: t) }.count == cells[t].evidence.units
    }

    /// What the respondents of `coalition` contribute to cell `p` in `measure` (each respondent once).
    public func coalitionShare(of coalition: [Int], in p: Int, _ measure: Measure) -> Double {
        var byAtom: [Int: Double] = [:]
        for s in coalition {
            guard let atom = soleUnitCell(of: s) else { continue }
            byAtom[atom] = max(byAtom[atom] ?? 0, singletonShare(of: s, in: p, measure))
        }
        return byAtom.values.reduce(0, +)
    }

    /// Whether the inner cell `atom` is `p` or one of the cells summed by `p`.
    func lies(_ atom: Int, beneath p: Int) -> Bool {
        if atom == p { return true }
        let (a, t) = (cells[atom].key, cells[p].key)
        if a.count == dimensions.count, t.count == dimensions.count {
            // A grid: in every dimension the atom's code is the total's code or below it.
            let inGrid = dimensions.indices.allSatisfy { d in
                if a[d] == t[d] { return true }
                var code = a[d], steps = 0
                while let up = parentOfCode[d][code], steps <= dimensions[d].codes.count {
                    if up == t[d] { return true }
                    code = up
                    steps += 1
                }
                return false
            }
            if inGrid { return true }
        }
        // Otherwise (a cell defined by its own relations, such as a rate numerator) walk down the relations
        // that define p.
        var stack = [p], seen: Set<Int> = [p]
        while let c = stack.popLast() {
            for r in relationsOfCell[c] where relations[r].total == c {
                for part in relations[r].parts where !seen.contains(part) {
                    if part == atom { return true }
                    seen.insert(part)
                    stack.append(part)
                }
            }
        }
        return false
    }

    /// A readable name of cell `i`, such as `region=A, gender=female`.
    public func name(of i: Int) -> String {
        zip(dimensions, cells[i].key).map { "\($0.name)=\($1)" }.joined(separator: ", ")
    }

    /// Slack allowed on relation `r` in LPs: 0 for whole numbers, else 1e-9 of its cells' total size, so
    /// totals read from decimal text that differ from the sum of their parts in the last bits stay feasible.
    public func slack(_ r: Int, _ measure: Measure) -> Double {
        if measure == .count || integralValues { return 0 }
        let relation = relations[r]
        return 1e-9 * max(1, abs(amount(relation.total, measure)) + relation.parts.reduce(0) { $0 + abs(amount($1, measure)) })
    }

    /// The cell's value in `measure`.
    public func amount(_ i: Int, _ measure: Measure) -> Double {
        measure == .count ? Double(cells[i].evidence.units) : cells[i].evidence.value
    }
}
