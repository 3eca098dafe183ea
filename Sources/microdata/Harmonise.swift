import ArgumentParser
import Foundation
import MicrodataCodebook
import MicrodataHarmonise
import MicrodataReaders
import MicrodataWrite

/// `microdata harmonise`: appends harmonised occupation, NS-SEC and qualification columns to a data file.
struct Harmonise: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Append harmonised columns (SOC/ISCO crosswalks, NS-SEC, qualification levels) with an audit.",
        discussion: """
            --missing 'VAR:CODE,CODE' first turns a version's own missing codes into missing values (counted in \
            the audit). --map 'VAR:FROM>TO[:modal|split|fail]' appends VAR_TO (split mode also VAR_TO_share and turns a record \
            into one row per target, splitting the --weight and --replicate-weights columns, and adds harmonise_record, \
            the source record's number). --nssec 'SOCVAR,STATUSVAR:SOC2010|SOC2020:\
            full|reduced|simplified' appends SOCVAR_nssec_{op,class8,class5,class3,method,quality}; SOC2020 is \
            approximate (via SOC2010) unless an official table is added with --crosswalks. --education \
            'QUALVAR,NATIONVAR:QUAL>RQF|SCQF|EQF|NVQ|HIQUL22D|ISCED2011' appends QUALVAR_{TO,framework,nation,\
            TO_basis,TO_confidence}. The audit (text on stderr, and --audit F as text, or JSON when F ends .json) \
            lists codes not in the source scheme, unmapped codes, missing-value sentinels, fan-out and non-modal \
            weight, approximate links and, for qualifications, a per-nation summary. Tables are found as for \
            `microdata crosswalk` (MICRODATA_CODEBOOKS, else Codebooks/ above the executable).
            """)

    @Option(help: "The data file (CSV/TSV with a header, fixed-width with --codebook, or SPSS/Stata/SAS).")
    var data: String
    @Option(help: "The codebook: DDI XML, or an SPSS/Stata/SAS file whose metadata describes --data.")
    var codebook: String?
    @Option(help: "Version-specific missing codes VAR:CODE,CODE set to missing first; repeatable.")
    var missing: [String] = []
    @Option(help: "A code mapping VAR:FROM>TO[:mode]; repeatable.") var map: [String] = []
    @Option(help: "An NS-SEC derivation SOCVAR,STATUSVAR:scheme:method; repeatable.") var nssec: [String] = []
    @Option(help: "A qualification mapping QUALVAR,NATIONVAR:FROM>TO; repeatable.") var education: [String] = []
    @Option(name: .customLong("education-basis"), help: "survey (LFS convention, default) or framework (QCCB comparison).")
    var educationBasis: String = "survey"
    @Option(help: "The respondent's sex (1/M male, 2/F female) for sex-specific crosswalk weights.") var sex: String?
    @Option(help: "The survey weight, split with the rows in split mode.") var weight: String?
    @Option(name: .customLong("replicate-weights"), help: "Regular expression naming replicate weight columns, split like --weight.")
    var replicateWeights: String?
    @Option(name: .customLong("missing-codes"), help: "Missing-value sentinels to report, comma-separated (default -1,-7,-8,-9,74).")
    var missingCodes: String?
    @Option(help: "Output file (default: standard output).") var output: String?
    @Option(help: "Write the audit here (JSON when the name ends .json, else text).") var audit: String?
    @Option(help: "Output format: csv, tsv or jsonl.") var format: HarmoniseOutputFormat = .csv
    @Flag(name: .customLong("keep-missing-codes"),
          help: "Keep the codebook's missing codes as values (default: written as blanks, as extract does).")
    var keepMissingCodes = false
    @Option(name: .customLong("string"),
            help: "Read this CSV column as text whatever its values (codes with leading zeros); repeatable or comma-separated.")
    var string: [String] = []
    @OptionGroup var folders: Crosswalk.Folders

    @OptionGroup(title: "Limits") var limits: LimitOptions

    func run() throws {
        limits.apply()
        try OutputTarget.check(outputs: [output, OutputAudit.sidecar(for: output), audit], inputs: [data, codebook])
        let registry = try folders.registry()
        guard let basis = QualificationBasis(rawValue: educationBasis) else {
            throw ValidationError("--education-basis must be survey or framework")
        }
        var options = HarmoniseOptions(weightVariable: weight, sexVariable: sex)
        options.replicateWeightPattern = replicateWeights
        if let missingCodes {
            options.missingCodes = Set(missingCodes.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
        }
        let book = try CodebookSource.forData(codebook: codebook, data: URL(fileURLWithPath: data))
        var harmoniser: Harmoniser
        do {
            harmoniser = try Harmoniser(
                registry: registry, missing: try missing.map { try MissingSpec(parsing: $0) }, maps: try map.map { try MappingSpec(parsing: $0) },
                nssec: try nssec.map { try NSSECSpec(parsing: $0) },
                education: try education.map { try EducationSpec(parsing: $0, basis: basis) }, options: options)
        } catch let e as HarmoniseError {
            throw ValidationError(e.description)
        }
        // The codebook's missing codes are blanks, as in extract, unless --keep-missing-codes; other sentinels
        // stay as values so the audit can report them. Parsing runs on a second thread.
        var readOptions = ReadOptions(keepRawMissing: keepMissingCodes, maxLineLength: Limits.maxLineLength)
        readOptions.textVariables = string.flatMap { commaList($0) }
        // Pass-through columns are copied, never computed on: read them as text so they are written as read.
        readOptions.inferredAsText = true
        let source = PrefetchingSource(try DataReader.open(
            data: URL(fileURLWithPath: data), codebook: book, options: readOptions))
        var writer = try TableWriter(path: output, format: format)
        do {
            while let batch = try source.nextBatch() {
                try writer.write(try harmoniser.apply(batch))
            }
        } catch let e as HarmoniseError {
            var located = e
            if located.file == nil { located.file = data }
            FileHandle.standardError.write(Data("error: \(located)\n".utf8))
            throw ExitCode.failure
        }
        try writer.close()
        try OutputAudit.uncontrolled(for: output, stamp: OutputAudit.microdataStamp, tool: "microdata \(buildVersion)")
        let read = source.statistics
        let summary = read.warnings + read.missingByRule.sorted(by: { $0.key < $1.key }).map {
            "set to missing by the codebook's missing-value rules: \($0.key) \($0.value)"
        }
        if !summary.isEmpty { FileHandle.standardError.write(Data((summary.joined(separator: "\n") + "\n").utf8)) }
        let report = harmoniser.audit
        FileHandle.standardError.write(Data(report.text().utf8))
        if let audit {
            let text = audit.hasSuffix(".json") ? try report.json() + "\n" : report.text()
            try OutputFile.write(text, to: audit)
        }
    }
}

/// The output formats of `microdata harmonise`.
enum HarmoniseOutputFormat: String, ExpressibleByArgument, CaseIterable { case csv, tsv, jsonl }

/// Writes batches as CSV, TSV or JSON lines, buffered; a file is replaced whole when `close` succeeds.
struct TableWriter {
    let file: OutputFile
    let format: HarmoniseOutputFormat
    var buffer: [UInt8] = []
    var header: [String]?

    init(path: String?, format: HarmoniseOutputFormat) throws {
        file = try OutputFile(path: path)
        self.format = format
        buffer.reserveCapacity(1 << 20)
    }

    mutating func write(_ batch: Batch) throws {
        let names = batch.columns.map(\.name)
        if header == nil {
            header = names
            if format != .jsonl {
                for (i, n) in names.enumerated() {
                    if i > 0 { buffer.append(format == .tsv ? 9 : 44) }
                    field(n)
                }
                buffer.append(10)
            }
        } else if header! != names {
            throw ValidationError("the columns changed between batches")
        }
        for r in 0..<batch.rowCount {
            if format == .jsonl { buffer.append(UInt8(ascii: "{")) }
            for (i, column) in batch.columns.enumerated() {
                if format == .jsonl {
                    if i > 0 { buffer.append(44) }
                    json(column.name)
                    buffer.append(58)
                } else if i > 0 {
                    buffer.append(format == .tsv ? 9 : 44)
                }
                switch column.storage {
                case .integer(let v, let missing):
                    if missing[r] { if format == .jsonl { buffer.append(contentsOf: "null".utf8) } } else { digits(v[r]) }
                case .real(let v):
                    let x = v[r]
                    if x.isNaN {
                        if format == .jsonl { buffer.append(contentsOf: "null".utf8) }
                    } else if x == x.rounded(), abs(x) < 1e15 {
                        digits(Int64(x))
                    } else {
                        buffer.append(contentsOf: x.description.utf8)
                    }
                case .text(let v):
                    if let value = v[r] {
                        if format == .jsonl { json(value) } else { field(value) }
                    } else if format == .jsonl {
                        buffer.append(contentsOf: "null".utf8)
                    }
                }
            }
            if format == .jsonl { buffer.append(UInt8(ascii: "}")) }
            buffer.append(10)
            if buffer.count >= 1 << 20 { try flush() }
        }
    }

    /// Appends `v` in decimal without building a String.
    private mutating func digits(_ v: Int64) {
        if v < 0 { buffer.append(45) }
        var m = v.magnitude
        var tmp: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
            UInt8, UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var n = 0
        withUnsafeMutableBytes(of: &tmp) { p in
            repeat {
                p[n] = UInt8(48 + m % 10)
                m /= 10
                n += 1
            } while m > 0
            for k in stride(from: n - 1, through: 0, by: -1) { buffer.append(p[k]) }
        }
    }

    private mutating func field(_ s: String) {
        // Most fields need no quotes: checked and copied from the String's bytes in place.
        let csv = format == .csv
        let copied = s.utf8.withContiguousStorageIfAvailable { bytes -> Bool in
            if csv && bytes.contains(where: { $0 == 44 || $0 == 34 || $0 == 10 || $0 == 13 }) { return false }
            buffer.append(contentsOf: bytes)
            return true
        }
        if copied == true { return }
        let needsQuotes = csv && s.utf8.contains { $0 == 44 || $0 == 34 || $0 == 10 || $0 == 13 }
        if !needsQuotes { buffer.append(contentsOf: s.utf8); return }
        buffer.append(34)
        for b in s.utf8 {
            if b == 34 { buffer.append(34) }
            buffer.append(b)
        }
        buffer.append(34)
    }

    private mutating func json(_ s: String) {
        buffer.append(34)
        for b in s.utf8 {
            switch b {
            case 34: buffer.append(contentsOf: [92, 34])
            case 92: buffer.append(contentsOf: [92, 92])
            case 10: buffer.append(contentsOf: [92, 110])
            case 0..<32: buffer.append(contentsOf: Array(String(format: "\\u%04x", b).utf8))
            default: buffer.append(b)
            }
        }
        buffer.append(34)
    }

    mutating func flush() throws {
        try file.write(buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    mutating func close() throws {
        try flush()
        try file.commit()
    }
}
