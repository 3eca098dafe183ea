import Foundation
import MicrodataCodebook
import MicrodataReaders
import MicrodataTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The big malformed cases, generated at run time (never stored): a 100 MB label, deep nesting, many categories,
/// over-long lines, a file that shrinks or disappears while it is read, a FIFO.
@Suite(.timeLimit(.minutes(1))) struct GeneratedCaseTests {
    static let head = #"<?xml version="1.0" encoding="UTF-8"?><codeBook><stdyDscr/><dataDscr><var name="X">"#
    static let tail = "</var></dataDscr></codeBook>"

    @Test func hundredMegabyteLabelIsRefused() throws {
        var data = Data(Self.head.utf8)
        data.append(Data("<labl>".utf8))
        data.append(Data(repeating: UInt8(ascii: "a"), count: 100 << 20))
        data.append(Data(("</labl>" + Self.tail).utf8))
        let error = #expect(throws: CodebookError.self) {
            try DDIParser(knownWeightNames: []).parse(data: data, source: "label.xml")
        }
        // libxml2's own 10 MB text-node cap fires before the text reaches the parser's 1 MiB label cap.
        #expect(error?.kind == "malformed")
        #expect(error?.message.contains("huge text node") == true, "\(String(describing: error))")
    }

    @Test func labelCapNamesItselfAndCanBeRaised() throws {
        let label = String(repeating: "b", count: 2 << 20)
        let data = Data((Self.head + "<labl>\(label)</labl>" + Self.tail).utf8)
        let error = #expect(throws: CodebookError.self) {
            try DDIParser(knownWeightNames: []).parse(data: data, source: "label.xml")
        }
        #expect(error?.kind == "limitExceeded")
        #expect(error?.message.contains("maximum label size of 1048576 bytes") == true)
        #expect(error?.message.contains("DDILimits.maxLabelBytes") == true)
        let raised = DDIParser(knownWeightNames: [], limits: DDILimits(maxLabelBytes: 4 << 20))
        #expect(try raised.parse(data: data, source: "label.xml").variables.first?.label?.count == 2 << 20)
    }

    @Test func deepNestingIsRefusedAtTheCap() throws {
        let depth = 100_000
        var text = "<codeBook>"
        text += String(repeating: "<a>", count: depth) + String(repeating: "</a>", count: depth) + "</codeBook>"
        let error = #expect(throws: CodebookError.self) {
            try DDIParser(knownWeightNames: []).parse(data: Data(text.utf8), source: "deep.xml")
        }
        #expect(error?.kind == "limitExceeded")
        #expect(error?.message.contains("maximum XML depth of 64") == true)
        #expect(error?.message.contains("DDILimits.maxDepth") == true)

        let seventy = "<codeBook>" + String(repeating: "<a>", count: 69) + String(repeating: "</a>", count: 69)
            + "</codeBook>"
        #expect(throws: CodebookError.self) {
            try DDIParser(knownWeightNames: []).parse(data: Data(seventy.utf8), source: "deep.xml")
        }
        let raised = DDIParser(knownWeightNames: [], limits: DDILimits(maxDepth: 100))
        #expect(try raised.parse(data: Data(seventy.utf8), source: "deep.xml").variables.isEmpty)
    }

    @Test func categoryCapNamesTheVariable() throws {
        let cats = (1...50).map { "<catgry><catValu>\($0)</catValu><labl>c\($0)</labl></catgry>" }.joined()
        let data = Data((Self.head + cats + Self.tail).utf8)
        let capped = DDIParser(knownWeightNames: [], limits: DDILimits(maxCategoriesPerVariable: 10))
        let error = #expect(throws: CodebookError.self) { try capped.parse(data: data, source: "cats.xml") }
        #expect(error?.kind == "limitExceeded")
        #expect(error?.message == "variable X has more than the maximum of 10 categories per variable "
            + "(raise it with --max-categories, or DDILimits.maxCategoriesPerVariable)")
        let book = try DDIParser(knownWeightNames: []).parse(data: data, source: "cats.xml")
        #expect(book.variables[0].categories.count == 50)
        #expect(book.variables[0].categories.last?.label == "c50")
    }

    @Test func billionLaughsGeneratedLargeIsRefused() throws {
        var entities = #"<!ENTITY a0 "ha">"#
        for i in 1...30 { entities += "<!ENTITY a\(i) \"" + String(repeating: "&a\(i - 1);", count: 16) + "\">" }
        let text = "<?xml version=\"1.0\"?><!DOCTYPE codeBook [\(entities)]><codeBook><titl>&a30;</titl></codeBook>"
        let clock = ContinuousClock()
        let start = clock.now
        let error = #expect(throws: CodebookError.self) {
            try DDIParser(knownWeightNames: []).parse(data: Data(text.utf8), source: "laughs.xml")
        }
        #expect(error?.kind == "forbiddenDoctype")
        #expect(clock.now - start < .seconds(5))
    }

    // MARK: - Readers

    private func temporaryFile(_ name: String, _ data: Data) throws -> URL {
        let url = try Fixtures.temporaryDirectory().appendingPathComponent(name)
        try data.write(to: url)
        return url
    }

    private func drain(_ url: URL, codebook: Codebook?, options: ReadOptions = ReadOptions()) throws -> Int {
        var source = try DataReader.open(data: url, codebook: codebook, options: options)
        var rows = 0
        while let batch = try source.nextBatch() { rows += batch.rowCount }
        return rows
    }

    @Test func overLongFixedWidthLineNamesTheCap() throws {
        let codebook = try DDIParser(knownWeightNames: []).parse(contentsOf: Fixtures.url("malformed/fixedwidth/flat.xml"))
        var data = Data("00123Alice\n".utf8)
        data.append(Data(repeating: UInt8(ascii: "9"), count: ReadOptions.defaultMaxLineLength + 5))
        let url = try temporaryFile("long.dat", data)
        let error = #expect(throws: ReadError.self) { try drain(url, codebook: codebook) }
        #expect(error?.line == 2)
        #expect(error?.message.contains("maximum line length of 8388608 bytes") == true)
        #expect(error?.message.contains("ReadOptions.maxLineLength") == true)
        // Raised, the same line is read: its first 10 bytes are valid, the rest is beyond the layout.
        #expect(try drain(url, codebook: codebook, options: ReadOptions(maxLineLength: 16 << 20)) == 2)
        // A cap below a line that fits in the read window is enforced too.
        let small = #expect(throws: ReadError.self) {
            try drain(Fixtures.url("malformed/fixedwidth/letters.dat"), codebook: codebook,
                      options: ReadOptions(maxLineLength: 5))
        }
        #expect(small?.line == 1)
        #expect(small?.message.contains("maximum line length of 5 bytes") == true)
    }

    @Test func unclosedQuoteInAHugeCSVStopsAtTheCap() throws {
        var data = Data("id,name\n1,\"".utf8)
        data.append(Data(repeating: UInt8(ascii: "x"), count: 12 << 20))
        let url = try temporaryFile("quote.csv", data)
        let clock = ContinuousClock()
        let start = clock.now
        let error = #expect(throws: ReadError.self) { try drain(url, codebook: nil) }
        #expect(error?.message.contains("maximum line length") == true)
        #expect(clock.now - start < .seconds(20))
        let small = ReadOptions(maxLineLength: 100)
        let capped = #expect(throws: ReadError.self) {
            try drain(Fixtures.url("malformed/csv/ragged.csv"), codebook: nil, options: ReadOptions())
        }
        #expect(capped?.line == 3)
        let line = Data(("id,name\n1," + String(repeating: "y", count: 300) + "\n").utf8)
        let tooLong = #expect(throws: ReadError.self) {
            try drain(try temporaryFile("wide.csv", line), codebook: nil, options: small)
        }
        #expect(tooLong?.message.contains("maximum line length of 100 bytes") == true)
    }

    private func bigCSV(rows: Int) -> Data {
        var text = "id,value\n"
        text.reserveCapacity(rows * 16)
        for i in 0..<rows { text += "\(i),\(i % 97)\n" }
        return Data(text.utf8)
    }

    @Test func fileThatShrinksMidReadIsAnError() throws {
        let url = try temporaryFile("shrink.csv", bigCSV(rows: 1_000_000))
        var source = try DataReader.open(data: url, codebook: nil, options: ReadOptions(batchSize: 1000))
        #expect(try source.nextBatch()?.rowCount == 1000)
        #expect(truncate(url.path, 1 << 20) == 0)
        let error = #expect(throws: ReadError.self) {
            while try source.nextBatch() != nil {}
        }
        #expect(error?.message.contains("the file shrank while it was being read") == true)
    }

    /// On Linux an unlinked file stays readable through the open descriptor: the read completes, in full.
    @Test func fileThatDisappearsMidReadIsReadInFull() throws {
        let url = try temporaryFile("vanish.csv", bigCSV(rows: 1_000_000))
        var source = try DataReader.open(data: url, codebook: nil, options: ReadOptions(batchSize: 1000))
        var rows = try source.nextBatch()?.rowCount ?? 0
        try FileManager.default.removeItem(at: url)
        while let batch = try source.nextBatch() { rows += batch.rowCount }
        #expect(rows == 1_000_000)
    }

    /// gzip is recognised on a FIFO (the magic bytes cannot be peeked with pread there).
    @Test func gzipThroughAFIFO() throws {
        let gz = try Data(contentsOf: Fixtures.url("malformed/gzip/bad-crc.csv.gz"))
        var repaired = gz
        repaired[repaired.count - 8] ^= 0xFF  // undo the corruption: the original stream of 2,000 rows
        let good = repaired
        let dir = try Fixtures.temporaryDirectory()
        let fifo = dir.appendingPathComponent("data.csv.gz")
        #expect(mkfifo(fifo.path, 0o600) == 0)
        let writer = Thread {
            let fd = open(fifo.path, O_WRONLY)
            good.withUnsafeBytes { _ = write(fd, $0.baseAddress!, $0.count) }
            close(fd)
        }
        writer.start()
        var source = try DataReader.open(data: fifo, codebook: nil)
        var rows = 0
        var sum = 0.0
        while let batch = try source.nextBatch() {
            rows += batch.rowCount
            let age = batch.columns.first { $0.name == "age" }!
            for r in 0..<batch.rowCount { sum += age.double(at: r) ?? .nan }
        }
        #expect(rows == 2000)
        #expect(sum == Double((0..<2000).map { 20 + $0 % 50 }.reduce(0, +)))
    }
}
