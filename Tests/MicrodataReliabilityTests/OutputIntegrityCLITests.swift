import Foundation
import MicrodataTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Issue 21 §1, "No data loss from output paths": the `microdata` binary never destroys an input, never
/// leaves a partial output, never replaces a link, FIFO or device with a regular file, never interleaves two
/// writers, refuses a missing folder up front, and turns every write error into one message.
@Suite(.serialized, .timeLimit(.minutes(5))) struct OutputIntegrityCLITests {
    struct Outcome {
        var status: Int32
        var exited: Bool
        var stdout: String
        var stderr: String
    }

    /// Runs the binary, its output captured in files; `stdout` replaces the captured standard output (for
    /// /dev/full or a closed pipe).
    static func run(_ arguments: [String], stdout: FileHandle? = nil) throws -> Outcome {
        let dir = try Fixtures.temporaryDirectory()
        let outPath = dir.appendingPathComponent("stdout").path
        let errPath = dir.appendingPathComponent("stderr").path
        let pid = try spawn(arguments, stdout: stdout.map { .descriptor($0.fileDescriptor) } ?? .file(outPath), stderr: .file(errPath))
        let end = wait(pid)
        try? stdout?.close()
        func text(_ path: String) -> String {
            String(decoding: FileManager.default.contents(atPath: path) ?? Data(), as: UTF8.self)
        }
        return Outcome(status: end.status, exited: end.exited, stdout: text(outPath), stderr: text(errPath))
    }

    enum Stream {
        case null
        case file(String)
        case descriptor(Int32)
    }

    /// Starts the binary with every descriptor other than 0, 1 and 2 closed: Foundation's `Process` lets a
    /// child inherit the pipes other tests are reading, which keeps those tests waiting until it exits.
    static func spawn(_ arguments: [String], stdout: Stream = .null, stderr: Stream = .null) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        for (fd, stream) in [(Int32(1), stdout), (2, stderr)] {
            switch stream {
            case .null: posix_spawn_file_actions_addopen(&actions, fd, "/dev/null", O_WRONLY, 0)
            case .file(let path): posix_spawn_file_actions_addopen(&actions, fd, path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
            case .descriptor(let source): posix_spawn_file_actions_adddup2(&actions, source, fd)
            }
        }
        // glibc 2.34+; not in the Swift Glibc module, so looked up by name.
        typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
        let symbol = try #require(dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np"))
        _ = unsafeBitCast(symbol, to: CloseFrom.self)(&actions, 3)
        let path = CLIFailureTests.binary.path
        let argv: [UnsafeMutablePointer<CChar>?] = ([path] + arguments).map { strdup($0) } + [nil]
        defer { for p in argv { free(p) } }
        var pid = pid_t()
        let rc = posix_spawn(&pid, path, &actions, nil, argv, environ)
        guard rc == 0 else { throw POSIXError(POSIXErrorCode(rawValue: rc) ?? .EIO) }
        return pid
    }

    /// Waits for a child from ``spawn(_:stdout:stderr:)``: whether it exited normally, and its status.
    static func wait(_ pid: pid_t) -> (exited: Bool, status: Int32) {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let exited = status & 0x7f == 0
        return (exited, exited ? (status >> 8) & 0xff : status & 0x7f)
    }

    /// A folder with the inputs every command below needs.
    struct Inputs {
        let folder: URL
        /// `ID,O,D,W,AGE` rows; `rows` of them (large enough that extract flushes before it finishes).
        let data: URL
        /// A frequency table for `check`.
        let table: URL
        /// A small DDI codebook.
        let codebook: URL

        init(rows: Int = 600) throws {
            folder = try Fixtures.temporaryDirectory()
            data = folder.appendingPathComponent("in.csv")
            var text = "ID,O,D,W,AGE\n"
            for i in 0..<rows { text += "\(i),\(i % 3 + 1),\((i / 3) % 3 + 1),\(i % 2 + 1),\(16 + i % 60)\n" }
            try Data(text.utf8).write(to: data)
            table = folder.appendingPathComponent("table.csv")
            try Data("a,n\nx,10\ny,12\nz,30\n".utf8).write(to: table)
            codebook = folder.appendingPathComponent("book.xml")
            try Data(("<?xml version=\"1.0\"?><codeBook><stdyDscr><citation><titlStmt><titl>T</titl></titlStmt>"
                + "</citation></stdyDscr><dataDscr><var name=\"X\"><labl>An X</labl></var></dataDscr></codeBook>").utf8)
                .write(to: codebook)
        }

        func path(_ name: String) -> String { folder.appendingPathComponent(name).path }

        /// No temporary output file (`.NAME.PID.N.tmp`) is left in the folder.
        func leftoverTemporaryFiles() throws -> [String] {
            try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".tmp") }
        }
    }

    static let tabulateArguments = ["--weight", "W", "--mean", "AGE"]
    static let mobilityArguments = ["--origin", "O", "--destination", "D", "--weight", "W"]

    // MARK: - Bullet 1: an output that is the same file as an input is refused

    @Test func outputThatIsTheSameFileAsAnInputIsRefusedBeforeAnyWork() throws {
        // Over 4 MiB, more than the reader holds before the first write: today's extract truncates it.
        let inputs = try Inputs(rows: 300_000)
        let original = try Data(contentsOf: inputs.data)
        let tableOriginal = try Data(contentsOf: inputs.table)
        let link = inputs.path("link.csv")
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: inputs.data.path)
        let hard = inputs.path("hard.csv")
        try FileManager.default.linkItem(atPath: inputs.data.path, toPath: hard)
        let data = inputs.data.path
        let cases: [[String]] = [
            ["extract", "--data", data, "--output", data],
            ["extract", "--data", data, "--output", link],
            ["extract", "--data", link, "--output", hard],
            ["extract", "--data", data, "--output", inputs.folder.path + "/./in.csv"],
            ["tabulate", "--data", data] + Self.tabulateArguments + ["--output", data],
            ["tabulate", "--data", data] + Self.tabulateArguments + ["--audit", data],
            ["tabulate", "--data", data] + Self.tabulateArguments + ["--output", inputs.path("o.csv"), "--audit", inputs.path("o.csv")],
            ["check", inputs.table.path, "--count", "n", "--dimensions", "a", "--output", inputs.table.path],
            ["check", inputs.table.path, "--count", "n", "--dimensions", "a", "--audit", inputs.table.path],
            ["mobility", "--data", data] + Self.mobilityArguments + ["--output", data],
            ["mobility", "--data", data] + Self.mobilityArguments + ["--output", inputs.path("m.md"), "--audit", data],
            ["harmonise", "--data", data, "--output", data],
            ["harmonise", "--data", data, "--audit", hard],
            ["codebook", "export", inputs.codebook.path, "--output", inputs.codebook.path],
        ]
        for arguments in cases {
            let outcome = try Self.run(arguments)
            #expect(outcome.status == 2, "\(arguments): \(outcome.status) \(outcome.stderr)")
            #expect(outcome.stderr.contains("is the same file as"), "\(arguments): \(outcome.stderr)")
            #expect(try Data(contentsOf: inputs.data) == original, "\(arguments) changed the input")
            #expect(try Data(contentsOf: inputs.table) == tableOriginal, "\(arguments) changed the table")
        }
        // --output-dir: a file the folder would get (mobility.csv) is the input.
        let folder = inputs.folder.appendingPathComponent("pub")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let input = folder.appendingPathComponent("mobility.csv")
        try original.write(to: input)
        let outcome = try Self.run(["mobility", "--data", input.path] + Self.mobilityArguments + ["--output-dir", folder.path])
        #expect(outcome.status == 2, "\(outcome.stderr)")
        #expect(outcome.stderr.contains("refusing to write \(input.path): it is the same file as \(input.path)"), "\(outcome.stderr)")
        #expect(try Data(contentsOf: input) == original)
    }

    // MARK: - Bullet 2: temporary file, fsync, rename; nothing partial on error or signal

    @Test func failedOrInterruptedWriteLeavesNoPartialFileAtTheTarget() throws {
        // A data error after the first megabyte has been written: the earlier output stays whole.
        let inputs = try Inputs(rows: 100_000)
        var text = try String(contentsOf: inputs.data, encoding: .utf8)
        text += "999999," + String(repeating: "9", count: 500) + ",1,1,1\n"
        try Data(text.utf8).write(to: inputs.data)
        let target = inputs.path("out.csv")
        try Data("earlier complete output\n".utf8).write(to: URL(fileURLWithPath: target))
        let failed = try Self.run(["extract", "--data", inputs.data.path, "--max-line-length", "200", "--output", target])
        #expect(failed.status != 0, "\(failed.stderr)")
        #expect(try String(contentsOfFile: target, encoding: .utf8) == "earlier complete output\n")
        #expect(try inputs.leftoverTemporaryFiles() == [])
        let harmonised = try Self.run(["harmonise", "--data", inputs.data.path, "--max-line-length", "200", "--output", target])
        #expect(harmonised.status != 0, "\(harmonised.stderr)")
        #expect(try String(contentsOfFile: target, encoding: .utf8) == "earlier complete output\n")
        #expect(try inputs.leftoverTemporaryFiles() == [])

        // SIGINT and SIGTERM while the temporary file is being written: exit 128 + signal, nothing left.
        let big = try Inputs(rows: 400_000)
        for sig in [SIGINT, SIGTERM] {
            let output = big.path("big.csv")
            let pid = try Self.spawn(["extract", "--data", big.data.path, "--output", output])
            var sawTemporary = false
            for _ in 0..<4000 {
                if try !big.leftoverTemporaryFiles().isEmpty {
                    sawTemporary = true
                    break
                }
                usleep(5000)
            }
            #expect(sawTemporary, "no temporary file appeared")
            kill(pid, sig)
            let end = Self.wait(pid)
            #expect(end.exited)
            #expect(end.status == 128 + sig)
            #expect(!FileManager.default.fileExists(atPath: output))
            #expect(try big.leftoverTemporaryFiles() == [])
        }

        // Success: the file is complete, no temporary file is left and the mode of a replaced file is kept.
        let small = try Inputs()
        let replaced = small.path("mode.csv")
        try Data("old\n".utf8).write(to: URL(fileURLWithPath: replaced))
        chmod(replaced, 0o640)
        for arguments in [
            ["extract", "--data", small.data.path, "--output", replaced],
            ["mobility", "--data", small.data.path] + Self.mobilityArguments + ["--output", small.path("m.xlsx")],
        ] {
            let ok = try Self.run(arguments)
            #expect(ok.status == 0, "\(ok.stderr)")
        }
        #expect(try String(contentsOfFile: replaced, encoding: .utf8).hasPrefix("ID,O,D,W,AGE\n0,1,1,1,16\n"))
        #expect((try FileManager.default.attributesOfItem(atPath: replaced)[.posixPermissions] as? Int) == 0o640)
        let xlsx = try Data(contentsOf: URL(fileURLWithPath: small.path("m.xlsx")))
        #expect(xlsx.prefix(2) == Data("PK".utf8))
        #expect(FileManager.default.fileExists(atPath: small.path("m.xlsx.audit.json")))
        #expect(try small.leftoverTemporaryFiles() == [])
    }

    // MARK: - Bullet 3: symlinks are followed, FIFOs and devices written through

    @Test func symlinkFIFOOrDeviceAtTheOutputPathIsNotReplacedByARegularFile() throws {
        let inputs = try Inputs()
        let expected = try Self.run(["extract", "--data", inputs.data.path]).stdout
        // A symlink: the file it points to is replaced, the link stays a link (also when it dangles).
        let real = inputs.path("real.csv")
        let link = inputs.path("link.csv")
        try Data("old\n".utf8).write(to: URL(fileURLWithPath: real))
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "real.csv")
        let dangling = inputs.path("dangling.csv")
        try FileManager.default.createSymbolicLink(atPath: dangling, withDestinationPath: "made.csv")
        for path in [link, dangling] {
            let outcome = try Self.run(["extract", "--data", inputs.data.path, "--output", path])
            #expect(outcome.status == 0, "\(outcome.stderr)")
            #expect(try FileManager.default.destinationOfSymbolicLink(atPath: path).hasSuffix(".csv"))
        }
        #expect(try String(contentsOfFile: real, encoding: .utf8) == expected)
        #expect(try String(contentsOfFile: inputs.path("made.csv"), encoding: .utf8) == expected)

        // A FIFO is written through, for the streaming writer and for the publication writers.
        let fifo = inputs.path("pipe")
        #expect(mkfifo(fifo, 0o644) == 0)
        for arguments in [
            ["extract", "--data", inputs.data.path, "--output", fifo],
            ["mobility", "--data", inputs.data.path] + Self.mobilityArguments + ["--format", "csv", "--output", fifo,
                                                                                  "--audit", inputs.path("a.json")],
            ["mobility", "--data", inputs.data.path] + Self.mobilityArguments + ["--format", "xlsx", "--output", fifo,
                                                                                  "--audit", inputs.path("a.json")],
        ] {
            let (outcome, read) = try Self.run(arguments, readingFIFO: fifo)
            #expect(outcome.status == 0, "\(arguments): \(outcome.stderr)")
            var info = stat()
            #expect(lstat(fifo, &info) == 0 && info.st_mode & S_IFMT == S_IFIFO, "\(arguments) replaced the FIFO")
            if arguments.contains("xlsx") {
                #expect(read.prefix(2) == Data("PK".utf8))
            } else if arguments[0] == "extract" {
                #expect(String(decoding: read, as: UTF8.self) == expected)
            } else {
                #expect(String(decoding: read, as: UTF8.self).hasPrefix("table,row,row_label,column"), "\(read.count) bytes")
            }
        }

        // /dev/stdout works (the pipe the test reads), and /dev/null stays a device.
        let viaStdout = try Self.run(["extract", "--data", inputs.data.path, "--output", "/dev/stdout"])
        #expect(viaStdout.status == 0 && viaStdout.stdout == expected, "\(viaStdout.stderr)")
        let viaNull = try Self.run(["tabulate", "--data", inputs.data.path] + Self.tabulateArguments + ["--output", "/dev/null"])
        #expect(viaNull.status == 0, "\(viaNull.stderr)")
        var info = stat()
        #expect(stat("/dev/null", &info) == 0 && info.st_mode & S_IFMT == S_IFCHR)
    }

    /// Runs the binary while a thread reads the FIFO `fifo`: the outcome and the bytes read.
    static func run(_ arguments: [String], readingFIFO fifo: String) throws -> (Outcome, Data) {
        let box = ReadBox()
        let reader = Thread {
            let fd = open(fifo, O_RDONLY | O_CLOEXEC)
            var chunk = [UInt8](repeating: 0, count: 1 << 16)
            while fd >= 0 {
                let n = read(fd, &chunk, chunk.count)
                if n <= 0 { break }
                box.data.append(contentsOf: chunk[..<n])
            }
            close(fd)
            box.done.signal()
        }
        reader.start()
        let outcome = try run(arguments)
        box.done.wait()
        return (outcome, box.data)
    }

    final class ReadBox: @unchecked Sendable {
        var data = Data()
        let done = DispatchSemaphore(value: 0)
    }

    // MARK: - Bullet 4: two writers never interleave

    @Test func twoProcessesWritingTheSameOutputNeverProduceAnInterleavedFile() throws {
        // Same length, different content (B's weights are all 2): an interleaved file matches neither output.
        // With O_TRUNC writers, 1 run in 3 at 1M rows was interleaved before the fix (RELIABILITY.md); smaller
        // here to keep the suite's child processes short.
        let a = try Inputs(rows: 250_000)
        let b = try Inputs(rows: 250_000)
        let shifted = try String(contentsOf: b.data, encoding: .utf8).replacingOccurrences(of: ",1,", with: ",2,")
        try Data(shifted.utf8).write(to: b.data)
        // Integer columns: extract writes each input back byte for byte.
        let expectedA = try String(contentsOf: a.data, encoding: .utf8)
        let expectedB = shifted
        let target = a.path("shared.csv")
        for _ in 0..<3 {
            let pids = try [a.data.path, b.data.path].map { try Self.spawn(["extract", "--data", $0, "--output", target]) }
            let ends = pids.map(Self.wait)
            #expect(ends.allSatisfy { $0.exited && $0.status == 0 })
            let written = try String(contentsOfFile: target, encoding: .utf8)
            #expect(written == expectedA || written == expectedB, "interleaved: \(written.utf8.count) bytes")
        }
        #expect(try a.leftoverTemporaryFiles() == [])
    }

    // MARK: - Bullet 5: a missing folder fails up front; --output-dir creates its folder

    @Test func outputIntoAFolderThatDoesNotExistFailsBeforeAnyWorkAndOutputDirCreatesIt() throws {
        let inputs = try Inputs()
        // The data file is malformed: an error about the folder (not the data) shows the check came first.
        let bad = inputs.path("bad.csv")
        try Data("ID,AGE,W\n1,2\n\"unterminated\n".utf8).write(to: URL(fileURLWithPath: bad))
        let missing = inputs.path("no/such/folder/out.csv")
        let cases: [[String]] = [
            ["extract", "--data", bad, "--output", missing],
            ["tabulate", "--data", bad] + Self.tabulateArguments + ["--output", missing],
            ["tabulate", "--data", bad] + Self.tabulateArguments + ["--audit", missing],
            ["check", bad, "--count", "n", "--dimensions", "a", "--output", missing],
            ["mobility", "--data", bad] + Self.mobilityArguments + ["--output", missing],
            ["harmonise", "--data", bad, "--output", missing],
            ["codebook", "export", bad, "--output", missing],
        ]
        for arguments in cases {
            let outcome = try Self.run(arguments)
            #expect(outcome.status == 1, "\(arguments): \(outcome.status) \(outcome.stderr)")
            #expect(
                outcome.stderr.contains("cannot write \(missing): the folder \(inputs.path("no/such/folder")) does not exist"),
                "\(arguments): \(outcome.stderr)")
        }
        let created = inputs.path("new/nested")
        let outcome = try Self.run(["mobility", "--data", inputs.data.path] + Self.mobilityArguments + ["--output-dir", created])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        for name in ["mobility.csv", "mobility.json", "mobility.md", "mobility.xlsx", "mobility.html", "mobility.audit.json"] {
            #expect(FileManager.default.fileExists(atPath: created + "/" + name), "\(name)")
        }
    }

    // MARK: - Bullet 6: a full disk is one message and a non-zero exit; a closed pipe is quiet

    /// Every command that writes to standard output.
    static func stdoutCommands(_ inputs: Inputs) -> [[String]] {
        [
            ["inspect", inputs.codebook.path],
            ["inspect", inputs.codebook.path, "--format", "json"],
            ["extract", "--data", inputs.data.path],
            ["extract", "--data", inputs.data.path, "--count-only"],
            ["tabulate", "--data", inputs.data.path] + tabulateArguments,
            ["check", inputs.table.path, "--count", "n", "--dimensions", "a"],
            ["harmonise", "--data", inputs.data.path],
            ["codebook", "export", inputs.codebook.path],
            ["mobility", "--data", inputs.data.path] + mobilityArguments,
            ["crosswalk", "list"],
            ["crosswalk", "show", "SOC2020"],
        ]
    }

    @Test func fullDiskOnStandardOutputIsOneClearMessageAndANonZeroExit() throws {
        let inputs = try Inputs()
        for arguments in Self.stdoutCommands(inputs) {
            let full = try #require(FileHandle(forWritingAtPath: "/dev/full"))
            let outcome = try Self.run(arguments, stdout: full)
            #expect(outcome.exited, "\(arguments) crashed: \(outcome.stderr)")
            #expect(outcome.status == 1, "\(arguments): \(outcome.status) \(outcome.stderr)")
            let errors = outcome.stderr.split(separator: "\n").filter { $0.lowercased().contains("error") }
            #expect(errors == ["error: cannot write standard output: No space left on device"], "\(arguments): \(outcome.stderr)")
        }
        // A file on a full disk is the same message, naming the file.
        let toFile = try Self.run(["extract", "--data", inputs.data.path, "--output", "/dev/full"])
        #expect(toFile.status == 1 && toFile.stderr.contains("error: cannot write /dev/full: No space left on device"), "\(toFile.stderr)")
    }

    @Test func closedPipeOnStandardOutputExitsQuietlyWith141() throws {
        let inputs = try Inputs()
        for arguments in Self.stdoutCommands(inputs) {
            // A pipe whose read end is closed (and not inherited): the first write gets EPIPE.
            var fds: [Int32] = [0, 0]
            #expect(pipe(&fds) == 0)
            _ = fcntl(fds[0], F_SETFD, FD_CLOEXEC)
            _ = fcntl(fds[1], F_SETFD, FD_CLOEXEC)
            close(fds[0])
            let outcome = try Self.run(arguments, stdout: FileHandle(fileDescriptor: fds[1], closeOnDealloc: true))
            #expect(outcome.exited, "\(arguments) was killed: \(outcome.status)")
            #expect(outcome.status == 141, "\(arguments): \(outcome.status) \(outcome.stderr)")
            #expect(!outcome.stderr.lowercased().contains("error"), "\(arguments): \(outcome.stderr)")
        }
    }
}
