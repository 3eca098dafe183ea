import Foundation
import MicrodataTestSupport
import Testing

/// The exit statuses `microdata --help` documents, from the built binary: 0 ok, 1 runtime error, 2 usage error
/// (3, a failed disclosure audit, is in `CheckCommandTests`), and one `error: ` prefix.
@Suite(.timeLimit(.minutes(1))) struct ExitStatusTests {
    @Test func unknownOptionIsAUsageErrorExitingTwo() throws {
        let r = try CLIFailureTests.run(["inspect", "x.xml", "--no-such-option"])
        #expect(r.status == 2)
        #expect(r.stderr.hasPrefix("error: Unknown option '--no-such-option'"), "\(r.stderr)")
        #expect(r.stdout.isEmpty)
    }

    @Test func missingRequiredOptionIsAUsageErrorExitingTwo() throws {
        let r = try CLIFailureTests.run(["tabulate", "--mean", "AGE"])
        #expect(r.status == 2)
        #expect(r.stderr.hasPrefix("error: Missing expected argument '--data <data>'"), "\(r.stderr)")
    }

    /// An error a command does not catch itself (here the data file is missing) gets the same prefix and exits 1.
    @Test func unreadableInputIsARuntimeErrorExitingOne() throws {
        let absent = try Fixtures.temporaryDirectory().appendingPathComponent("absent.csv").path
        let tabulate = try CLIFailureTests.run(["tabulate", "--data", absent, "--weight", "W", "--mean", "AGE"])
        #expect(tabulate.status == 1)
        #expect(tabulate.stderr.hasPrefix("error: "), "\(tabulate.stderr)")
        #expect(tabulate.stderr.contains(absent), "\(tabulate.stderr)")
        let inspect = try CLIFailureTests.run(["inspect", absent.replacingOccurrences(of: ".csv", with: ".xml")])
        #expect(inspect.status == 1)
        #expect(inspect.stderr.hasPrefix("error: "), "\(inspect.stderr)")
    }

    @Test func helpListsTheExitStatusesAndExitsZero() throws {
        let r = try CLIFailureTests.run(["--help"])
        #expect(r.status == 0)
        for line in ["0  success", "1  runtime error", "2  usage error", "3  needs review"] {
            #expect(r.stdout.contains(line), "\(line)")
        }
        #expect(r.stderr.isEmpty)
    }

    /// A plain `swift build` bakes in "dev"; `make release` the git tag or commit (checked by
    /// scripts/check-static-binary.sh).
    @Test func versionIsOneLineOnStdout() throws {
        let r = try CLIFailureTests.run(["--version"])
        #expect(r.status == 0)
        #expect(r.stdout == "dev\n")
    }
}
