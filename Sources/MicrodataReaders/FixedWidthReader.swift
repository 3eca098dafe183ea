import Foundation
import MicrodataCodebook

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads a fixed-width file, flat or hierarchical, in one pass, as batches of typed columns.
final class FixedWidthReader: BatchSource {
    private let input: ByteInput
    private let plan: FixedWidthPlan
    private let options: ReadOptions
    private let batchSize: Int
    private var builders: [[ColumnBuilder]]
    private var tableRows: [Int]
    private var longRecordTypes: [String] = []
    private let hierarchicalLong: Bool
    private var rowsByLayout: [Int]
    private var missingCounts: [[Int]]
    private var ready: [Batch] = []
    private var finished = false
    private var lineNumber = 0
    private var rows = 0
    private var stats = ReadStatistics()
    private let progress: ProgressReporter
    /// Per layout: its fields with their builders resolved, in flat POD storage for the hot loop.
    private let hot: [UnsafeMutableBufferPointer<HotField>]

    /// A field and the builder it appends to, without reference counting in the loop.
    struct HotField {
        var start: Int
        var end: Int
        var decimals: Int
        var isText: Bool
        var rule: Int
        var column: Int
        unowned(unsafe) var builder: ColumnBuilder
    }

    init(input: ByteInput, plan: FixedWidthPlan, options: ReadOptions) {
        self.input = input
        self.plan = plan
        self.options = options
        batchSize = options.rowsPerBatch(columns: plan.tables.map(\.variables.count).max() ?? 1)
        let reserve = min(batchSize, 1 << 16)
        builders = plan.tables.map { table in
            table.variables.map { v in
                ColumnBuilder(name: v.name, kind: v.type == .character ? .text : (v.decimals > 0 ? .real : .integer),
                              reserve: reserve)
            }
        }
        tableRows = Array(repeating: 0, count: plan.tables.count)
        missingCounts = plan.tables.map { Array(repeating: 0, count: $0.variables.count) }
        rowsByLayout = Array(repeating: 0, count: plan.layouts.count)
        hierarchicalLong = plan.recordTypeField != nil && plan.tables.count == 1 && plan.tables[0].recordType == nil
        progress = ProgressReporter(input: input)
        let builders = self.builders
        hot = plan.layouts.map { layout in
            let buffer = UnsafeMutableBufferPointer<HotField>.allocate(capacity: layout.fields.count)
            for (i, f) in layout.fields.enumerated() {
                buffer[i] = HotField(start: f.start, end: f.end, decimals: f.decimals, isText: f.isText, rule: f.rule,
                                     column: f.column,
                                     builder: layout.table >= 0 ? builders[layout.table][f.column] : Self.unused)
            }
            return buffer
        }
    }

    /// Stands in for the builders of record types a filter excludes (never appended to).
    nonisolated(unsafe) private static let unused = ColumnBuilder(name: "", kind: .text, reserve: 0)

    deinit {
        for buffer in hot { buffer.deallocate() }
    }

    var statistics: ReadStatistics {
        var s = stats
        s.lines = lineNumber
        s.rows = rows
        for (i, layout) in plan.layouts.enumerated() where layout.included {
            s.rowsByRecordType[layout.code, default: 0] += rowsByLayout[i]
        }
        for (t, table) in plan.tables.enumerated() {
            for (c, v) in table.variables.enumerated() where missingCounts[t][c] > 0 {
                s.missingByRule[v.name, default: 0] += missingCounts[t][c]
            }
        }
        return s
    }

    /// The first error; every later call rethrows it, so a failed read never looks complete.
    private var failure: (any Error)?

    func nextBatch() throws -> Batch? {
        if let failure { throw failure }
        if let limit = options.limit, limit <= 0 { return nil }
        do {
            while ready.isEmpty && !finished { try fill() }
        } catch {
            failure = error
            ready = []
            throw error
        }
        return ready.isEmpty ? nil : ready.removeFirst()
    }

    /// Parses lines until a batch is ready or the data ends.
    private func fill() throws {
        while true {
            let p = input.base
            var pos = input.start
            let end = input.end
            while pos < end {
                guard let hit = memchr(p + pos, 0x0A, end - pos) else { break }
                let nl = hit.assumingMemoryBound(to: UInt8.self) - p
                let lineStart = pos
                pos = nl + 1
                try line(p, lineStart, nl)
                if !ready.isEmpty || finished {
                    input.start = pos
                    return
                }
            }
            input.start = pos
            progress.update()
            try input.checkLineLength(options.maxLineLength, line: lineNumber + 1)
            if try !input.refill() {
                if input.start < input.end {
                    let s = input.start
                    input.start = input.end
                    try line(input.base, s, input.end)
                }
                finish()
                return
            }
        }
    }

    @inline(__always)
    private func line(_ p: UnsafeMutablePointer<UInt8>, _ start: Int, _ nl: Int) throws {
        lineNumber += 1
        if nl - start > options.maxLineLength { throw input.lineTooLong(options.maxLineLength, line: lineNumber) }
        if lineNumber <= options.skip {
            stats.skippedLeadingLines += 1
            return
        }
        var end = nl
        if end > start && p[end - 1] == 0x0D { end -= 1 }
        if end == start {
            stats.blankLines += 1
            return
        }
        var index = 0
        if let rt = plan.recordTypeField {
            index = try dispatch(p, start, end, rt)
            if index < 0 { return }
        }
        if !plan.layouts[index].included {
            stats.skippedOtherRecordTypes += 1
            return
        }
        let tableIndex = plan.layouts[index].table
        if end - start < plan.layouts[index].minLength { throw tooShort(p, start, end, plan.layouts[index]) }
        for f in hot[index] {
            let b = f.builder
            if f.isText {
                let (a, z) = trimmed(p, start + f.start, start + f.end)
                if a == z {
                    b.append(nil as String?)
                } else {
                    guard let s = plan.encoding.decodeChecked(p, a, z) else {
                        throw ReadError(message: invalidUTF8Message, file: input.path, line: lineNumber,
                                        variable: plan.tables[tableIndex].variables[f.column].name,
                                        recordType: plan.recordTypeField == nil ? nil : plan.layouts[index].code,
                                        columns: (f.start + 1)...f.end, found: foundText(p, a, z))
                    }
                    if f.rule >= 0 && plan.rules[f.rule].texts.contains(s) {
                        b.appendMissing()
                        missingCounts[tableIndex][f.column] += 1
                    } else {
                        b.append(s)
                    }
                }
                continue
            }
            switch parseNumber(p, start + f.start, start + f.end, decimals: f.decimals) {
            case .missing:
                b.appendMissing()
            case .integer(let v):
                if f.rule >= 0 && plan.rules[f.rule].contains(v) {
                    b.appendMissing()
                    missingCounts[tableIndex][f.column] += 1
                } else {
                    b.append(v)
                }
            case .real(let v):
                if f.rule >= 0
                    && plan.rules[f.rule].contains(v, implied: f.decimals > 0
                        && memchr(p + start + f.start, 0x2E, f.end - f.start) == nil)
                {
                    b.appendMissing()
                    missingCounts[tableIndex][f.column] += 1
                } else {
                    b.append(v)
                }
            case .invalid:
                let (a, z) = trimmed(p, start + f.start, start + f.end)
                throw ReadError(message: numberProblem(p, a, z), file: input.path, line: lineNumber,
                                variable: plan.tables[tableIndex].variables[f.column].name,
                                recordType: plan.recordTypeField == nil ? nil : plan.layouts[index].code,
                                columns: (f.start + 1)...f.end, found: foundText(p, a, z))
            }
        }
        if !plan.layouts[index].absent.isEmpty {
            for c in plan.layouts[index].absent { builders[tableIndex][c].appendMissing() }
        }
        if hierarchicalLong { longRecordTypes.append(plan.layouts[index].code) }
        rowsByLayout[index] += 1
        rows += 1
        tableRows[tableIndex] += 1
        if tableRows[tableIndex] == batchSize { emit(tableIndex) }
        if let limit = options.limit, rows >= limit {
            stats.stoppedAtLimit = true
            finish()
        }
    }

    /// The layout index of the line's record type; -1 after counting an unknown type.
    @inline(__always)
    private func dispatch(_ p: UnsafeMutablePointer<UInt8>, _ start: Int, _ end: Int,
                          _ rt: (start: Int, end: Int, name: String)) throws -> Int
    {
        if end - start < rt.end {
            throw ReadError(message: "line is too short to hold the record type (\(end - start) bytes)",
                            file: input.path, line: lineNumber, variable: rt.name, columns: (rt.start + 1)...rt.end,
                            found: foundText(p, start, end))
        }
        let (a, z) = trimmed(p, start + rt.start, start + rt.end)
        let n = z - a
        for (i, layout) in plan.layouts.enumerated() where layout.codeBytes.count == n {
            var same = true
            for k in 0..<n where layout.codeBytes[k] != p[a + k] {
                same = false
                break
            }
            if same { return i }
        }
        if case .integer(let v) = parseNumber(p, a, z, decimals: 0),
           let i = plan.layouts.firstIndex(where: { $0.numericCode == v })
        {
            return i
        }
        let code = foundText(p, a, z)
        if options.strict {
            throw ReadError(message: "unknown record type (declared: "
                            + plan.layouts.map(\.code).joined(separator: ", ") + ")",
                            file: input.path, line: lineNumber, variable: rt.name, columns: (rt.start + 1)...rt.end,
                            found: code)
        }
        stats.unknownRecordTypes[code, default: 0] += 1
        if stats.firstUnknownRecordTypeLine[code] == nil { stats.firstUnknownRecordTypeLine[code] = lineNumber }
        return -1
    }

    private func tooShort(_ p: UnsafeMutablePointer<UInt8>, _ start: Int, _ end: Int, _ layout: TypeLayout)
        -> ReadError
    {
        let length = end - start
        let field = layout.fields.first { $0.end > length }!
        let kind = plan.recordTypeField == nil ? "the layout" : "record type \(layout.code)"
        return ReadError(message: "line is too short: \(length) bytes, \(kind) needs \(layout.minLength)",
                         file: input.path, line: lineNumber, variable: plan.tables[layout.table].variables[field.column].name,
                         recordType: plan.recordTypeField == nil ? nil : layout.code,
                         columns: (field.start + 1)...field.end, found: foundText(p, start, end))
    }

    private func emit(_ table: Int) {
        let columns = builders[table].map { $0.take() }
        let count = tableRows[table]
        tableRows[table] = 0
        var batch = Batch(columns: columns, rowCount: count, recordType: plan.tables[table].recordType)
        if hierarchicalLong {
            batch.recordTypes = longRecordTypes
            longRecordTypes = []
            longRecordTypes.reserveCapacity(min(batchSize, 1 << 16))
        }
        ready.append(batch)
    }

    private func finish() {
        if finished { return }
        finished = true
        for t in plan.tables.indices where tableRows[t] > 0 { emit(t) }
        progress.finish()
    }
}
