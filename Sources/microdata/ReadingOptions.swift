import ArgumentParser
import Foundation
import MicrodataCodebook
import MicrodataReaders

/// How `tabulate` and `mobility` read the data: record type, text columns, missing codes, strictness.
struct ReadingOptions: ParsableArguments {
    @Option(name: .customLong("record-type"), help: "Read only the rows of this record type (hierarchical fixed-width files).")
    var recordType: String?
    @Option(name: .customLong("string"),
            help: "Read this CSV column as text whatever its values (codes with leading zeros); repeatable or comma-separated.")
    var string: [String] = []
    @Option(help: """
        Codes of VAR to treat as missing, VAR=CODE[,CODE...]; repeatable. For codebooks that do not declare \
        their missing codes (IPUMS 99999999 = N.I.U.): labelled sentinel codes left as values are warned about.
        """)
    var missing: [String] = []
    @Flag(help: """
        Make a missing-value token (NA, N/A, NaN, ...) in a numeric CSV column an error instead of a counted \
        missing value, and an unknown record type an error instead of a counted skip.
        """)
    var strict = false
    @OptionGroup var delimiter: DelimiterOption

    /// The read options, before the caller adds its variables and limits.
    var readOptions: ReadOptions {
        var options = ReadOptions(strict: strict, recordType: recordType, format: delimiter.format)
        options.textVariables = string.flatMap { commaList($0) }
        return options
    }

    func missingCodes() throws -> MissingCodes {
        do { return try MissingCodes(parsing: missing) } catch let e as MissingCodesError {
            throw ValidationError(e.description)
        }
    }
}

extension MissingCodeFilter {
    /// Writes the read's warnings and this filter's to standard error.
    func reportWarnings() {
        let lines = statistics.warnings + warnings
        if !lines.isEmpty { FileHandle.standardError.write(Data((lines.joined(separator: "\n") + "\n").utf8)) }
    }
}
