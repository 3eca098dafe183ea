import Foundation
import MicrodataTestSupport
import Testing

/// `--rules`, `--audit`, `--audit-private` and `--no-disclosure-control` (DisclosureOutputOptions): the same options,
/// help and refusals in every command that publishes a disclosure-checked table with a full audit.
@Suite(.timeLimit(.minutes(1))) struct DisclosureOutputOptionsTests {
    /// Each command up to its output options, on inputs that do not exist (the refusals come before any reading).
    static func commands(_ work: URL) -> [(name: String, arguments: [String], output: [String])] {
        let missing = work.appendingPathComponent("missing.csv").path
        let folder = work.appendingPathComponent("out")
        return [
            ("tabulate", ["tabulate", "--data", missing, "--mean", "x"], ["--output", folder.appendingPathComponent("t.csv").path]),
            ("combine", ["combine", work.appendingPathComponent("part.partial").path],
             ["--output", folder.appendingPathComponent("t.csv").path]),
            ("check", ["check", missing, "--count", "n", "--dimensions", "r"], ["--output", folder.appendingPathComponent("t.csv").path]),
            ("mobility", ["mobility", "--data", missing, "--origin", "o", "--destination", "d"],
             ["--output", folder.appendingPathComponent("m.md").path]),
            ("mobility --output-dir", ["mobility", "--data", missing, "--origin", "o", "--destination", "d"],
             ["--output-dir", folder.path]),
        ]
    }

    @Test func fullAuditInsideTheOutputFolderIsRefusedByEveryCommandBeforeAnyWork() throws {
        let work = try Fixtures.temporaryDirectory()
        let folder = work.appendingPathComponent("out")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for (name, arguments, output) in Self.commands(work) {
            let r = try CLIFailureTests.run(arguments + output + ["--audit-private", folder.appendingPathComponent("full.json").path])
            #expect(r.status == 1, "\(name): \(r.stderr)")
            #expect(r.stderr.contains("the full audit (true values) must not be written into the output folder"), "\(name): \(r.stderr)")
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == [], "\(name)")
        }
    }

    @Test func fullAuditAtThePublicAuditIsRefusedByEveryCommand() throws {
        let work = try Fixtures.temporaryDirectory()
        let audit = work.appendingPathComponent("audit.json").path
        for (name, arguments, _) in Self.commands(work) {
            let r = try CLIFailureTests.run(arguments + ["--audit", audit, "--audit-private", audit])
            #expect(r.status == 2, "\(name): \(r.stderr)")
            #expect(r.stderr.contains("it is the same file as \(audit)"), "\(name): \(r.stderr)")
            #expect(!FileManager.default.fileExists(atPath: audit), "\(name)")
        }
    }

    @Test func theFourOptionsAreListedTogetherUnderDisclosureControl() throws {
        for command in ["tabulate", "combine", "check", "mobility"] {
            let help = try CLIFailureTests.run([command, "--help"]).stdout
            let section = try #require(help.range(of: "\nDISCLOSURE CONTROL:\n"), "\(command)")
            let lines = help[section.upperBound...].split(separator: "\n", omittingEmptySubsequences: false)
                .prefix { !$0.isEmpty }.map(String.init)
            let options = lines.compactMap { $0.hasPrefix("  --") ? $0.dropFirst(2).split(separator: " ").first.map(String.init) : nil }
            #expect(options == ["--rules", "--audit", "--audit-private", "--no-disclosure-control"], "\(command): \(lines)")
            #expect(help.contains("NOT DISCLOSURE CONTROLLED"), "\(command)")
        }
        // combine's --rules must be the file the partial results were made with: its discussion says so.
        let combine = try CLIFailureTests.run(["combine", "--help"]).stdout
        #expect(combine.replacingOccurrences(of: "\n", with: " ").contains("Give --rules the rules file the partial results were made with."))
    }
}
