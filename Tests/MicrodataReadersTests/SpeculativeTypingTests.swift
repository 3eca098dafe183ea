import Foundation
import MicrodataReaders
import MicrodataTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// ``ReadOptions/speculativeTyping``: columns numeric in the first 64 KiB are read as numbers without the typing
/// pass, with the values of the typed read; a later value that would make one text (letters, a leading zero)
/// throws ``TypingSpeculationFailed`` naming it; letters in the first block, `--string` columns and streams are
/// never speculative.
@Suite struct SpeculativeTypingTests {
    /// `rows` records of `id`, a code `g`, a real `x` and a code `h`; `late` replaces field `g` of the records
    /// from `lateRow` on (0-based), when given.
    static func text(rows: Int = 12_000, late: String? = nil, lateRow: Int = 10_000, early: String? = nil) -> String {
        var text = "id,g,x,h\n"
        for i in 0..<rows {
            var g = String(i % 8 + 1)
            if let late, i >= lateRow, i < lateRow + 20 { g = late }
            if let early, i == 5 { g = early }
            text += "\(i + 1),\(g),\(Double(i % 1_000) / 8),\(i % 3 + 1)\n"
        }
        return text
    }

    static func options(speculative: Bool, workers: Int? = nil) -> ReadOptions {
        var options = ReadOptions()
        options.speculativeTyping = speculative
        options.parseWorkers = workers
        options.parseChunkBytes = 16 << 10
        options.batchSize = 500
        return options
    }

    /// The kinds of every batch of column `name`.
    static func kinds(_ read: ReadResult, _ name: String) -> Set<String> {
        Set((read.columns[name] ?? []).map {
            switch $0.storage {
            case .integer: "integer"
            case .real: "real"
            case .text: "text"
            }
        })
    }

    /// The speculation failure of reading `url` with `options`, or `nil` when it reads to its end.
    static func speculationFailure(_ url: URL, _ options: ReadOptions) throws -> TypingSpeculationFailed? {
        do {
            _ = try readAll(url, nil, options)
            return nil
        } catch let failure as TypingSpeculationFailed {
            return failure
        }
    }

    @Test func numericColumnsReadAsTheTypedReadReadsThem() throws {
        let text = Self.text()
        #expect(text.utf8.count > 2 * (64 << 10))
        let url = try temporaryFile(text, name: "numeric.csv")
        for workers in [nil, 2] {
            let typed = try readAll(url, nil, Self.options(speculative: false, workers: workers))
            let quick = try readAll(url, nil, Self.options(speculative: true, workers: workers))
            #expect(quick.names == typed.names)
            for name in typed.names {
                #expect(quick.doubles(name).map { $0?.bitPattern } == typed.doubles(name).map { $0?.bitPattern })
            }
            #expect(quick.statistics == typed.statistics)
            for name in ["id", "g", "h"] { #expect(Self.kinds(quick, name) == ["integer"], "\(name)") }
            #expect(Self.kinds(typed, "x") == ["real"])
            #expect(Self.kinds(quick, "x") == ["real"])  // its first value has a point
        }
    }

    @Test func aLateValueThatMakesTheColumnTextThrowsNamingIt() throws {
        for late in ["01", "-01", "00.5", " 07", "abc", "1a", "-", "x1"] {
            let text = Self.text(late: late)
            let offset = try #require(text.range(of: "\n10001,")).lowerBound.utf16Offset(in: text)
            #expect(offset > 64 << 10)  // after the first block
            let url = try temporaryFile(text, name: "late.csv")
            // The typing pass makes g text, keeping the value as written.
            let typed = try readAll(url, nil, Self.options(speculative: false))
            #expect(Self.kinds(typed, "g") == ["text"])
            #expect(typed.texts("g")[10_000]?.trimmingCharacters(in: .whitespaces) == late.trimmingCharacters(in: .whitespaces))
            for workers in [nil, 1, 2] {
                let failure = try Self.speculationFailure(url, Self.options(speculative: true, workers: workers))
                #expect(failure?.variable == "g", "\(late), \(String(describing: workers)) workers")
                #expect(failure?.found == late, "\(late)")
                #expect(failure?.file == url.path)
            }
        }
    }

    @Test func lateValuesThatKeepTheColumnNumericDoNotThrow() throws {
        // Missing-value tokens, empty fields, exponents and decimals (0.5 has no leading zero) keep g numeric.
        for late in ["NA", "", "1e3", "0.5", "0", "-0", "-4", "2.5", ".5"] {
            let url = try temporaryFile(Self.text(late: late), name: "numeric-late.csv")
            for workers in [nil, 2] {
                let typed = try readAll(url, nil, Self.options(speculative: false, workers: workers))
                let quick = try readAll(url, nil, Self.options(speculative: true, workers: workers))
                #expect(quick.doubles("g").map { $0?.bitPattern } == typed.doubles("g").map { $0?.bitPattern }, "\(late)")
                #expect(quick.statistics == typed.statistics, "\(late)")
                #expect(!Self.kinds(quick, "g").contains("text"))
            }
        }
    }

    @Test func lettersInTheFirstBlockMeanNoSpeculation() throws {
        for early in ["abc", "01"] {
            let url = try temporaryFile(Self.text(late: "02", early: early), name: "early.csv")
            for workers in [nil, 2] {
                let read = try readAll(url, nil, Self.options(speculative: true, workers: workers))
                #expect(Self.kinds(read, "g") == ["text"])
                #expect(read.texts("g")[5] == early)
                #expect(read.texts("g")[10_000] == "02")
                #expect(Self.kinds(read, "h") == ["integer"])
            }
        }
    }

    @Test func stringColumnsAndColumnsReadAsNumbersAreNotSpeculative() throws {
        let url = try temporaryFile(Self.text(late: "01"), name: "string.csv")
        for workers in [nil, 2] {
            var options = Self.options(speculative: true, workers: workers)
            options.textVariables = ["g"]
            let read = try readAll(url, nil, options)
            #expect(Self.kinds(read, "g") == ["text"])
            #expect(read.texts("g")[10_000] == "01")
            // Read as a number on request: `01` is 1, as without speculation.
            var numeric = Self.options(speculative: true, workers: workers)
            numeric.numericVariables = ["g"]
            let number = try readAll(url, nil, numeric)
            #expect(number.doubles("g")[10_000] == 1)
        }
    }

    @Test func aStreamIsTypedFirst() throws {
        // A FIFO is copied to a temporary file and typed there: no speculation, so no failure, g text.
        let text = Self.text(late: "01")
        let fifo = try Fixtures.temporaryDirectory().appendingPathComponent("data.fifo")
        #expect(mkfifo(fifo.path, 0o600) == 0)
        let writer = Thread {
            if let handle = FileHandle(forWritingAtPath: fifo.path) {
                handle.write(Data(text.utf8))
                try? handle.close()
            }
        }
        writer.start()
        let read = try readAll(fifo, nil, Self.options(speculative: true))
        #expect(Self.kinds(read, "g") == ["text"])
        #expect(read.texts("g")[10_000] == "01")
        #expect(read.rowCount == 12_000)
    }

    @Test func aQuoteInTheFirstBlockMeansNoSpeculation() throws {
        var text = Self.text(late: "01")
        text = text.replacingOccurrences(of: "\n3,3,", with: "\n\"3\",3,")
        let url = try temporaryFile(text, name: "quoted.csv")
        let read = try readAll(url, nil, Self.options(speculative: true))
        #expect(Self.kinds(read, "g") == ["text"])
        #expect(Self.kinds(read, "id") == ["integer"])
    }

    @Test func aGzipFileIsSpeculativeToo() throws {
        // A compressed regular file is typed from its first inflated block, as a plain one.
        let dir = try Fixtures.temporaryDirectory()
        let plain = dir.appendingPathComponent("late.csv")
        try Data(Self.text(late: "01").utf8).write(to: plain)
        let gzip = Process()
        gzip.executableURL = URL(fileURLWithPath: "/bin/gzip")
        gzip.arguments = ["-k", plain.path]
        try gzip.run()
        gzip.waitUntilExit()
        let url = dir.appendingPathComponent("late.csv.gz")
        let failure = try Self.speculationFailure(url, Self.options(speculative: true, workers: 2))
        #expect(failure?.variable == "g")
        #expect(failure?.found == "01")
        #expect(failure?.file == url.path)
        let typed = try readAll(url, nil, Self.options(speculative: false, workers: 2))
        #expect(typed.texts("g")[10_000] == "01")
    }
}
