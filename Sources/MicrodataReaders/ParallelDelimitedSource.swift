import Foundation

/// Parses a plain delimited file on several threads: the records after the header are cut into the chunks of
/// a ``ChunkPlan``, each parsed whole by whichever worker takes it, and their batches are handed out in file
/// order. The batches depend only on the file and ``ReadOptions/parseChunkBytes`` (a chunk's rows in batches
/// of at most ``ReadOptions/batchSize``), never on the number of workers or their timing, so a consumer that
/// adds them in order gets the same result, bit for bit, from one worker or many.
///
/// Memory stays bounded: workers take a chunk only while fewer than `window` chunks wait for the consumer.
/// Errors name the line in the whole file, and the batches before an error are handed out first. A chunk
/// holding a quote byte may have been cut inside a quoted line break, so from that chunk on the file is read
/// on the consumer's thread as one stream.
public final class ParallelDelimitedSource: BatchSource {
    private let layout: DelimitedLayout
    private let plan: ChunkPlan
    private let work: ChunkWork
    /// The batches of the chunk being handed out, last first.
    private var current: [Batch] = []
    /// The error that follows `current`.
    private var pendingFailure: (any Error)?
    private var failure: (any Error)?
    private var next = 0
    /// What the chunks handed out so far read (the header's lines included).
    private var read = ReadStatistics()
    /// From a quoted chunk on: the rest of the file on this thread, its lines counted from `serialFirstLine`.
    private var serial: DelimitedReader?
    private var serialFirstLine = 0

    /// Reads `path` (shown as `displayPath`) from `layout.dataOffset` on, with `workers` threads.
    init(path: String, displayPath: String, layout: DelimitedLayout, workers: Int, window: Int = 4) throws {
        self.layout = layout
        let file = try SharedFile(path: path, displayPath: displayPath)
        plan = ChunkPlan(file: file, start: layout.dataOffset, chunkBytes: layout.options.parseChunkBytes)
        read.lines = layout.headerLines
        read.rowsByRecordType[""] = 0
        let work = ChunkWork(count: plan.count, window: max(window, workers))
        self.work = work
        let plan = self.plan
        for _ in 0..<min(max(workers, 1), plan.count) {
            let thread = Thread {
                // Below the consumer: it adds batches as they come, so none wait for it when the workers stop.
                #if os(Linux)
                _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, 5)  // 0: this thread, on Linux
                #endif
                work.run(plan: plan, layout: layout)
            }
            thread.stackSize = 8 << 20
            thread.start()
        }
    }

    deinit { work.cancel() }

    public var statistics: ReadStatistics {
        guard let serial else { return read }
        var s = read
        s.add(serial.statistics)
        return s
    }

    public func nextBatch() throws -> Batch? {
        if let failure { throw failure }
        do {
            return try nextBatchOrThrow()
        } catch {
            failure = error
            work.cancel()
            throw error
        }
    }

    private func nextBatchOrThrow() throws -> Batch? {
        while true {
            if let batch = current.popLast() { return batch }
            if let pendingFailure { throw pendingFailure }
            if let serial {
                do { return try serial.nextBatch() } catch { throw Self.onLine(error, after: serialFirstLine) }
            }
            if next >= plan.count { return nil }
            let result = work.take(next)
            if result.quoted {
                work.cancel()
                let fd = dup(plan.file.fd)
                if fd < 0 { throw ReadError(message: "cannot read the file: \(String(cString: strerror(errno)))", file: layout.path) }
                let input = ByteInput(descriptor: fd, offset: try plan.boundary(next), fileSize: plan.file.size, path: layout.path)
                serialFirstLine = read.lines
                serial = DelimitedReader(layout: layout, input: input, firstLine: 0)
                continue
            }
            let firstLine = read.lines
            read.add(result.statistics)
            current = result.batches.reversed()
            pendingFailure = result.failure.map { Self.onLine($0, after: firstLine) }
            next += 1
        }
    }

    /// `error` with its line counted in the whole file, for a reader that started after `lines` lines.
    private static func onLine(_ error: any Error, after lines: Int) -> any Error {
        guard var e = error as? ReadError, let line = e.line else { return error }
        e.line = line + lines
        return e
    }
}

extension ReadStatistics {
    /// Adds what a reader of a later part of the same file read (its lines counted from 0).
    mutating func add(_ other: ReadStatistics) {
        lines += other.lines
        rows += other.rows
        for (type, n) in other.rowsByRecordType { rowsByRecordType[type, default: 0] += n }
        blankLines += other.blankLines
        for (name, n) in other.missingByRule { missingByRule[name, default: 0] += n }
        for (name, tokens) in other.nonNumericMissing {
            for (token, n) in tokens { nonNumericMissing[name, default: [:]][token, default: 0] += n }
        }
        stoppedAtLimit = stoppedAtLimit || other.stoppedAtLimit
    }
}

/// What a worker made of one chunk.
struct ChunkResult: @unchecked Sendable {
    var batches: [Batch] = []
    var statistics = ReadStatistics()
    var failure: (any Error)?
    /// The chunk holds a quote byte and was not parsed.
    var quoted = false
}

/// Hands chunk numbers to the workers (at most `window` ahead of the consumer) and their results, in any
/// order, to the consumer, which takes them in chunk order.
final class ChunkWork: @unchecked Sendable {
    private let condition = NSCondition()
    private let count: Int
    private let window: Int
    private var claimed = 0
    private var consumed = 0
    private var results: [Int: ChunkResult] = [:]
    private var cancelled = false

    init(count: Int, window: Int) {
        self.count = count
        self.window = window
    }

    /// A worker's loop: claims chunks and parses each whole, until none is left or the consumer has gone.
    func run(plan: ChunkPlan, layout: DelimitedLayout) {
        let buffer = ChunkBuffer()
        while let i = claim() {
            var result = ChunkResult()
            do {
                let (input, quoted) = try plan.read(i, into: buffer)
                if quoted {
                    result.quoted = true
                } else {
                    let reader = DelimitedReader(layout: layout, input: input, firstLine: 0, quoteFree: true)
                    do {
                        while let batch = try reader.nextBatch() { result.batches.append(batch) }
                    } catch {
                        result.failure = error
                    }
                    result.statistics = reader.statistics
                }
            } catch {
                result.failure = error
            }
            deposit(i, result)
        }
    }

    private func claim() -> Int? {
        condition.lock()
        defer { condition.unlock() }
        while !cancelled && claimed < count && claimed >= consumed + window { condition.wait() }
        if cancelled || claimed >= count { return nil }
        claimed += 1
        return claimed - 1
    }

    private func deposit(_ i: Int, _ result: ChunkResult) {
        condition.lock()
        defer { condition.unlock() }
        if cancelled { return }
        results[i] = result
        condition.broadcast()
    }

    /// Waits for chunk `i`'s result; the chunks before it must have been taken.
    func take(_ i: Int) -> ChunkResult {
        condition.lock()
        defer { condition.unlock() }
        while results[i] == nil { condition.wait() }
        consumed = i + 1
        condition.broadcast()
        return results.removeValue(forKey: i)!
    }

    /// Stops the workers after the chunk each is parsing and drops the results not taken.
    func cancel() {
        condition.lock()
        defer { condition.unlock() }
        cancelled = true
        results.removeAll()
        condition.broadcast()
    }
}
