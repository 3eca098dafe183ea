import Foundation
import MicrodataReaders
import Testing

/// The quote-free chunks of ``ParallelDelimitedSource`` read plain numeric records in one pass (and split the
/// others eight bytes at a time): on files mixing plain and non-plain values, many small chunks give the values
/// of the one-thread reader bit for bit, the same statistics, and the same error for a bad record.
@Suite struct FastRecordTests {
    /// Every value of column `name`, in file order: `nil` for missing, else the bit pattern of its `Double`.
    static func bits(_ read: ReadResult, _ name: String) -> [UInt64?] {
        read.doubles(name).map { $0?.bitPattern }
    }

    static func options(workers: Int?, chunkBytes: Int = 700) -> ReadOptions {
        var options = ReadOptions()
        options.parseWorkers = workers
        options.parseChunkBytes = chunkBytes
        options.batchSize = 37
        return options
    }

    /// Reads `text` on one thread and in chunks (1 and 2 workers, two chunk sizes); expects the same.
    @discardableResult
    static func compare(_ text: String, name: String, _ adjust: (inout ReadOptions) -> Void = { _ in },
                        sourceLocation: SourceLocation = #_sourceLocation) throws -> ReadResult {
        let url = try temporaryFile(text, name: name)
        var serial = options(workers: nil)
        adjust(&serial)
        let one = try readAll(url, nil, serial)
        for (workers, chunkBytes) in [(1, 700), (2, 700), (2, 4_096)] {
            var chunked = options(workers: workers, chunkBytes: chunkBytes)
            adjust(&chunked)
            let read = try readAll(url, nil, chunked)
            #expect(read.names == one.names, sourceLocation: sourceLocation)
            for column in one.names {
                let a = bits(one, column), b = bits(read, column)
                #expect(a.count == b.count, sourceLocation: sourceLocation)
                if let k = a.indices.first(where: { $0 < b.count && a[$0] != b[$0] }) {
                    let found = "\(String(describing: a[k])) against \(String(describing: b[k]))"
                    Issue.record("\(name) \(column), row \(k + 1), \(workers) workers, \(chunkBytes)-byte chunks: \(found)",
                                 sourceLocation: sourceLocation)
                }
                #expect(read.texts(column) == one.texts(column), sourceLocation: sourceLocation)
            }
            #expect(read.statistics == one.statistics, sourceLocation: sourceLocation)
        }
        return one
    }

    /// Plain values (read in one pass) and others the general path must read, including blanks, tokens,
    /// exponents, signs, long digit runs and a CR inside a line.
    static let plain = ["0", "7", "-3", "12.5", "-0.25", "0.5", ".5", "-.5", "1.", "-0", "-0.0", "0.0", "0.", "",
                        "123456789012345", "-99999.9999999999", "0.1", "2.675", "9007199254740.99", "314159265358979"]
    static let general = ["1234567890123456", "12345678901234567", "0.12345678901234567", "1e3", "2.5E-2", "NA", "N/A",
                          ".", " 5", "5 ", "+5", "-7 ", "\t8", "NaN", "null", "-1.5e+2"]

    /// `rows` records of `columns` numeric columns, values drawn from `values` by a seeded generator, with CRLF
    /// and LF endings, a CR inside a line now and then, blank lines, and a last record without a line feed.
    static func file(rows: Int, columns: Int, values: [String], seed: UInt64, header: [String]? = nil) -> String {
        var random = SplitMix64(seed: seed)
        var text = (header ?? (0..<columns).map { "c\($0)" }).joined(separator: ",") + "\n"
        for r in 0..<rows {
            let fields = (0..<columns).map { _ in values[Int(random.next() % UInt64(values.count))] }
            var line = fields.joined(separator: ",")
            if random.next() % 97 == 0, let comma = line.firstIndex(of: ",") { line.insert("\r", at: comma) }
            text += line
            if r < rows - 1 { text += random.next() % 3 == 0 ? "\r\n" : "\n" }
            if random.next() % 211 == 0 { text += random.next() % 2 == 0 ? "\n" : "\r\n" }
        }
        return text
    }

    /// A plain value as Swift reads it: whole numbers through `Int64` (so `-0` is 0), decimals through `Double`.
    static func expected(_ text: String) -> Double {
        guard text.contains(".") else { return Double(Int64(text)!) }
        var t = text.hasSuffix(".") ? text + "0" : text
        if t.hasPrefix(".") { t = "0" + t }
        if t.hasPrefix("-.") { t = "-0" + t.dropFirst() }
        return Double(t)!
    }

    @Test func plainRecordsReadAsTheOneThreadReaderReadsThem() throws {
        let text = Self.file(rows: 3_000, columns: 4, values: Self.plain, seed: 1)
        let one = try Self.compare(text, name: "plain.csv")
        #expect(one.rowCount == 3_000)
        #expect(one.statistics.blankLines > 0)
        // A few values checked against Swift's own parsing.
        let values = Self.plain.filter { !$0.isEmpty }.map(Self.expected)
        let seen = Set(one.doubles("c0").compactMap { $0?.bitPattern })
        #expect(seen == Set(values.map(\.bitPattern)))
        #expect(seen.contains((-0.0).bitPattern))
        #expect(seen.contains(0.1.bitPattern) && seen.contains(2.675.bitPattern))
    }

    @Test func mixedRecordsReadAsTheOneThreadReaderReadsThem() throws {
        let text = Self.file(rows: 4_000, columns: 5, values: Self.plain + Self.plain + Self.general, seed: 2)
        let one = try Self.compare(text, name: "mixed.csv")
        #expect(one.statistics.nonNumericMissing["c1"]?["NA"] ?? 0 > 0)
        #expect(one.statistics.nonNumericMissing["c3"]?["."] ?? 0 > 0)
    }

    @Test func oneColumnAndATrailingDelimiterReadAlike() throws {
        try Self.compare(Self.file(rows: 2_000, columns: 1, values: Self.plain + Self.general, seed: 3), name: "one.csv")
        // An empty last field, and the last record ending with the delimiter, without a line feed.
        var text = Self.file(rows: 2_000, columns: 3, values: Self.plain + [""], seed: 4)
        text += "\n5,6,"
        let one = try Self.compare(text, name: "trailing.csv")
        #expect(one.doubles("c2").last == .some(nil))
    }

    @Test func aTrailingDelimiterEndsTheLastChunk() throws {
        // One-line chunks; the file's last record ends with the delimiter and no line feed, so the one-pass
        // read meets the end of its chunk where a field should start (with one worker, the end of its buffer
        // too: the chunks before are shorter).
        let text = "a,b,c\n" + String(repeating: ",,\n", count: 50) + "5,6,"
        let one = try Self.compare(text, name: "last.csv")
        #expect(one.doubles("c").last == .some(nil))
        #expect(one.doubles("b").last == 6)
        let url = try temporaryFile(text, name: "last.csv")
        let chunked = try readAll(url, nil, Self.options(workers: 1, chunkBytes: 1))
        #expect(chunked.doubles("a") == one.doubles("a"))
        #expect(chunked.doubles("c") == one.doubles("c"))
    }

    @Test func columnsNotReadMayHoldText() throws {
        // Only c0 and c2 are read: the others hold letters and blanks, skipped without a look.
        var random = SplitMix64(seed: 5)
        var text = "c0,t,c2,u\n"
        for r in 0..<3_000 {
            let v = Self.plain[Int(random.next() % UInt64(Self.plain.count))]
            text += "\(v),name \(r % 13),\(r % 17 == 0 ? "" : String(r)),x\(r % 3 == 0 ? "\r" : "")\n"
        }
        let one = try Self.compare(text, name: "skip.csv") { $0.variables = ["c2", "c0"] }
        #expect(one.names == ["c2", "c0"])
        #expect(one.doubles("c2")[1] == 1)
    }

    @Test func numbersWithLeadingZerosReadAlikeInNumericColumns() throws {
        // Columns read as numbers without typing: `007` is 7 on every path, `00.5` 0.5.
        let values = Self.plain + ["007", "-01", "00.5", "00", "-00.0", "0001234567890123"]
        let text = Self.file(rows: 3_000, columns: 3, values: values, seed: 6)
        let one = try Self.compare(text, name: "zeros.csv") { $0.numericVariables = ["c0", "c1", "c2"] }
        #expect(one.doubles("c0").contains(7))
    }

    /// The error of reading `text` with `options`, or `nil`.
    static func failure(_ url: URL, _ options: ReadOptions) -> ReadError? {
        do {
            _ = try readAll(url, nil, options)
            return nil
        } catch {
            return error as? ReadError
        }
    }

    /// Reads `text`, whose line `line` (of the file) is bad, on one thread and in chunks; expects the same error.
    static func expectSameError(_ text: String, line: Int, message: String, variable: String? = nil,
                                _ adjust: (inout ReadOptions) -> Void = { _ in },
                                sourceLocation: SourceLocation = #_sourceLocation) throws {
        let url = try temporaryFile(text, name: "bad.csv")
        var serial = options(workers: nil)
        adjust(&serial)
        let one = try #require(failure(url, serial), sourceLocation: sourceLocation)
        #expect(one.line == line, sourceLocation: sourceLocation)
        #expect(one.message.contains(message), "\(one.message)", sourceLocation: sourceLocation)
        #expect(one.variable == variable, sourceLocation: sourceLocation)
        for workers in [1, 2] {
            var chunked = options(workers: workers)
            adjust(&chunked)
            let other = failure(url, chunked)
            #expect(other == one, "\(workers) workers", sourceLocation: sourceLocation)
        }
    }

    /// 2,000 records of four columns of short plain numbers with `bad` as line `line` of the file.
    static func withBadLine(_ bad: String, at line: Int) -> String {
        var lines = Self.file(rows: 2_000, columns: 4, values: ["0", "7", "-3", "12.5", ".5", "1.", "-0.0", ""], seed: 7)
            .utf8.split(separator: 0x0A, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
        lines[line - 1] = bad
        return lines.joined(separator: "\n") + "\n"
    }

    @Test func wrongFieldCountsAreTheSameErrors() throws {
        // Line numbers count physical lines, blank ones included.
        for (bad, line) in [("1,2,3", 1_234), ("1,2,3,4,5", 1_500), ("1,2,3,4,", 900), ("1", 1_777), ("1,2,3\r", 1_001)] {
            try Self.expectSameError(Self.withBadLine(bad, at: line), line: line,
                                     message: "record has \(bad.filter { $0 == "," }.count + 1) fields, the header has 4")
        }
    }

    @Test func textInANumericColumnIsTheSameError() throws {
        for (bad, column) in [("1,abc,3,4", "c1"), ("1,2,-,4", "c2"), ("1-2,2,3,4", "c0"), ("1,2,3,1.2.3", "c3"),
                              ("1,2,3,4x", "c3"), ("1,2,3,4\r5", "c3"), ("1,99999999999999999999,3,4", "c1")] {
            try Self.expectSameError(Self.withBadLine(bad, at: 1_300), line: 1_300, message: "(field", variable: column) {
                $0.numericVariables = ["c0", "c1", "c2", "c3"]
            }
        }
    }

    @Test func aLineTooLongIsTheSameError() throws {
        // Plain numbers throughout, so only the length stops the one-pass read.
        let long = "123456789012345,123456789012345,123456789012345,1.5"
        try Self.expectSameError(Self.withBadLine(long, at: 1_600), line: 1_600, message: "long") {
            $0.maxLineLength = 48
        }
        // Exactly the longest allowed (line feed included) is read.
        let url = try temporaryFile(Self.withBadLine(long, at: 1_600), name: "fits.csv")
        for workers in [nil, 2] {
            var options = Self.options(workers: workers)
            options.maxLineLength = long.utf8.count + 1
            #expect(Self.failure(url, options) == nil)
        }
    }
}
