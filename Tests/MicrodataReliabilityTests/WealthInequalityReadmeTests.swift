import Foundation
import MicrodataTestSupport
import Testing

/// The README's "Wealth inequality" commands, run as written on the WAS-style household file: each exits as
/// shown and prints the lines shown (a line ending in `...` is a prefix).
@Suite(.timeLimit(.minutes(3))) struct WealthInequalityReadmeTests {
    struct Example {
        var arguments: [String]
        var shown: [String]
    }

    /// The `$ microdata …` commands of the section's first code block with the lines shown after each.
    static func examples() throws -> [Example] {
        let readme = try String(contentsOf: Fixtures.packageRoot.appendingPathComponent("README.md"), encoding: .utf8)
        let section = try #require(readme.components(separatedBy: "## Wealth inequality\n").dropFirst().first)
        let block = try #require(section.components(separatedBy: "```\n").dropFirst().first)
        var examples: [Example] = []
        var pending = ""
        for line in block.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if !pending.isEmpty {
                pending += " " + line.trimmingCharacters(in: .whitespaces)
            } else if line.hasPrefix("$ microdata ") {
                pending = String(line.dropFirst(12))
            } else if !line.isEmpty && !line.hasPrefix("#"), !examples.isEmpty {
                examples[examples.count - 1].shown.append(line)
                continue
            } else {
                continue
            }
            if pending.hasSuffix("\\") {
                pending.removeLast()
            } else {
                examples.append(Example(arguments: words(pending), shown: []))
                pending = ""
            }
        }
        return examples
    }

    /// Shell words: spaces separate, single quotes group.
    static func words(_ text: String) -> [String] {
        var words: [String] = [], word = "", quoted = false, any = false
        for c in text {
            if c == "'" { quoted.toggle(); any = true } else if c == " " && !quoted {
                if any { words.append(word) }
                word = ""
                any = false
            } else {
                word.append(c)
                any = true
            }
        }
        if any { words.append(word) }
        return words
    }

    @Test func readmeWealthInequalityCommandsRunAsShown() throws {
        let examples = try Self.examples()
        #expect(examples.count >= 8)
        let folder = try Fixtures.temporaryDirectory()
        for name in ["was_r8_household.csv", "was_r8_household.xml"] {
            try FileManager.default.copyItem(at: Fixtures.codebook("examples/linking/\(name)"),
                                             to: folder.appendingPathComponent(name))
        }
        for example in examples {
            let process = Process()
            process.executableURL = CLIFailureTests.binary
            process.arguments = example.arguments
            process.currentDirectoryURL = folder
            let out = Pipe(), err = Pipe()
            process.standardOutput = out
            process.standardError = err
            try process.run()
            let stdout = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            let fails = example.shown.contains { $0.hasPrefix("error:") }
            #expect((process.terminationStatus != 0) == fails, "\(example.arguments): \(stderr)")
            let lines = (stdout + stderr).split(separator: "\n").map(String.init)
            for shown in example.shown {
                let found = shown.hasSuffix("...")
                    ? lines.contains { $0.hasPrefix(shown.dropLast(3)) } : lines.contains(shown)
                #expect(found, "\(example.arguments.suffix(4)): '\(shown)' not in\n\(stdout)\(stderr)")
            }
        }
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("wealth-lorenz.html").path))
    }
}
