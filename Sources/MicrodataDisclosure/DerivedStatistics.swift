import MicrodataWeighting
import MicrodataWrite

/// A statistic computed from checked estimates: a contrast or a test.
///
/// It is released only when every estimate it is computed from is published: a difference between a published
/// cell and a suppressed one would give the suppressed one away by subtraction, and a test over a table with a
/// hidden cell would rest on it.
public struct DerivedStatistic: Sendable, Hashable {
    /// The values, keyed by column.
    public var fields: [String: TableValue]
    /// The rows (cells) of the checked estimates it is computed from.
    public var uses: [Int]

    public init(fields: [String: TableValue], uses: [Int]) {
        self.fields = fields
        self.uses = uses
    }

    /// The columns of a contrast withheld with it.
    public static let contrastValues: Set<String> = ["estimate", "se", "ci_low", "ci_high", "df"]
    /// The columns of a table of tests.
    public static let testHeader = [
        "test", "variables", "statistic", "value", "ndf", "ddf", "p_value", "estimate", "se", "ci_low", "ci_high",
        "status",
    ]
    /// The columns of a test withheld with it.
    public static let testValues: Set<String> = ["value", "ndf", "ddf", "p_value", "estimate", "se", "ci_low", "ci_high"]

    /// The rows of R `svychisq`'s statistics (`F`, `Chisq`, `Wald`, `adjWald`) for `variables` "A,B";
    /// `designDF` is the Wald statistic's denominator df.
    public static func independence(_ t: IndependenceTable, variables: String, designDF: Double) -> [DerivedStatistic] {
        let s = t.test
        func row(_ statistic: String, _ value: Double?, ndf: Double?, ddf: Double?, p: Double?) -> DerivedStatistic {
            let number = { (x: Double?) in x.map(TableValue.number) ?? .missing }
            return DerivedStatistic(fields: [
                "test": .text("chisq"), "variables": .text(variables), "statistic": .text(statistic),
                "value": number(value), "ndf": number(ndf), "ddf": number(ddf), "p_value": number(p),
            ], uses: t.cells)
        }
        return [
            row("F", s.f, ndf: s.numeratorDF, ddf: s.denominatorDF, p: s.pValue),
            row("Chisq", s.pearson, ndf: s.chiSquareDF, ddf: nil, p: s.chiSquarePValue),
            row("Wald", s.waldF, ndf: s.chiSquareDF, ddf: designDF, p: s.waldPValue),
            row("adjWald", s.adjustedWaldF, ndf: s.chiSquareDF, ddf: s.adjustedWaldDenominatorDF, p: s.adjustedWaldPValue),
        ]
    }

    /// The row of a t-test `variables` "Y:G" of the difference between the means in cells `uses`.
    public static func tTest(_ t: DesignTTest, variables: String, uses: [Int]) -> DerivedStatistic {
        DerivedStatistic(fields: [
            "test": .text("ttest"), "variables": .text(variables), "statistic": .text("t"), "value": .number(t.t),
            "ddf": .number(t.degreesOfFreedom), "p_value": .number(t.pValue), "estimate": .number(t.estimate),
            "se": .number(t.standardError), "ci_low": .number(t.ciLow), "ci_high": .number(t.ciHigh),
        ], uses: uses)
    }

    /// The row of contrast `name` of `variable`: its estimate, SE, interval `estimate ± critical × se` and df.
    public static func contrast(
        name: String, variable: String, estimate: Double, standardError se: Double, critical: Double, df: Double,
        uses: [Int]
    ) -> DerivedStatistic {
        DerivedStatistic(fields: [
            "statistic": .text("contrast"), "variable": .text(variable), "level": .text(name),
            "estimate": .number(estimate), "se": .number(se), "ci_low": .number(estimate - critical * se),
            "ci_high": .number(estimate + critical * se), "df": .number(df),
        ], uses: uses)
    }
}

extension CheckedEstimates {
    /// Whether row `i`'s estimate is published: not suppressed, and no marker (`[c]` or unreliable) in its place.
    public func isPublished(row i: Int) -> Bool {
        guard i >= 0, i < records.rows.count, !statuses[i].isSuppressed else { return false }
        guard let e = records.value(i, "estimate") else { return true }
        return !e.isMarker && e != .missing
    }

    /// These estimates with `derived` appended as rows (a column a statistic has no field for is missing).
    /// `valueColumns` are the fields withheld (the marker) when a statistic uses an unpublished row.
    public func appending(_ derived: [DerivedStatistic], valueColumns: Set<String>) -> CheckedEstimates {
        let (rows, extraStatuses) = render(derived, columns: records.columns, valueColumns: valueColumns)
        return with(rows: records.rows + rows, statuses: statuses + extraStatuses)
    }

    /// A table of `derived` statistics titled `title` under `columns`, in place of these estimates (their audit
    /// and stamp kept).
    public func derivedTable(
        title: String, columns: [String], _ derived: [DerivedStatistic], valueColumns: Set<String>
    ) -> CheckedEstimates {
        let (rows, extraStatuses) = render(derived, columns: columns, valueColumns: valueColumns)
        var out = with(columns: columns, rows: rows, statuses: extraStatuses)
        out.tableTitle = title
        return out
    }

    /// The covariance matrix of the published estimates among `estimates`' cells (a suppressed or withheld one
    /// has no row), labelled as contrasts name them.
    public func publishedCovariance(_ estimates: Estimates) throws -> PublishedCovariance {
        let cells = estimates.table.cells.indices.filter { isPublished(row: $0) }
        return PublishedCovariance(
            labels: cells.map { ContrastSpec.label(of: estimates.table.cells[$0]) },
            covariance: try estimates.covarianceMatrix(cells), stamp: stamp)
    }

    private func render(_ derived: [DerivedStatistic], columns: [String], valueColumns: Set<String>)
        -> ([[TableValue]], [CellStatus])
    {
        var rows: [[TableValue]] = []
        var out: [CellStatus] = []
        for d in derived {
            let released = d.uses.allSatisfy(isPublished(row:))
            let status: CellStatus = stamp != nil ? .review("not-checked") : (released ? .safe : .secondary)
            rows.append(columns.map { column in
                if column == "status" { return .text(stamp != nil ? "not-checked" : status.label) }
                if !released && valueColumns.contains(column) { return .marker(CheckedTable.marker) }
                return d.fields[column] ?? .missing
            })
            out.append(status)
        }
        return (rows, out)
    }
}
