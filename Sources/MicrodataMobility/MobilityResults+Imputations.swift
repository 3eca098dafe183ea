import MicrodataWeighting

extension MobilityResults {
    /// The results of `m` completed datasets (the same classes and groups) combined measure by measure by
    /// Rubin's rules (``RubinsRules``, R `MIcombine`): each count, share, rate and log odds ratio with its Rubin
    /// df and fraction of missing information, and a Wald interval on t with those df (as `summary.MIresult`;
    /// shares lose their logit intervals). A share undefined in any imputation is undefined. The tests of
    /// independence are not combined (none is published). Bases are the smallest non-zero over the imputations.
    ///
    /// - Throws: ``RubinsRulesError`` for fewer than two results or results of different shapes.
    public static func combiningImputations(_ all: [MobilityResults]) throws(RubinsRulesError) -> MobilityResults {
        guard let first = all.first, all.count >= 2 else { throw .tooFewImputations(all.count) }
        for (k, r) in all.enumerated() where r.tables.count != first.tables.count || r.classes != first.classes
            || r.differences.count != first.differences.count
        {
            throw .sizeMismatch(imputation: k + 1, expected: first.tables.count, found: r.tables.count)
        }
        let level = first.level
        func one(_ values: [MobilityEstimate]) throws(RubinsRulesError) -> MobilityEstimate {
            var out = values[0]
            let r = try RubinsRules.scalar(values.map(\.estimate), standardErrors: values.map(\.standardError), level: level)
            (out.estimate, out.standardError, out.ciLow, out.ciHigh) = (r.estimate, r.standardError, r.ciLow, r.ciHigh)
            (out.degreesOfFreedom, out.fractionMissingInformation, out.imputations) = (r.df, r.fmi, values.count)
            out.numeratorCount = EstimateTable.smallestNonZero(values.map(\.numeratorCount))
            out.denominatorCount = EstimateTable.smallestNonZero(values.map(\.denominatorCount))
            out.numeratorUnits = EstimateTable.smallestNonZero(values.map(\.numeratorUnits))
            out.denominatorUnits = EstimateTable.smallestNonZero(values.map(\.denominatorUnits))
            return out
        }
        func maybe(_ values: [MobilityEstimate?]) throws(RubinsRulesError) -> MobilityEstimate? {
            let given = values.compactMap { $0 }
            return given.count == values.count ? try one(given) : nil
        }
        func grid(_ pick: (MobilityTable) -> [[MobilityEstimate?]], _ g: Int) throws(RubinsRulesError) -> [[MobilityEstimate?]] {
            let k = first.classes.count
            var out: [[MobilityEstimate?]] = []
            for i in 0..<k {
                var row: [MobilityEstimate?] = []
                for j in 0..<k { row.append(try maybe(all.map { pick($0.tables[g])[i][j] })) }
                out.append(row)
            }
            return out
        }
        var out = first
        out.imputations = all.count
        for g in first.tables.indices {
            var t = first.tables[g]
            t.counts = try grid({ $0.counts }, g).map { $0.map { $0! } }
            t.joint = try grid(\.joint, g)
            t.outflow = try grid(\.outflow, g)
            t.inflow = try grid(\.inflow, g)
            for i in t.originTotals.indices {
                t.originTotals[i] = try one(all.map { $0.tables[g].originTotals[i] })
                t.destinationTotals[i] = try one(all.map { $0.tables[g].destinationTotals[i] })
            }
            t.total = try one(all.map { $0.tables[g].total })
            for name in t.rates.keys { t.rates[name] = try maybe(all.map { $0.tables[g].rates[name] }) }
            for o in t.logOddsRatios.indices {
                t.logOddsRatios[o].logOddsRatio = try maybe(all.map { r in
                    r.tables[g].logOddsRatios.first {
                        ($0.originA, $0.originB, $0.destinationA, $0.destinationB)
                            == (t.logOddsRatios[o].originA, t.logOddsRatios[o].originB, t.logOddsRatios[o].destinationA,
                                t.logOddsRatios[o].destinationB)
                    }?.logOddsRatio
                })
            }
            t.independenceTest = nil
            out.tables[g] = t
        }
        for d in first.differences.indices {
            out.differences[d].difference = try one(all.map { $0.differences[d].difference })
        }
        return out
    }
}

extension CellTotals {
    /// The cell totals disclosure control sees for `m` completed datasets: the mean totals and, per cell, the
    /// smallest non-zero count over the imputations, so a cell small in any imputation is small here.
    public static func worstCase(_ all: [CellTotals]) -> CellTotals {
        var out = all[0]
        let m = Double(all.count)
        for c in out.totals.indices {
            out.totals[c] = all.map { $0.totals[c] }.reduce(0, +) / m
            out.unweightedCounts[c] = EstimateTable.smallestNonZero(all.map { $0.unweightedCounts[c] })
            out.unitCounts[c] = EstimateTable.smallestNonZero(all.map { $0.unitCounts[c] })
        }
        return out
    }
}
