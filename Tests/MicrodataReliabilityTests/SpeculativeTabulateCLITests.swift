import Foundation
import MicrodataTestSupport
import Testing

/// Issue 19, `tabulate` types its file's columns speculatively: when a `--by` value far into the file (past the
/// first 64 KiB) turns out to make the column text, the file is read again typed first, and the table is the one
/// of a typed read, byte for byte (standard input is spooled and typed first, and `--string` types the column
/// as text): levels `01` and `1` stay apart.
@Suite(.timeLimit(.minutes(3))) struct SpeculativeTabulateCLITests {
    /// 12,000 records of weight `w`, domain `g` (1 to 6) and `y`; `g` is `late` on 60 records from record 9,000.
    static func data(late: String?) throws -> (path: String, bytes: Data) {
        var text = "w,g,y\n"
        for i in 0..<12_000 {
            if i == 9_000 { #expect(text.utf8.count > 64 << 10) }  // past the first block
            let g = late.map { i >= 9_000 && i < 9_060 ? $0 : nil } ?? nil
            text += "\(1 + Double(i % 3) / 2),\(g ?? String(i % 6 + 1)),\(Double((i * 7) % 100) / 4)\n"
        }
        let url = try Fixtures.temporaryDirectory().appendingPathComponent("late.csv")
        try Data(text.utf8).write(to: url)
        return (url.path, Data(text.utf8))
    }

    static let arguments = ["--weight", "w", "--mean", "y", "--by", "g", "--timing"]

    /// The `g` level of each row of a CSV table.
    static func levels(_ table: String) -> [String] {
        table.split(separator: "\n").dropFirst().map { String($0.prefix { $0 != "," }) }
    }

    @Test func aLateTextValueGivesTheTableOfATypedRead() throws {
        for late in ["01", "x"] {
            let (path, bytes) = try Self.data(late: late)
            let file = try CLIFailureTests.run(["tabulate", "--data", path] + Self.arguments)
            #expect(file.status == 0, "\(file.stderr)")
            // The speculation started and failed, and the file was read again.
            #expect(file.stderr.contains("variable g holds \"\(late)\""), "\(file.stderr)")
            // Standard input is spooled and typed first: no speculation.
            let piped = try CommandLineTests.run(["tabulate", "--data", "-"] + Self.arguments, input: bytes)
            #expect(piped.status == 0, "\(piped.stderr)")
            #expect(!piped.stderr.contains("holds"), "\(piped.stderr)")
            #expect(file.stdout == piped.stdout)
            // --string types g as text at once.
            let string = try CLIFailureTests.run(["tabulate", "--data", path, "--string", "g"] + Self.arguments)
            #expect(string.status == 0, "\(string.stderr)")
            #expect(!string.stderr.contains("holds"), "\(string.stderr)")
            #expect(file.stdout == string.stdout)
            #expect(Set(Self.levels(file.stdout)) == Set(["1", "2", "3", "4", "5", "6", late]), "\(file.stdout)")
        }
    }

    @Test func aLateDecimalOrAnAllNumericColumnReadsOnceWithTheSameTable() throws {
        for late in [nil, "2.5"] {
            let (path, bytes) = try Self.data(late: late)
            let file = try CLIFailureTests.run(["tabulate", "--data", path] + Self.arguments)
            #expect(file.status == 0, "\(file.stderr)")
            #expect(!file.stderr.contains("holds"), "\(file.stderr)")
            let piped = try CommandLineTests.run(["tabulate", "--data", "-"] + Self.arguments, input: bytes)
            #expect(piped.status == 0, "\(piped.stderr)")
            #expect(file.stdout == piped.stdout)
            #expect(Self.levels(file.stdout).count == (late == nil ? 6 : 7), "\(file.stdout)")
        }
    }

    /// `--subpop` compares `g`, read as numbers at first, with a text: whichever step meets the text first, the file
    /// is read again typed first, and the table is the typed read's.
    @Test func aSubpopulationComparingTextWithASpeculativeNumberColumnReadsAgainTyped() throws {
        let (path, bytes) = try Self.data(late: "x")
        let arguments = ["--weight", "w", "--mean", "y", "--subpop", "g == 'x'", "--timing"]
        let file = try CLIFailureTests.run(["tabulate", "--data", path] + arguments)
        #expect(file.status == 0, "\(file.stderr)")
        // Read again: stopped by the reader (the text value) or by the expression (a text compared with numbers).
        #expect(file.stderr.contains("holds \"x\"") || file.stderr.contains("compared with the text"), "\(file.stderr)")
        let piped = try CommandLineTests.run(["tabulate", "--data", "-"] + arguments, input: bytes)
        #expect(piped.status == 0, "\(piped.stderr)")
        #expect(file.stdout == piped.stdout)
        // The 60 rows with g = x: y = ((i·7) mod 100)/4 for i in 9000..<9060, weights 1, 1.5, 2 by i mod 3.
        var sumWY = 0.0, sumW = 0.0
        for i in 9_000..<9_060 {
            let w: Double = 1 + Double(i % 3) / 2
            let y: Double = Double((i * 7) % 100) / 4
            sumWY += w * y
            sumW += w
        }
        let mean = sumWY / sumW
        let line = try #require(file.stdout.split(separator: "\n").dropFirst().first)
        #expect(line.split(separator: ",").contains { Double($0).map { abs($0 - mean) < 1e-9 } ?? false }, "\(file.stdout)")
    }
}

