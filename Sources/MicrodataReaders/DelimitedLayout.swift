import Foundation
import MicrodataCodebook

/// What a delimited file's header (and typing pass) decide for every record: the delimiter, the columns read
/// and their kinds and missing rules. Shared by the one-thread reader and the chunks of
/// ``ParallelDelimitedSource``.
struct DelimitedLayout: @unchecked Sendable {
    let path: String
    let options: ReadOptions
    let encoding: TextEncoding
    let delimiter: UInt8
    /// Fields in a record.
    let headerCount: Int
    /// Physical lines of the header record.
    let headerLines: Int
    /// For each output column: its name, the header field it is read from, its kind and missing rule, and
    /// whether `NA` is missing (inferred numeric columns).
    let names: [String]
    let index: [Int]
    let kinds: [ColumnBuilder.Kind]
    let rules: [MissingRule?]
    let na: [Bool]
    /// Columns read as numbers without the typing pass (``ReadOptions/speculativeTyping``): a value that would
    /// make one text throws ``TypingSpeculationFailed``.
    let speculative: [Bool]
    let batchSize: Int
    /// The byte offset in the file of the first record after the header (plain files).
    let dataOffset: Int

    /// Reads the header from `input`, leaving `input` at the first record, and types the columns that need it
    /// (reading `rereadPath`, default `path`, once more).
    init(path: String, input: ByteInput, codebook: Codebook?, options: ReadOptions, rereadPath: String? = nil) throws {
        self.path = path
        self.options = options
        encoding = TextEncoding(charset: codebook.flatMap { FixedWidthPlan.dataFile(of: $0, dataPath: path)?.charset })
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
        self.delimiter = delimiter
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
        headerLines = headerScanner.linesSpanned
        dataOffset = input.fileOffset - (input.end - input.start)
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
        self.index = index
        let names = index.map { header[$0] }
        self.names = names
        var kinds: [ColumnBuilder.Kind] = []
        var rules: [MissingRule?] = []
        var na: [Bool] = []
        var speculative = Array(repeating: false, count: names.count)
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
            } else if !typed.isEmpty, options.speculativeTyping, options.limit == nil, rereadPath == nil, input.isRegularFile,
                      Self.firstBlockIsNumeric(input, delimiter: delimiter, columns: typed.map { index[$0] })
            {
                for c in typed {
                    inferred[c] = .integer
                    speculative[c] = true
                }
            } else if !typed.isEmpty {
                let found = try DelimitedReader.inferKinds(path: rereadPath ?? path, displayPath: path,
                                                           delimiter: delimiter, columns: typed.map { index[$0] },
                                                           maxLineLength: options.maxLineLength,
                                                           workers: input.isGzip ? nil : options.parseWorkers,
                                                           dataOffset: dataOffset, chunkBytes: options.parseChunkBytes)
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
            speculative[c] = false
        }
        self.kinds = kinds
        self.rules = rules
        self.na = na
        self.speculative = speculative
        batchSize = options.rowsPerBatch(columns: names.count)
    }

    /// Whether the whole lines of the first 64 KiB of `input`'s window (the first records) leave every one of
    /// `columns` a number; `false` when a quote byte or the delimiter rules out the quick typing.
    private static func firstBlockIsNumeric(_ input: ByteInput, delimiter: UInt8, columns: [Int]) -> Bool {
        var inference = KindInference(delimiter: delimiter, columns: columns)
        guard inference.hasFastPath else { return false }
        let p = UnsafePointer(input.base)
        var end = min(input.end, input.start + (64 << 10))
        if !input.atEOF || end < input.end {
            while end > input.start && p[end - 1] != 0x0A { end -= 1 }
        }
        if end <= input.start { return true }
        if memchr(p + input.start, Int32(UInt8(ascii: "\"")), end - input.start) != nil { return false }
        inference.addLines(p, input.start, end)
        return !inference.kinds.contains(.text)
    }
}
