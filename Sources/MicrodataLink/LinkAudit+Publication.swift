import MicrodataWrite

extension LinkAudit {
    /// The stamp of a link audit: counts of the records joined, for the analyst, not for release.
    public static let stamp = "\(OutputAudit.notControlled): linkage diagnostics (counts of records), not a statistical output"

    /// The audit as a publication, for every writer: a table `steps` with each join's row counts (one record
    /// per step), and a table `match-rates` with each step's overall match rate of the left rows and its rate at
    /// every `--audit-by` level, `flag` set where it differs from the overall rate by more than `flagPoints`
    /// percentage points. Renamed columns and warnings are notes. The publication carries ``stamp``: the counts
    /// are of the data, not checked for release.
    public func publication(source: String, version: String?, flagPoints: Double = 5) -> Publication {
        var stepRecords: [[TableValue]] = []
        var stepGrid: [PublishedRow] = []
        var rateRecords: [[TableValue]] = []
        var rateGrid: [PublishedRow] = []
        var notes: [String] = []
        for (k, s) in steps.enumerated() {
            let step = k + 1
            let counts = [
                s.left.rows, s.left.matched, s.left.unmatched, s.left.duplicateKeys, s.left.missingKeys,
                s.right.rows, s.right.matched, s.right.unmatched, s.right.duplicateKeys, s.right.missingKeys, s.outputRows,
            ]
            stepRecords.append(
                [.number(Double(step)), .text(s.with), .text(s.keys.joined(separator: ",")),
                 .text(s.rightKeys.joined(separator: ",")), .text(s.how.rawValue)] + counts.map { .number(Double($0)) })
            stepGrid.append(PublishedRow(
                label: "\(step): \(s.with)", cells: counts.map { PublishedCell(estimate: Double($0)) }))
            let rate = s.left.rows == 0 ? 0 : Double(s.left.matched) / Double(s.left.rows)
            func add(variable: String?, level: String?, rows: Int, matched: Int, levelRate: Double) {
                let flagged = variable != nil && abs(levelRate - rate) * 100 > flagPoints
                rateRecords.append([
                    .number(Double(step)), .text(s.with), variable.map(TableValue.text) ?? .missing,
                    level.map(TableValue.text) ?? .missing, .number(Double(rows)), .number(Double(matched)),
                    .number(levelRate), flagged ? .text("differs by more than \(Self.points(flagPoints)) points") : .missing,
                ])
                let label = variable.map { "\(step): \(s.with), \($0) = \(level ?? "")" } ?? "\(step): \(s.with), all rows"
                rateGrid.append(PublishedRow(
                    label: label, cells: [PublishedCell(estimate: levelRate * 100, unweightedCount: rows)]))
            }
            add(variable: nil, level: nil, rows: s.left.rows, matched: s.left.matched, levelRate: rate)
            for (variable, levels) in s.matchRateBy.sorted(by: { $0.key < $1.key }) {
                for l in levels { add(variable: variable, level: l.level, rows: l.rows, matched: l.matched, levelRate: l.rate) }
            }
            for (from, to) in s.renamed.sorted(by: { $0.key < $1.key }) {
                notes.append("Step \(step) (\(s.with)): right column \(from) is written as \(to) (the name is taken).")
            }
            for w in s.warnings { notes.append("Step \(step) (\(s.with)): \(w)") }
        }
        // Grid headings (XLSX and HTML add the unit: "left matched (rows)") and the records' column names.
        let stepColumns = [
            "left", "left matched", "left unmatched", "left duplicate keys", "left missing keys", "right", "right matched",
            "right unmatched", "right duplicate keys", "right missing keys", "output",
        ]
        let countColumns = [
            "left_rows", "left_matched", "left_unmatched", "left_duplicate_keys", "left_missing_keys", "right_rows",
            "right_matched", "right_unmatched", "right_duplicate_keys", "right_missing_keys", "output_rows",
        ]
        let stepsTable = PublishedTable(
            id: "steps", title: "Rows matched at each step of the link", unit: "Rows (unweighted)",
            rowHeading: "Step", columns: stepColumns, rows: stepGrid, decimals: 0,
            records: PublishedRecords(columns: ["step", "with", "keys", "right_keys", "how"] + countColumns, rows: stepRecords))
        let ratesTable = PublishedTable(
            id: "match-rates", title: "Match rate of the left rows, overall and by level",
            unit: "Percentage of the left rows matched", rowHeading: "Step, level", columns: ["match rate (%)"],
            rows: rateGrid, decimals: 1,
            records: PublishedRecords(
                columns: ["step", "with", "variable", "level", "rows", "matched", "rate", "flag"], rows: rateRecords))
        return Publication(
            title: "Link audit", source: source, tables: [stepsTable, ratesTable], notes: notes,
            metadata: [MetadataItem("Steps", "\(steps.count)")], uncheckedStamp: Self.stamp, version: version)
    }

    private static func points(_ x: Double) -> String { x == x.rounded() ? String(Int(x)) : String(x) }
}
