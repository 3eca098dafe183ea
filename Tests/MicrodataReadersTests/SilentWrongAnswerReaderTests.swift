import Foundation
import MicrodataCodebook
import MicrodataReaders
import MicrodataTestSupport
import Testing

/// Issue 21 §4, at the reader: a stray token or a code with leading zeros must not change what a CSV column is.
@Suite struct SilentWrongAnswerReaderTests {
    /// Fifty numbers, with `extra` lines appended after the tenth.
    static func csv(_ extra: [String]) -> String {
        var lines = ["id,y"]
        for i in 1...50 {
            lines.append("\(i),\(i * 2)")
            if i == 10 { lines += extra.enumerated().map { "\(100 + $0.offset),\($0.element)" } }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    @Test func naNanAndOverflowInANumericCSVColumnAreMissingOrAnError() throws {
        let url = try temporaryFile(Self.csv(["N/A", "nan", "NaN", " N/A "]), name: "t.csv")
        let r = try readAll(url, nil)
        // The column stays numeric: the tokens are missing, the numbers are numbers.
        let y = r.doubles("y")
        #expect(y.count == 54)
        #expect(y.compactMap { $0 }.reduce(0, +) == Double((1...50).map { $0 * 2 }.reduce(0, +)))
        #expect(y.filter { $0 == nil }.count == 4)
        #expect(r.statistics.nonNumericMissing == ["y": ["N/A": 2, "NaN": 1, "nan": 1]])
        #expect(r.statistics.warnings == [
            "warning: numeric column y: non-numeric values read as missing: \"N/A\" 2, \"NaN\" 1, \"nan\" 1 (--strict makes them an error)",
        ])

        // --strict: the first token is an error naming its line (header 1, ten numbers, then the token).
        let strict = #expect(throws: ReadError.self) { try readAll(url, nil, ReadOptions(strict: true)) }
        #expect(strict?.line == 12 && strict?.variable == "y" && strict?.found == "N/A", "\(String(describing: strict))")

        // An exponent form is a number; one that overflows a Double is an error naming the line.
        let exponent = try readAll(try temporaryFile(Self.csv(["2.5e3"]), name: "e.csv"), nil)
        #expect(exponent.doubles("y")[10] == 2500)
        for token in ["1e309", "-1e309", "inf", "-Infinity"] {
            let overflow = try temporaryFile(Self.csv([token]), name: "o.csv")
            let error = #expect(throws: ReadError.self) { try readAll(overflow, nil) }
            #expect(error?.line == 12 && error?.message.contains("not a finite number") == true,
                    "\(token): \(String(describing: error))")
        }

        // A word that is not a missing token still makes the column text.
        let words = try readAll(try temporaryFile(Self.csv(["unknown"]), name: "w.csv"), nil)
        #expect(words.texts("y")[10] == "unknown")
        #expect(words.statistics.nonNumericMissing.isEmpty)
    }

    @Test func leadingZeroCodesRoundTripAndStringForcesText() throws {
        let url = try temporaryFile("la,soc,price\n00123,0110,1.50\n04567,1115,2.00\n10000,2111,0.25\n", name: "codes.csv")
        let r = try readAll(url, nil)
        #expect(r.texts("la") == ["00123", "04567", "10000"])
        #expect(r.texts("soc") == ["0110", "1115", "2111"])
        #expect(r.texts("price") == ["1.5", "2", "0.25"])  // a number: as read
        let forced = try readAll(url, nil, { var o = ReadOptions(); o.textVariables = ["PRICE"]; return o }())
        #expect(forced.texts("price") == ["1.50", "2.00", "0.25"])
        let unknown = #expect(throws: ReadError.self) {
            try readAll(url, nil, { var o = ReadOptions(); o.textVariables = ["cost"]; return o }())
        }
        #expect(unknown?.variable == "cost")
    }
}
