/// A statistic computed from estimates of a checked table: a contrast, a test, a covariance.
///
/// It is released only when every estimate it is computed from is published in the checked table: a
/// difference between a published cell and a suppressed one would give the suppressed one away by
/// subtraction, and a test over a table with a hidden cell would rest on it.
public struct DerivedStatistic: Sendable, Hashable {
    /// The rendered fields, keyed by column.
    public var fields: [String: String]
    /// The rows (cells) of the checked table it is computed from.
    public var uses: [Int]

    public init(fields: [String: String], uses: [Int]) {
        self.fields = fields
        self.uses = uses
    }
}

extension CheckedTable {
    /// Whether row `i`'s estimate is published (not suppressed, not withheld).
    public func isPublished(row i: Int) -> Bool {
        guard i >= 0, i < rows.count, !statuses[i].isSuppressed else { return false }
        guard let e = header.firstIndex(of: "estimate") else { return true }
        return rows[i][e] != Self.marker && !rows[i][e].isEmpty
    }

    /// This table with `derived` appended as rows (same header; a missing field is empty).
    /// `valueColumns` are the fields withheld (the marker) when a statistic uses an unpublished row.
    public func appending(_ derived: [DerivedStatistic], valueColumns: Set<String>) -> CheckedTable {
        let (extra, extraStatuses) = render(derived, header: header, valueColumns: valueColumns)
        return CheckedTable(header: header, rows: rows + extra, statuses: statuses + extraStatuses, audit: audit,
                            stamp: stamp)
    }

    /// A separate table of `derived` statistics under `header`, with this table's audit and stamp.
    public func derivedTable(header: [String], _ derived: [DerivedStatistic], valueColumns: Set<String>) -> CheckedTable {
        let (extra, extraStatuses) = render(derived, header: header, valueColumns: valueColumns)
        return CheckedTable(header: header, rows: extra, statuses: extraStatuses, audit: audit, stamp: stamp)
    }

    private func render(_ derived: [DerivedStatistic], header: [String], valueColumns: Set<String>)
        -> ([[String]], [CellStatus])
    {
        var out: [[String]] = []
        var outStatuses: [CellStatus] = []
        for d in derived {
            let released = d.uses.allSatisfy(isPublished(row:))
            let status: CellStatus = stamp != nil ? .review("not-checked") : (released ? .safe : .secondary)
            out.append(header.map { column in
                if column == "status" { return status.label }
                if !released && valueColumns.contains(column) { return Self.marker }
                return d.fields[column] ?? ""
            })
            outStatuses.append(status)
        }
        return (out, outStatuses)
    }
}
