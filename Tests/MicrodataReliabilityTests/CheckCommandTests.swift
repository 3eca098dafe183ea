import Foundation
import MicrodataTestSupport
import Testing

/// `microdata check` run as the built binary: status column, formats, rounding and failing audits.
@Suite(.timeLimit(.minutes(2))) struct CheckCommandTests {
    /// Writes `text` to a fresh temporary file and returns its path.
    static func file(_ text: String, name: String = "table.csv") throws -> String {
        let url = try Fixtures.temporaryDirectory().appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url.path
    }

    /// The CSV output as rows keyed by the dimension codes.
    static func rows(_ csv: String, dimensions: Int) -> [[String]: [String]] {
        var out: [[String]: [String]] = [:]
        for line in csv.split(whereSeparator: \.isNewline).dropFirst() {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            out[Array(fields.prefix(dimensions))] = fields
        }
        return out
    }

    /// The issue-5 repro: A/x is one respondent and the only non-empty cell of row A.
    static let singletonRow = "r,c,n\nA,x,1\nA,y,0\nB,x,20\nB,y,30\nC,x,25\nC,y,40\n"

    @Test func singletonThatIsTheWholeMarginIsCheckedAndItsMarginSuppressed() throws {
        let table = try Self.file(Self.singletonRow)
        let r = try CLIFailureTests.run(["check", table, "--count", "n", "--dimensions", "r,c", "--margins"])
        #expect(r.status == 0, "\(r.stderr)")
        let rows = Self.rows(r.stdout, dimensions: 2)
        #expect(rows[["A", "x"]] == ["A", "x", "[c]", "primary:threshold"])
        // A/Total = A/x would give the primary away to everybody else: it stays suppressed.
        #expect(rows[["A", "Total"]]?[2] == "[c]")
        #expect(rows[["A", "y"]] == ["A", "y", "0", "review:zero"])
        #expect(r.stderr.contains("0 of"), "\(r.stderr)")
    }

    /// The OpenSAFELY example (oracle opensafely-redact-then-round), heart disease by age band.
    static let heartDisease = "age_band,n\n21-30,3\n31-40,8\n41-50,16\n51+,23\n"

    /// The cells of an audit JSON file as (status, lower, upper) keyed by the cell name.
    static func auditCells(_ path: String) throws -> (summary: String, cells: [String: (String, Double, Double)]) {
        let object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
        var cells: [String: (String, Double, Double)] = [:]
        for cell in object["cells"] as? [[String: Any]] ?? [] {
            cells[cell["cell"] as? String ?? ""] = (
                cell["status"] as? String ?? "", cell["lower"] as? Double ?? .nan, cell["upper"] as? Double ?? .nan
            )
        }
        return (object["summary"] as? String ?? "", cells)
    }

    @Test func redactThenRoundPublishesTotalsOfPublishedCellsWithIntervals() throws {
        let table = try Self.file(Self.heartDisease)
        let rules = try Self.file(#"{"redactAtOrBelow": 7}"#, name: "rules.json")
        let audit = URL(fileURLWithPath: table).deletingLastPathComponent().appendingPathComponent("audit.json").path
        let full = try Fixtures.temporaryDirectory().appendingPathComponent("full-audit.json").path
        let r = try CLIFailureTests.run([
            "check", table, "--count", "n", "--dimensions", "age_band", "--margins", "--redact-then-round", "5",
            "--rules", rules, "--audit", audit, "--audit-private", full,
        ])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == """
            age_band,count,status
            21-30,[c],redacted:threshold
            31-40,10,rounded:5
            41-50,15,rounded:5
            51+,25,rounded:5
            Total,50,total-of-published:5

            """)
        let (summary, cells) = try Self.auditCells(full)
        #expect(summary.contains("totals are sums of the published rounded cells"), "\(summary)")
        #expect(r.stderr.contains(summary))
        #expect(cells["age_band=21-30"]?.1 == 0 && cells["age_band=21-30"]?.2 == 7)
        // The public audit keeps the rounded cells' intervals (they follow from the rounding) but not the
        // redacted cell's.
        let (_, publicCells) = try Self.auditCells(audit)
        #expect(publicCells["age_band=31-40"]?.1 == 8 && publicCells["age_band=31-40"]?.2 == 12)
        #expect(publicCells["age_band=21-30"].map { $0.1.isNaN && $0.2.isNaN } == true)
        #expect(cells["age_band=31-40"]?.1 == 8 && cells["age_band=31-40"]?.2 == 12)
    }

    @Test func roundPublishesEveryCellRoundedWithIntervals() throws {
        let table = try Self.file(Self.heartDisease)
        let audit = URL(fileURLWithPath: table).deletingLastPathComponent().appendingPathComponent("audit.json").path
        let r = try CLIFailureTests.run([
            "check", table, "--count", "n", "--dimensions", "age_band", "--margins", "--round", "5", "--audit", audit,
            "--format", "json",
        ])
        #expect(r.status == 0, "\(r.stderr)")
        let rows = try TableJSONTests.rows(r.stdout)
        #expect(rows.map { $0["count"] ?? "" } == ["5", "10", "15", "25", "50"])
        #expect(rows.allSatisfy { $0["status"] == "rounded:5" })
        let (summary, cells) = try Self.auditCells(audit)
        #expect(summary == "rounded to base 5: 0 of 2 cells below the threshold exactly determined")
        #expect(cells["age_band=31-40"]?.1 == 8 && cells["age_band=31-40"]?.2 == 12)  // published 10, base 5
    }

    @Test func roundingRejectsMagnitudesAndTwoMethods() throws {
        let table = try Self.file(Self.heartDisease)
        let both = try CLIFailureTests.run([
            "check", table, "--count", "n", "--dimensions", "age_band", "--round", "5", "--redact-then-round", "5",
        ])
        #expect(both.status != 0 && both.stderr.contains("alternatives"), "\(both.stderr)")
        let magnitude = try CLIFailureTests.run([
            "check", table, "--count", "n", "--value", "n", "--dimensions", "age_band", "--round", "5",
        ])
        #expect(magnitude.status != 0 && magnitude.stderr.contains("rounded unit counts"), "\(magnitude.stderr)")
    }

    @Test func statusColumnNamesEveryOutcome() throws {
        let table = try Self.file(Self.singletonRow)
        let r = try CLIFailureTests.run(["check", table, "--count", "n", "--dimensions", "r,c", "--margins"])
        #expect(r.status == 0, "\(r.stderr)")
        let statuses = Set(Self.rows(r.stdout, dimensions: 2).values.map { $0[3] })
        #expect(statuses == ["safe", "primary:threshold", "secondary", "review:zero"], "\(r.stdout)")
        // Suppressed values are the marker, never a number.
        for row in Self.rows(r.stdout, dimensions: 2).values where row[3] == "secondary" || row[3].hasPrefix("primary") {
            #expect(row[2] == "[c]")
        }
    }

    @Test func dominanceRulesAreNamedInTheStatus() throws {
        let table = try Self.file("""
            region,n,v,t1,t2
            A,20,100,95,1
            B,20,400,30,25
            C,20,500,40,35
            D,20,300,20,20

            """)
        let r = try CLIFailureTests.run([
            "check", table, "--count", "n", "--value", "v", "--top", "t1,t2", "--dimensions", "region", "--margins",
        ])
        #expect(r.status == 0, "\(r.stderr)")
        let rows = Self.rows(r.stdout, dimensions: 1)
        #expect(rows[["A"]] == ["A", "[c]", "[c]", "primary:nk+p%"])
        #expect(rows.values.filter { $0[3] == "secondary" }.count == 1)
    }

    @Test func jsonFormatHasColumnsAndRows() throws {
        let table = try Self.file(Self.singletonRow)
        let r = try CLIFailureTests.run([
            "check", table, "--count", "n", "--dimensions", "r,c", "--margins", "--format", "json",
        ])
        #expect(r.status == 0, "\(r.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(object["columns"] as? [String] == ["r", "c", "count", "status"])
        let rows = try TableJSONTests.rows(r.stdout)
        #expect(rows.count == 12)
        #expect(rows.first { $0["r"] == "A" && $0["c"] == "x" } == ["r": "A", "c": "x", "count": "", "status": "primary:threshold"])
        #expect(rows.first { $0["r"] == "Total" && $0["c"] == "Total" }?["count"] == "116")
    }

    @Test func failingAuditExitsThreeWritesTheAuditAndRemovesAStaleTable() throws {
        let table = try Self.file(Self.heartDisease)
        let folder = URL(fileURLWithPath: table).deletingLastPathComponent()
        let output = folder.appendingPathComponent("out.csv").path
        let audit = folder.appendingPathComponent("audit.json").path
        // An earlier, successful run leaves a table behind.
        let first = try CLIFailureTests.run([
            "check", table, "--count", "n", "--dimensions", "age_band", "--margins", "--output", output,
        ])
        #expect(first.status == 0 && FileManager.default.fileExists(atPath: output), "\(first.stderr)")
        // Rounding to base 1 publishes the true counts: the counts 3 and 8 are determined exactly.
        let r = try CLIFailureTests.run([
            "check", table, "--count", "n", "--dimensions", "age_band", "--margins", "--round", "1",
            "--output", output, "--audit", audit,
        ])
        #expect(r.status == 3)
        #expect(r.stdout.isEmpty)
        #expect(r.stderr.contains("disclosure audit FAILED") && r.stderr.contains("no table written"), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: output), "the stale table of the earlier run must go")
        let (summary, cells) = try Self.auditCells(audit)
        #expect(summary == "rounded to base 1: 2 of 2 cells below the threshold exactly determined")
        #expect(cells["age_band=21-30"]?.1 == 3 && cells["age_band=21-30"]?.2 == 3)
    }

    /// Row A has all its units in x: whoever is known to be in A is known to be x.
    static let oneCategoryRow = "r,c,n\nA,x,15\nA,y,0\nB,x,20\nB,y,30\nC,x,25\nC,y,40\n"

    @Test func oneCategoryHoldingTheWholeRowIsClassDisclosure() throws {
        let table = try Self.file(Self.oneCategoryRow)
        let r = try CLIFailureTests.run(["check", table, "--count", "n", "--dimensions", "r,c", "--margins"])
        #expect(r.status == 0, "\(r.stderr)")
        let rows = Self.rows(r.stdout, dimensions: 2)
        #expect(rows[["A", "x"]] == ["A", "x", "15", "review:class-disclosure"])
        #expect(rows[["A", "Total"]] == ["A", "Total", "15", "review:class-disclosure"])
        #expect(rows[["A", "y"]] == ["A", "y", "0", "review:zero"])
        #expect(rows[["B", "x"]]?[3] == "safe")
    }

    @Test func declaredStructuralZeroIsNotClassDisclosure() throws {
        // A/y cannot occur (a structural zero, known to everybody): all of A in x tells nothing new.
        let table = try Self.file(Self.oneCategoryRow)
        let zeros = try Self.file("r,c\nA,y\n", name: "zeros.csv")
        let r = try CLIFailureTests.run([
            "check", table, "--count", "n", "--dimensions", "r,c", "--margins", "--structural-zeros", zeros,
        ])
        #expect(r.status == 0, "\(r.stderr)")
        let rows = Self.rows(r.stdout, dimensions: 2)
        #expect(rows[["A", "x"]] == ["A", "x", "15", "safe"])
        #expect(rows[["A", "Total"]] == ["A", "Total", "15", "safe"])
        #expect(rows[["A", "y"]] == ["A", "y", "0", "safe"])
        #expect(!rows.values.contains { $0[3].hasPrefix("review") }, "\(r.stdout)")
    }

    @Test func qualityColumnsFlagSmallCountsAndWithholdUnreliableEstimates() throws {
        let table = try Self.file("""
            region,n,people,se
            A,120,5000,150
            B,40,450,40
            C,60,2000,600
            D,6,300,90
            E,30,2500,200

            """)
        let r = try CLIFailureTests.run([
            "check", table, "--count", "n", "--value", "people", "--se", "se", "--weighted-count",
            "--dimensions", "region", "--margins", "--rules", try Self.file(#"{"unreliableEstimates": "suppress"}"#, name: "rules.json"),
        ])
        #expect(r.status == 0, "\(r.stderr)")
        let rows = Self.rows(r.stdout, dimensions: 1)
        #expect(r.stdout.hasPrefix("region,count,value,cv_band,nomis,status\n"))
        #expect(rows[["B"]] == ["B", "40", "450", "reasonably precise", "~", "safe"])
        #expect(rows[["C"]] == ["C", "60", "[u]", "unreliable", "", "safe"])
        #expect(rows[["D"]] == ["D", "[c]", "[c]", "", "", "primary:threshold"])
    }

    @Test func suppressedGroupMinimumComesFromTheRulesFile() throws {
        // sdctable-singletons-1d, threshold = 5: a, b, c hold 4 units, so the total is suppressed too.
        let table = try Self.file("region,n\na,1\nb,2\nc,1\nd,0\n")
        let rules = try Self.file(
            #"{"threshold": 2, "singletonAttack": false, "suppressedGroupMinimumUnits": 5}"#, name: "rules.json")
        let r = try CLIFailureTests.run([
            "check", table, "--count", "n", "--dimensions", "region", "--margins", "--total-label", "tot",
            "--rules", rules,
        ])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == "region,count,status\na,[c],primary:threshold\nb,[c],secondary\nc,[c],primary:threshold\nd,0,review:zero\ntot,[c],secondary\n")
    }
}
