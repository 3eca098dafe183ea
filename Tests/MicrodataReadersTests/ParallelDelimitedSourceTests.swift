import Foundation
import MicrodataReaders
import Testing

/// A plain delimited file parsed in chunks on several threads reads as it does on one stream: the same values in
/// the same order, the same statistics, errors naming the same line, a quoted line break after the first chunk
/// handled, and the typing pass (done per chunk and joined) giving the same kinds.
struct ParallelDelimitedSourceTests {
    /// `rows` records of id, a code, a real, a text column and a column with `NA`s; `last` replaces the last line.
    static func text(rows: Int, last: String? = nil) -> String {
        var lines = ["id,code,x,name,m"]
        for i in 1...rows {
            lines.append("\(i),\(i % 7 + 1),\(Double(i) / 8),n\(i % 5),\(i % 9 == 0 ? "NA" : String(i % 4))")
            if i % 1_000 == 500 { lines.append("") }  // blank lines are skipped and counted
        }
        if let last { lines[lines.count - 1] = last }
        return lines.joined(separator: "\n") + "\n"
    }

    static func options(workers: Int?) -> ReadOptions {
        var options = ReadOptions()
        options.parseWorkers = workers
        options.parseChunkBytes = 4 << 10
        options.batchSize = 50
        return options
    }

    static func compare(_ text: String, name: String) throws {
        let url = try temporaryFile(text, name: name)
        let one = try readAll(url, nil, options(workers: nil))
        for workers in [1, 2, 4] {
            let chunked = try readAll(url, nil, options(workers: workers))
            #expect(chunked.names == one.names)
            for column in one.names {
                #expect(chunked.texts(column) == one.texts(column), "\(column), \(workers) workers")
            }
            #expect(chunked.statistics == one.statistics)
        }
    }

    @Test func sameRowsAndStatisticsAsOneStream() throws {
        let text = Self.text(rows: 6_000)
        #expect(text.utf8.count > 25 * (4 << 10))  // many chunks
        try Self.compare(text, name: "chunks.csv")
        let url = try temporaryFile(text, name: "chunks.csv")
        let read = try readAll(url, nil, Self.options(workers: 2))
        #expect(read.rowCount == 6_000)
        #expect(read.statistics.blankLines == 6)
        #expect(read.statistics.lines == 6_007)
        #expect(read.statistics.nonNumericMissing["m"]?["NA"] == 666)
    }

    @Test func kindsTypedPerChunkAreJoined() throws {
        // Only the last line makes `code` text (a leading zero); `id` stays integer.
        let text = Self.text(rows: 6_000, last: "6000,007,1,n0,1")
        try Self.compare(text, name: "kinds.csv")
        var source = try DataReader.open(
            data: try temporaryFile(text, name: "kinds.csv"), codebook: nil, options: Self.options(workers: 2))
        let batch = try #require(try source.nextBatch())
        guard case .text = try #require(batch.column(named: "code")).storage else {
            Issue.record("code should be text")
            return
        }
        guard case .integer = try #require(batch.column(named: "id")).storage else {
            Issue.record("id should be integer")
            return
        }
    }

    @Test func quotedLineBreakAfterTheFirstChunkIsReadAsOneStream() throws {
        var lines = Self.text(rows: 6_000).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        lines[4_000] = "3999,1,0.5,\"two\nlines\",1"
        try Self.compare(lines.joined(separator: "\n"), name: "quoted.csv")
    }

    @Test func errorInALaterChunkNamesItsLineInTheFile() throws {
        var lines = Self.text(rows: 6_000).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        lines[5_000] = "4995,1,abc,n0,1"
        let url = try temporaryFile(lines.joined(separator: "\n"), name: "bad.csv")
        func failure(_ workers: Int?) -> ReadError? {
            var options = Self.options(workers: workers)
            options.numericVariables = ["x"]
            do {
                _ = try readAll(url, nil, options)
                return nil
            } catch {
                return error as? ReadError
            }
        }
        let one = try #require(failure(nil))
        #expect(one.line == 5_001)
        for workers in [1, 2] {
            let chunked = try #require(failure(workers))
            #expect(chunked == one)
        }
    }
}
