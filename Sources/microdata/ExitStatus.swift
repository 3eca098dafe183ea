import ArgumentParser
import Foundation
import MicrodataWrite

extension ExitCode {
    /// The command line could not be parsed, or its options contradict each other.
    static let usage = ExitCode(2)
    /// A disclosure audit failed: the table is withheld and the audit (with `--audit`) is written for review.
    static let needsReview = ExitCode(3)
}

extension Microdata {
    /// The exit statuses every command uses, as `microdata --help` lists them.
    static let exitStatuses = """
        Exit status, the same for every command:
          0  success
          1  runtime error: an input is unreadable or invalid, or an output
             cannot be written
          2  usage error: an unknown, missing or contradictory option
          3  needs review: the disclosure audit failed; the table is withheld
             and the --audit report is written
          141  stdout was closed (| head): a quiet exit
          130/143  interrupted (SIGINT/SIGTERM): temporary files removed
        Errors go to stderr and start with "error: ".

        Outputs are written whole or not at all: to a temporary file beside the target, renamed into place \
        after the last byte (an error or Ctrl-C leaves the target as it was). An output that is the same \
        file as an input is refused before any work (status 2); a symbolic link is followed (the file it \
        points to is replaced, the link kept); a FIFO or device (/dev/stdout) is written through; --output \
        into a folder that does not exist is refused up front, while --output-dir creates its folder.
        """

    /// Runs the command as ArgumentParser does, but with every error message starting `error: ` and usage errors
    /// exiting with 2 rather than ArgumentParser's 64.
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
            let code = exitCode(for: error)
            guard code != .success else {
                // Help (--help, -h, help CMD) in HelpLayout's order, with examples; --version and the rest as is.
                let message = fullMessage(for: error)
                guard message.hasPrefix("OVERVIEW:") || message.hasPrefix("USAGE:") else { exit(withError: error) }
                print(HelpLayout.arrange(message), terminator: "")
                Foundation.exit(0)
            }
            var message = fullMessage(for: error)
            if message.hasPrefix("Error: ") { message = "error: " + message.dropFirst("Error: ".count) }
            if !message.isEmpty { FileHandle.standardError.write(Data((message + "\n").utf8)) }
            Foundation.exit(code == .validationFailure ? ExitCode.usage.rawValue : code.rawValue)
        }
    }
}
