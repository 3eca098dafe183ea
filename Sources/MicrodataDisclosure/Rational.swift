/// An exact fraction of 64-bit integers; every operation checks for overflow.
struct Rational: Hashable {
    let numerator: Int64
    let denominator: Int64

    static let zero = Rational(0)
    init(_ value: Int64) { numerator = value; denominator = 1 }

    init(_ n: Int64, _ d: Int64) throws {
        precondition(d != 0)
        var g = Self.gcd(n.magnitude, d.magnitude)
        if g == 0 { g = 1 }
        var n = n / Int64(g), d = d / Int64(g)
        if d < 0 {
            guard n != .min, d != .min else { throw DisclosureError.arithmeticOverflow("negating \(n)/\(d)") }
            n = -n; d = -d
        }
        numerator = n
        denominator = d
    }

    var isZero: Bool { numerator == 0 }

    private static func gcd(_ a: UInt64, _ b: UInt64) -> UInt64 {
        var (a, b) = (a, b)
        while b != 0 { (a, b) = (b, a % b) }
        return a
    }

    private static func multiply(_ a: Int64, _ b: Int64) throws -> Int64 {
        let (r, o) = a.multipliedReportingOverflow(by: b)
        if o { throw DisclosureError.arithmeticOverflow("\(a) × \(b)") }
        return r
    }

    func minus(_ other: Rational) throws -> Rational {
        let (d, o) = denominator.multipliedReportingOverflow(by: other.denominator)
        if o { throw DisclosureError.arithmeticOverflow("denominator \(denominator) × \(other.denominator)") }
        let (n, o2) = try Self.multiply(numerator, other.denominator)
            .subtractingReportingOverflow(try Self.multiply(other.numerator, denominator))
        if o2 { throw DisclosureError.arithmeticOverflow("numerator") }
        return try Rational(n, d)
    }

    func times(_ other: Rational) throws -> Rational {
        try Rational(
            try Self.multiply(numerator, other.numerator), try Self.multiply(denominator, other.denominator))
    }

    func dividedBy(_ other: Rational) throws -> Rational {
        try Rational(
            try Self.multiply(numerator, other.denominator), try Self.multiply(denominator, other.numerator))
    }
}

/// Exact-disclosure check: which unknowns of an integer linear system `A y = b` are determined.
///
/// Sparse Gauss–Jordan elimination over the rationals: `y_s` is determined iff the unit vector `e_s`
/// lies in the row space of `A`, i.e. the reduced row with pivot `s` has no other entry.
enum ExactDisclosure {
    /// `rows` are sparse rows over unknowns `0..<unknowns` with integer coefficients.
    static func determined(rows: [[(Int, Int64)]], unknowns: Int) throws -> Set<Int> {
        var pivotRow: [Int: [Int: Rational]] = [:]
        var rowsWith: [Int: Set<Int>] = [:]  // column → pivots of rows having an entry there
        for raw in rows {
            var row: [Int: Rational] = [:]
            for (j, c) in raw where c != 0 {
                let sum = try (row[j] ?? .zero).minus(Rational(-c))
                row[j] = sum.isZero ? nil : sum
            }
            // Reduce by existing pivots.
            for j in row.keys.sorted() {
                guard let factor = row[j], let pr = pivotRow[j] else { continue }
                for (k, v) in pr {
                    let updated = try (row[k] ?? .zero).minus(try factor.times(v))
                    row[k] = updated.isZero ? nil : updated
                }
            }
            guard let pivot = row.keys.filter({ pivotRow[$0] == nil }).min() else { continue }
            let scale = row[pivot]!
            for (k, v) in row { row[k] = try v.dividedBy(scale) }
            // Eliminate the new pivot from earlier rows.
            for other in rowsWith[pivot] ?? [] {
                var r = pivotRow[other]!
                guard let factor = r[pivot] else { continue }
                for (k, v) in row {
                    let updated = try (r[k] ?? .zero).minus(try factor.times(v))
                    if updated.isZero {
                        r[k] = nil
                        rowsWith[k]?.remove(other)
                    } else {
                        if r[k] == nil { rowsWith[k, default: []].insert(other) }
                        r[k] = updated
                    }
                }
                pivotRow[other] = r
            }
            rowsWith[pivot] = nil
            pivotRow[pivot] = row
            for k in row.keys where k != pivot { rowsWith[k, default: []].insert(pivot) }
        }
        return Set(pivotRow.filter { $0.value.count == 1 }.keys)
    }
}
