import CReadStat
import Foundation

/// Collects the values ReadStat's value handler delivers into column buffers and hands a ``Batch`` to the
/// consumer every `batchSize` rows, so at most two batches are held at once.
final class StatDataSink: @unchecked Sendable {
    /// ReadStat variable index → output column, or -1 when not selected.
    private let slotOf: [Int]
    private let names: [String]
    private let isText: [Bool]
    private let missingRanges: [[(lo: Double, hi: Double)]]
    private let missingTexts: [Set<String>]
    private let keepRawMissing: Bool
    private let batchSize: Int
    /// The highest selected ReadStat index: its value completes a row.
    private let lastIndex: Int
    private var reals: [[Double]]
    private var texts: [[String?]]
    private var rowsInBatch = 0
    private var missingCounts: [Int]
    /// Extended missing values met, per output column and tag byte (`a`–`z`, `A`–`Z`, `_`).
    private var tagCounts: [[UInt8: Int]]
    private(set) var rowsRead = 0
    /// Whether ReadStat has delivered a data value (errors after that can name the row).
    private(set) var startedData = false
    /// The row count from the file's header (-1 when unknown); ReadStat reports the limit instead when one is set.
    private let declaredRows: Int
    let channel: BatchChannel

    var cancelled: Bool { channel.isCancelled }

    /// `selected`: the file's variables to read, in output order.
    init(
        variables: [StatVariableInfo], selected: [Int], declaredRows: Int, options: ReadOptions, channel: BatchChannel
    ) {
        self.declaredRows = declaredRows
        var slotOf = [Int](repeating: -1, count: (variables.map(\.index).max() ?? -1) + 1)
        for (slot, position) in selected.enumerated() { slotOf[variables[position].index] = slot }
        self.slotOf = slotOf
        let chosen = selected.map { variables[$0] }
        names = chosen.map(\.name)
        isText = chosen.map(\.isText)
        missingRanges = chosen.map(\.missingRanges)
        missingTexts = chosen.map { Set($0.missingTexts) }
        keepRawMissing = options.keepRawMissing
        batchSize = options.rowsPerBatch(columns: chosen.count)
        lastIndex = chosen.map(\.index).max() ?? -1
        reals = Array(repeating: [], count: chosen.count)
        texts = Array(repeating: [], count: chosen.count)
        missingCounts = Array(repeating: 0, count: chosen.count)
        tagCounts = Array(repeating: [:], count: chosen.count)
        self.channel = channel
        reserve()
    }

    private func reserve() {
        for slot in names.indices {
            if isText[slot] { texts[slot].reserveCapacity(batchSize) } else { reals[slot].reserveCapacity(batchSize) }
        }
    }

    func isSelected(_ index: Int) -> Bool { index >= 0 && index < slotOf.count && slotOf[index] >= 0 }

    /// Stores one value; returns `false` when the consumer has gone away (the parse is then aborted).
    @inline(__always)
    func accept(row: Int, variable: UnsafeMutablePointer<readstat_variable_t>, value: readstat_value_t) -> Bool {
        startedData = true
        let index = Int(variable.pointee.index)
        guard index < slotOf.count else { return true }
        let slot = slotOf[index]
        guard slot >= 0 else { return true }
        if isText[slot] {
            var text: String?
            if let p = readstat_string_value(value), p.pointee != 0 {
                text = String(cString: p)
                if text!.utf8.last == 0x20 { text = trimTrailingSpaces(text!) }
                if text!.isEmpty { text = nil }
            }
            if let t = text, !missingTexts[slot].isEmpty, missingTexts[slot].contains(t) {
                missingCounts[slot] += 1
                if !keepRawMissing { text = nil }
            }
            texts[slot].append(text)
        } else {
            var x: Double
            if readstat_value_is_system_missing(value) != 0 {
                x = .nan
            } else if readstat_value_is_tagged_missing(value) != 0 {
                // Stata .a–.z and SAS .A–.Z, ._: missing by definition; the codebook lists the labelled tags.
                x = .nan
                missingCounts[slot] += 1
                tagCounts[slot][UInt8(bitPattern: readstat_value_tag(value)), default: 0] += 1
            } else {
                x = readstat_double_value(value)
                let ranges = missingRanges[slot]
                if !ranges.isEmpty, ranges.contains(where: { x >= $0.lo && x <= $0.hi }) {
                    missingCounts[slot] += 1
                    if !keepRawMissing { x = .nan }
                }
            }
            reals[slot].append(x)
        }
        if index == lastIndex {
            rowsInBatch += 1
            rowsRead += 1
            if rowsInBatch == batchSize { return flush() }
        }
        return true
    }

    private func trimTrailingSpaces(_ s: String) -> String {
        var u = Substring(s)
        while u.last == " " { u.removeLast() }
        return String(u)
    }

    private func flush() -> Bool {
        var columns: [Column] = []
        columns.reserveCapacity(names.count)
        for slot in names.indices {
            if isText[slot] {
                columns.append(Column(name: names[slot], storage: .text(texts[slot])))
                texts[slot] = []
            } else {
                columns.append(Column(name: names[slot], storage: .real(reals[slot])))
                reals[slot] = []
            }
        }
        let batch = Batch(columns: columns, rowCount: rowsInBatch)
        rowsInBatch = 0
        reserve()
        return channel.put(batch, statistics: statistics(stoppedAtLimit: false))
    }

    func statistics(stoppedAtLimit: Bool) -> ReadStatistics {
        var stats = ReadStatistics()
        stats.rows = rowsRead
        stats.lines = rowsRead
        stats.rowsByRecordType[""] = rowsRead
        for slot in names.indices where missingCounts[slot] > 0 {
            stats.missingByRule[names[slot]] = missingCounts[slot]
        }
        for slot in names.indices where !tagCounts[slot].isEmpty {
            var tags: [String: Int] = [:]
            for (tag, n) in tagCounts[slot] { tags["." + String(decoding: [tag], as: UTF8.self)] = n }
            stats.extendedMissing[names[slot]] = tags
        }
        stats.stoppedAtLimit = stoppedAtLimit
        return stats
    }

    /// Hands out the last partial batch and checks that every declared row arrived.
    func finish(session: ReadStatSession, rowLimit: Int?) throws {
        if rowsInBatch > 0, !flush() { return }
        var expected = declaredRows
        if let rowLimit, expected < 0 || rowLimit < expected { expected = rowLimit }
        if expected >= 0, rowsRead < expected, lastIndex >= 0 {
            var message = "the file declares \(declaredRows) rows but only \(rowsRead) could be read"
            if let note = session.truncationNote { message += "; " + note }
            throw StatFileError(
                kind: .truncated, message: message, file: session.path, byteOffset: Int(session.errorOffset),
                fileSize: Int(session.fileSize), row: rowsRead + 1)
        }
        let stopped = rowLimit.map { declaredRows < 0 || $0 < declaredRows } ?? false
        channel.finish(error: nil, statistics: statistics(stoppedAtLimit: stopped && rowsRead == rowLimit))
    }
}

/// A one-slot hand-off between the ReadStat parsing thread and the consumer.
final class BatchChannel: @unchecked Sendable {
    private let condition = NSCondition()
    private var slot: Batch?
    private var finished = false
    private var failure: (any Error)?
    private var cancelled = false
    private var latest = ReadStatistics()

    var isCancelled: Bool {
        condition.lock()
        defer { condition.unlock() }
        return cancelled
    }

    var statistics: ReadStatistics {
        condition.lock()
        defer { condition.unlock() }
        return latest
    }

    /// Waits until the slot is free; `false` if the consumer cancelled.
    func put(_ batch: Batch, statistics: ReadStatistics) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while slot != nil && !cancelled { condition.wait() }
        if cancelled { return false }
        slot = batch
        latest = statistics
        condition.broadcast()
        return true
    }

    func finish(error: (any Error)?, statistics: ReadStatistics?) {
        condition.lock()
        defer { condition.unlock() }
        if finished { return }
        finished = true
        failure = error
        if let statistics { latest = statistics }
        condition.broadcast()
    }

    /// The next batch, `nil` at the end; rethrows the parser's error after the batches before it.
    func take() throws -> Batch? {
        condition.lock()
        defer { condition.unlock() }
        while slot == nil && !finished { condition.wait() }
        if let batch = slot {
            slot = nil
            condition.broadcast()
            return batch
        }
        if let failure {
            self.failure = nil
            throw failure
        }
        return nil
    }

    func cancel() {
        condition.lock()
        defer { condition.unlock() }
        cancelled = true
        slot = nil
        condition.broadcast()
    }
}
