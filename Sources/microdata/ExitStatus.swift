import ArgumentParser
import Foundation

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
        Errors go to stderr and start with "error: ".
        """

    /// Runs the command as ArgumentParser does, but with every error message starting `error: ` and usage errors
    /// exiting with 2 rather than ArgumentParser's 64.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            let code = exitCode(for: error)
            guard code != .success else { exit(withError: error) }
            var message = fullMessage(for: error)
            if message.hasPrefix("Error: ") { message = "error: " + message.dropFirst("Error: ".count) }
            if !message.isEmpty { FileHandle.standardError.write(Data((message + "\n").utf8)) }
            Foundation.exit(code == .validationFailure ? ExitCode.usage.rawValue : code.rawValue)
        }
    }
}
