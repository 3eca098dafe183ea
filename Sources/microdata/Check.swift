import ArgumentParser
import Foundation
import MicrodataDisclosure
import MicrodataReaders
import MicrodataWrite

/// `microdata check`: applies primary rules, secondary suppression and the audit to a frequency or
/// magnitude table made anywhere, and writes the table with a `status` column plus the audit.
struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Disclosure-check and protect a table (primary rules, secondary suppression, LP audit).",
        discussion: """
            Writes the table with a `status` column (safe, primary:<rule>, secondary, review:<reason>); \
            suppressed values are written as `x`. If the audit finds a recoverable cell nothing is written \
            except the audit (a table left at --output by an earlier run is removed), and the exit code is 3.

            Instead of suppression, --round BASE rounds every cell (margins included, each independently) to \
            the nearest multiple of BASE, and --redact-then-round BASE redacts counts below the threshold \
            (rules key redactAtOrBelow, default threshold - 1), rounds the rest and publishes every margin \
            as the sum of the published rounded cells (status total-of-published). The audit then gives \
            each cell's attacker interval for its true count.
            """)

    @Argument(help: "The table (CSV with a header row).")
    var table: String
    @Option(help: "Column with the unweighted count of distinct units.")
    var count: String
    @Option(help: "Column with a magnitude (sum or weighted total), if the table has one.")
    var value: String?
    @Option(help: "Comma-separated dimension columns.")
    var dimensions: String
    @Flag(help: "The table has (or should get) a total for every dimension, coded by --total-label.")
    var margins = false
    @Option(help: "Code of the total category.")
    var totalLabel = "Total"
    @Option(help: "Hierarchy CSV with columns dimension,parent,child.")
    var hierarchy: String?
    @Option(help: "Column with the standard error of the value; adds the quality columns cv_band and nomis.")
    var se: String?
    @Flag(help: "The --value column is a weighted count of people (an APS level): Nomis '~' marks estimates below 500.")
    var weightedCount = false
    @Option(help: "Comma-separated columns with the largest unit contributions, descending (enables NK and p%).")
    var top: String?
    @Option(help: "CSV of declared structural zeros (one code per dimension per row, with a header).")
    var structuralZeros: String?
    @Option(help: "Rules file overriding Codebooks/disclosure/default-rules.json.")
    var rules: String?
    @Option(help: "Output format: csv or json.")
    var format = "csv"
    @Option(help: "Where to write the audit JSON.")
    var audit: String?
    @Option(help: "Where to write the table (default: standard output).")
    var output: String?
    @Flag(help: "Write the table without disclosure control (stamped, with a warning).")
    var noDisclosureControl = false
    @Option(name: .customLong("round"), help: "Publish every count rounded to this base instead of suppressing.")
    var roundBase: Int?
    @Option(
        name: .customLong("redact-then-round"),
        help: "Redact counts below the threshold, round the rest to this base; totals are sums of the published cells.")
    var redactThenRoundBase: Int?

    func validate() throws {
        guard ["csv", "json"].contains(format) else { throw ValidationError("--format must be csv or json") }
        if roundBase != nil || redactThenRoundBase != nil {
            guard roundBase == nil || redactThenRoundBase == nil else {
                throw ValidationError("--round and --redact-then-round are alternatives: pass one")
            }
            guard (roundBase ?? redactThenRoundBase ?? 0) >= 1 else { throw ValidationError("the rounding base must be at least 1") }
            guard value == nil, top == nil, se == nil, !noDisclosureControl else {
                throw ValidationError(
                    "--round and --redact-then-round publish rounded unit counts: they do not combine with --value, --top, --se or --no-disclosure-control")
            }
        }
    }

    func run() throws {
        try OutputTarget.check(outputs: [output, audit], inputs: [table, hierarchy, structuralZeros, rules])
        do {
            try check()
        } catch {
            // Fail closed: a table written by an earlier run must not be mistaken for this run's output.
            if let output { OutputTarget.removeStaleFile(output) }
            throw error
        }
    }

    private func check() throws {
        let dims = dimensions.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }
        guard !dims.isEmpty else { throw ValidationError("--dimensions needs at least one column") }
        let input = try DelimitedRecords(contentsOf: URL(fileURLWithPath: table))
        guard let header = input.records.first?.fields else {
            throw DisclosureError.table(source: table, line: 1, reason: "empty file")
        }
        func column(_ name: String) throws -> Int {
            guard let i = header.firstIndex(of: name) else {
                throw DisclosureError.table(
                    source: table, line: 1, reason: "no column '\(name)' (columns: \(header.joined(separator: ", ")))")
            }
            return i
        }
        let dimColumns = try dims.map(column)
        let countColumn = try column(count)
        let valueColumn = try value.map(column)
        let seColumn = try se.map(column)
        let topColumns = try (top?.split(separator: ",").map { String($0) } ?? []).map(column)
        let body = Array(input.records.dropFirst())

        if noDisclosureControl {
            let checked = CheckedTable.bypassingDisclosureControl(header: header, rows: body.map(\.fields))
            FileHandle.standardError.write(Data("warning: \(CheckedTable.bypassStamp)\n".utf8))
            try write(checked)
            return
        }

        var given: [[String]: (evidence: CellEvidence, line: Int)] = [:]
        var errors: [[String]: Double] = [:]
        var codes = Array(repeating: [String](), count: dims.count)
        var seen = Array(repeating: Set<String>(), count: dims.count)
        for record in body {
            let f = record.fields
            guard f.count == header.count else {
                throw DisclosureError.table(
                    source: table, line: record.line, reason: "expected \(header.count) fields, found \(f.count)")
            }
            func number(_ c: Int) throws -> Double {
                guard let v = Double(f[c].trimmingCharacters(in: .whitespaces)), v.isFinite else {
                    throw DisclosureError.table(
                        source: table, line: record.line, reason: "column \(header[c]): '\(f[c])' is not a number")
                }
                return v
            }
            let n = try number(countColumn)
            guard n >= 0, n == n.rounded(), n < 1e15 else {
                throw DisclosureError.table(
                    source: table, line: record.line, reason: "column \(count): '\(f[countColumn])' is not a unit count")
            }
            let key = dimColumns.map { f[$0] }
            if given[key] != nil {
                throw DisclosureError.table(source: table, line: record.line, reason: "duplicate cell \(key)")
            }
            if let seColumn { errors[key] = try number(seColumn) }
            let tops = try topColumns.map(number).filter { $0 != 0 }
            let magnitude = try valueColumn.map(number) ?? n
            given[key] = (CellEvidence(units: Int(n), value: magnitude, topContributions: tops.sorted(by: >),
                                       hasNegative: magnitude < 0 || tops.contains { $0 < 0 }), record.line)
            for (d, code) in key.enumerated() where !seen[d].contains(code) {
                seen[d].insert(code)
                codes[d].append(code)
            }
        }
        var children = Array(repeating: [String: [String]](), count: dims.count)
        if let hierarchy {
            let rows = try DelimitedRecords(contentsOf: URL(fileURLWithPath: hierarchy)).records.dropFirst()
            for row in rows where !row.fields.allSatisfy({ $0.isEmpty }) {
                guard row.fields.count == 3, let d = dims.firstIndex(of: row.fields[0]) else {
                    throw DisclosureError.table(
                        source: hierarchy, line: row.line, reason: "expected dimension,parent,child with a dimension of --dimensions")
                }
                children[d][row.fields[1], default: []].append(row.fields[2])
            }
        }
        if !margins, let d = codes.indices.first(where: { codes[$0].contains(totalLabel) }) {
            throw DisclosureError.table(
                source: table, line: nil,
                reason: "dimension \(dims[d]) has a '\(totalLabel)' category: pass --margins so it is treated as a total")
        }
        if !margins, hierarchy == nil, let (d, code) = Self.hiddenTotal(given.mapValues(\.evidence.units), codes: codes) {
            throw DisclosureError.table(
                source: table, line: nil,
                reason: "category '\(code)' of \(dims[d]) is the sum of the other categories in every cell: "
                    + "pass --margins --total-label \(code) (or --hierarchy) so the differencing risk is modelled")
        }
        let tableDims = try dims.indices.map {
            try TableDimension(
                name: dims[$0], codes: codes[$0].filter { $0 != totalLabel }, total: margins ? totalLabel : nil,
                children: children[$0])
        }
        var zeros = Set<[String]>()
        if let structuralZeros {
            for row in try DelimitedRecords(contentsOf: URL(fileURLWithPath: structuralZeros)).records.dropFirst() {
                zeros.insert(row.fields)
            }
        }
        let model = try ProtectionTable.grid(dimensions: tableDims, given: given, structuralZeros: zeros, source: table)
        let defaults = try DisclosureRules.defaultRulesURL()
        let loaded = try DisclosureRules.load(defaults: defaults, overrides: rules.map { URL(fileURLWithPath: $0) })
        let control = DisclosureControl(rules: loaded)
        do {
            var standardErrors: [Int: Double]? = nil
            if seColumn != nil {
                standardErrors = [:]
                for (i, cell) in model.cells.enumerated() { standardErrors?[i] = errors[cell.key] }
            }
            let checked: CheckedTable
            if let base = roundBase {
                checked = try control.round(model, method: .conventional(base: base))
            } else if let base = redactThenRoundBase {
                checked = try control.round(model, method: .redactThenRound(base: base, redactAtOrBelow: loaded.redactionLimit))
            } else {
                checked = try control.protect(
                    model, hasMagnitude: value != nil || !topColumns.isEmpty, standardErrors: standardErrors,
                    valueIsCount: weightedCount)
            }
            if let audit, let report = checked.audit { try OutputFile.write(report.json(), to: audit) }
            try write(checked)
            FileHandle.standardError.write(Data("\(checked.audit?.summary ?? "")\n".utf8))
        } catch let DisclosureError.auditFailed(report) {
            if let audit { try OutputFile.write(report.json(), to: audit) }
            FileHandle.standardError.write(Data("disclosure audit FAILED: \(report.summary); no table written\n".utf8))
            throw ExitCode(3)
        }
    }

    /// A category that equals the sum of the others along its dimension for every combination of the
    /// other dimensions (an undeclared margin), if there is one.
    static func hiddenTotal(_ counts: [[String]: Int], codes: [[String]]) -> (Int, String)? {
        for d in codes.indices where codes[d].count > 2 {
            for candidate in codes[d] {
                var sums: [[String]: Int] = [:], totals: [[String]: Int] = [:]
                for (key, n) in counts {
                    var rest = key
                    rest.remove(at: d)
                    if key[d] == candidate { totals[rest] = n } else { sums[rest, default: 0] += n }
                }
                if !totals.isEmpty, totals.keys.count == sums.keys.count,
                    totals.allSatisfy({ sums[$0.key] == $0.value })
                {
                    return (d, candidate)
                }
            }
        }
        return nil
    }

    private func write(_ checked: CheckedTable) throws {
        let text: String
        if format == "json" {
            let objects = checked.rows.map { Dictionary(uniqueKeysWithValues: zip(checked.header, $0)) }
            var wrapper: [String: Any] = ["columns": checked.header, "rows": objects]
            if let stamp = checked.stamp { wrapper["stamp"] = stamp }
            let data = try JSONSerialization.data(withJSONObject: wrapper, options: [.prettyPrinted, .sortedKeys])
            text = String(decoding: data, as: UTF8.self) + "\n"
        } else {
            text = checked.csv()
            // Fail closed: read the rendered text back and compare it with the checked rows.
            let reread = try DelimitedRecords(text: checked.stamp == nil ? text : String(text.drop { $0 != "\n" }.dropFirst()))
            guard reread.records.map(\.fields) == [checked.header] + checked.rows else {
                throw DisclosureError.artefactMismatch(cell: "table", expected: "rendered rows", found: "different text")
            }
        }
        try OutputFile.write(text, to: output)
    }
}
