import MicrodataReaders
import Testing

@testable import MicrodataLink

/// `Pooler` on small in-memory periods (counts worked by hand); the R survey comparison is in CLIPoolTests.
struct PoolTests {
    typealias Rows = JoinKeyTests.Rows

    static func input(_ path: String, _ columns: [Column]) -> PoolInput {
        PoolInput(path: path) { Rows(columns) }
    }

    static func reals(_ name: String, _ v: [Double]) -> Column { Column(name: name, storage: .real(v)) }

    static func all(_ plan: PoolPlan) throws -> Batch {
        var source = plan.source()
        var rows: [Batch] = []
        while let b = try source.nextBatch() { rows.append(b) }
        var out = rows[0]
        for b in rows.dropFirst() {
            out.columns = zip(out.columns, b.columns).map { $0.appending($1) }
            out.rowCount += b.rowCount
        }
        return out
    }

    @Test func periodsFromAColumnSortNumericallyAndKeepFirstDropsLaterRows() throws {
        let data = [
            Column(name: "Y", storage: .text(["10", "9", "10", "9", "10"])),
            Column(name: "ID", storage: .text(["a", "a", "b", "b", "c"])),
            Self.reals("W", [1, 2, 3, 4, 5]),
        ]
        let spec = PoolSpec(periods: .column("Y"), weight: "W", id: ["ID"], keep: .first)
        let plan = try Pooler.plan([Self.input("x.csv", data)], spec: spec)
        #expect(plan.report.periods.map(\.label) == ["9", "10"], "9 before 10: numeric order")
        #expect(plan.report.periods.map(\.dropped) == [0, 2])
        let out = try Self.all(plan)
        #expect(out.column(named: "ID")!.storage.texts == ["a", "b", "c"])
        #expect(out.column(named: "pool_weight")!.doubles == [1, 2, 2.5])
        #expect(out.column(named: "pool_stratum")!.storage.texts == ["9", "9", "10"])
        #expect(out.column(named: "period")!.doubles == [9, 9, 10])
    }

    @Test func columnsThatDifferAreAnErrorNamingFileAndColumnUnlessUnion() throws {
        let a = [Column(name: "X", storage: .integer([1, 2], missing: [false, false])), Self.reals("W", [1, 1])]
        let b = [Column(name: "x", storage: .text(["07", nil])), Self.reals("W", [2, 2]), Self.reals("EXTRA", [5, 6])]
        let inputs = [Self.input("a.csv", a), Self.input("b.csv", b)]
        #expect(throws: LinkError("columns differ from the first input: has EXTRA (not in a.csv). Give --rename OLD>NEW "
                                  + "for a renamed variable, or --union to keep every column (missing where a file lacks it)",
                                  file: "b.csv")) {
            try Pooler.plan(inputs, spec: PoolSpec(periods: .labels(["1", "2"]), weight: "W"))
        }
        let plan = try Pooler.plan(inputs, spec: PoolSpec(periods: .labels(["1", "2"]), weight: "W", union: true))
        #expect(plan.report.lacking == [PoolReport.Lacking(file: "a.csv", columns: ["EXTRA"])])
        let out = try Self.all(plan)
        #expect(out.column(named: "X")!.storage.texts == ["1", "2", "07", nil], "integers and text make text")
        #expect(out.column(named: "EXTRA")!.doubles.map { $0.isNaN ? -1 : $0 } == [-1, -1, 5, 6])
        #expect(out.column(named: "pool_weight")!.doubles == [0.5, 0.5, 1, 1])
    }

    @Test func aPersonTwiceInOnePeriodIsAnError() throws {
        let data = [Column(name: "ID", storage: .text(["p", "q", "p"])), Self.reals("W", [1, 1, 1])]
        #expect(throws: LinkError("id p is twice in period 2024 (data rows 1 and 3)", file: "x.csv")) {
            try Pooler.plan([Self.input("x.csv", data)], spec: PoolSpec(periods: .labels(["2024"]), weight: "W", id: ["ID"]))
        }
    }

    @Test func renamesApplyToEveryInputAndBadLinesNameTheLine() throws {
        let renames = try VariableRenames(parsing: "# vintages\nPWT18>PWT22\n\n", file: "r.txt")
        #expect(renames.apply("pwt18") == "PWT22" && renames.apply("PWT22") == "PWT22")
        #expect(throws: LinkError("line 2: expected OLD>NEW, found 'PWT18=PWT22'", file: "r.txt")) {
            try VariableRenames(parsing: "A>B\nPWT18=PWT22\n", file: "r.txt")
        }
        let a = [Self.reals("PWT18", [4]), Self.reals("PWT22", [8])]
        #expect(throws: LinkError("renaming gives two columns named PWT22 (from PWT18 and PWT22)", file: "a.csv")) {
            try Pooler.plan([Self.input("a.csv", a)], spec: PoolSpec(periods: .labels(["1"]), weight: "PWT22", renames: renames))
        }
    }
}

extension Column.Storage {
    var texts: [String?] {
        let c = Column(name: "", storage: self)
        return (0..<c.count).map { c.text(at: $0) }
    }
}
