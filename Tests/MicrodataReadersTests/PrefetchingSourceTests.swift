import Foundation
import MicrodataReaders
import MicrodataTestSupport
import Testing

/// Counts what a test source does, from whichever thread reads it.
final class SourceLog: @unchecked Sendable {
    private let lock = NSLock()
    private var _calls = 0
    private var _released = false
    var calls: Int { lock.withLock { _calls } }
    var released: Bool { lock.withLock { _released } }
    func call() { lock.withLock { _calls += 1 } }
    func release() { lock.withLock { _released = true } }
}

/// Batches of one integer column numbered from 0, then an error or the end (`count` nil: never ends).
final class CountingSource: BatchSource {
    let count: Int?
    let error: ReadError?
    let log: SourceLog
    private var next = 0

    init(count: Int?, error: ReadError? = nil, log: SourceLog = SourceLog()) {
        self.count = count
        self.error = error
        self.log = log
    }

    deinit { log.release() }

    func nextBatch() throws -> Batch? {
        log.call()
        if let count, next >= count {
            if let error { throw error }
            return nil
        }
        next += 1
        return Batch(columns: [Column(name: "i", storage: .integer([Int64(next - 1)], missing: [false]))], rowCount: 1)
    }

    var statistics: ReadStatistics {
        var s = ReadStatistics()
        s.rows = next
        return s
    }
}

/// Waits up to five seconds for `condition`.
func eventually(_ condition: () -> Bool) -> Bool {
    for _ in 0..<500 {
        if condition() { return true }
        usleep(10_000)
    }
    return condition()
}

@Suite struct PrefetchingSourceTests {
    func values(_ batch: Batch) -> [Double?] { (0..<batch.rowCount).map { batch.columns[0].double(at: $0) } }

    @Test func orderAndStatisticsArePreserved() throws {
        let source = PrefetchingSource(CountingSource(count: 50))
        var seen: [Double?] = []
        while let batch = try source.nextBatch() {
            seen += values(batch)
            #expect(source.statistics.rows == seen.count)
        }
        #expect(seen == (0..<50).map { Double($0) })
        #expect(source.statistics.rows == 50)
        #expect(try source.nextBatch() == nil)
    }

    @Test func errorComesAfterTheBatchesBeforeItAndStays() throws {
        let error = ReadError(message: "not a number (field 2)", file: "x.csv", line: 7, variable: "y", found: "abc")
        let source = PrefetchingSource(CountingSource(count: 3, error: error))
        for i in 0..<3 { #expect(try values(#require(try source.nextBatch())) == [Double(i)]) }
        #expect(throws: error) { try source.nextBatch() }
        #expect(throws: error) { try source.nextBatch() }
        #expect(source.statistics.rows == 3)
    }

    @Test func droppingItEarlyStopsTheThreadAndReleasesTheSource() throws {
        let log = SourceLog()
        var source: PrefetchingSource? = PrefetchingSource(CountingSource(count: nil, log: log), depth: 2)
        _ = try source?.nextBatch()
        // The thread fills the queue, then waits for room: two queued, one being pushed, one handed out.
        #expect(eventually { log.calls >= 3 })
        usleep(50_000)
        #expect(log.calls <= 4)
        source = nil
        #expect(eventually { log.released })
    }

    @Test func cancelStopsReadingAhead() throws {
        let log = SourceLog()
        let source = PrefetchingSource(CountingSource(count: nil, log: log))
        _ = try source.nextBatch()
        source.cancel()
        #expect(eventually { log.released })
        #expect(throws: CancellationError.self) { try source.nextBatch() }
    }

    @Test func sameAsTheDelimitedReaderOnItsOwn() throws {
        var text = "a,b,c\n"
        for i in 0..<5000 { text += "\(i),\(i % 7).5,x\(i % 3)\n" }
        text += "5000,1.5\n"
        let url = try temporaryFile(text, name: "p.csv")
        let options = ReadOptions(variables: ["c", "b", "a"], batchSize: 700)
        var direct = try DataReader.open(data: url, codebook: nil, options: options)
        let ahead = PrefetchingSource(try DataReader.open(data: url, codebook: nil, options: options))
        var failed = false
        while true {
            let expected: Batch?
            do {
                expected = try direct.nextBatch()
            } catch let error as ReadError {
                #expect(error.message == "record has 2 fields, the header has 3" && error.line == 5002)
                #expect(throws: error) { try ahead.nextBatch() }
                failed = true
                break
            }
            let got = try ahead.nextBatch()
            #expect(got?.rowCount == expected?.rowCount)
            #expect(got?.columns.map(\.name) == expected?.columns.map(\.name))
            for (g, e) in zip(got?.columns ?? [], expected?.columns ?? []) {
                #expect((0..<g.count).map { g.text(at: $0) } == (0..<e.count).map { e.text(at: $0) })
            }
            #expect(ahead.statistics == direct.statistics)
            if expected == nil { break }
        }
        #expect(failed)
        #expect(ahead.statistics == direct.statistics)
    }
}
