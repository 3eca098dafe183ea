import Foundation
import MicrodataCodebook

/// Splits delimited records (RFC 4180 quoting) out of a ``ByteInput`` without copying fields.
struct RecordScanner {
    let delimiter: UInt8
    /// Field contents as byte ranges of the input window, for the last record scanned.
    var starts: [Int] = []
    var ends: [Int] = []
    /// Whether a field was quoted and held doubled quotes that must be collapsed.
    var escaped: [Bool] = []
    /// Physical lines the last record spanned.
    var linesSpanned = 0

    init(delimiter: UInt8) { self.delimiter = delimiter }

    enum Outcome {
        case record(next: Int)
        case needMore
        case malformed(String, field: Int)
    }

    /// Scans one record starting at `pos`.
    mutating func scan(_ p: UnsafeMutablePointer<UInt8>, _ pos: Int, _ end: Int, atEOF: Bool) -> Outcome {
        starts.removeAll(keepingCapacity: true)
        ends.removeAll(keepingCapacity: true)
        escaped.removeAll(keepingCapacity: true)
        linesSpanned = 1
        var i = pos
        var fieldStart = pos
        while true {
            // One field.
            if i < end && p[i] == UInt8(ascii: "\"") {
                var j = i + 1
                var doubled = false
                while true {
                    guard j < end else {
                        if atEOF { return .malformed("unclosed quote", field: starts.count + 1) }
                        return .needMore
                    }
                    let c = p[j]
                    if c == UInt8(ascii: "\"") {
                        if j + 1 < end && p[j + 1] == UInt8(ascii: "\"") {
                            doubled = true
                            j += 2
                            continue
                        }
                        if j + 1 == end && !atEOF { return .needMore }
                        break
                    }
                    if c == 0x0A { linesSpanned += 1 }
                    j += 1
                }
                starts.append(i + 1)
                ends.append(j)
                escaped.append(doubled)
                i = j + 1
                if i < end && p[i] == 0x0D {
                    if i + 1 == end && !atEOF { return .needMore }
                    if i + 1 == end || p[i + 1] == 0x0A { i += 1 }
                }
                if i < end && p[i] != delimiter && p[i] != 0x0A {
                    return .malformed("text after a closing quote", field: starts.count)
                }
            } else {
                fieldStart = i
                while i < end && p[i] != delimiter && p[i] != 0x0A { i += 1 }
                var fieldEnd = i
                if i == end && !atEOF { return .needMore }
                if fieldEnd > fieldStart && p[fieldEnd - 1] == 0x0D && (i == end || p[i] == 0x0A) { fieldEnd -= 1 }
                starts.append(fieldStart)
                ends.append(fieldEnd)
                escaped.append(false)
            }
            if i >= end { return .record(next: end) }
            if p[i] == 0x0A { return .record(next: i + 1) }
            i += 1  // delimiter
            if i == end && !atEOF { return .needMore }
        }
    }

    /// The text of field `k`, with doubled quotes collapsed; `nil` when it is not valid UTF-8.
    func text(_ p: UnsafeMutablePointer<UInt8>, _ k: Int, encoding: TextEncoding) -> String? {
        guard let s = encoding.decodeChecked(p, starts[k], ends[k]) else { return nil }
        return escaped[k] ? s.replacingOccurrences(of: "\"\"", with: "\"") : s
    }
}

/// Reads CSV or TSV with a header row as batches of typed columns; decimals are never applied.
final class DelimitedReader: BatchSource {
    private let input: ByteInput
    private var scanner: RecordScanner
    private let options: ReadOptions
    private let encoding: TextEncoding
    /// For each output column: the header field index, name, kind, missing rule.
    private let sourceIndex: [Int]
    private let names: [String]
    private let rules: [MissingRule?]
    private let naIsMissing: [Bool]
    private var builders: [ColumnBuilder]
    private let headerCount: Int
    private let batchSize: Int
    private var ready: [Batch] = []
    private var finished = false
    private var lineNumber = 0
    private var rows = 0
    private var pending = 0
    private var stats = ReadStatistics()
    private var missingCounts: [Int]
    private let progress: ProgressReporter

    /// `rereadPath` is the file the type-inference pass opens (default `path`: a spooled copy of a stream).
    init(path: String, input: ByteInput, codebook: Codebook?, options: ReadOptions, rereadPath: String? = nil) throws {
        self.input = input
        self.options = options
        batchSize = max(1, options.batchSize)
        encoding = TextEncoding(charset: codebook.flatMap { FixedWidthPlan.dataFile(of: $0, dataPath: path)?.charset })
        progress = ProgressReporter(input: input)
        // Header.
        _ = try input.refill()
        var delimiter = UInt8(ascii: ",")
        if case .delimited(let d)? = options.format, let d {
            delimiter = d
        } else {
            var tabs = 0
            var commas = 0
            var k = input.start
            while k < input.end && input.base[k] != 0x0A {
                if input.base[k] == 0x09 { tabs += 1 } else if input.base[k] == UInt8(ascii: ",") { commas += 1 }
                k += 1
            }
            if tabs > commas { delimiter = 0x09 }
        }
        var headerScanner = RecordScanner(delimiter: delimiter)
        var header: [String] = []
        while true {
            switch headerScanner.scan(input.base, input.start, input.end, atEOF: input.atEOF) {
            case .record(let next):
                let sc = headerScanner
                header = try sc.starts.indices.map {
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
        sourceIndex = index
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
            let inferred = try DelimitedReader.inferKinds(path: rereadPath ?? path, displayPath: path,
                                                          delimiter: delimiter, columns: index,
                                                          maxLineLength: options.maxLineLength)
            kinds = inferred
            rules = Array(repeating: nil, count: names.count)
            na = inferred.map { $0 != .text }
        }
        self.rules = rules
        naIsMissing = na
        let reserve = min(batchSize, 1 << 16)
        builders = names.indices.map { ColumnBuilder(name: names[$0], kind: kinds[$0], reserve: reserve) }
        missingCounts = Array(repeating: 0, count: names.count)
    }

    var statistics: ReadStatistics {
        var s = stats
        s.lines = lineNumber
        s.rows = rows
        s.rowsByRecordType[""] = rows
        for (c, n) in missingCounts.enumerated() where n > 0 { s.missingByRule[names[c]] = n }
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
                    if scanner.starts.count == 1 && scanner.starts[0] == scanner.ends[0] {
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

    private func record(_ p: UnsafeMutablePointer<UInt8>, line: Int) throws {
        if scanner.starts.count != headerCount {
            throw ReadError(message: "record has \(scanner.starts.count) fields, the header has \(headerCount)",
                            file: input.path, line: line)
        }
        for c in builders.indices {
            let k = sourceIndex[c]
            let b = builders[c]
            let a = scanner.starts[k]
            let z = scanner.ends[k]
            if b.kind == .text {
                if a == z {
                    b.append(nil as String?)
                } else {
                    guard let s = scanner.text(p, k, encoding: encoding) else {
                        throw ReadError(message: invalidUTF8Message + " (field \(k + 1))", file: input.path,
                                        line: line, variable: names[c], found: foundText(p, a, z))
                    }
                    if let rule = rules[c], rule.texts.contains(s) {
                        b.appendMissing()
                        missingCounts[c] += 1
                    } else {
                        b.append(s)
                    }
                }
                continue
            }
            switch parseNumber(p, a, z, decimals: 0) {
            case .missing:
                b.appendMissing()
            case .integer(let v):
                if let rule = rules[c], rule.contains(v) {
                    b.appendMissing()
                    missingCounts[c] += 1
                } else {
                    b.append(v)
                }
            case .real(let v):
                if let rule = rules[c], rule.contains(v) {
                    b.appendMissing()
                    missingCounts[c] += 1
                } else {
                    b.append(v)
                }
            case .invalid:
                if naIsMissing[c] && z - a == 2 && p[a] == UInt8(ascii: "N") && p[a + 1] == UInt8(ascii: "A") {
                    b.appendMissing()
                    continue
                }
                throw ReadError(message: numberProblem(p, a, z) + " (field \(k + 1))", file: input.path, line: line,
                                variable: names[c], found: foundText(p, a, z))
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

    /// One pass over the file to type each column: integer if every value is a whole number of up to
    /// 18 digits, real if every value is a number, text otherwise. Empty fields and `NA` are missing.
    ///
    /// Quote-free lines are typed by ``KindInference/addLines(_:_:_:)``; a record with a quote, and every
    /// record when `fastPath` is `false` (the reference the tests compare with), by ``RecordScanner``.
    static func inferKinds(
        path: String, displayPath: String? = nil, delimiter: UInt8, columns: [Int],
        maxLineLength: Int = ReadOptions.defaultMaxLineLength, fastPath: Bool = true
    ) throws -> [ColumnBuilder.Kind] {
        let input = try ByteInput(path: path, displayPath: displayPath)
        var scanner = RecordScanner(delimiter: delimiter)
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
