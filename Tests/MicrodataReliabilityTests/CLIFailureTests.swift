import Foundation
import MicrodataTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The `microdata` binary on bad inputs and unwritable outputs: a non-zero exit and a clear message.
@Suite(.timeLimit(.minutes(1))) struct CLIFailureTests {
    /// The `microdata` executable built next to the test bundle by `swift test`.
    static var binary: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("microdata")
    }

    static func run(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        try ChildProcess.run(binary, arguments)
    }

    /// A location this process cannot write: a read-only directory, or (as root, who can write any mode)
    /// a path in sysfs.
    static func readOnlyLocation() throws -> String {
        if getuid() == 0 { return "/sys/microdata-reliability-test.csv" }
        let dir = try Fixtures.temporaryDirectory().appendingPathComponent("ro")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        chmod(dir.path, 0o555)
        return dir.appendingPathComponent("out.csv").path
    }

    @Test func readOnlyOutputLocation() throws {
        let data = try Fixtures.temporaryDirectory().appendingPathComponent("ok.csv")
        try Data("ID,AGE,W\n1,30,1\n2,40,1\n".utf8).write(to: data)
        let target = try Self.readOnlyLocation()
        let extract = try Self.run(["extract", "--data", data.path, "--output", target])
        #expect(extract.status != 0)
        #expect(extract.stderr.contains("cannot write \(target): Permission denied"), "\(extract.stderr)")
        let tabulate = try Self.run(["tabulate", "--data", data.path, "--weight", "W", "--mean", "AGE",
                                     "--output", target])
        #expect(tabulate.status != 0)
        #expect(tabulate.stderr.lowercased().contains("permission"), "\(tabulate.stderr)")
        #expect(!FileManager.default.fileExists(atPath: target))
    }

    /// Every cap names its option; the option raises it (and a cap below 1 is refused).
    @Test func capsAreRaisedFromTheCommandLine() throws {
        let dir = try Fixtures.temporaryDirectory()
        let wide = dir.appendingPathComponent("wide.csv")
        try Data(("id,name\n1," + String(repeating: "y", count: 300) + "\n").utf8).write(to: wide)
        let capped = try Self.run(["extract", "--data", wide.path, "--max-line-length", "100"])
        #expect(capped.status != 0)
        #expect(capped.stderr.contains("maximum line length of 100 bytes"), "\(capped.stderr)")
        #expect(capped.stderr.contains("--max-line-length"), "\(capped.stderr)")
        let raised = try Self.run(["extract", "--data", wide.path, "--max-line-length", "400"])
        #expect(raised.status == 0, "\(raised.stderr)")
        #expect(raised.stdout.hasPrefix("id,name\n1,yyy"))

        let label = String(repeating: "L", count: 2000)
        let book = dir.appendingPathComponent("label.xml")
        try Data(("<?xml version=\"1.0\"?><codeBook><stdyDscr/><dataDscr><var name=\"X\"><labl>" + label
            + "</labl></var></dataDscr></codeBook>").utf8).write(to: book)
        let small = try Self.run(["inspect", book.path, "--max-label-bytes", "1000"])
        #expect(small.status != 0)
        #expect(small.stderr.contains("--max-label-bytes"), "\(small.stderr)")
        let big = try Self.run(["inspect", book.path, "--max-label-bytes", "4000"])
        #expect(big.status == 0, "\(big.stderr)")
        let deep = try Self.run(["inspect", book.path, "--max-xml-depth", "3"])
        #expect(deep.status != 0 && deep.stderr.contains("--max-xml-depth"), "\(deep.stderr)")
        let zero = try Self.run(["inspect", book.path, "--max-categories", "0"])
        #expect(zero.status != 0 && zero.stderr.contains("--max-categories must be at least 1"), "\(zero.stderr)")
    }

    @Test func malformedInputExitsNonZeroWithTheTypedMessage() throws {
        let r = try Self.run(["extract", "--data", Fixtures.path("malformed/csv/ragged.csv")])
        #expect(r.status != 0)
        #expect(r.stderr.contains("ragged.csv, line 3: record has 2 fields, the header has 3"))
        let x = try Self.run(["inspect", Fixtures.path("malformed/xml/xxe.xml")])
        #expect(x.status != 0)
        #expect(x.stderr.contains("DOCTYPE declarations are not allowed"), "\(x.stderr)")
        #expect(!x.stdout.contains("root:"))
    }
}
