extension PublishedTable {
    /// The columns of a grid table's tidy form.
    public static let gridColumns = ["row", "column", "estimate", "se", "ci_low", "ci_high", "n", "flag", "status"]

    /// The tidy form: ``records`` when set, else one record per grid cell: `row` and `column` (their codes, with
    /// `row_label` and `column_label` beside them when the table has codes), then the numbers. A marked cell has its marker as the
    /// estimate and as the flag and no other number; `status` is `suppressed`, `not-available`, `withheld-unreliable`,
    /// `review:<reason>`, `published`, or `not-checked` when `checked` is false.
    public func tidy(checked: Bool = true) -> PublishedRecords {
        if let records { return records }
        let rowCodes = rows.contains { $0.code != nil }
        let codes = columnCodes.flatMap { $0.count == columns.count ? $0 : nil }
        var out: [[TableValue]] = []
        // Estimates combined over imputations: Rubin's df, the fraction of missing information and m, last.
        let imputed = rows.contains { $0.cells.contains { $0.imputed != nil } }
        for row in rows {
            for (j, (column, cell)) in zip(columns, row.cells).enumerated() {
                var values: [TableValue] = rowCodes ? [.text(row.code ?? row.label), .text(row.label)] : [.text(row.label)]
                values += codes.map { [.text($0[j]), .text(column)] } ?? [.text(column)]
                if let marker = cell.marker {
                    values += [.marker(marker.rawValue), .missing, .missing, .missing, .missing, .marker(marker.rawValue)]
                } else {
                    let numbers = [cell.estimate, cell.standardError, cell.ciLow, cell.ciHigh, cell.unweightedCount.map(Double.init)]
                    values += numbers.map { $0.map(TableValue.number) ?? .missing }
                    values.append(cell.flags.isEmpty ? .missing : .text(cell.flags.joined(separator: " ")))
                }
                let status = switch cell.marker {
                case .suppressed?: "suppressed"
                case .notAvailable?: "not-available"
                case .unreliable?: "withheld-unreliable"
                case nil: checked ? cell.review.map { "review:" + $0 } ?? "published" : "not-checked"
                }
                let precision = cell.imputed.map { p in
                    [p.degreesOfFreedom, p.fractionMissingInformation, Double(p.imputations)].map(TableValue.number)
                } ?? [.missing, .missing, .missing]
                out.append(values + [.text(status)] + (imputed ? precision : []))
            }
        }
        let keys = ["row"] + (rowCodes ? ["row_label"] : []) + ["column"] + (codes == nil ? [] : ["column_label"])
        return PublishedRecords(columns: keys + Self.gridColumns.dropFirst(2) + (imputed ? ["df", "fmi", "m"] : []), rows: out)
    }
}

extension PublishedTable {
    /// The records as the display formats show them: where a `<name>_label` column follows `<name>`, one column
    /// `<name>` holding the label (the code when it has none), or the code with ``showsCodes``.
    public var displayRecords: PublishedRecords? {
        guard let records else { return nil }
        var keep: [Int] = []
        var labelOf: [Int: Int] = [:]
        for (k, name) in records.columns.enumerated() {
            if k > 0, name == records.columns[k - 1] + "_label" {
                labelOf[k - 1] = k
            } else {
                keep.append(k)
            }
        }
        let rows = records.rows.map { row in
            keep.map { k -> TableValue in
                guard !showsCodes, let l = labelOf[k], case .text = row[l] else { return row[k] }
                return row[l]
            }
        }
        return PublishedRecords(columns: keep.map { records.columns[$0] }, rows: rows)
    }
}

extension Publication {
    /// Every table's records in one tidy table, the form CSV and JSON write: the group variables (each its own
    /// column, with a `<name>_label` column when labelled), `table` (the table id, when there are several), the
    /// tables' columns in order of appearance, and `controlled` (`no` on every row) when checks were off.
    public func records() -> PublishedRecords {
        var groupColumns: [String] = []
        for table in tables {
            for group in table.groups {
                if !groupColumns.contains(group.name) { groupColumns.append(group.name) }
                if group.label != nil, !groupColumns.contains(group.name + "_label") { groupColumns.append(group.name + "_label") }
            }
        }
        let checked = uncheckedStamp == nil
        let tidy = tables.map { $0.tidy(checked: checked) }
        var columns: [String] = []
        for form in tidy { for c in form.columns where !columns.contains(c) { columns.append(c) } }
        let several = tables.count > 1
        var rows: [[TableValue]] = []
        for (table, form) in zip(tables, tidy) {
            var groupValues: [TableValue] = groupColumns.map { _ in .missing }
            for group in table.groups {
                if let i = groupColumns.firstIndex(of: group.name) { groupValues[i] = .text(group.code) }
                if let label = group.label, let i = groupColumns.firstIndex(of: group.name + "_label") {
                    groupValues[i] = .text(label)
                }
            }
            let index = columns.map { form.columns.firstIndex(of: $0) }
            for row in form.rows {
                rows.append(
                    groupValues + (several ? [.text(table.name ?? table.id)] : []) + index.map { $0.map { row[$0] } ?? .missing }
                        + (checked ? [] : [.text("no")]))
            }
        }
        return PublishedRecords(
            columns: groupColumns + (several ? ["table"] : []) + columns + (checked ? [] : ["controlled"]), rows: rows)
    }
}

/// The JSON form of a publication (`microdata-table/2`, described by `docs/table.schema.json`): the metadata as
/// keys (`null` when they do not apply), the tables' titles, and the tidy records as one object per row.
struct PublicationDocument: Encodable {
    struct TableEntry: Encodable {
        var id: String
        var title: String
        var unit: String
        var groups: [GroupValue]
    }

    var publication: Publication

    enum CodingKeys: String, CodingKey {
        case schema, version, title, subtitle, source, controlled, stamp, design, rules, disclosure, perturbation, notes
        case metadata, tables, columns, rows
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        let p = publication
        try c.encode("microdata-table/2", forKey: .schema)
        try c.encode(p.version, forKey: .version)
        try c.encode(p.title, forKey: .title)
        try c.encode(p.subtitle, forKey: .subtitle)
        try c.encode(p.source, forKey: .source)
        try c.encode(p.uncheckedStamp == nil, forKey: .controlled)
        try c.encode(p.uncheckedStamp, forKey: .stamp)
        try c.encode(p.design, forKey: .design)
        try c.encode(p.rules, forKey: .rules)
        try c.encode(p.disclosure, forKey: .disclosure)
        try c.encodeIfPresent(p.perturbation, forKey: .perturbation)
        try c.encode(p.notes, forKey: .notes)
        try c.encode(p.metadata, forKey: .metadata)
        try c.encode(p.tables.map { TableEntry(id: $0.id, title: $0.title, unit: $0.unit, groups: $0.groups) }, forKey: .tables)
        let records = p.records()
        try c.encode(records.columns, forKey: .columns)
        try c.encode(records.rows.map { Dictionary(uniqueKeysWithValues: zip(records.columns, $0)) }, forKey: .rows)
    }
}
