import Foundation
import MicrodataTestSupport
import Testing

/// `microdata check` on a tau-ARGUS table (`pp.tab` + `pp.rda`) and on CSV tables with given statuses:
/// protect from given primaries, and re-audit a pattern made elsewhere with `--audit-only`.
@Suite(.timeLimit(.minutes(3))) struct TauArgusCheckTests {
    /// A copy of the tau-ARGUS fixture folder, with `pp.tab`'s status of the cells in `secondaries`
    /// (keys without blanks) set to `M`.
    static func folder(secondaries: Set<[String]> = []) throws -> URL {
        let folder = try Fixtures.temporaryDirectory()
        for name in ["pp.rda", "region2.hrc", "region.cdl"] {
            try FileManager.default.copyItem(at: Fixtures.url("sdc/tauargus/\(name)"), to: folder.appendingPathComponent(name))
        }
        let lines = try String(contentsOf: Fixtures.url("sdc/tauargus/pp.tab"), encoding: .utf8).split(separator: "\n")
        let edited = lines.map { line -> String in
            var f = line.split(separator: ";", omittingEmptySubsequences: false).map(String.init)
            let key = f.prefix(2).map { $0.replacingOccurrences(of: "\"", with: "").trimmingCharacters(in: .whitespaces) }
            if secondaries.contains(key) { f[8] = "M" }
            return f.joined(separator: ";")
        }
        try Data((edited.joined(separator: "\n") + "\n").utf8).write(to: folder.appendingPathComponent("pp.tab"))
        try Data(#"{"singletonAttack": false}"#.utf8).write(to: folder.appendingPathComponent("rules.json"))
        return folder
    }

    /// Rows of `check`'s CSV output keyed by the first two fields.
    static func statuses(_ csv: String) -> [[String]: String] {
        var out: [[String]: String] = [:]
        for line in csv.split(separator: "\n").dropFirst() {
            let f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            out[Array(f.prefix(2))] = f.last
        }
        return out
    }

    @Test func protectsATauArgusTableFromItsGivenPrimariesThenReauditsIt() throws {
        let first = try Self.folder()
        let tab = first.appendingPathComponent("pp.tab").path, rules = first.appendingPathComponent("rules.json").path
        let r = try CLIFailureTests.run(["check", tab, "--value", "Var2_Shadow", "--rules", rules])
        #expect(r.status == 0, "\(r.stderr)")
        let statuses = Self.statuses(r.stdout)
        #expect(statuses.count == 162)
        #expect(statuses.values.filter { $0 == "primary:given" }.count == 9)
        #expect(statuses[["9", "4"]] == "primary:given")
        let secondaries = Set(statuses.filter { $0.value == "secondary" }.keys)
        #expect(secondaries.count >= 2)
        #expect(r.stdout.contains("9,4,[c],[c],primary:given"))
        #expect(r.stderr.contains("0 of \(9 + secondaries.count) suppressed cells recoverable"), "\(r.stderr)")

        // The same pattern, written back as tau-ARGUS statuses (M), re-audited as it is: it passes.
        let second = try Self.folder(secondaries: secondaries)
        let again = try CLIFailureTests.run([
            "check", second.appendingPathComponent("pp.tab").path, "--value", "Var2_Shadow", "--rules", rules, "--audit-only",
        ])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(Self.statuses(again.stdout) == statuses)

        // The primaries alone (what pp.tab gives) do not protect: the re-audit fails with exit 3.
        let bare = try CLIFailureTests.run(["check", tab, "--value", "Var2_Shadow", "--rules", rules, "--audit-only"])
        #expect(bare.status == 3, "\(bare.stderr)")
        #expect(bare.stderr.contains("disclosure audit FAILED"), "\(bare.stderr)")
        #expect(bare.stdout.isEmpty)
    }

    @Test func nonAdditiveResponseAndMissingMetadataAreClearErrors() throws {
        let folder = try Self.folder()
        let tab = folder.appendingPathComponent("pp.tab").path
        let r = try CLIFailureTests.run(["check", tab])
        #expect(r.status != 0)
        #expect(r.stderr.contains("pp.tab:37: Var2: cell Size=4, Region=Total is 25.0 but its parts along Region sum to 24.0"), "\(r.stderr)")
        try FileManager.default.removeItem(at: folder.appendingPathComponent("pp.rda"))
        let m = try CLIFailureTests.run(["check", tab])
        #expect(m.status != 0 && m.stderr.contains("pp.rda: cannot read"), "\(m.stderr)")
        let unknown = try CLIFailureTests.run(["check", tab, "--metadata", Fixtures.path("sdc/tauargus/pp.rda"), "--value", "Var9"])
        #expect(unknown.status != 0 && unknown.stderr.contains("Var9: no numeric variable of that name"), "\(unknown.stderr)")
    }

    static let table = "r,c,n,given\nA,x,3,U\nA,y,40,S\nA,z,25,S\nB,x,30,S\nB,y,33,S\nB,z,35,S\nC,x,28,S\nC,y,33,S\nC,z,26,S\n"

    @Test func csvTableWithAStatusColumnIsReauditedAsGiven() throws {
        let folder = try Fixtures.temporaryDirectory()
        let table = folder.appendingPathComponent("t.csv").path
        try Data(Self.table.utf8).write(to: URL(fileURLWithPath: table))
        let base = ["check", table, "--count", "n", "--dimensions", "r,c", "--margins", "--status-column", "given"]
        // A/x alone is recoverable from its margins.
        let alone = try CLIFailureTests.run(base + ["--audit-only"])
        #expect(alone.status == 3, "\(alone.stderr)")
        // With a rectangle of secondaries it is protected, and nothing is added.
        let rectangle = Self.table.replacingOccurrences(of: "A,y,40,S", with: "A,y,40,M")
            .replacingOccurrences(of: "B,x,30,S", with: "B,x,30,M").replacingOccurrences(of: "B,y,33,S", with: "B,y,33,M")
        try Data(rectangle.utf8).write(to: URL(fileURLWithPath: table))
        let r = try CLIFailureTests.run(base + ["--audit-only"])
        #expect(r.status == 0, "\(r.stderr)")
        let statuses = Self.statuses(r.stdout)
        #expect(statuses[["A", "x"]] == "primary:given" && statuses[["B", "y"]] == "secondary")
        #expect(statuses.values.filter { $0 == "secondary" }.count == 3)
    }

    @Test func primaryCellsFileReplacesTheRuleBasedPrimaries() throws {
        let folder = try Fixtures.temporaryDirectory()
        let table = folder.appendingPathComponent("t.csv").path, given = folder.appendingPathComponent("p.csv").path
        try Data(Self.table.utf8).write(to: URL(fileURLWithPath: table))
        // B/z (35 units, safe by the threshold) is declared primary with levels 5 and 5; A/x (3) is not given.
        try Data("r,c,lower,upper\nB,z,5,5\n".utf8).write(to: URL(fileURLWithPath: given))
        let r = try CLIFailureTests.run([
            "check", table, "--count", "n", "--dimensions", "r,c", "--margins", "--primary-cells", given,
        ])
        #expect(r.status == 0, "\(r.stderr)")
        let statuses = Self.statuses(r.stdout)
        #expect(statuses[["B", "z"]] == "primary:given")
        #expect(statuses[["A", "x"]] != "primary:threshold")
        #expect(statuses.values.filter { $0 == "secondary" }.count >= 3)
    }
}
