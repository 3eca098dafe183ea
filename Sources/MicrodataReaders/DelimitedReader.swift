import Foundation
import MicrodataCodebook

/// Reads CSV or TSV with a header row as batches of typed columns; decimals are never applied.
final class DelimitedReader: BatchSource {
    private let input: ByteInput
    private let scanner: RecordScanner
    private let options: ReadOptions
    private let encoding: TextEncoding
    /// For each output column: its name and missing rule.
    private let names: [String]
    private let rules: [MissingRule?]
    private let builders: [ColumnBuilder]
    /// The columns as the record loop reads them, without reference counting.
    private let hot: UnsafeMutableBufferPointer<HotColumn>
    private let headerCount: Int
    private let batchSize: Int
    private var ready: [Batch] = []
    private var finished = false
    private var lineNumber = 0
    private var rows = 0
    private var pending = 0
    private var stats = ReadStatistics()
    private var missingCounts: [Int]
    /// Per column: missing-value tokens met in an inferred numeric column, with counts.
    private var tokenCounts: [String: [String: Int]] = [:]
    private let progress: ProgressReporter
    /// The input holds no quote byte (a chunk of ``ParallelDelimitedSource``), so records split eight bytes at a time.
    private let quoteFree: Bool
    /// For each header field, the output column read from it, or −1; set when ``fastRecord(_:_:_:)`` may be used:
    /// quote-free input, no row limit, and every column read numeric without a missing rule.
    private let fastColumn: UnsafeMutableBufferPointer<Int32>?
    /// A record's values in ``fastRecord(_:_:_:)`` before they are appended: tag 0 missing, 1 integer, 2 real.
    private let fastTag: UnsafeMutablePointer<UInt8>
    private let fastBits: UnsafeMutablePointer<UInt64>

    /// Reads the header (and types the columns) from `input`, then reads the records that follow.
    /// `rereadPath` is the file the type-inference pass opens (default `path`: a spooled copy of a stream).
    convenience init(path: String, input: ByteInput, codebook: Codebook?, options: ReadOptions, rereadPath: String? = nil) throws {
        let layout = try DelimitedLayout(path: path, input: input, codebook: codebook, options: options, rereadPath: rereadPath)
        self.init(layout: layout, input: input, firstLine: layout.headerLines)
    }

    /// Reads the records of `input` (no header) as `layout` says; line numbers count on from `firstLine`.
    /// `quoteFree` promises that `input` holds no quote byte.
    init(layout: DelimitedLayout, input: ByteInput, firstLine: Int, quoteFree: Bool = false) {
        self.input = input
        options = layout.options
        encoding = layout.encoding
        progress = ProgressReporter(input: input)
        scanner = RecordScanner(delimiter: layout.delimiter)
        self.quoteFree = quoteFree && scanner.splitsQuoteFree
        lineNumber = firstLine
        names = layout.names
        rules = layout.rules
        headerCount = layout.headerCount
        batchSize = layout.batchSize
        let reserve = min(batchSize, 1 << 16)
        let builders = names.indices.map { ColumnBuilder(name: layout.names[$0], kind: layout.kinds[$0], reserve: reserve) }
        self.builders = builders
        hot = .allocate(capacity: names.count)
        for c in names.indices {
            hot[c] = HotColumn(source: layout.index[c], isText: layout.kinds[c] == .text, hasRule: layout.rules[c] != nil,
                               naIsMissing: layout.na[c], speculative: layout.speculative[c], builder: Unmanaged.passUnretained(builders[c]))
        }
        missingCounts = Array(repeating: 0, count: names.count)
        fastTag = .allocate(capacity: max(names.count, 1))
        fastBits = .allocate(capacity: max(names.count, 1))
        let plainDelimiter = !(layout.delimiter &- 0x30 < 10 || layout.delimiter == UInt8(ascii: ".")
                               || layout.delimiter == UInt8(ascii: "-"))
        if self.quoteFree && plainDelimiter && options.limit == nil && !names.isEmpty
            && names.indices.allSatisfy({ layout.kinds[$0] != .text && layout.rules[$0] == nil })
        {
            let map = UnsafeMutableBufferPointer<Int32>.allocate(capacity: layout.headerCount)
            map.initialize(repeating: -1)
            for c in names.indices { map[layout.index[c]] = Int32(c) }
            fastColumn = map
        } else {
            fastColumn = nil
        }
    }

    deinit {
        hot.deallocate()
        fastColumn?.deallocate()
        fastTag.deallocate()
        fastBits.deallocate()
    }

    /// An output column and the builder it appends to; `builders` keeps the builder alive.
    struct HotColumn {
        /// The header field it is read from.
        var source: Int
        /// A text column (its builder never changes kind); otherwise numeric.
        var isText: Bool
        var hasRule: Bool
        /// `NA` is missing (inferred numeric columns).
        var naIsMissing: Bool
        /// Read as numbers without the typing pass: a value that would make it text throws.
        var speculative: Bool
        var builder: Unmanaged<ColumnBuilder>
    }

    var statistics: ReadStatistics {
        var s = stats
        s.lines = lineNumber
        s.rows = rows
        s.rowsByRecordType[""] = rows
        for (c, n) in missingCounts.enumerated() where n > 0 { s.missingByRule[names[c]] = n }
        s.nonNumericMissing = tokenCounts
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

    private func fill() throws {
        while true {
            let p = input.base
            var pos = input.start
            let end = input.end
            let atEOF = input.atEOF
            scanning: while pos < end {
                if fastColumn != nil, let next = fastRecord(p, pos, end) {
                    lineNumber += 1
                    pos = next
                    if pending == batchSize { emit() }
                    if !ready.isEmpty {
                        input.start = pos
                        return
                    }
                    continue
                }
                let outcome = quoteFree ? scanner.scanQuoteFree(p, pos, end, atEOF: atEOF) : scanner.scan(p, pos, end, atEOF: atEOF)
                switch outcome {
                case .needMore:
                    break scanning
                case .malformed(let message, _):
                    throw ReadError(message: message, file: input.path, line: lineNumber + 1)
                case .record(let next):
                    let line = lineNumber + 1
                    if next - pos > options.maxLineLength {
                        throw input.lineTooLong(options.maxLineLength, line: line)
                    }
                    lineNumber += scanner.linesSpanned
                    pos = next
                    if scanner.count == 1 && scanner.starts[0] == scanner.ends[0] {
                        stats.blankLines += 1
                        continue
                    }
                    try record(p, line: line)
                    if !ready.isEmpty || finished {
                        input.start = pos
                        return
                    }
                }
            }
            input.start = pos
            progress.update()
            try input.checkLineLength(options.maxLineLength, line: lineNumber + 1)
            if try !input.refill() {
                if input.start < input.end { continue }  // the last record has no line break
                finish()
                return
            }
        }
    }

    @inline(__always)
    private func record(_ p: UnsafeMutablePointer<UInt8>, line: Int) throws {
        let count = scanner.count
        if count != headerCount {
            throw ReadError(message: "record has \(count) fields, the header has \(headerCount)",
                            file: input.path, line: line)
        }
        let starts = scanner.starts
        let ends = scanner.ends
        for c in hot.indices {
            let h = hot[c]
            try h.builder._withUnsafeGuaranteedRef { b in
                try append(p, starts[h.source], ends[h.source], h, column: c, to: b, line: line)
            }
        }
        rows += 1
        pending += 1
        if pending == batchSize { emit() }
        if let limit = options.limit, rows >= limit {
            stats.stoppedAtLimit = true
            finish()
        }
    }

    /// Reads the record at `pos` when it is a whole line, not blank, of `headerCount` fields whose columns read
    /// hold plain numbers (`-`, up to 15 digits, one `.`, no leading zero) or nothing: appends its values and
    /// returns the position after its line feed. Otherwise appends nothing and returns `nil`, and the general
    /// path reads the record (and reports what is wrong with it). Values are those of
    /// `parseDelimitedNumber`, bit for bit.
    @inline(__always)
    private func fastRecord(_ p: UnsafeMutablePointer<UInt8>, _ pos: Int, _ end: Int) -> Int? {
        let fieldColumn = fastColumn.unsafelyUnwrapped
        let delimiter = scanner.delimiter
        let last = headerCount - 1
        var i = pos
        if i >= end || p[i] == 0x0A || p[i] == 0x0D { return nil }  // blank lines are counted by the general path
        var f = 0
        while true {
            let c = Int(fieldColumn[f])
            if c >= 0 {
                let plain = PlainNumber(p, from: i, to: end)
                let a = i
                i = plain.end
                if i == a {
                    fastTag[c] = 0
                } else if plain.digits > 1 && p[plain.digitsStart] == 0x30 && plain.point != plain.digitsStart + 1 {
                    return nil  // a leading zero
                } else {
                    switch plain.value {
                    case .integer(let v)?:
                        fastTag[c] = 1
                        fastBits[c] = UInt64(bitPattern: v)
                    case .real(let v)?:
                        fastTag[c] = 2
                        fastBits[c] = v.bitPattern
                    default:
                        return nil
                    }
                }
            } else {
                while i < end && p[i] != delimiter && p[i] != 0x0A { i += 1 }
            }
            guard i < end else { return nil }
            var stop = p[i]
            if stop == 0x0D && i + 1 < end && p[i + 1] == 0x0A && c >= 0 {
                i += 1
                stop = 0x0A
            }
            if stop == 0x0A {
                if f != last || i + 1 - pos > options.maxLineLength { return nil }
                break
            }
            if stop != delimiter || f == last { return nil }
            i += 1
            f += 1
        }
        for c in 0..<hot.count {
            let b = hot[c].builder
            switch fastTag[c] {
            case 0: b._withUnsafeGuaranteedRef { $0.appendMissing() }
            case 1: b._withUnsafeGuaranteedRef { $0.append(Int64(bitPattern: fastBits[c])) }
            default: b._withUnsafeGuaranteedRef { $0.append(Double(bitPattern: fastBits[c])) }
            }
        }
        rows += 1
        pending += 1
        return i + 1
    }

    /// Parses field `p[a..<z]` of column `c` and appends it to its builder `b`.
    @inline(__always)
    private func append(_ p: UnsafeMutablePointer<UInt8>, _ a: Int, _ z: Int, _ h: HotColumn, column c: Int,
                        to b: ColumnBuilder, line: Int) throws {
        let k = h.source
        if h.isText {
            if a == z {
                b.append(nil as String?)
            } else {
                guard let s = scanner.text(p, k, encoding: encoding) else {
                    throw ReadError(message: invalidUTF8Message + " (field \(k + 1))", file: input.path,
                                    line: line, variable: names[c], found: foundText(p, a, z))
                }
                if h.hasRule, rules[c]!.texts.contains(s) {
                    b.appendMissing()
                    missingCounts[c] += 1
                } else {
                    b.append(s)
                }
            }
            return
        }
        let parsed = parseDelimitedNumber(p, a, z)
        if h.speculative, case .integer = parsed, p[a] &- 0x31 >= 9 { try speculateNumber(p, a, z, column: c) }
        if h.speculative, case .real = parsed, p[a] &- 0x31 >= 9 { try speculateNumber(p, a, z, column: c) }
        switch parsed {
        case .missing:
            b.appendMissing()
        case .integer(let v):
            if h.hasRule, rules[c]!.contains(v) {
                b.appendMissing()
                missingCounts[c] += 1
            } else {
                b.append(v)
            }
        case .real(let v):
            if h.hasRule, rules[c]!.contains(v) {
                b.appendMissing()
                missingCounts[c] += 1
            } else {
                b.append(v)
            }
        case .invalid:
            if h.naIsMissing { return try nonNumeric(p, a, z, column: c, to: b, line: line) }
            throw ReadError(message: numberProblem(p, a, z) + " (field \(k + 1))", file: input.path, line: line,
                            variable: names[c], found: foundText(p, a, z))
        }
    }

    /// Throws ``TypingSpeculationFailed`` when the number `p[a..<z]` of a speculatively typed column has a
    /// leading zero (`007`), which the typing pass would make text (a field starting 1-9 is never checked).
    private func speculateNumber(_ p: UnsafeMutablePointer<UInt8>, _ a: Int, _ z: Int, column c: Int) throws {
        if hasLeadingZero(p, a, z) {
            throw TypingSpeculationFailed(file: input.path, variable: names[c], found: foundText(p, a, z))
        }
    }

    /// A field of an inferred numeric column that is not a plain number: a missing-value token (counted;
    /// an error under `strict`), a finite number in exponent form, or an error naming the line.
    private func nonNumeric(_ p: UnsafeMutablePointer<UInt8>, _ a: Int, _ z: Int, column c: Int, to b: ColumnBuilder,
                            line: Int) throws {
        let k = hot[c].source
        switch classifyNonNumeric(p, a, z) {
        case .missingToken:
            let (ta, tz) = trimmed(p, a, z)
            let token = foundText(p, ta, tz)
            if options.strict {
                throw ReadError(message: "a missing-value token in a numeric column (--strict) (field \(k + 1))",
                                file: input.path, line: line, variable: names[c], found: token)
            }
            tokenCounts[names[c], default: [:]][token, default: 0] += 1
            b.appendMissing()
        case .number(let v) where v.isFinite:
            b.append(v)
        case .number:
            throw ReadError(message: "not a finite number (field \(k + 1))", file: input.path, line: line,
                            variable: names[c], found: foundText(p, a, z))
        case .text:
            if hot[c].speculative {
                throw TypingSpeculationFailed(file: input.path, variable: names[c], found: foundText(p, a, z))
            }
            throw ReadError(message: numberProblem(p, a, z) + " (field \(k + 1))", file: input.path, line: line,
                            variable: names[c], found: foundText(p, a, z))
        }
    }

    private func emit() {
        ready.append(Batch(columns: builders.map { $0.take() }, rowCount: pending))
        pending = 0
    }

    private func finish() {
        if finished { return }
        finished = true
        if pending > 0 { emit() }
        progress.finish()
    }

    /// One pass over the file to type each column, as ``KindInference`` describes: integer, real or text.
    ///
    /// Quote-free lines are typed by ``KindInference/addLines(_:_:_:)``; a record with a quote, and every
    /// record when `fastPath` is `false` (the reference the tests compare with), by ``RecordScanner``.
    ///
    /// With `workers` (2 or more) and `dataOffset` on a plain file, the chunks of ``ParallelDelimitedSource`` are
    /// typed on that many threads and their kinds joined (integer < real < text), which is the same result;
    /// a file with a quote byte is typed on one thread.
    static func inferKinds(
        path: String, displayPath: String? = nil, delimiter: UInt8, columns: [Int],
        maxLineLength: Int = ReadOptions.defaultMaxLineLength, fastPath: Bool = true,
        workers: Int? = nil, dataOffset: Int? = nil, chunkBytes: Int = 2 << 20
    ) throws -> [ColumnBuilder.Kind] {
        if let workers, workers > 1, let dataOffset, fastPath,
           let kinds = try inferKindsInChunks(path: path, displayPath: displayPath, delimiter: delimiter, columns: columns,
                                              maxLineLength: maxLineLength, workers: workers, dataOffset: dataOffset,
                                              chunkBytes: chunkBytes)
        {
            return kinds
        }
        let input = try ByteInput(path: path, displayPath: displayPath)
        return try inferKinds(input: input, header: true, delimiter: delimiter, columns: columns,
                              maxLineLength: maxLineLength, fastPath: fastPath)
    }

    /// Types the records of `input`, skipping its first record when `header`.
    static func inferKinds(
        input: ByteInput, header skipHeader: Bool, delimiter: UInt8, columns: [Int], maxLineLength: Int, fastPath: Bool
    ) throws -> [ColumnBuilder.Kind] {
        let scanner = RecordScanner(delimiter: delimiter)
        var inference = KindInference(delimiter: delimiter, columns: columns)
        let fast = fastPath && inference.hasFastPath
        var header = skipHeader
        var settled = inference.isSettled
        _ = try input.refill()
        while true {
            let p = input.base
            var pos = input.start
            let end = input.end
            if settled {
                // No value can change a type; the rest is still read, so read errors surface as before.
                pos = end
            }
            // Complete lines end at `linesEnd`; the next quote byte at or after `pos` is at `quote`.
            var linesEnd = pos
            if fast {
                if input.atEOF {
                    linesEnd = end
                } else {
                    var k = end
                    while k > pos && p[k - 1] != 0x0A { k -= 1 }
                    linesEnd = k
                }
            }
            var quote = -1
            scanning: while pos < end {
                if fast && !header && pos < linesEnd {
                    if quote < pos {
                        let hit = memchr(p + pos, Int32(UInt8(ascii: "\"")), linesEnd - pos)
                        quote = hit.map { UnsafeMutablePointer<UInt8>($0.assumingMemoryBound(to: UInt8.self)) - p }
                            ?? linesEnd
                    }
                    // The lines before the one holding the quote.
                    var stop = quote
                    if quote < linesEnd { while stop > pos && p[stop - 1] != 0x0A { stop -= 1 } }
                    if stop > pos {
                        inference.addLines(p, pos, stop)
                        pos = stop
                        continue
                    }
                }
                switch scanner.scan(p, pos, end, atEOF: input.atEOF) {
                case .needMore: break scanning
                case .malformed: return inference.kinds  // the reading pass reports it with its line
                case .record(let next):
                    pos = next
                    if header {
                        header = false
                        continue
                    }
                    inference.add(scanner, p)
                }
            }
            input.start = pos
            settled = settled || inference.isSettled
            if input.end - input.start > maxLineLength { return inference.kinds }  // the reading pass reports it
            if try !input.refill() {
                if input.start < input.end { continue }
                return inference.kinds
            }
        }
    }
}
