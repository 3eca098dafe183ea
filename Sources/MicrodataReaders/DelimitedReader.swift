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

    /// `rereadPath` is the file the type-inference pass opens (default `path`: a spooled copy of a stream).
    init(path: String, input: ByteInput, codebook: Codebook?, options: ReadOptions, rereadPath: String? = nil) throws {
        self.input = input
        self.options = options
        encoding = TextEncoding(charset: codebook.flatMap { FixedWidthPlan.dataFile(of: $0, dataPath: path)?.charset })
        progress = ProgressReporter(input: input)
        // Header.
        _ = try input.refill()
        var delimiter = UInt8(ascii: ",")
        if case .delimited(let d)? = options.format, let d {
            delimiter = d
        } else {
            var k = input.start
            while k < input.end && input.base[k] != 0x0A { k += 1 }
            delimiter = Delimiter.sniff(UnsafeBufferPointer(start: input.base + input.start, count: k - input.start))
        }
        let headerScanner = RecordScanner(delimiter: delimiter)
        var header: [String] = []
        while true {
            switch headerScanner.scan(input.base, input.start, input.end, atEOF: input.atEOF) {
            case .record(let next):
                let sc = headerScanner
                header = try (0..<sc.count).map {
                    guard let name = sc.text(input.base, $0, encoding: .utf8) else {
                        throw ReadError(message: "header, field \($0 + 1): " + invalidUTF8Message, file: path, line: 1)
                    }
                    return name
                }
                    .map { $0.trimmingCharacters(in: .whitespaces) }
                input.start = next
            case .needMore:
                try input.checkLineLength(options.maxLineLength, line: 1)
                if try input.refill() { continue }
                continue
            case .malformed(let message, let field):
                throw ReadError(message: "header, field \(field): \(message)", file: path, line: 1)
            }
            break
        }
        scanner = headerScanner
        lineNumber = headerScanner.linesSpanned
        if header.isEmpty || header == [""] { throw ReadError(message: "no header row", file: path, line: 1) }
        headerCount = header.count
        let lowered = header.map { $0.lowercased() }
        var index: [Int] = []
        if let wanted = options.variables {
            for name in wanted {
                guard let i = lowered.firstIndex(of: name.lowercased()) else {
                    throw ReadError(message: "variable is not in the header (" + header.joined(separator: ", ") + ")",
                                    file: path, line: 1, variable: name)
                }
                if !index.contains(i) { index.append(i) }
            }
        } else {
            index = Array(header.indices)
        }
        let names = index.map { header[$0] }
        self.names = names
        var kinds: [ColumnBuilder.Kind] = []
        var rules: [MissingRule?] = []
        var na: [Bool] = []
        if let codebook {
            for name in names {
                if let v = codebook.variable(named: name) {
                    kinds.append(v.type == .character ? .text : .integer)
                    let rule = MissingRule(variable: v)
                    rules.append(options.keepRawMissing || rule.isEmpty ? nil : rule)
                } else {
                    kinds.append(.text)
                    rules.append(nil)
                }
                na.append(false)
            }
        } else {
            // Columns the caller uses only as numbers are not typed; the rest take one typing pass.
            var inferred = Array(repeating: ColumnBuilder.Kind.real, count: names.count)
            let typed = names.indices.filter { !options.readsAsNumber(names[$0]) }
            if options.inferredAsText {
                for c in typed { inferred[c] = .text }
            } else if !typed.isEmpty {
                let found = try DelimitedReader.inferKinds(path: rereadPath ?? path, displayPath: path,
                                                           delimiter: delimiter, columns: typed.map { index[$0] },
                                                           maxLineLength: options.maxLineLength)
                for (j, c) in typed.enumerated() { inferred[c] = found[j] }
            }
            kinds = inferred
            rules = Array(repeating: nil, count: names.count)
            na = inferred.map { $0 != .text }
        }
        for name in options.textVariables {
            guard lowered.contains(name.lowercased()) else {
                throw ReadError(message: "--string names a variable that is not in the header ("
                                    + header.joined(separator: ", ") + ")", file: path, line: 1, variable: name)
            }
            guard let c = names.firstIndex(where: { $0.lowercased() == name.lowercased() }) else { continue }
            kinds[c] = .text
            rules[c] = nil
            na[c] = false
        }
        self.rules = rules
        batchSize = options.rowsPerBatch(columns: names.count)
        let reserve = min(batchSize, 1 << 16)
        let builders = names.indices.map { ColumnBuilder(name: names[$0], kind: kinds[$0], reserve: reserve) }
        self.builders = builders
        hot = .allocate(capacity: names.count)
        for c in names.indices {
            hot[c] = HotColumn(source: index[c], isText: kinds[c] == .text, hasRule: rules[c] != nil,
                               naIsMissing: na[c], builder: Unmanaged.passUnretained(builders[c]))
        }
        missingCounts = Array(repeating: 0, count: names.count)
    }

    deinit { hot.deallocate() }

    /// An output column and the builder it appends to; `builders` keeps the builder alive.
    struct HotColumn {
        /// The header field it is read from.
        var source: Int
        /// A text column (its builder never changes kind); otherwise numeric.
        var isText: Bool
        var hasRule: Bool
        /// `NA` is missing (inferred numeric columns).
        var naIsMissing: Bool
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
            scanning: while pos < end {
                switch scanner.scan(p, pos, end, atEOF: input.atEOF) {
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
        switch parseDelimitedNumber(p, a, z) {
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
    static func inferKinds(
        path: String, displayPath: String? = nil, delimiter: UInt8, columns: [Int],
        maxLineLength: Int = ReadOptions.defaultMaxLineLength, fastPath: Bool = true
    ) throws -> [ColumnBuilder.Kind] {
        let input = try ByteInput(path: path, displayPath: displayPath)
        let scanner = RecordScanner(delimiter: delimiter)
        var inference = KindInference(delimiter: delimiter, columns: columns)
        let fast = fastPath && inference.hasFastPath
        var header = true
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
