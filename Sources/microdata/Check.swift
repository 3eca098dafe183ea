import ArgumentParser
import Foundation
import MicrodataDisclosure
import MicrodataReaders
import MicrodataWrite

/// `microdata check`: applies primary rules, secondary suppression and the audit to a frequency or
/// magnitude table made anywhere, and writes the table with a `status` column plus the audit.
struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Disclosure-check and protect a table (primary rules, secondary suppression, LP audit).",
        discussion: """
            Writes the table with a `status` column (safe, primary:<rule>, secondary, review:<reason>); \
            suppressed values are written as `\(CheckedTable.marker)`. If the audit finds a recoverable cell nothing is written \
            except the audit (a table left at --output by an earlier run is removed), and the exit code is 3.

            Instead of suppression, --round BASE rounds every cell (margins included, each independently) to \
            the nearest multiple of BASE, and --redact-then-round BASE redacts counts below the threshold \
            (rules key redactAtOrBelow, default threshold - 1), rounds the rest and publishes every margin \
            as the sum of the published rounded cells (status total-of-published). The audit then gives \
            each cell's attacker interval for its true count.

            A tau-ARGUS table (TABLE ending in .tab, with its .rda metadata beside it or named by --metadata) \
            is read with its spanning variables, hierarchies (.hrc), frequency, top contributions, statuses \
            (S safe, U unsafe, P protected, M secondary, E/Z empty) and protection levels. Given primaries \
            (a status variable, --status-column or --primary-cells) replace the rule-based ones; with \
            --audit-only the given pattern (primaries and secondaries) is audited as it is, so a table \
            protected elsewhere can be re-audited (exit 3 if a primary is recoverable). Without --audit-only, \
            given secondaries are dropped and chosen here. Primaries given without levels get the rules' \
            frequency protection (counts) or pPercent% of the value (magnitudes).
            """)

    @Argument(help: "The table (CSV with a header row, or a tau-ARGUS .tab).")
    var table: String
    @Option(help: "Column with the unweighted count of distinct units (a tau-ARGUS table uses its <FREQUENCY> variable).")
    var count: String?
    @Option(help: "Column with a magnitude (sum or weighted total), if the table has one (tau-ARGUS: a numeric variable, default the first <NUMERIC>).")
    var value: String?
    @Option(help: "Comma-separated dimension columns.")
    var dimensions: String?
    @Option(help: "The tau-ARGUS metadata (.rda) of a .tab table (default: the table's name with .rda).")
    var metadata: String?
    @Option(help: "CSV of given cells: the dimension columns, optional status (primary, secondary, protected) and lower,upper protection levels.")
    var primaryCells: String?
    @Option(help: "Column of the table with given statuses (S/U/P/M/E, or primary, secondary, protected, safe).")
    var statusColumn: String?
    @Flag(help: "Audit the given pattern as it is (no secondaries added): re-audit a table protected elsewhere.")
    var auditOnly = false
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
    @Option(help: "Output format: csv, json, markdown or text (the last two rounded to --digits).")
    var format = "csv"
    @Option(help: "Where to write the table (default: standard output).")
    var output: String?
    @Option(name: .customLong("round"), help: "Publish every count rounded to this base instead of suppressing.")
    var roundBase: Int?
    @Option(
        name: .customLong("redact-then-round"),
        help: "Redact counts below the threshold, round the rest to this base; totals are sums of the published cells.")
    var redactThenRoundBase: Int?

    @OptionGroup(title: "Disclosure control") var disclosure: DisclosureOutputOptions
    @OptionGroup(title: "Presentation") var presentation: PresentationOptions

    private var isTauArgus: Bool { table.lowercased().hasSuffix(".tab") || metadata != nil }

    func validate() throws {
        guard ["csv", "json", "markdown", "text"].contains(format) else {
            throw ValidationError("--format must be csv, json, markdown or text")
        }
        if !isTauArgus, count == nil || dimensions == nil {
            throw ValidationError("--count and --dimensions are needed (except for a tau-ARGUS .tab table)")
        }
        if auditOnly, primaryCells == nil, statusColumn == nil, !isTauArgus {
            throw ValidationError("--audit-only needs a given pattern: --primary-cells, --status-column or a tau-ARGUS status variable")
        }
        if isTauArgus, disclosure.noDisclosureControl || roundBase != nil || redactThenRoundBase != nil || count != nil || dimensions != nil {
            throw ValidationError("a tau-ARGUS table takes its columns from the .rda: no --count, --dimensions, rounding or --no-disclosure-control")
        }
        if roundBase != nil || redactThenRoundBase != nil {
            guard roundBase == nil || redactThenRoundBase == nil else {
                throw ValidationError("--round and --redact-then-round are alternatives: pass one")
            }
            guard (roundBase ?? redactThenRoundBase ?? 0) >= 1 else { throw ValidationError("the rounding base must be at least 1") }
            guard value == nil, top == nil, se == nil, !disclosure.noDisclosureControl else {
                throw ValidationError(
                    "--round and --redact-then-round publish rounded unit counts: they do not combine with --value, --top, --se or --no-disclosure-control")
            }
        }
    }

    func run() throws {
        let tauInputs = isTauArgus
            ? TauArgusTable.inputFiles(table: URL(fileURLWithPath: table), metadata: metadata.map { URL(fileURLWithPath: $0) }).map(\.path) : []
        try OutputTarget.check(
            outputs: [output, OutputAudit.sidecar(for: output), disclosure.audit, disclosure.auditPrivate, output.map(Presentation.csvMetadataPath)], inputs: [table, metadata, primaryCells, hierarchy, structuralZeros, disclosure.rules] + tauInputs)
        do {
            try check()
        } catch {
            // Fail closed: a table written by an earlier run must not be mistaken for this run's output.
            if let output { OutputTarget.removeStaleFile(output) }
            throw error
        }
    }

    private func check() throws {
        try disclosure.checkPrivateLocation(outputFolders: outputFolders)
        if isTauArgus {
            let tab = URL(fileURLWithPath: table)
            let tau = try TauArgusTable.read(
                table: tab, metadata: TauArgusTable.metadataURL(table: tab, metadata: metadata.map { URL(fileURLWithPath: $0) }))
            let input = try tau.protectionInput(value: value)
            let pattern = try primaryCells.map { try GivenPattern.read(csv: URL(fileURLWithPath: $0), dimensions: tau.dimensions.map(\.name)) }
                ?? input.pattern
            try protectAndWrite(input.table, hasMagnitude: input.hasMagnitude, errors: nil, given: pattern)
            return
        }
        guard let count, let dimensions else { throw ValidationError("--count and --dimensions are needed") }
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
        let statusIndex = try statusColumn.map(column)
        var pattern = GivenPattern(source: table)
        let body = Array(input.records.dropFirst())

        if disclosure.noDisclosureControl {
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
            if let statusIndex {
                guard let status = GivenStatus(f[statusIndex]) else {
                    throw DisclosureError.table(
                        source: table, line: record.line, reason: "column \(header[statusIndex]): '\(f[statusIndex])' is not a status")
                }
                try pattern.set(key, status, line: record.line)
            }
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
        let givenPattern = try primaryCells.map { try GivenPattern.read(csv: URL(fileURLWithPath: $0), dimensions: dims) }
        try protectAndWrite(
            model, hasMagnitude: value != nil || !topColumns.isEmpty, errors: seColumn == nil ? nil : errors,
            given: givenPattern ?? (statusColumn == nil ? nil : pattern))
    }

    /// Protects (or, with `--audit-only`, audits the given pattern of) `model` and writes the table and audits.
    private func protectAndWrite(
        _ model: ProtectionTable, hasMagnitude: Bool, errors: [[String]: Double]?, given: GivenPattern?
    ) throws {
        let loaded = try disclosure.loadRules()
        let control = DisclosureControl(rules: loaded)
        let given = given?.statuses.isEmpty == false ? given : nil
        if auditOnly, given == nil { throw ValidationError("--audit-only: the table gives no statuses") }
        do {
            var standardErrors: [Int: Double]? = nil
            if let errors {
                standardErrors = [:]
                for (i, cell) in model.cells.enumerated() { standardErrors?[i] = errors[cell.key] }
            }
            let checked: CheckedTable
            if let base = roundBase {
                checked = try control.round(model, method: .conventional(base: base))
            } else if let base = redactThenRoundBase {
                checked = try control.round(model, method: .redactThenRound(base: base, redactAtOrBelow: loaded.redactionLimit))
            } else if let given {
                let pattern = try given.resolve(in: model, hasMagnitude: hasMagnitude, rules: loaded)
                checked = auditOnly
                    ? try control.audit(model, hasMagnitude: hasMagnitude, primaries: pattern.primaries, secondaries: pattern.secondaries)
                    : try control.protect(
                        model, hasMagnitude: hasMagnitude, forcedPublish: pattern.protected, primaries: pattern.primaries,
                        standardErrors: standardErrors, valueIsCount: weightedCount)
            } else {
                checked = try control.protect(
                    model, hasMagnitude: hasMagnitude, standardErrors: standardErrors, valueIsCount: weightedCount)
            }
            if let report = checked.audit {
                try AuditFiles.write(report, publicPath: disclosure.audit, privatePath: disclosure.auditPrivate, outputFolders: outputFolders)
            }
            try write(checked, rules: loaded)
            FileHandle.standardError.write(Data("\(checked.audit?.summary ?? "")\nrules in force: \(loaded.inForce)\n".utf8))
        } catch let DisclosureError.auditFailed(report) {
            try AuditFiles.write(report, publicPath: disclosure.audit, privatePath: disclosure.auditPrivate, outputFolders: outputFolders)
            FileHandle.standardError.write(Data("disclosure audit FAILED: \(report.summary); no table written\n".utf8))
            throw ExitCode.needsReview
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

    /// The folder the table is written to (the full audit must stay out of it).
    private var outputFolders: [URL] { output.map { [URL(fileURLWithPath: $0).deletingLastPathComponent()] } ?? [] }

    private func write(_ checked: CheckedTable, rules: DisclosureRules? = nil) throws {
        var publication = checked.publication(
            title: "Disclosure check of \(URL(fileURLWithPath: table).lastPathComponent)", source: table,
            version: buildVersion, rules: rules?.inForce,
            numeric: CheckedTable.numericColumns.union([count, value, se].compactMap { $0 }))
        presentation.apply(to: &publication, title: publication.title, source: URL(fileURLWithPath: table).lastPathComponent)
        let chosen = OutputFormat(rawValue: format) ?? .csv
        let text = try publication.rendered(as: chosen)
        if chosen == .csv {
            // Fail closed: read the rendered text back and compare it with the published records.
            let reread = try DelimitedRecords(text: text)
            guard reread.records.map(\.fields) == publication.records().fields else {
                throw DisclosureError.artefactMismatch(cell: "table", expected: "rendered rows", found: "different text")
            }
        }
        try OutputFile.write(text, to: output)
        try OutputAudit.write(for: output, audit: checked.audit, tool: "microdata \(buildVersion)")
        if chosen == .csv, let output { try publication.writeCSVMetadata(besideCSV: output) }
    }
}
