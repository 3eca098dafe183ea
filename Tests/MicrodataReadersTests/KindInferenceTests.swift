import Foundation
import MicrodataTestSupport
import Testing

@testable import MicrodataReaders

/// The fast type-inference pass against the scanner-and-parseNumber reference, on tricky fields.
@Suite struct KindInferenceTests {
    /// Both passes over `text`; `#expect`s they agree and returns the fast result.
    func kinds(_ text: String, columns: [Int]? = nil, delimiter: UInt8 = UInt8(ascii: ","),
               sourceLocation: SourceLocation = #_sourceLocation) throws -> [ColumnBuilder.Kind] {
        try kinds(Array(text.utf8), columns: columns, delimiter: delimiter, sourceLocation: sourceLocation)
    }

    func kinds(_ bytes: [UInt8], columns: [Int]? = nil, delimiter: UInt8 = UInt8(ascii: ","),
               sourceLocation: SourceLocation = #_sourceLocation) throws -> [ColumnBuilder.Kind] {
        let url = try temporaryFile(bytes, name: "k.csv")
        let header = bytes.prefix { $0 != 0x0A }
        let columns = columns ?? Array(0..<(header.filter { $0 == delimiter }.count + 1))
        let fast = try DelimitedReader.inferKinds(path: url.path, delimiter: delimiter, columns: columns)
        let reference = try DelimitedReader.inferKinds(path: url.path, delimiter: delimiter, columns: columns,
                                                       fastPath: false)
        #expect(fast == reference, "\(String(decoding: bytes, as: UTF8.self).debugDescription)",
                sourceLocation: sourceLocation)
        return fast
    }

    /// The type of a one-column file holding `value` after an integer, in every line-end layout.
    func kind(of value: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> ColumnBuilder.Kind {
        var seen: Set<String> = []
        var result: ColumnBuilder.Kind = .integer
        for eol in ["\n", "\r\n"] {
            for last in [true, false] {
                // As the only column, the first, a middle and the last one.
                let body = "1" + eol + value + (last ? "" : eol)
                result = try kinds("v" + eol + body, sourceLocation: sourceLocation)[0]
                seen.insert("\(result)")
                let wide = "a,v,b" + eol + "1,1,1" + eol + "2,\(value),2" + (last ? "" : eol)
                #expect(try kinds(wide, sourceLocation: sourceLocation)[1] == result, sourceLocation: sourceLocation)
                let first = "v,b" + eol + "1,1" + eol + "\(value),2" + (last ? "" : eol)
                #expect(try kinds(first, sourceLocation: sourceLocation)[0] == result, sourceLocation: sourceLocation)
                let end = "a,v" + eol + "1,1" + eol + "2,\(value)" + (last ? "" : eol)
                #expect(try kinds(end, sourceLocation: sourceLocation)[1] == result, sourceLocation: sourceLocation)
                // Followed by more lines, so that the field is read eight bytes at a time.
                let padding = String(repeating: "3,3" + eol, count: 3) + (last ? "3,3" : "")
                let early = "a,v" + eol + "1,1" + eol + "2,\(value)" + eol + padding
                #expect(try kinds(early, sourceLocation: sourceLocation)[1] == result, sourceLocation: sourceLocation)
                let early0 = "v,b" + eol + "\(value),1" + eol + padding
                #expect(try kinds(early0, sourceLocation: sourceLocation)[0] == result, sourceLocation: sourceLocation)
            }
        }
        #expect(seen.count == 1, "the line ends change the type of \(value.debugDescription)",
                sourceLocation: sourceLocation)
        return result
    }

    @Test func plainValues() throws {
        #expect(try kind(of: "42") == .integer)
        #expect(try kind(of: "-0") == .integer)
        #expect(try kind(of: "+5") == .integer)
        #expect(try kind(of: "-17") == .integer)
        #expect(try kind(of: "3.250") == .real)
        #expect(try kind(of: "-3.250") == .real)
        #expect(try kind(of: "1.") == .real)
        #expect(try kind(of: ".5") == .real)
        #expect(try kind(of: "-.5") == .real)
        #expect(try kind(of: "") == .integer)
        #expect(try kind(of: "NA") == .integer)
    }

    @Test func notNumbers() throws {
        // Exponent forms are numbers (the reading pass parses them with strtod), as R and pandas read them.
        #expect(try kind(of: "1e5") == .real)
        #expect(try kind(of: "1E5") == .real)
        #expect(try kind(of: "-2.5e-3") == .real)
        #expect(try kind(of: "1e309") == .real)  // not finite: the reading pass refuses it, naming the line
        #expect(try kind(of: "Inf") == .real)
        #expect(try kind(of: "1e") == .text)
        #expect(try kind(of: "e5") == .text)
        #expect(try kind(of: "1.2.3") == .text)
        #expect(try kind(of: ".") == .integer)  // SAS/Stata missing
        #expect(try kind(of: "-") == .text)
        #expect(try kind(of: "+-1") == .text)
        #expect(try kind(of: "--1") == .text)
        #expect(try kind(of: "1-") == .text)
        #expect(try kind(of: "12a") == .text)
        #expect(try kind(of: "na") == .text)
        #expect(try kind(of: "N") == .text)
        #expect(try kind(of: "NAN") == .integer)  // a missing-value token
        #expect(try kind(of: "1 2") == .text)
        #expect(try kind(of: "é") == .text)
        // The bytes either side of the digits.
        #expect(try kind(of: "1:2") == .text)
        #expect(try kind(of: "1/2") == .text)
        #expect(try kind(of: "12:") == .text)
        #expect(try kind(of: "/12") == .text)
    }

    @Test func fieldLengthsAroundAWord() throws {
        // Up to 7 bytes are classified a word at a time, longer fields byte by byte.
        for value in ["1234567", "12345678", "123456789", "-123456", "-1234567", "123.456", "1234.567", "-12.345",
                      "-123.456", "12.34.5", "1234.5.", "123456\r", "1234567\r", "+123.45", "123456.", ".123456"]
        {
            let expected: ColumnBuilder.Kind = value.filter { $0 == "." }.count > 1 ? .text
                : value.contains(".") ? .real : .integer
            #expect(try kind(of: value) == expected, "\(value.debugDescription)")
        }
    }

    @Test func longIntegers() throws {
        #expect(try kind(of: "123456789012345678") == .integer)  // 18 digits
        #expect(try kind(of: "-123456789012345678") == .integer)
        #expect(try kind(of: "9223372036854775807") == .integer)  // 19 digits, Int64.max
        #expect(try kind(of: "-9223372036854775808") == .integer)
        #expect(try kind(of: "9223372036854775808") == .text)  // too large for Int64
        #expect(try kind(of: "0000000000000000000000042") == .text)  // leading zeros: a code
        #expect(try kind(of: "12345678901234567890.5") == .real)
    }

    @Test func blanksAreTrimmedAroundNumbersAndMissingTokens() throws {
        // parseNumber and the missing-token test trim spaces, tabs and CRs.
        #expect(try kind(of: " 5") == .integer)
        #expect(try kind(of: "5 ") == .integer)
        #expect(try kind(of: " 5.5 ") == .real)
        #expect(try kind(of: "\t-5") == .integer)
        #expect(try kind(of: "   ") == .integer)
        #expect(try kind(of: "5\r") == .integer)
        #expect(try kind(of: "\r") == .integer)
        #expect(try kind(of: "- 5") == .text)
        #expect(try kind(of: " NA") == .integer)
        #expect(try kind(of: "NA ") == .integer)
        #expect(try kind(of: "1\r2") == .text)
    }

    /// Issue 21 §4: `001` must not be read as 1. A number with a leading zero makes the column text, on the
    /// word-at-a-time, byte-by-byte and reference paths alike.
    @Test func leadingZeroCodesMakeTheColumnText() throws {
        for value in ["007", "00", "-01", "+01", "01.5", "00.5", " 01", "01 ", "0123456", "01234567", "0123456789",
                      "000000000000000000042", "-0123456789"]
        {
            #expect(try kind(of: value) == .text, "\(value.debugDescription)")
        }
        for value in ["0", "-0", "10", "100", "0.5", "-0.5", "0.", "0.05", "1000000000", " 0", "0\r"] {
            #expect(try kind(of: value) != .text, "\(value.debugDescription)")
        }
    }

    @Test func quotedFields() throws {
        #expect(try kind(of: "\"5\"") == .integer)
        #expect(try kind(of: "\"5.5\"") == .real)
        #expect(try kind(of: "\"NA\"") == .integer)
        #expect(try kind(of: "\"\"") == .integer)
        #expect(try kind(of: "\"a,b\"") == .text)
        #expect(try kind(of: "\"1\n2\"") == .text)
        #expect(try kind(of: "5\"") == .text)  // a quote inside an unquoted field is a byte like any other
        // A quoted field over two lines, then plain lines typed by the fast path again.
        let text = "a,b,c\n1,\"x\ny\",2\n3,4,5.5\n"
        #expect(try kinds(text) == [.integer, .text, .real])
        // A malformed record ends the pass: the reading pass reports it, and nothing after it types a column.
        #expect(try kinds("a,b\n1,\"x\"y\n2.5,z\n") == [.integer, .integer])
        #expect(try kinds("a,b\n1.5,2\n3,\"unclosed\n") == [.real, .integer])
    }

    @Test func recordShapes() throws {
        // Short and long records, blank lines, a trailing delimiter, a BOM, columns chosen out of order.
        #expect(try kinds("a,b,c\n1\n1,2,3,x\n\n1,2,\n") == [.integer, .integer, .integer])
        #expect(try kinds("a,b,c\n1,x\n1.5\n", columns: [2, 0]) == [.integer, .real])
        #expect(try kinds("a,b,c\n1,x,2\n1.5,y,z\n", columns: [1]) == [.text])
        #expect(try kinds([0xEF, 0xBB, 0xBF] + Array("a,b\n1,2.5\n".utf8)) == [.integer, .real])
        #expect(try kinds("a\tb\n-1\t 2.5\n", delimiter: 0x09) == [.integer, .real])
        #expect(try kinds("a;b\n1,5;2\n", delimiter: UInt8(ascii: ";")) == [.text, .integer])
        // A delimiter that is also a number byte.
        #expect(try kinds("a-b\n1-2\n-3\n", delimiter: UInt8(ascii: "-")) == [.integer, .integer])
        #expect(try kinds("a.b\n1.2\n.3\n", delimiter: UInt8(ascii: ".")) == [.integer, .integer])
        #expect(try kinds("a,b\n") == [.integer, .integer])
        #expect(try kinds("a,b") == [.integer, .integer])
        #expect(try kinds("a,b\nx,y\n") == [.text, .text])
        #expect(try kinds("a,b\n1,2", columns: []) == [])
    }

    @Test func acrossChunks() throws {
        // Several 1 MiB refills, records and a quoted multi-line field straddling the chunk boundaries.
        var text = "id,x,y,note\n"
        var i = 0
        while text.utf8.count < 3 << 20 {
            let note = i % 997 == 0 ? "\"two\nlines, \"\"quoted\"\"\"" : "n\(i)"
            text += "\(i),\(i % 13 - 6),\(i % 7).\(i % 1000),\(note)\n"
            i += 1
        }
        #expect(try kinds(text) == [.integer, .integer, .real, .text])
        #expect(try kinds(text + "5,6,7,8\r\n9,1.5,x") == [.integer, .real, .text, .text])
    }

    @Test func randomFilesAgreeWithTheReference() throws {
        // Fields drawn from an alphabet of the bytes that matter, in random record shapes.
        let pieces = ["0", "1", "9", "12", "-", "+", ".", " ", "\t", "e", "N", "A", "NA", "x", ":", "/", "\"", "\r", ",", "\n",
                      "\r\n", "123456789012345678", "9", "99999999999"]
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> Int {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return Int(truncatingIfNeeded: (z ^ (z >> 31)) >> 1)
        }
        for _ in 0..<300 {
            var text = "a,b,c\n"
            for _ in 0..<(next() % 12) {
                for f in 0..<3 {
                    if f > 0 { text += "," }
                    // Mostly plain numbers, so a column often stays numeric until an odd value.
                    switch next() % 4 {
                    case 0: text += String(next() % 1000)
                    case 1: text += "\(next() % 100).\(next() % 100)"
                    default: for _ in 0..<(next() % 4) { text += pieces[next() % pieces.count] }
                    }
                }
                text += next() % 5 == 0 ? "\r\n" : "\n"
            }
            if next() % 2 == 0 { text += "1,2,3\n4,5,6\n" }
            if next() % 3 == 0 { text.removeLast() }
            _ = try kinds(text)
            _ = try kinds(text, columns: [2, 1])
        }
    }
}
