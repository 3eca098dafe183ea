import Foundation
import MicrodataTestSupport
import Testing

@testable import MicrodataDisclosure

/// Issue 20 "Also": tau-ARGUS tabular input (`.tab` + `.rda` + `.hrc`) read with its statuses and
/// protection levels, so a table protected elsewhere can be re-audited.
@Suite struct TauArgusTableTests {
    static let tab = Fixtures.url("sdc/tauargus/pp.tab")
    static let rda = Fixtures.url("sdc/tauargus/pp.rda")

    static func cell(_ t: TauArgusTable, _ key: [String]) throws -> TauArgusTable.Cell {
        try #require(t.cells.first { $0.key == key }, "no cell \(key)")
    }

    @Test func readsPPTabWithItsMetadataAndHierarchy() throws {
        let t = try TauArgusTable.read(table: Self.tab, metadata: Self.rda)
        #expect(t.metadata.separator == ";")
        #expect(t.metadata.variables.map(\.name) == [
            "Size", "Region", "Var2", "FreqVar", "Var2_Shadow", "Var2_Cost", "Top1", "Top2", "StatusVar", "LowerProtLevel",
            "UpperProtLevel",
        ])
        #expect(t.metadata.variables.map { $0.role?.rawValue ?? "" } == [
            "spanning", "spanning", "response", "frequency", "shadow", "cost", "topContribution", "topContribution", "status",
            "lowerProtection", "upperProtection",
        ])
        #expect(t.cells.count == 162)
        #expect(t.dimensions.map(\.name) == ["Size", "Region"])
        let region = t.dimensions[1]
        #expect(region.children["Nr"] == ["1", "2", "3"])
        #expect(region.children["Os"] == ["4", "5", "6", "7"])
        #expect(region.children["Zd"] == ["11", "12"])
        #expect(region.children["Total"]?.sorted() == ["99", "Nr", "Os", "Ws", "Zd"])
        let total = try Self.cell(t, ["Total", "Total"])
        #expect(total.numbers["Var2"] == 16847646.84)
        #expect(total.numbers["FreqVar"] == 42723)
        #expect(total.numbers["Top1"] == 175677)
        #expect(total.numbers["LowerProtLevel"] == 0.01)
        #expect(total.status == "S" && total.line == 1)
        let unsafe = try Self.cell(t, ["9", "4"])
        #expect(unsafe.status == "U" && unsafe.line == 133)
        #expect(unsafe.numbers["Var2"] == 11968 && unsafe.numbers["FreqVar"] == 29 && unsafe.numbers["UpperProtLevel"] == 1288.15)
        #expect(t.cells.filter { $0.status == "U" }.count == 9)
        #expect(t.cells.filter { $0.status == "E" }.count == 43)
    }

    @Test func nonAdditiveResponseIsAnErrorNamingLineAndVariable() throws {
        let t = try TauArgusTable.read(table: Self.tab, metadata: Self.rda)
        do {
            _ = try t.protectionInput()
            Issue.record("Var2 is not additive: Size 4 parts sum to 24, its total is 25")
        } catch let error as TauArgusError {
            #expect(error.line == 37 && error.field == "Var2", "\(error)")
            #expect(error.description.contains("pp.tab:37: Var2: cell Size=4, Region=Total is 25.0 but its parts along Region sum to 24.0"), "\(error)")
        }
    }

    @Test func givenStatusesAndProtectionLevelsBecomeThePattern() throws {
        let input = try TauArgusTable.read(table: Self.tab, metadata: Self.rda).protectionInput(value: "Var2_Shadow")
        #expect(input.hasMagnitude)
        #expect(input.pattern.statuses.values.filter { $0 == .primary }.count == 9)
        #expect(input.pattern.levels[["9", "4"]]! == (1288.15, 1288.15))
        #expect(input.pattern.levels[["2", "1"]]! == (0.75, 0.75))
        let total = try #require(input.table.cells.first { $0.key == ["Total", "Total"] })
        #expect(total.evidence.value == 16847646.84 && total.evidence.units == 42723)
        #expect(total.evidence.topContributions == [175677, 141482])
        let rules = try TestTables.rules()
        let given = try input.pattern.resolve(in: input.table, hasMagnitude: true, rules: rules)
        let p = try #require(input.table.cells.firstIndex { $0.key == ["9", "4"] })
        #expect(given.primaries[p] == [ProtectionRequirement(measure: .value, lower: 1288.15, upper: 1288.15, rule: "given")])
        #expect(given.secondaries.isEmpty && given.protected.isEmpty)
    }

    /// Protect pp.tab from its own primaries, then re-audit the pattern as given: it passes; the same
    /// primaries without the secondaries are caught.
    @Test func reauditsAGivenPatternAndCatchesOneWithoutSecondaries() throws {
        let input = try TauArgusTable.read(table: Self.tab, metadata: Self.rda).protectionInput(value: "Var2_Shadow")
        let rules = try TestTables.rules { $0.singletonAttack = false }
        let control = DisclosureControl(rules: rules)
        let given = try input.pattern.resolve(in: input.table, hasMagnitude: true, rules: rules)
        let protected = try control.protect(input.table, hasMagnitude: true, primaries: given.primaries)
        let secondaries = Set(protected.statuses.indices.filter { protected.statuses[$0] == .secondary })
        #expect(protected.audit?.passed == true)
        #expect(secondaries.count >= 2)
        let reaudit = try control.audit(input.table, hasMagnitude: true, primaries: given.primaries, secondaries: secondaries)
        #expect(reaudit.audit?.passed == true)
        #expect(reaudit.statuses == protected.statuses)
        do {
            _ = try control.audit(input.table, hasMagnitude: true, primaries: given.primaries, secondaries: [])
            Issue.record("primaries alone are recoverable from the margins")
        } catch let DisclosureError.auditFailed(report) {
            #expect(report.recoverableCells >= 1)
            #expect(report.cells.contains { $0.key == ["9", "4"] && !$0.pass })
        }
    }

    /// A broken input and the error it must give: (file name, text, expected file:line: field: reason).
    static let malformed: [(name: String, rda: String, tab: String, expected: String)] = [
        ("unknown keyword", "A\n  <RECODEABLE>\n  <WIBBLE>\nN\n  <FREQUENCY>\n", "a;1\n", "t.rda:3: <WIBBLE>: unknown keyword"),
        ("keyword first", "  <RECODEABLE>\nA\n", "a\n", "t.rda:1: <RECODEABLE>: keyword before any variable"),
        ("hierlevels", "A\n  <RECODEABLE>\n  <HIERLEVELS> 1 1\nN\n  <FREQUENCY>\n", "a;1\n", "t.rda:3: <HIERLEVELS>: hierarchies by digit levels are not supported"),
        ("missing hrc", "A\n  <RECODEABLE>\n  <HIERCODELIST> \"nope.hrc\"\nN\n  <FREQUENCY>\n", "a;1\n", "t.rda:3: <HIERCODELIST>: no file 'nope.hrc'"),
        ("untyped", "A\n  <RECODEABLE>\nN\n", "a;1\n", "t.rda:3: N: variable has no type"),
        ("quote", "A \"9\n  <RECODEABLE>\n", "a\n", "t.rda:1: unterminated quoted string"),
        ("bad qualifier", "A\n  <RECODEABLE>\nN\n  <NUMERIC> <SHADDOW>\n", "a;1\n", "t.rda:4: <SHADDOW>: unknown <NUMERIC> qualifier"),
        ("field count", "<SEPARATOR> \";\"\nA\n  <RECODEABLE>\nN\n  <FREQUENCY>\n", "a;1\nb\n", "t.tab:2: expected 2 fields separated by ';' (A, N), found 1"),
        ("not a number", "<SEPARATOR> \";\"\nA\n  <RECODEABLE>\nN\n  <FREQUENCY>\n", "a;1\nb;lots\n", "t.tab:2: N: 'lots' is not a number"),
        ("status", "<SEPARATOR> \";\"\nA\n  <RECODEABLE>\nN\n  <FREQUENCY>\nS\n  <STATUS>\n", "a;1;S\nb;2;Q\n", "t.tab:2: S: 'Q' is not a status"),
        ("no frequency", "<SEPARATOR> \";\"\nA\n  <RECODEABLE>\nV\n  <NUMERIC>\n", "a;1\n", "t.rda: no <FREQUENCY> variable"),
        ("repeat", "<SEPARATOR> \";\"\nA\n  <RECODEABLE>\nN\n  <FREQUENCY>\n", "a;1\na;2\n", "t.tab:2: cell [\"a\"] repeats line 1"),
        ("count", "<SEPARATOR> \";\"\nA\n  <RECODEABLE>\nN\n  <FREQUENCY>\n", "a;1,5\n", "t.tab:1: N: 1.5 is not a unit count"),
        ("hrc depth", "A\n  <RECODEABLE>\n  <HIERCODELIST> \"h.hrc\"\nN\n  <FREQUENCY>\n", "a,1\n", "h.hrc:2: x: code is 2 levels deep"),
        ("no file", "", "", "t.rda: no <RECODEABLE> spanning variable"),
    ]

    @Test(arguments: malformed.indices)
    func malformedInputGivesAnErrorNamingFileLineAndField(_ k: Int) throws {
        let c = Self.malformed[k]
        let folder = try Fixtures.temporaryDirectory()
        let rda = folder.appendingPathComponent("t.rda"), tab = folder.appendingPathComponent("t.tab")
        try Data(c.rda.utf8).write(to: rda)
        try Data(c.tab.utf8).write(to: tab)
        try Data("a\n@@x\n".utf8).write(to: folder.appendingPathComponent("h.hrc"))
        do {
            _ = try TauArgusTable.read(table: tab, metadata: rda).protectionInput()
            Issue.record("\(c.name): accepted")
        } catch let error as TauArgusError {
            #expect(error.description.contains(folder.path), "\(c.name): \(error)")
            #expect(error.description.contains(c.expected), "\(c.name): \(error)")
        }
    }

    @Test func primaryCellsFileGivesStatusesAndLevels() throws {
        let url = try Fixtures.temporaryDirectory().appendingPathComponent("given.csv")
        try Data("r,c,status,lower,upper\nA,x,primary,2,3\nB,y,secondary,0,0\nA,y,P,0,0\n".utf8).write(to: url)
        let pattern = try GivenPattern.read(csv: url, dimensions: ["r", "c"])
        #expect(pattern.statuses == [["A", "x"]: .primary, ["B", "y"]: .secondary, ["A", "y"]: .protected])
        #expect(pattern.levels[["A", "x"]]! == (2, 3))
        try Data("r,c,status\nA,x,maybe\n".utf8).write(to: url)
        #expect(throws: DisclosureError.table(
            source: url.path, line: 2,
            reason: "column status: 'maybe' is not a status (primary, secondary, protected, safe, empty or S/U/P/M/E)")
        ) { try GivenPattern.read(csv: url, dimensions: ["r", "c"]) }
    }
}
