import Foundation
import MicrodataTestSupport
import Testing

/// The README's relative-mobility example (`harmonise`, then `model`), run as written, and the numbers it quotes.
@Suite(.timeLimit(.minutes(5))) struct ReadmeModelTests {
    /// The README's `sh` block that follows `marker`, as commands of arguments (continuations joined, quotes
    /// removed, `$E` expanded).
    static func commands(after marker: String, expanding variables: [String: String]) throws -> [[String]] {
        let readme = try String(contentsOf: Fixtures.packageRoot.appendingPathComponent("README.md"), encoding: .utf8)
        let start = try #require(readme.range(of: marker)).upperBound
        let block = try #require(readme[start...].range(of: "```sh\n")).upperBound
        let end = try #require(readme[block...].range(of: "```")).lowerBound
        let lines = readme[block..<end].replacingOccurrences(of: "\\\n", with: " ").split(separator: "\n")
        var out: [[String]] = []
        for line in lines where !line.contains("=") || line.contains(" ") {
            var words: [String] = []
            var word = "", quoted = false, started = false
            for ch in line {
                if ch == "'" { quoted.toggle(); started = true; continue }
                if ch == " " && !quoted {
                    if started { words.append(word) }
                    word = ""
                    started = false
                    continue
                }
                word.append(ch)
                started = true
            }
            if started { words.append(word) }
            for (name, value) in variables { words = words.map { $0.replacingOccurrences(of: "$" + name, with: value) } }
            out.append(words)
        }
        return out
    }

    /// Runs the README's two-command example after `marker` on the bundled example in a new folder; the last
    /// command's output and the folder.
    static func runExample(after marker: String) throws -> ((status: Int32, stdout: String, stderr: String), URL) {
        let commands = try commands(after: marker, expanding: ["E": Fixtures.codebook("examples/lfs-synthetic").path])
        #expect(commands.count == 2 && commands.allSatisfy { $0.first == "microdata" })
        let dir = try Fixtures.temporaryDirectory()
        var last: (status: Int32, stdout: String, stderr: String) = (0, "", "")
        for command in commands {
            last = try CLIFailureTests.run(Array(command.dropFirst()), in: dir)
            #expect(last.status == 0, "\(command): \(last.stderr)")
        }
        return (last, dir)
    }

    @Test func readmeRelativeMobilityModelRunsAndGivesTheQuotedOddsRatios() throws {
        let (last, _) = try Self.runExample(after: "Relative mobility as a design-based logistic model")
        // Markdown rows: term, estimate, se, t, p, ci_low, ci_high, df, exp_estimate, exp_ci_low, exp_ci_high.
        var rows: [String: [String]] = [:]
        for line in last.stdout.split(separator: "\n") where line.hasPrefix("| ") {
            let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            rows[cells[0]] = cells
        }
        // The Markdown shows 4 significant figures (0.1145 for 0.11448...), the README 3 decimals: equal within
        // the two roundings.
        func matches(_ term: String, _ column: Int, _ quoted: String) throws -> Bool {
            let row = try #require(rows["factor(SMSOC204_nssec_class5)" + term], "no row for origin class \(term)")
            let shown = try #require(Double(row[column])), want = try #require(Double(quoted))
            return abs(shown - want) <= 0.0005 + 0.5 * pow(10, floor(log10(abs(shown))) - 3) + 1e-12
        }
        // As the README quotes them: odds ratio (95% CI) by origin class.
        for (term, or, low, high) in [("2", "0.209", "0.196", "0.222"), ("3", "0.114", "0.108", "0.122"),
                                      ("4", "0.068", "0.063", "0.073"), ("5", "0.032", "0.030", "0.034")] {
            #expect(try matches(term, 8, or), "\(term) odds ratio")
            #expect(try matches(term, 9, low), "\(term) CI low")
            #expect(try matches(term, 10, high), "\(term) CI high")
        }
        #expect(rows["factor(SMSOC204_nssec_class5)5"]?[7] == "37298")
        #expect(last.stdout.contains("F = 3837.7"), "\(last.stdout)")
        #expect(last.stderr.contains("37897 rows with a missing model variable left out"))
    }
}
