import ArgumentParser
import Foundation
import MicrodataCodebook
import MicrodataHarmonise
import MicrodataReaders
import MicrodataWrite

/// `microdata harmonise`: appends harmonised occupation, NS-SEC and qualification columns to a data file.
struct Harmonise: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "harmonise",
        abstract: "Append harmonised columns (SOC/ISCO crosswalks, NS-SEC, qualification levels) with an audit.",
        discussion: """
            --missing 'VAR:CODE,CODE' first turns a version's own missing codes into missing values (counted in \
            the audit). --coalesce 'OUT=SOC10M@SOC2010 if YEAR<2021; SOC20M@SOC2020 if YEAR>=2021' appends OUT and \
            OUT_scheme; --map and --nssec on OUT then treat each row by its scheme (SOC2010 rows keep the official \
            SOC2010 NS-SEC), with the audit per version. --map 'VAR:FROM>TO[:modal|split|fail]' appends VAR_TO (split mode also VAR_TO_share and turns a record \
            into one row per target, splitting the --weight and --replicate-weights columns, and adds harmonise_record, \
            the source record's number). --nssec 'SOCVAR,STATUSVAR@CODING:SOC2010|SOC2020:\
            full|reduced|simplified' (CODING: LFS, ONS-FULL, ONS-REDUCED, MICRODATA or a .csv file; labels are \
            checked against the codebook) appends SOCVAR_nssec_{op,class8,class5,class3,method,quality}; SOC2020 is \
            approximate (via SOC2010) unless an official table is added with --crosswalks. --education \
            'QUALVAR,NATIONVAR:FROM>RQF|SCQF|EQF|NVQ|HIQUL22D|ISCED2011[:modal|split|fail]' (FROM QUAL, or HIQUAL22/HIQUAL15 \
            read through the codebook's value labels) appends QUALVAR_{TO,TO_basis,TO_confidence,framework,nation} \
            (repeat it for several targets of one variable); a one-to-many crosswalk or a qualification spread over \
            several levels needs a mode (split adds TO_share). The audit (text on stderr, and --audit F as text, or JSON when F ends .json) \
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
    @Option(help: "One column from several chosen by a year/version: 'OUT=VAR@SCHEME if YEAR<2021; VAR@SCHEME if YEAR>=2021'; repeatable.")
    var coalesce: [String] = []
    @Option(help: "A code mapping VAR:FROM>TO[:mode]; repeatable.") var map: [String] = []
    @Option(help: "An NS-SEC derivation SOCVAR,STATUSVAR@CODING:scheme:method; repeatable.") var nssec: [String] = []
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
        options.valueLabels = HarmoniseOptions.valueLabels(of: book)
        var harmoniser: Harmoniser
        do {
            harmoniser = try Harmoniser(
                registry: registry, missing: try missing.map { try MissingSpec(parsing: $0) },
                coalesce: try coalesce.map { try CoalesceSpec(parsing: $0) }, maps: try map.map { try MappingSpec(parsing: $0) },
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
        var writer = try HarmonisedWriter(path: output, format: format)
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
        let summary = source.statistics.warningsAndRuleMissing
        if !summary.isEmpty { FileHandle.standardError.write(Data((summary.joined(separator: "\n") + "\n").utf8)) }
        let report = harmoniser.audit
        FileHandle.standardError.write(Data(report.text().utf8))
        if let audit {
            let text = audit.hasSuffix(".json") ? try report.json() + "\n" : report.text()
            try OutputFile.write(text, to: audit)
        }
    }
}

extension HarmoniseOutputFormat: ExpressibleByArgument {}
