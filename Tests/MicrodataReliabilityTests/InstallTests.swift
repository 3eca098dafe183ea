import Foundation
import MicrodataTestSupport
import Testing

/// Issue 22: `make install PREFIX=…` (scripts/install.sh, here on the test build's binary) installs the binary,
/// a manual page per command made from its help, and bash, zsh and fish completions.
@Suite(.timeLimit(.minutes(3))) struct InstallTests {
    static func shell(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    @Test func installWritesAManualPagePerCommandWithExamplesAndTheCompletions() throws {
        let root = try Fixtures.temporaryDirectory().appendingPathComponent("prefix")
        let script = Fixtures.packageRoot.appendingPathComponent("scripts/install.sh").path
        let r = try Self.shell(["bash", script, CLIFailureTests.binary.path, root.path])
        #expect(r.status == 0, "\(r.output)")
        let man = root.appendingPathComponent("share/man/man1")
        for command in CommandLineTests.commands {
            let name = command.replacingOccurrences(of: " ", with: "-")  // weights nonresponse: microdata-weights-nonresponse.1
            let page = try String(contentsOf: man.appendingPathComponent("microdata-\(name).1"), encoding: .utf8)
            #expect(page.hasPrefix(".TH \"MICRODATA-\(name.uppercased())\" 1"), "\(command)")
            #expect(page.contains("\n.SH OPTIONS\n") && page.contains("\n.SH EXAMPLES\n") && page.contains("\n.SH EXIT STATUS\n"),
                    "\(command)")
        }
        let rootPage = try String(contentsOf: man.appendingPathComponent("microdata.1"), encoding: .utf8)
        #expect(rootPage.contains("\n.SH SUBCOMMANDS\n") && rootPage.contains("Exit status, the same for every command"))
        let completions = [
            "share/bash-completion/completions/microdata", "share/zsh/site-functions/_microdata",
            "share/fish/vendor_completions.d/microdata.fish",
        ]
        for path in completions {
            let text = try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)
            #expect(text.contains("tabulate") && text.contains("delimiter"), "\(path)")
        }
        #expect(try Self.shell(["bash", "-n", root.appendingPathComponent(completions[0]).path]).status == 0)
        #expect(FileManager.default.isExecutableFile(atPath: root.appendingPathComponent("bin/microdata").path))
    }
}
