import Foundation
import MicrodataTestSupport
import Testing

/// `microdata check` run as the built binary: status column, formats, rounding and failing audits.
@Suite(.timeLimit(.minutes(2))) struct CheckCommandTests {
    /// Writes `text` to a fresh temporary file and returns its path.
    static func file(_ text: String, name: String = "table.csv") throws -> String {
        let url = try Fixtures.temporaryDirectory().appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url.path
    }

    /// The CSV output as rows keyed by the dimension codes.
    static func rows(_ csv: String, dimensions: Int) -> [[String]: [String]] {
        var out: [[String]: [String]] = [:]
        for line in csv.split(whereSeparator: \.isNewline).dropFirst() {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            out[Array(fields.prefix(dimensions))] = fields
        }
        return out
    }

    /// The issue-5 repro: A/x is one respondent and the only non-empty cell of row A.
    static let singletonRow = "r,c,n\nA,x,1\nA,y,0\nB,x,20\nB,y,30\nC,x,25\nC,y,40\n"

    @Test func singletonThatIsTheWholeMarginIsCheckedAndItsMarginSuppressed() throws {
        let table = try Self.file(Self.singletonRow)
        let r = try CLIFailureTests.run(["check", table, "--count", "n", "--dimensions", "r,c", "--margins"])
        #expect(r.status == 0, "\(r.stderr)")
        let rows = Self.rows(r.stdout, dimensions: 2)
        #expect(rows[["A", "x"]] == ["A", "x", "x", "primary:threshold"])
        // A/Total = A/x would give the primary away to everybody else: it stays suppressed.
        #expect(rows[["A", "Total"]]?[2] == "x")
        #expect(rows[["A", "y"]] == ["A", "y", "0", "review:zero"])
        #expect(r.stderr.contains("0 of"), "\(r.stderr)")
    }
}
