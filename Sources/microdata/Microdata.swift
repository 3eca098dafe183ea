import ArgumentParser
import Foundation
import MicrodataWrite

/// The `microdata` command: codebook → read → harmonise → estimate → disclosure check → write.
@main
struct Microdata: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "microdata",
        abstract: "Read, harmonise, weight and disclosure-check UK survey microdata.",
        discussion: """
            Outputs are written whole or not at all: to a temporary file beside the target, renamed into place \
            after the last byte (an error or Ctrl-C leaves the target as it was). An output that is the same \
            file as an input is refused before any work; a symbolic link is followed (the file it points to is \
            replaced, the link kept); a FIFO or device (/dev/stdout) is written through; --output into a folder \
            that does not exist is refused up front, while --output-dir creates its folder. A failed write \
            (a full disk) is one error line and exit status 74; a closed pipe (| head) exits quietly with 141.
            """,
        subcommands: [Inspect.self, Extract.self, Harmonise.self, Tabulate.self, Check.self, Crosswalk.self, CodebookCommand.self, Mobility.self, Link.self, Demo.self]
    )

    /// Runs the command; an ``OutputError`` is one `error:` line and its exit status (quiet for a closed pipe).
    static func main() {
        TemporaryFiles.installSignalHandlers()
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let error as OutputError {
            TemporaryFiles.removeAll()
            if case .brokenPipe = error {} else { FileHandle.standardError.write(Data("error: \(error)\n".utf8)) }
            Foundation.exit(error.exitStatus)
        } catch {
            TemporaryFiles.removeAll()
            exit(withError: error)
        }
    }
}
