import Foundation
import MicrodataTestSupport
import Testing

/// Issue 22, the command line: `--data -` reads standard input (gzip detected by magic bytes), `--delimiter`
/// or a sniffed delimiter, and `--help` with the command's options first, LIMITS after them, EXAMPLES and the
/// exit statuses.
@Suite(.timeLimit(.minutes(3))) struct CommandLineTests {
    static let commands = ["inspect", "describe", "extract", "harmonise", "tabulate", "combine", "check", "crosswalk", "codebook", "mobility",
                           "link", "pool", "model", "sae", "weights nonresponse", "demo"]

    /// Runs the binary with `input` written to its standard input through a pipe.
    static func run(_ arguments: [String], input: Data) throws -> (status: Int32, stdout: String, stderr: String) {
        let process = Process()
        process.executableURL = CLIFailureTests.binary
        process.arguments = arguments
        let stdin = Pipe(), out = Pipe(), err = Pipe()
        process.standardInput = stdin
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let writer = Thread {
            stdin.fileHandleForWriting.write(input)
            try? stdin.fileHandleForWriting.close()
        }
        writer.start()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
    }

    static func gzip(_ data: Data) throws -> Data {
        let file = try Fixtures.temporaryDirectory().appendingPathComponent("in.csv")
        try data.write(to: file)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/gzip")
        process.arguments = ["-c", file.path]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let zipped = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return zipped
    }

    @Test func dataDashReadsStandardInputPlainOrGzipped() throws {
        let file = try TabulateSideDoorTests.dataFile()
        let arguments = ["--weight", "w", "--mean", "income", "--by", "region"]
        let fromFile = try CLIFailureTests.run(["tabulate", "--data", file] + arguments)
        #expect(fromFile.status == 0, "\(fromFile.stderr)")
        let plain = try Data(contentsOf: URL(fileURLWithPath: file))
        let piped = try Self.run(["tabulate", "--data", "-"] + arguments, input: plain)
        #expect(piped.status == 0, "\(piped.stderr)")
        #expect(piped.stdout == fromFile.stdout)
        let zipped = try Self.gzip(plain)
        #expect(zipped.prefix(2) == Data([0x1f, 0x8b]))
        let unzipped = try Self.run(["tabulate", "--data", "-"] + arguments, input: zipped)
        #expect(unzipped.status == 0, "\(unzipped.stderr)")
        #expect(unzipped.stdout == fromFile.stdout)
        let md = try Self.run(["tabulate", "--data", "-", "--format", "markdown"] + arguments, input: plain)
        #expect(md.stdout.contains("Source: standard input; weight: w"), "\(md.stdout)")
        let model = try Self.run(ModelCLITests.dclus1.map { $0.hasSuffix("apiclus1.csv") ? "-" : $0 }
                                   + ["--formula", "api00 ~ ell"],
                                 input: try Self.gzip(Data(contentsOf: Fixtures.url("rsurvey/apiclus1.csv"))))
        #expect(model.status == 0 && model.stdout.contains("\nell,-3.72142979344"), "\(model.stderr)")
    }

    @Test func semicolonAndPipeDataGiveTheCommaResultSniffedOrGiven() throws {
        let file = try TabulateSideDoorTests.dataFile()
        let arguments = ["--weight", "w", "--total", "income", "--by", "region"]
        let comma = try CLIFailureTests.run(["tabulate", "--data", file] + arguments)
        let text = try String(contentsOf: URL(fileURLWithPath: file), encoding: .utf8)
        for (separator, given) in [(";", nil), ("|", nil), ("|", "|"), ("\t", "tab")] as [(String, String?)] {
            let other = try CheckCommandTests.file(text.replacingOccurrences(of: ",", with: separator), name: "people.txt")
            let r = try CLIFailureTests.run(["tabulate", "--data", other] + arguments + (given.map { ["--delimiter", $0] } ?? []))
            #expect(r.status == 0, "\(separator): \(r.stderr)")
            #expect(r.stdout == comma.stdout, "\(separator) \(given ?? "sniffed")")
        }
        // Given wrongly, the delimiter is obeyed: one column, and the weight is not found.
        let wrong = try CLIFailureTests.run(["tabulate", "--data", file, "--delimiter", ";"] + arguments)
        #expect(wrong.status == 1, "\(wrong.stderr)")
        let bad = try CLIFailureTests.run(["tabulate", "--data", file, "--delimiter", ":"] + arguments)
        #expect(bad.status == 2 && bad.stderr.contains("--delimiter must be , ; | or tab"), "\(bad.stderr)")
    }

    @Test func everyCommandsHelpListsItsOptionsBeforeLimitsThenExamplesAndExitStatuses() throws {
        for command in Self.commands {
            let r = try CLIFailureTests.run(command.split(separator: " ").map(String.init) + ["--help"])
            #expect(r.status == 0, "\(command)")
            let headers = r.stdout.split(separator: "\n").map(String.init).filter { HelpHeader.isSection($0) }
            #expect(headers.contains("EXAMPLES:"), "\(command): \(headers)")
            #expect(headers.last == "EXIT STATUS:", "\(command): \(headers)")
            #expect(r.stdout.contains("0 success; 1 runtime error"), "\(command)")
            if let limits = headers.firstIndex(of: "LIMITS:") {
                let options = try #require(headers.firstIndex(of: "OPTIONS:"), "\(command): \(headers)")
                #expect(options < limits, "\(command): \(headers)")
                #expect(headers[(limits + 1)...].allSatisfy { ["SUBCOMMANDS:", "EXAMPLES:", "EXIT STATUS:"].contains($0) },
                        "\(command): \(headers)")
            }
        }
        let tabulate = try CLIFailureTests.run(["help", "tabulate"])
        #expect(tabulate.stdout.contains("zcat lfs.csv.gz | microdata tabulate --data - "))
        let root = try CLIFailureTests.run(["--help"])
        #expect(root.stdout.contains("Exit status, the same for every command:") && root.stdout.contains("EXAMPLES:"))
        #expect(try CLIFailureTests.run(["--version"]).stdout.split(separator: "\n").count == 1)
    }
}

/// A help section header: `OPTIONS:`, `EXIT STATUS:` (capitals at the start of a line, ending in a colon).
enum HelpHeader {
    static func isSection(_ line: String) -> Bool {
        line.hasSuffix(":") && line.first?.isUppercase == true && line.dropLast().allSatisfy { $0.isUppercase || $0 == " " || $0 == "-" }
    }
}
