import Foundation
import Testing

@testable import MicrodataReaders

/// `RecordScanner.scanQuoteFree` (eight bytes at a time) against `scan` on quote-free input: the same outcome
/// and the same fields for every record, at every window end, with and without the end of the data.
@Suite struct QuoteFreeScanTests {
    /// One scan's outcome and fields, comparable.
    enum Scanned: Equatable, CustomStringConvertible {
        case record(next: Int, fields: [Range<Int>])
        case needMore
        case malformed(String)

        var description: String {
            switch self {
            case .record(let next, let fields): "record(next: \(next), \(fields.map { "\($0.lowerBound)..<\($0.upperBound)" }))"
            case .needMore: "needMore"
            case .malformed(let m): "malformed(\(m))"
            }
        }
    }

    static func scanned(_ scanner: RecordScanner, _ outcome: RecordScanner.Outcome) -> Scanned {
        switch outcome {
        case .record(let next):
            if (0..<scanner.count).contains(where: { scanner.escaped[$0] }) { return .malformed("escaped field") }
            return .record(next: next, fields: (0..<scanner.count).map { scanner.starts[$0]..<scanner.ends[$0] })
        case .needMore: return .needMore
        case .malformed(let m, _): return .malformed(m)
        }
    }

    /// Splits `bytes` with both scanners, record by record, for every window `0..<end` (`end` in `ends`, default
    /// all) and both values of `atEOF`; expects the same at every step. Returns the fields of the whole input
    /// read to its end, for assertions.
    @discardableResult
    static func compare(_ bytes: [UInt8], delimiter: UInt8 = UInt8(ascii: ","), ends: [Int]? = nil,
                        sourceLocation: SourceLocation = #_sourceLocation) -> [[String]] {
        precondition(!bytes.contains(UInt8(ascii: "\"")))
        let reference = RecordScanner(delimiter: delimiter)
        let quick = RecordScanner(delimiter: delimiter)
        #expect(quick.splitsQuoteFree)
        let p = UnsafeMutablePointer<UInt8>.allocate(capacity: bytes.count + 8)
        defer { p.deallocate() }
        p.initialize(from: bytes, count: bytes.count)
        (p + bytes.count).initialize(repeating: delimiter, count: 8)  // a stop just past the data, never to be seen
        var records: [[String]] = []
        for end in ends ?? Array(0...bytes.count) {
            for atEOF in [false, true] {
                var pos = 0
                while pos < end {
                    let a = scanned(reference, reference.scan(p, pos, end, atEOF: atEOF))
                    let b = scanned(quick, quick.scanQuoteFree(p, pos, end, atEOF: atEOF))
                    guard a == b else {
                        Issue.record("\(String(decoding: bytes, as: UTF8.self).debugDescription) window 0..<\(end) atEOF \(atEOF) at \(pos): scan \(a), scanQuoteFree \(b)",
                                     sourceLocation: sourceLocation)
                        return records
                    }
                    guard case .record(let next, let fields) = a else { break }
                    #expect(next > pos, sourceLocation: sourceLocation)
                    if atEOF && end == bytes.count {
                        records.append(fields.map { String(decoding: bytes[$0], as: UTF8.self) })
                    }
                    pos = next
                }
            }
        }
        return records
    }

    @Test func handWrittenRecordsSplitAlike() {
        #expect(Self.compare(Array("a,b\r\nc,d\n".utf8)) == [["a", "b"], ["c", "d"]])
        // A CR goes before a line feed or at the end of the data only; a CR before a delimiter stays.
        #expect(Self.compare(Array("a\r,b\r".utf8)) == [["a\r", "b"]])
        #expect(Self.compare(Array("x\r\r\n".utf8)) == [["x\r"]])
        #expect(Self.compare(Array("\r\n\n".utf8)) == [[""], [""]])
        // Empty fields, a trailing delimiter, a last record without a line feed.
        #expect(Self.compare(Array(",,\n,".utf8)) == [["", "", ""], ["", ""]])
        #expect(Self.compare(Array("1,2,\n3".utf8)) == [["1", "2", ""], ["3"]])
        // Fields across eight-byte words: 7, 8, 9 and 16 bytes.
        #expect(Self.compare(Array("1234567,12345678,123456789\n1234567812345678\r\n".utf8))
                == [["1234567", "12345678", "123456789"], ["1234567812345678"]])
        for text in ["", "\n", "\r", "\r\n", "a", "a,", ",", "\n\n\n", "é,ü\n", "12345678\n", "1234567\n", "123456789",
                     "abcdefgh,\r", "a\rb\n", "\r\r\r\r\r\r\r\r\r\n", ",,,,,,,,,,,,,,,,,\n"] {
            Self.compare(Array(text.utf8))
        }
    }

    @Test func recordsOfManyFieldsGrowTheBuffers() {
        // 8 fields in every word (empty fields), and long records: past 64, 128 and 256 fields.
        for count in [63, 64, 65, 71, 72, 73, 127, 128, 129, 300] {
            let empty = String(repeating: ",", count: count - 1)
            let digits = (1...count).map { String($0 % 10) }.joined(separator: ",")
            let wide = (1...count).map { String($0) }.joined(separator: ",")
            let text = empty + "\n" + digits + "\r\n" + wide + "\n" + empty
            let records = Self.compare(Array(text.utf8), ends: [text.utf8.count, text.utf8.count - 1, count + 3])
            #expect(records.map(\.count) == [count, count, count, count])
            #expect(records[2].last == String(count))
        }
    }

    @Test func otherDelimitersSplitAlike() {
        for delimiter in ["\t", ";", "|", " "].map({ UInt8(ascii: Unicode.Scalar($0)!) }) + [0xA7, 0x00, 0x7F] {
            var bytes: [UInt8] = []
            for k in 0..<40 {
                bytes += Array("v\(k)".utf8) + [delimiter] + Array(String(repeating: "x", count: k % 11).utf8)
                bytes += [delimiter] + (k % 3 == 0 ? [0x0D, 0x0A] : [0x0A])
            }
            Self.compare(bytes, delimiter: delimiter)
        }
    }

    @Test func generatedInputsSplitAlike() {
        var random = SplitMix64(seed: 19)
        // Digits, letters, blanks, a two-byte letter, CRs, delimiters and line feeds, in runs of varied length.
        let pieces: [[UInt8]] = ["1", "23", "-4.5", "abcdefghij", " ", "é", "\r", "\r", ",", ",", ",", "\n", "\n", "\r\n",
                                 "12345678", ",,,,,,,,", "\t"].map { Array($0.utf8) }
        for _ in 0..<400 {
            var bytes: [UInt8] = []
            let length = Int(random.next() % 48)
            for _ in 0..<length { bytes += pieces[Int(random.next() % UInt64(pieces.count))] }
            Self.compare(bytes)
        }
        // Longer inputs at a sample of window ends.
        for _ in 0..<20 {
            var bytes: [UInt8] = []
            for _ in 0..<600 { bytes += pieces[Int(random.next() % UInt64(pieces.count))] }
            let ends = (0..<60).map { _ in Int(random.next() % UInt64(bytes.count + 1)) } + [bytes.count]
            Self.compare(bytes, ends: ends)
        }
    }

    @Test func aWindowEndingInsideARecordNeedsMore() throws {
        let bytes = Array("12345678,9\n".utf8)
        let p = UnsafeMutablePointer<UInt8>.allocate(capacity: bytes.count)
        defer { p.deallocate() }
        p.initialize(from: bytes, count: bytes.count)
        let scanner = RecordScanner(delimiter: UInt8(ascii: ","))
        for end in 0..<bytes.count {
            #expect(Self.scanned(scanner, scanner.scanQuoteFree(p, 0, end, atEOF: false)) == .needMore, "end \(end)")
        }
        #expect(Self.scanned(scanner, scanner.scanQuoteFree(p, 0, 10, atEOF: true)) == .record(next: 10, fields: [0..<8, 9..<10]))
        #expect(Self.scanned(scanner, scanner.scanQuoteFree(p, 0, 11, atEOF: false)) == .record(next: 11, fields: [0..<8, 9..<10]))
    }
}

/// A small seeded generator (SplitMix64), so generated inputs are the same on every run.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE5_E9B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
