import Foundation
import MicrodataTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Gaps left by issue 21: `link` writes through `OutputFile`, `check` guards a tau-ARGUS table's sidecar
/// files, and `mobility` publishes no small count of codes with no NS-SEC class.
@Suite(.serialized, .timeLimit(.minutes(3))) struct IntegrityGapTests {
    typealias CLI = OutputIntegrityCLITests

    /// `left.csv` (ID,A) and `right.csv` (ID,B) in a fresh folder.
    static func linkInputs() throws -> CLI.Inputs {
        let inputs = try CLI.Inputs(rows: 10)
        try Data("ID,A\n1,x\n2,y\n3,z\n".utf8).write(to: URL(fileURLWithPath: inputs.path("left.csv")))
        try Data("ID,B\n1,10\n2,20\n".utf8).write(to: URL(fileURLWithPath: inputs.path("right.csv")))
        return inputs
    }

    @Test func joinFilesOfTabulateAndMobilityAreInputsNoOutputMayOverwrite() throws {
        let inputs = try Self.linkInputs()
        try Data("ID,O,D,w\n1,1,1,1\n2,1,2,1\n3,2,2,1\n".utf8).write(to: URL(fileURLWithPath: inputs.path("people.csv")))
        let before = try String(contentsOfFile: inputs.path("right.csv"), encoding: .utf8)
        let tabulate = try CLI.run([
            "tabulate", "--data", inputs.path("people.csv"), "--join", inputs.path("right.csv") + ":ID",
            "--weight", "w", "--mean", "O", "--output", inputs.path("right.csv"),
        ])
        #expect(tabulate.status == 2 && tabulate.stderr.contains("is the same file as"), "\(tabulate.stderr)")
        let mobility = try CLI.run([
            "mobility", "--data", inputs.path("people.csv"), "--join", inputs.path("right.csv") + ":ID:inner",
            "--origin", "O", "--destination", "D", "--weight", "w", "--output", inputs.path("right.csv"),
        ])
        #expect(mobility.status == 2 && mobility.stderr.contains("is the same file as"), "\(mobility.stderr)")
        // The link audit beside the output is an output too: it must not be an input either.
        try Data("{}".utf8).write(to: URL(fileURLWithPath: inputs.path("left.link.json")))
        let audit = try CLI.run([
            "tabulate", "--data", inputs.path("people.csv"), "--join", inputs.path("right.csv") + ":ID",
            "--weight", "w", "--mean", "O", "--output", inputs.path("left"),
            "--rules", inputs.path("left.link.json"),
        ])
        #expect(audit.status == 2 && audit.stderr.contains("is the same file as"), "\(audit.stderr)")
        #expect(try String(contentsOfFile: inputs.path("right.csv"), encoding: .utf8) == before)
    }

    @Test func linkOutputThroughASymlinkOrFIFOIsNotReplacedAndAFailedLinkLeavesTheTargetAsItWas() throws {
        let inputs = try Self.linkInputs()
        let base = ["link", "--data", inputs.path("left.csv"), "--with", inputs.path("right.csv"), "--keys", "ID"]
        let expected = "ID,A,B\n1,x,10\n2,y,20\n3,z,\n"
        // Symlinks at the output and at the audit: the files they point to are replaced, the links stay.
        try FileManager.default.createSymbolicLink(atPath: inputs.path("out.csv"), withDestinationPath: "real.csv")
        try FileManager.default.createSymbolicLink(atPath: inputs.path("audit.json"), withDestinationPath: "real.json")
        let linked = try CLI.run(base + ["--output", inputs.path("out.csv"), "--audit", inputs.path("audit.json")])
        #expect(linked.status == 0, "\(linked.stderr)")
        for (link, real) in [("out.csv", "real.csv"), ("audit.json", "real.json")] {
            #expect((try? FileManager.default.destinationOfSymbolicLink(atPath: inputs.path(link))) == real, "\(link) was replaced")
        }
        #expect(try String(contentsOfFile: inputs.path("real.csv"), encoding: .utf8) == expected)
        #expect(try String(contentsOfFile: inputs.path("real.json"), encoding: .utf8).contains("\"matched\""))

        // A FIFO is written through, not replaced by a regular file.
        let fifo = inputs.path("pipe")
        #expect(mkfifo(fifo, 0o644) == 0)
        let (piped, read) = try CLI.run(base + ["--output", fifo, "--audit", inputs.path("fifo-audit.json")], readingFIFO: fifo)
        #expect(piped.status == 0, "\(piped.stderr)")
        var info = stat()
        #expect(lstat(fifo, &info) == 0 && info.st_mode & S_IFMT == S_IFIFO, "link replaced the FIFO")
        #expect(String(decoding: read, as: UTF8.self) == expected)

        // A failed link (an unknown --variables column) leaves the earlier output whole and no temporary file.
        let target = inputs.path("kept.csv")
        try Data("earlier complete output\n".utf8).write(to: URL(fileURLWithPath: target))
        let failed = try CLI.run(base + ["--variables", "NOPE", "--output", target])
        #expect(failed.status != 0)
        #expect(try String(contentsOfFile: target, encoding: .utf8) == "earlier complete output\n")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: inputs.folder.path)
            .filter { $0.hasSuffix(".tmp") || $0.hasSuffix(".partial") }
        #expect(leftovers == [])

        // Same file as a --with input, and a missing folder: refused before any work.
        let same = try CLI.run(base + ["--output", inputs.path("right.csv")])
        #expect(same.status == 2 && same.stderr.contains("is the same file as"), "\(same.stderr)")
        let missing = try CLI.run(base + ["--output", inputs.path("no/such/out.csv")])
        #expect(missing.status == 1 && missing.stderr.contains("no/such"), "\(missing.stderr)")
    }

    @Test func checkOfATauArgusTableRefusesToOverwriteItsDefaultRdaOrHierarchyFile() throws {
        let folder = try TauArgusCheckTests.folder()
        let tab = folder.appendingPathComponent("pp.tab").path
        let rules = folder.appendingPathComponent("rules.json").path
        for name in ["pp.rda", "region2.hrc"] {
            let sidecar = folder.appendingPathComponent(name)
            let original = try Data(contentsOf: sidecar)
            for option in ["--output", "--audit"] {
                let r = try CLIFailureTests.run(["check", tab, "--value", "Var2_Shadow", "--rules", rules, option, sidecar.path])
                #expect(r.status == 2, "\(name) \(option): \(r.status) \(r.stderr)")
                #expect(r.stderr.contains("is the same file as"), "\(r.stderr)")
                #expect(try Data(contentsOf: sidecar) == original, "\(option) overwrote \(name)")
            }
        }
        // --metadata and --primary-cells given explicitly are guarded as well.
        let cells = folder.appendingPathComponent("cells.csv")
        try Data("x\n".utf8).write(to: cells)
        let rda = folder.appendingPathComponent("pp.rda").path
        for arguments in [["--metadata", rda, "--output", rda], ["--primary-cells", cells.path, "--output", cells.path]] {
            let r = try CLIFailureTests.run(["check", tab, "--rules", rules] + arguments)
            #expect(r.status == 2 && r.stderr.contains("is the same file as"), "\(arguments): \(r.stderr)")
        }
    }

    /// People `O,D,w` with NS-SEC operational codes: 20 in each of the 3×3 classes, plus `extra` (origin code,
    /// rows) whose origin has no NS-SEC class.
    static func mobilityData(extra: [(String, Int)]) throws -> String {
        var text = "O,D,w\n"
        for o in ["L2", "L7", "L13"] {
            for d in ["L2", "L7", "L13"] { text += String(repeating: "\(o),\(d),1\n", count: 20) }
        }
        for (code, n) in extra { text += String(repeating: "\(code),L2,1\n", count: n) }
        let url = try Fixtures.temporaryDirectory().appendingPathComponent("people.csv")
        try Data(text.utf8).write(to: url)
        return url.path
    }

    @Test func mobilityNoteOnCodesWithNoNSSECClassPublishesNoCountBelowTheThreshold() throws {
        let arguments = ["--origin", "O:NSSEC-OP>NSSEC3", "--destination", "D:NSSEC-OP>NSSEC3", "--weight", "w", "--format", "md"]
        let small = try Self.mobilityData(extra: [("L99", 2), ("L88", 30)])
        let controlled = try CLIFailureTests.run(["mobility", "--data", small] + arguments)
        #expect(controlled.status == 0, "\(controlled.stderr)")
        #expect(controlled.stdout.contains(
            "Codes with no NS-SEC class, left outside the table: O=L88 (10 or more rows), O=L99 (fewer than 10 rows)."),
            "\(controlled.stdout)")
        #expect(!controlled.stdout.contains("(2 rows)") && !controlled.stdout.contains("(30 rows)"))

        // No count is small: the counts are exact. Without disclosure control they are always exact.
        let large = try Self.mobilityData(extra: [("L99", 12), ("L88", 30)])
        let exact = try CLIFailureTests.run(["mobility", "--data", large] + arguments)
        #expect(exact.stdout.contains("O=L88 (30 rows), O=L99 (12 rows)."), "\(exact.stdout)")
        let bypass = try CLIFailureTests.run(["mobility", "--data", small] + arguments + ["--no-disclosure-control"])
        #expect(bypass.stdout.contains("O=L88 (30 rows), O=L99 (2 rows)."), "\(bypass.stdout)")
    }
}
