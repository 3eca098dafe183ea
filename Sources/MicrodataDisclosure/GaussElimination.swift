/// Singleton-aware Gaussian elimination (the GaussSuppression idea, docs/disclosure.md §2.3 step 2):
/// no primary, and no sum of a singleton with another primary of the same relation, may be a linear
/// combination of published cells.
///
/// Every published cell is a 0/1 vector over the inner cells (atoms). Candidates are visited in
/// preference order (most wanted published first); a candidate is published unless adding it to the
/// span of published cells would put a primary in that span, in which case it becomes secondary.
/// Exact rational arithmetic on sparse vectors kept in echelon form (pivot = smallest atom).
struct GaussElimination {
    typealias Vector = [(atom: Int, value: Rational)]

    let table: ProtectionTable

    /// Returns the secondaries. `order` lists every non-primary cell, most preferred to publish first;
    /// `forced` cells are published whatever happens.
    func run(primaries: [Int], singletons: Set<Int>, order: [Int], forced: Set<Int>) throws -> Set<Int> {
        let atoms = try atomVectors()
        var targets: [Vector] = primaries.map { atoms[$0] }
        // Virtual primaries: a singleton plus another primary in one relation (tau-ARGUS §2.10).
        var pairs = Set<[Int]>()
        for s in singletons {
            for r in table.relationsOfCell[s] {
                let relation = table.relations[r]
                // A primary whose only unit is the singleton's own is known to it anyway: no virtual cell.
                for p in [relation.total] + relation.parts
                where p != s && primaries.contains(p) && !table.isOwnedBySingleton(p, singleton: s) {
                    pairs.insert([min(s, p), max(s, p)])
                }
            }
        }
        for pair in pairs.sorted(by: { $0.lexicographicallyPrecedes($1) }) {
            targets.append(try add(atoms[pair[0]], atoms[pair[1]], scale: Rational(1)))
        }
        var basis: [Int: Vector] = [:]
        var residuals = try targets.map { try reduce($0, basis) }
        if residuals.contains(where: \.isEmpty) {
            throw DisclosureError.unprotectable(cell: "primary", reason: "a primary is an empty combination of atoms")
        }
        var secondaries = Set<Int>()
        for c in order {
            let r = try reduce(atoms[c], basis)
            guard let pivot = r.first else { continue }  // already determined by published cells
            var updated: [Int: Vector] = [:]
            var discloses = false
            for (k, q) in residuals.enumerated() where q.first?.atom == pivot.atom {
                let factor = try q[0].value.dividedBy(pivot.value)
                let reduced = try reduce(try add(q, r, scale: Rational(0).minus(factor)), basis)
                if reduced.isEmpty {
                    discloses = true
                    break
                }
                updated[k] = reduced
            }
            if discloses && !forced.contains(c) {
                secondaries.insert(c)
                continue
            }
            basis[pivot.atom] = r
            for k in residuals.indices where residuals[k].first?.atom == pivot.atom {
                residuals[k] = try updated[k] ?? reduce(residuals[k], basis)
            }
        }
        return secondaries
    }

    /// Each cell as the sorted list of atoms (inner cells) it sums.
    private func atomVectors() throws -> [Vector] {
        var atomIndex: [Int: Int] = [:]
        for (i, cell) in table.cells.enumerated() where cell.isInner { atomIndex[i] = atomIndex.count }
        var memo: [Int: [Int]] = [:]
        // A relation giving each non-inner cell as a sum of parts.
        var definition: [Int: [Int]] = [:]
        for relation in table.relations where definition[relation.total] == nil {
            definition[relation.total] = relation.parts
        }
        func expand(_ i: Int) throws -> [Int] {
            if let done = memo[i] { return done }
            if let a = atomIndex[i] { return [a] }
            guard let parts = definition[i] else {
                throw DisclosureError.table(source: "model", line: nil, reason: "cell \(table.name(of: i)) is neither inner nor a total")
            }
            var result: [Int] = []
            for part in parts { result += try expand(part) }
            result.sort()
            memo[i] = result
            return result
        }
        return try table.cells.indices.map { try expand($0).map { ($0, Rational(1)) } }
    }

    /// `a + scale·b`, sorted by atom, without zeros.
    private func add(_ a: Vector, _ b: Vector, scale: Rational) throws -> Vector {
        var out: Vector = []
        out.reserveCapacity(a.count + b.count)
        var i = 0, j = 0
        while i < a.count || j < b.count {
            if j == b.count || (i < a.count && a[i].atom < b[j].atom) {
                out.append(a[i]); i += 1
            } else {
                let term = try b[j].value.times(scale)
                if i < a.count && a[i].atom == b[j].atom {
                    let sum = try a[i].value.minus(Rational(0).minus(term))
                    if !sum.isZero { out.append((a[i].atom, sum)) }
                    i += 1
                } else if !term.isZero {
                    out.append((b[j].atom, term))
                }
                j += 1
            }
        }
        return out
    }

    /// Reduces `v` until its smallest atom is not a pivot (or `v` is zero).
    private func reduce(_ v: Vector, _ basis: [Int: Vector]) throws -> Vector {
        var v = v
        while let first = v.first, let row = basis[first.atom] {
            v = try add(v, row, scale: Rational(0).minus(try first.value.dividedBy(row[0].value)))
        }
        return v
    }
}
