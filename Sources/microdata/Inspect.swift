import ArgumentParser
import Foundation
import MicrodataCodebook
import MicrodataReaders
import MicrodataWrite

/// `microdata inspect CODEBOOK [--format text|json] [--variables A,B]`: summarise a DDI codebook.
struct Inspect: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Summarise a codebook: DDI, or the metadata of an SPSS, Stata or SAS file (study, files, variables).",
        discussion: """
            text: one line per variable with name, position, type, decimals, label, number of categories, \
            missing codes and a weight marker (W). json: the whole model, plus consistency warnings.
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    @Argument(help: "A DDI codebook (.xml or .xml.gz), or an SPSS, Stata or SAS data file.") var codebook: String
    @Option(help: "Output format: text or json.") var format: Format = .text
    @Option(help: "Only these variables (comma-separated names, case-insensitive).") var variables: String?

    @OptionGroup(title: "Limits") var limits: LimitOptions

    func run() throws {
        limits.apply()
        let parsed: Codebook
        let warnings: [CodebookSource.Warning]
        do {
            (parsed, warnings) = try CodebookSource.load(URL(fileURLWithPath: codebook))
        } catch let error as CodebookError {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode.failure
        } catch let error as StatFileError {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode.failure
        }
        // A DDI 3.x document has no variables here; show its code lists instead (SOC2010, ISCO).
        let codeLists =
            parsed.variables.isEmpty && !StatFile.isStatFile(URL(fileURLWithPath: codebook))
            ? ((try? DDIParser(knownWeightNames: nil, limits: Limits.ddi).parseCodeLists(contentsOf: URL(fileURLWithPath: codebook))) ?? [])
            : []
        var selected = parsed.variables
        if let variables {
            let wanted = variables.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            var picked: [Variable] = []
            for name in wanted where !name.isEmpty {
                // Every variable with that name (relational files repeat names) or that ID.
                let lower = name.lowercased()
                let matches = parsed.variables.filter { $0.name.lowercased() == lower || $0.id == name }
                guard !matches.isEmpty else {
                    FileHandle.standardError.write(Data("error: \(codebook), variable \(name): variable is not in the codebook\n".utf8))
                    throw ExitCode.failure
                }
                picked += matches
            }
            selected = picked
        }
        switch format {
        case .json:
            var json = CodebookJSONWriter()
            json.write(parsed, variables: selected, warnings: warnings, codeLists: codeLists)
            try StandardOutput.write(json.bytes)
        case .text:
            try StandardOutput.write(CodebookSummary.text(parsed, variables: selected, warnings: warnings, codeLists: codeLists))
        }
    }
}
