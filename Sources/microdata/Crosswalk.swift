import ArgumentParser
import Foundation
import MicrodataHarmonise
import MicrodataWrite

/// `microdata crosswalk list | show NAME [CODE]`: look up the shipped and user crosswalks.
struct Crosswalk: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "crosswalk",
        abstract: "List and show code frames, crosswalks, NS-SEC and qualification tables.",
        discussion: """
            The shipped folder is $MICRODATA_CODEBOOKS/crosswalks when MICRODATA_CODEBOOKS is set, else the \
            Codebooks/crosswalks folder nearest above the microdata executable (or the working directory). \
            --crosswalks DIR adds a folder of your own with a manifest.json in the same format.
            """,
        subcommands: [List.self, Show.self])

    struct Folders: ParsableArguments {
        @Option(name: .customLong("crosswalks"), help: "A folder of your own crosswalks (manifest.json + CSV); repeatable.")
        var crosswalks: [String] = []

        func registry() throws -> CrosswalkRegistry {
            guard let shipped = CrosswalkRegistry.shippedFolder(executable: Bundle.main.executableURL) else {
                throw ValidationError(
                    "cannot find Codebooks/crosswalks: set MICRODATA_CODEBOOKS to the Codebooks folder")
            }
            var folders = [shipped]
            for dir in crosswalks {
                let url = URL(fileURLWithPath: dir)
                let nested = url.appendingPathComponent("crosswalks")
                let hasOwn = FileManager.default.fileExists(atPath: url.appendingPathComponent("manifest.json").path)
                folders.append(hasOwn ? url : nested)
            }
            do { return try CrosswalkRegistry(folders: folders) } catch let e as HarmoniseError {
                FileHandle.standardError.write(Data("error: \(e)\n".utf8))
                throw ExitCode.failure
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "List every table with its source, date, licence and sha256.",
            discussion: """
                Tab-separated: name, kind, scheme (FROM>TO for a crosswalk), weight bases, source, issued, \
                licence, sha256 (the computed one for an entry without a sha256 in its manifest) and a note.
                """)
        @OptionGroup var folders: Folders

        func run() throws {
            try StandardOutput.write(try folders.registry().listing())
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show",
            abstract: "Show one table's rows, or one code in it (a scheme name such as SOC2020 shows its code frame).",
            discussion: """
                ONS-suppressed cells (empty or _ in a weight column) print as `suppressed` (null in JSON), never 0.

                EXAMPLES:
                  microdata crosswalk show nations
                  microdata crosswalk show SOC2000 1111
                  microdata crosswalk show --search nurse
                  microdata crosswalk show soc2000-soc2010-table1b 1111 --format json
                """)
        @OptionGroup var folders: Folders
        @Argument(help: "A name from `crosswalk list`, or a scheme (SOC2020, SOC2010, ISCO08, SOC2000, SOC90).")
        var name: String?
        @Argument(help: "A code to look up.") var code: String?
        @Option(help: "Find rows whose cells contain TEXT (case-insensitive), in every table or in NAME.")
        var search: String?
        @Option(help: "text or json.") var format: ShowFormat = .text

        enum ShowFormat: String, ExpressibleByArgument { case text, json }

        func validate() throws {
            if name == nil && search == nil { throw ValidationError("give a table NAME or --search TEXT") }
            if search != nil && code != nil { throw ValidationError("--search and a CODE cannot be combined") }
        }

        func run() throws {
            let registry = try folders.registry()
            let text: String
            do {
                if let search {
                    let found = try registry.search(search, in: name)
                    if found.isEmpty {
                        FileHandle.standardError.write(Data("no rows contain '\(search)'\n".utf8))
                        throw ExitCode.failure
                    }
                    text = format == .json
                        ? CrosswalkRows.json(found) : found.map { "== \($0.table) (\($0.kind))\n\($0.text)" }.joined()
                } else if format == .json {
                    text = CrosswalkRows.json(try registry.rows(name!, code: code))
                } else {
                    text = try registry.show(name!, code: code)
                }
            } catch let error as CrosswalkLookupError { throw ValidationError(error.description) }
            try StandardOutput.write(text)
        }
    }
}
