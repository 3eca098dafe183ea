import Foundation
import MicrodataTestSupport
import Testing

/// The README's small-area example, run as written, and the lines it quotes.
@Suite(.timeLimit(.minutes(2))) struct ReadmeSmallAreaTests {
    @Test func readmeSmallAreaCommandRunsAndGivesTheQuotedRows() throws {
        let marker = "### Model-based estimates for small areas"
        let commands = try ReadmeModelTests.commands(
            after: marker, expanding: ["E": Fixtures.codebook("examples/local-areas").path])
        #expect(commands.count == 1 && commands[0].first == "microdata")
        let dir = try Fixtures.temporaryDirectory()
        let r = try CLIFailureTests.run(Array(commands[0].dropFirst()), in: dir)
        #expect(r.status == 0, "\(r.stderr)")
        let written = try String(contentsOf: dir.appendingPathComponent("la-pay.csv"), encoding: .utf8)
        let shown = Set(written.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).prefix(11).joined(separator: ",") })
        // The quoted lines: the block after the `$ cut` line.
        let readme = try String(contentsOf: Fixtures.packageRoot.appendingPathComponent("README.md"), encoding: .utf8)
        let section = try #require(readme.range(of: marker)).upperBound
        let start = try #require(readme[section...].range(of: "$ cut -d, -f1-11 la-pay.csv")).upperBound
        let end = try #require(readme[start...].range(of: "```")).lowerBound
        let quoted = readme[start..<end].split(separator: "\n").dropFirst(0).map(String.init).filter { !$0.isEmpty && !$0.hasPrefix(" |") }
        let lines = quoted.filter { $0.hasPrefix("table,") || $0.hasPrefix("areas,") }
        #expect(lines.count == 4)
        for line in lines { #expect(shown.contains(line), "README line not in the output: \(line)") }
    }
}
