/// What a pool did: rows read and dropped per period, columns missing from some inputs, and the design to use.
public struct PoolReport: Sendable {
    /// One period: rows read and rows of repeated persons dropped (kept in another period).
    public struct Period: Sendable, Hashable {
        public var label: String
        public var rows: Int
        public var dropped: Int
        public var kept: Int { rows - dropped }
    }

    /// An input lacking columns of others (only with ``PoolSpec/union``): written as missing there.
    public struct Lacking: Sendable, Hashable {
        public var file: String
        public var columns: [String]
    }

    /// The periods in order (earliest first).
    public var periods: [Period]
    public var lacking: [Lacking]
    let spec: PoolSpec

    /// The rows written.
    public var rows: Int { periods.reduce(0) { $0 + $1.kept } }

    /// The `tabulate` design options for the pooled file: its weight, and its period × stratum strata (the periods
    /// are independent samples). With `psu`, the clusters nested in those strata (ids may repeat across periods).
    public func designFlags(psu: String? = nil) -> [String] {
        ["--weight", PoolSpec.weightColumn, "--strata", PoolSpec.stratumColumn] + (psu.map { ["--psu", $0, "--nest"] } ?? [])
    }

    /// Lines for stderr: one per period, the columns written as missing, and how the weight was made.
    public var summary: [String] {
        var lines = periods.map { p in
            "period \(p.label): \(p.rows) rows, \(p.dropped) dropped as repeated persons (kept in another period), \(p.kept) kept"
        }
        for l in lacking {
            lines.append("\(l.file): lacks \(l.columns.joined(separator: ", ")); written as missing for its rows")
        }
        let weight = spec.periodWeights == .equal
            ? "\(spec.weight) ÷ \(periods.count) (--period-weights equal: estimates for an average period)"
            : "\(spec.weight) unchanged (--period-weights sum: totals over all \(periods.count) periods)"
        let strata = spec.strata.map { "period × \($0)" } ?? "period"
        lines.append("pooled \(periods.count) periods, \(rows) rows; pool_weight = \(weight); pool_stratum = \(strata)")
        return lines
    }
}
