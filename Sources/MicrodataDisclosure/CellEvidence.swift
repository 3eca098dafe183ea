/// What the primary rules need to know about one published cell.
public struct CellEvidence: Sendable, Hashable, Codable {
    /// Unweighted count of distinct contributing units (persons or households, not rows, not weights).
    public var units: Int
    /// The published value: a count, weighted count or magnitude total.
    public var value: Double
    /// The largest unit-level contributions, descending (empty when the table has no microdata behind it;
    /// dominance is then not assessed).
    public var topContributions: [Double]
    /// Whether any unit contribution is negative (dominance undefined: the cell goes to review).
    public var hasNegative: Bool

    public init(units: Int, value: Double, topContributions: [Double] = [], hasNegative: Bool = false) {
        self.units = units
        self.value = value
        self.topContributions = topContributions
        self.hasNegative = hasNegative
    }

    /// How many of the largest contributions are kept per cell.
    public static let keptContributions = 4

    /// Evidence for a cell whose units are independent of those of `other` (cells of one
    /// cross-classification), as for a margin built from its parts.
    public func adding(_ other: CellEvidence) -> CellEvidence {
        var merged = (topContributions + other.topContributions).sorted(by: >)
        if merged.count > Self.keptContributions { merged.removeLast(merged.count - Self.keptContributions) }
        return CellEvidence(
            units: units + other.units, value: value + other.value, topContributions: merged,
            hasNegative: hasNegative || other.hasNegative)
    }
}

/// One row of microdata contributing to a magnitude cell.
public struct Contribution: Sendable, Hashable {
    /// The unit (person or household) the value belongs to; rows of the same unit are added together.
    public var unit: String
    public var value: Double
    public var weight: Double

    public init(unit: String, value: Double, weight: Double = 1) {
        self.unit = unit
        self.value = value
        self.weight = weight
    }
}

extension CellEvidence {
    /// Aggregates rows to units (summing each unit's values) and builds the cell's evidence.
    ///
    /// With `weighted`, each unit counts as `weight` copies of its value (tau-ARGUS convention,
    /// manual §4.4.4): the cell value is `Σ w·v` and the top contributions are taken copy by copy.
    /// The unit's weight is the weight of its first row. `units` is always the unweighted distinct count.
    public static func aggregate(_ rows: [Contribution], weighted: Bool = false) -> CellEvidence {
        var order: [String] = []
        var totals: [String: (value: Double, weight: Double)] = [:]
        var negative = false
        for row in rows {
            if row.value < 0 { negative = true }
            if let existing = totals[row.unit] {
                totals[row.unit] = (existing.value + row.value, existing.weight)
            } else {
                order.append(row.unit)
                totals[row.unit] = (row.value, row.weight)
            }
        }
        let units = order.map { totals[$0]! }.sorted { $0.value > $1.value }
        var value = 0.0
        var top: [Double] = []
        for unit in units {
            let copies = weighted ? unit.weight : 1
            value += copies * unit.value
            var remaining = copies
            while remaining > 0, top.count < keptContributions {
                // A fractional last copy contributes its fraction of the value.
                top.append(unit.value * min(remaining, 1))
                remaining -= 1
            }
        }
        return CellEvidence(units: units.count, value: value, topContributions: top, hasNegative: negative)
    }
}
