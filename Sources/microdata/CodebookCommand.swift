import ArgumentParser
import Foundation
import MicrodataCodebook
import MicrodataReaders
import MicrodataWrite

/// `microdata codebook`: codebook conversions.
struct CodebookCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "codebook",
        abstract: "Convert codebooks (DDI, SPSS, Stata, SAS metadata).",
        subcommands: [Export.self])
}

extension CodebookCommand {
    /// `microdata codebook export SOURCE --format ddi [--output F]`.
    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "export",
            abstract: "Write a codebook as DDI 2.5 XML (namespace ddi:codebook:2_5).",
            discussion: """
                SOURCE is a DDI codebook (.xml, .xml.gz) or an SPSS (.sav, .zsav, .por), Stata (.dta) or SAS \
                (.sas7bdat) file, whose metadata (labels, value labels, user-missing values and ranges, Stata \
                extended missing, formats, measure levels, SPSS weight) becomes the codebook. Warnings go to \
                standard error.
                """)

        enum Format: String, ExpressibleByArgument, CaseIterable { case ddi }

        @Argument(help: "A DDI codebook or an SPSS, Stata or SAS data file.") var source: String
        @Option(help: "Output format (ddi: DDI-Codebook 2.5).") var format: Format = .ddi
        @Option(help: "Output file (default: standard output).") var output: String?
        @Option(help: "Character encoding of an SPSS/Stata file that does not declare it (e.g. WINDOWS-1252).")
        var encoding: String?

        @OptionGroup(title: "Limits") var limits: LimitOptions

        func run() throws {
            limits.apply()
            try OutputTarget.check(outputs: [output, OutputAudit.sidecar(for: output)], inputs: [source])
            let loaded: (codebook: Codebook, warnings: [CodebookSource.Warning])
            do {
                loaded = try CodebookSource.load(URL(fileURLWithPath: source), encoding: encoding)
            } catch let error as StatFileError {
                FileHandle.standardError.write(Data("error: \(error)\n".utf8))
                throw ExitCode.failure
            } catch let error as CodebookError {
                FileHandle.standardError.write(Data("error: \(error)\n".utf8))
                throw ExitCode.failure
            }
            let document = DDIWriter().document(for: loaded.codebook)
            for warning in loaded.warnings.map(\.message) + document.warnings {
                FileHandle.standardError.write(Data("warning: \(warning)\n".utf8))
            }
            if let output {
                try OutputFile.write(document.xml, to: output)
                try OutputAudit.uncontrolled(for: output, stamp: OutputAudit.metadataStamp, tool: "microdata \(buildVersion)")
                FileHandle.standardError.write(
                    Data("wrote \(output): \(loaded.codebook.variables.count) variables\n".utf8))
            } else {
                try StandardOutput.write(document.xml)
            }
        }
    }
}
