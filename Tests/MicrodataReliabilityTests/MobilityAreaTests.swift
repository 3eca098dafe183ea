import Foundation
import MicrodataTestSupport
import Testing

/// `mobility --area`: model-based local absolute mobility rates, made by the same code as `sae --mobility`.
@Suite(.timeLimit(.minutes(4))) struct MobilityAreaTests {
    static let marker = "Local absolute mobility rates:"
    static var example: String { Fixtures.codebook("examples/local-areas").path }
    static var common: [String] {
        ["--data", example + "/persons.csv", "--weight", "PWT22", "--strata", "GOVTOF2", "--psu", "PSU", "--nest",
         "--area", "LA", "--aux", example + "/la.csv", "--formula", "claimant_rate + graduates", "--zero-variance", "synthetic"]
    }

    /// The README's two commands (sae --mobility, then mobility --area) on the bundled example, with disclosure
    /// control: the same file, byte for byte, holding the quoted rows.
    @Test func readmeCommandsWriteTheSameFileAndTheQuotedRows() async throws {
        let commands = try ReadmeModelTests.commands(after: Self.marker, expanding: ["E": Self.example])
        try #require(commands.count == 2)
        #expect(commands.map { $0.prefix(2) } == [["microdata", "sae"], ["microdata", "mobility"]])
        let dir = try Fixtures.temporaryDirectory()
        // Side by side: each spends most of its time in the disclosure checks of 72 areas × 3 rates.
        async let first = CLIFailureTests.run(Array(commands[0].dropFirst()), in: dir)
        async let second = CLIFailureTests.run(Array(commands[1].dropFirst()), in: dir)
        let runs = try await [first, second]
        for (command, r) in zip(commands, runs) { #expect(r.status == 0, "\(command): \(r.stderr)") }
        #expect(runs[0].stderr == runs[1].stderr)
        let sae = try Data(contentsOf: dir.appendingPathComponent("la-mobility.csv"))
        let mobility = try Data(contentsOf: dir.appendingPathComponent("la-mobility-2.csv"))
        #expect(sae == mobility)
        let text = String(decoding: sae, as: UTF8.self)
        #expect(text.contains("areas-downward,") && text.contains("coefficients-immobile,"))
        #expect(text.contains(",[c],[c],"), "disclosure control withheld some direct estimates")
        // The quoted rows: the block after the `$ grep` line.
        let readme = try String(contentsOf: Fixtures.packageRoot.appendingPathComponent("README.md"), encoding: .utf8)
        let section = try #require(readme.range(of: Self.marker)).upperBound
        let start = try #require(readme[section...].range(of: "| cut -d, -f1-10\n")).upperBound
        let end = try #require(readme[start...].range(of: "```")).lowerBound
        let quoted = readme[start..<end].split(separator: "\n").map(String.init)
        #expect(quoted.count == 3)
        let shown = Set(text.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).prefix(10).joined(separator: ",") })
        for line in quoted { #expect(shown.contains(line), "README line not in the output: \(line)") }
    }

    /// Formats as `mobility` resolves them (Markdown on standard output, else from the output's extension) give
    /// what `sae --mobility` gives in that format.
    @Test(arguments: ["markdown", "html"])
    func everyFormatIsTheSaeOutput(_ format: String) throws {
        let dir = try Fixtures.temporaryDirectory()
        let unchecked = Self.common + ["--no-disclosure-control", "--benchmark", "--population", "population", "--method", "ml"]
        let html = format == "html"
        let sae = try CLIFailureTests.run(
            ["sae", "--mobility", "PARENT_NSSEC5,NSSEC5"] + unchecked + ["--format", format] + (html ? ["--output", "a.html"] : []),
            in: dir)
        let mobility = try CLIFailureTests.run(
            ["mobility", "--origin", "PARENT_NSSEC5", "--destination", "NSSEC5"] + unchecked + (html ? ["--output", "b.html"] : []),
            in: dir)
        #expect(sae.status == 0 && mobility.status == 0, "\(sae.stderr)\n\(mobility.stderr)")
        #expect(sae.stderr == mobility.stderr && sae.stdout == mobility.stdout)
        if html {
            let a = try String(contentsOf: dir.appendingPathComponent("a.html"), encoding: .utf8)
            let b = try String(contentsOf: dir.appendingPathComponent("b.html"), encoding: .utf8)
            #expect(a == b && a.contains("interval chart") && a.contains("benchmarked"))
        } else {
            #expect(mobility.stdout.hasPrefix("# Small-area estimates: absolute mobility rates (PARENT_NSSEC5,NSSEC5) by LA"))
        }
    }

    /// The arcsine transformation (with a short bootstrap) and the GVF pass through to sae.
    @Test(arguments: [["--transform", "arcsin", "--backtransform", "bc", "--bootstrap", "20", "--seed", "7"], ["--gvf"]])
    func varianceOptionsAreSaes(_ options: [String]) throws {
        let unchecked = Self.common.filter { $0 != "--zero-variance" && $0 != "synthetic" } + ["--no-disclosure-control", "--format", "json"]
        let sae = try CLIFailureTests.run(["sae", "--mobility", "PARENT_NSSEC5,NSSEC5"] + unchecked + options)
        let mobility = try CLIFailureTests.run(["mobility", "--origin", "PARENT_NSSEC5", "--destination", "NSSEC5"] + unchecked + options)
        #expect(sae.status == 0 && mobility.status == 0, "\(sae.stderr)\n\(mobility.stderr)")
        #expect(sae.stderr == mobility.stderr && sae.stdout == mobility.stdout)
        #expect(sae.stdout.contains(options[0] == "--gvf" ? "generalised variance function" : "arcsine"))
    }

    @Test(arguments: [
        (["--by", "GOVTOF2"], "does not take --by"),
        (["--level", "0.9"], "--level (the intervals are 95%)"),
        (["--output-dir", "out"], "--output-dir"),
        (["--audit", "audit.json"], "--audit"),
        (["--subpop", "GOVTOF2 == 1"], "--subpop"),
        (["--join", "la.csv:LA"], "--join"),
        (["--missing", "NSSEC5=9"], "--missing"),
        (["--origin-income", "a", "--destination-income", "b"], "--origin-income"),
        (["--order", "classes.txt"], "--order: with --area, high-to-low or low-to-high"),
        (["--origin", "PARENT_NSSEC5:NSSEC-OP>NSSEC5"], "not a derived class"),
        (["--gvf", "--sample-size", "n"], "--sample-size is for sae --direct; mobility counts the sample sizes"),
    ])
    func mobilityOptionsWithoutMeaningForAreasAreRefused(_ extra: [String], _ message: String) throws {
        let dir = try Fixtures.temporaryDirectory()
        var args = ["mobility", "--origin", "PARENT_NSSEC5", "--destination", "NSSEC5"] + Self.common + ["--output", "x.csv"]
        if extra[0] == "--origin" { args[2] = extra[1] } else { args += extra }
        let r = try CLIFailureTests.run(args, in: dir)
        #expect(r.status == 2, "\(r.stderr)")
        #expect(r.stderr.contains(message), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("x.csv").path))
    }

    @Test func areaOptionsGoTogether() throws {
        let base = ["mobility", "--data", Self.example + "/persons.csv", "--origin", "PARENT_NSSEC5", "--destination", "NSSEC5"]
        let alone = try CLIFailureTests.run(base + ["--aux", "la.csv", "--benchmark"])
        #expect(alone.status == 2 && alone.stderr.contains("--aux, --benchmark go with --area"), "\(alone.stderr)")
        for (option, name) in [(["--transform", "arcsin"], "--transform"), (["--gvf"], "--gvf")] {
            let r = try CLIFailureTests.run(base + option)
            #expect(r.status == 2 && r.stderr.contains("\(name) goes with --area"), "\(r.stderr)")
        }
        let noFormula = try CLIFailureTests.run(base + ["--area", "LA", "--aux", "la.csv"])
        #expect(noFormula.status == 2 && noFormula.stderr.contains("--area needs --aux FILE (area covariates) and --formula"))
        let noClasses = try CLIFailureTests.run(
            ["mobility", "--data", "x.csv", "--area", "LA", "--aux", "la.csv", "--formula", "x"])
        #expect(noClasses.status == 2 && noClasses.stderr.contains("--area needs --origin and --destination"))
    }
}
