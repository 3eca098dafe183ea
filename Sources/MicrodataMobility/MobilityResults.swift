/// Mobility tables for every group, with differences between groups.
public struct MobilityResults: Sendable, Hashable, Codable {
    /// Class labels, highest first.
    public var classes: [String]
    /// One table per group, in the order of `CellTotals`' groups.
    public var tables: [MobilityTable]
    /// Differences in the absolute rates between every pair of groups, with SEs that use the covariance
    /// between groups (they share PSUs).
    public var differences: [GroupDifference]
    public var level: Double
    public var degreesOfFreedom: Double
    /// The number of imputations combined by Rubin's rules; `nil` for one dataset.
    public var imputations: Int? = nil
}

/// `groupA − groupB` for one measure.
public struct GroupDifference: Sendable, Hashable, Codable {
    public var measure: String
    public var groupA: String
    public var groupB: String
    public var difference: MobilityEstimate
}

extension CellTotals {
    /// Every mobility measure for every group, and the differences in absolute rates between groups.
    ///
    /// - Parameters:
    ///   - classes: class labels, highest first (`classCount` of them).
    ///   - groups: group names (`groupCount` of them).
    ///   - direction: the direction of each move; ``defaultDirections(classCount:)`` by default.
    ///   - level: the confidence level.
    public func mobilityResults(
        classes: [String], groups: [String], direction: [[MoveDirection]]? = nil, level: Double = 0.95
    ) -> MobilityResults {
        precondition(classes.count == classCount && groups.count == groupCount, "labels match the totals")
        let direction = direction ?? defaultDirections(classCount: classCount)
        let tables = (0..<groupCount).map {
            mobilityTable(group: $0, name: groups[$0], direction: direction, level: level)
        }
        var differences: [GroupDifference] = []
        if groupCount > 1 {
            for name in ["immobile", "mobile", "upward", "downward"] {
                for a in 0..<groupCount {
                    for b in (a + 1)..<groupCount {
                        guard
                            let (ea, ga) = shareEstimate(
                                rateCells(name, group: a, direction: direction), of: groupCells(a), level: level),
                            let (eb, gb) = shareEstimate(
                                rateCells(name, group: b, direction: direction), of: groupCells(b), level: level)
                        else { continue }
                        var estimate = measure(
                            ea.estimate - eb.estimate, ga.subtracting(gb), shape: .wald, level: level,
                            numerator: (min(ea.numeratorCount, eb.numeratorCount), min(ea.numeratorUnits, eb.numeratorUnits)),
                            denominator: (min(ea.denominatorCount, eb.denominatorCount),
                                          min(ea.denominatorUnits, eb.denominatorUnits)))
                        estimate.estimate = ea.estimate - eb.estimate
                        differences.append(
                            GroupDifference(measure: name, groupA: groups[a], groupB: groups[b], difference: estimate))
                    }
                }
            }
        }
        return MobilityResults(
            classes: classes, tables: tables, differences: differences, level: level,
            degreesOfFreedom: degreesOfFreedom)
    }
}
