import Foundation
import MicrodataCodebook
import MicrodataReaders
import MicrodataTestSupport
import Testing

/// Issue 21 §2 and §5: inputs that trapped, hung or merged groups, run through the `microdata` binary.
@Suite(.timeLimit(.minutes(2))) struct CrashRegressionTests {
    static func run(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        try CLIFailureTests.run(arguments)
    }

    /// Groups sharing a 30-character prefix, differing only in case, or made of combining marks.
    static func groupedData() throws -> URL {
        let prefix = "regionwithaverylongsharedprefixxx"
        let groups = [prefix + "1", prefix + "2", "A", "a", "e" + String(repeating: "\u{301}", count: 40)]
        var text = "O,D,G,W\n"
        var state: UInt64 = 7
        for g in groups {
            for _ in 0..<300 {
                state = state &* 6364136223846793005 &+ 1442695040888963407
                text += "\(1 + (state >> 33) % 2),\(1 + (state >> 40) % 2),\(g),1\n"
            }
        }
        let url = try Fixtures.temporaryDirectory().appendingPathComponent("groups.csv")
        try Data(text.utf8).write(to: url)
        return url
    }

    @Test func mobilityByGroupsWithLongSharedPrefixOrCaseOnlyDifferencesKeepsEveryGroupApart() throws {
        let dir = try Fixtures.temporaryDirectory().appendingPathComponent("out")
        let r = try Self.run(["mobility", "--data", Self.groupedData().path, "--origin", "O", "--destination", "D",
                              "--by", "G", "--weight", "W", "--output-dir", dir.path])
        #expect(r.status == 0, "\(r.stderr)")
        let csv = try String(contentsOf: dir.appendingPathComponent("mobility.csv"), encoding: .utf8)
        let rows = csv.split(separator: "\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        // The group is its own column, first (issue 22); the table column names the table alone.
        #expect(csv.hasPrefix("G,table,row,row_label,column,column_label,"), "\(csv.prefix(80))")
        let outflows = rows.filter { $0[1] == "outflow" }
        #expect(Set(outflows.map { String($0[0]) }).count == 5)
        let groups = Set(rows.map { String($0[0]) }.filter { !$0.isEmpty })
        #expect(groups.contains("regionwithaverylongsharedprefixxx1") && groups.contains("regionwithaverylongsharedprefixxx2"))
        #expect(groups.contains("A") && groups.contains("a"))
        #expect(groups.count == 5)
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("mobility.xlsx").path))
    }

    @Test func duplicateCodeInAnOrderFileIsReportedNotATrap() throws {
        let order = try Fixtures.temporaryDirectory().appendingPathComponent("order.csv")
        try Data("1,High\n2,Low\n1,Again\n".utf8).write(to: order)
        let r = try Self.run(["mobility", "--data", Self.groupedData().path, "--origin", "O", "--destination", "D",
                              "--weight", "W", "--order", order.path])
        #expect(r.status != 0 && r.status < 128, "exit \(r.status)")
        #expect(r.stderr.contains("order.csv, line 3: class code 1 is listed twice (first on line 1)"), "\(r.stderr)")
    }

    @Test func likelihoodIntervalOnAMeanIsComputedNotATrap() throws {
        let data = try Fixtures.temporaryDirectory().appendingPathComponent("mean.csv")
        var text = "Y,S,W\n"
        for i in 0..<200 { text += "\(i % 7),\(i % 3 == 0 ? "x" : "y"),\(1 + i % 2)\n" }
        try Data(text.utf8).write(to: data)
        for analysis in [["--mean", "Y"], ["--total", "Y"]] {
            let r = try Self.run(["tabulate", "--data", data.path, "--weight", "W", "--ci", "likelihood"] + analysis)
            #expect(r.status == 0, "\(analysis): exit \(r.status): \(r.stderr)")
            let mean = r.stdout.split(separator: "\n").first { $0.hasPrefix("mean,Y,") || $0.hasPrefix("total,Y,") }
            let fields = mean?.split(separator: ",", omittingEmptySubsequences: false) ?? []
            #expect(fields.count >= 7 && Double(fields[5]) != nil && Double(fields[6]) != nil, "\(r.stdout)")
        }
    }

    @Test func negativeOrHugeDcmlIsAnErrorNamingTheVariable() throws {
        for (file, found) in [("dcml-negative.xml", "-2"), ("dcml-too-large.xml", "23")] {
            let error = #expect(throws: CodebookError.self) {
                try DDIParser(knownWeightNames: []).parse(contentsOf: Fixtures.url("malformed/xml/" + file))
            }
            #expect("\(error.map { "\($0)" } ?? "")".contains("variable AGE: dcml must be a whole number from 0 to 15"))
            #expect("\(error.map { "\($0)" } ?? "")".contains("found \(found)"))
        }
    }

    /// 200,000 attributes on one element took `inspect` 441 s inside libxml2; the byte scan refuses it at once.
    @Test func elementWith200000AttributesIsRefusedQuickly() throws {
        let attributes = (0..<200_000).map { "a\($0)=\"x\"" }.joined(separator: " ")
        let xml = "<?xml version=\"1.0\"?>\n<codeBook><stdyDscr/><dataDscr>\n<var name=\"X\" \(attributes)/>"
            + "</dataDscr></codeBook>\n"
        let url = try Fixtures.temporaryDirectory().appendingPathComponent("flood.xml")
        try Data(xml.utf8).write(to: url)
        let start = Date()
        let r = try Self.run(["inspect", url.path])
        #expect(Date().timeIntervalSince(start) < 10)
        #expect(r.status != 0)
        #expect(r.stderr.contains("flood.xml:3: an element has more than 256 attributes"), "\(r.stderr)")
        #expect(r.stderr.contains("--max-xml-attributes"))
        let data = #expect(throws: CodebookError.self) {
            try DDIParser(knownWeightNames: []).parse(data: Data(xml.utf8), source: "flood.xml")
        }
        #expect(data?.kind == "limitExceeded")
    }

    /// A by-variable whose labels are formulas, markup and terminal escapes.
    static func hostileLabels() throws -> URL {
        var text = "G,Y,W\n"
        for i in 0..<30 {
            for g in ["\"=HYPERLINK(\"\"http://x\"\")\"", "-5", "@cmd", "a|b<i>\u{1B}[31mred"] { text += "\(g),\(i % 5),1\n" }
        }
        let url = try Fixtures.temporaryDirectory().appendingPathComponent("hostile.csv")
        try Data(text.utf8).write(to: url)
        return url
    }

    @Test func csvOutputPrefixesFormulaLabelsAndAllowCSVFormulasTurnsItOff() throws {
        let data = try Self.hostileLabels().path
        let guarded = try Self.run(["tabulate", "--data", data, "--weight", "W", "--mean", "Y", "--by", "G"])
        #expect(guarded.status == 0, "\(guarded.stderr)")
        #expect(guarded.stdout.contains("\n\"'=HYPERLINK(\"\"http://x\"\")\",mean,Y,"), "\(guarded.stdout)")
        #expect(guarded.stdout.contains("\n'@cmd,mean,Y,"))
        #expect(guarded.stdout.contains("\n-5,mean,Y,"))  // a number, not a label
        let open = try Self.run(["tabulate", "--data", data, "--weight", "W", "--mean", "Y", "--by", "G",
                                 "--allow-csv-formulas"])
        #expect(open.stdout.contains("\n@cmd,mean,Y,"), "\(open.stdout)")
    }

    @Test func markdownOutputEscapesPipesNewlinesAndRawHTMLInLabels() throws {
        let r = try Self.run(["tabulate", "--data", Self.hostileLabels().path, "--weight", "W", "--mean", "Y",
                              "--by", "G", "--format", "markdown"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("| a\\|b&lt;i&gt;red | mean |"), "\(r.stdout)")
        #expect(!r.stdout.contains("<i>") && !r.stdout.contains("\u{1B}"))
    }

    @Test func textAndInspectOutputStripTerminalControlSequencesFromLabels() throws {
        let text = try Self.run(["tabulate", "--data", Self.hostileLabels().path, "--weight", "W", "--mean", "Y",
                                 "--by", "G", "--format", "text"])
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stdout.contains("a|b<i>red"), "\(text.stdout)")
        #expect(!text.stdout.contains("\u{1B}"))
        let book = try Fixtures.temporaryDirectory().appendingPathComponent("escape.xml")
        try Data(("<?xml version=\"1.0\"?><codeBook><stdyDscr><citation><titlStmt><titl>T&#x9D;0;owned&#x9C;itle"
            + "</titl></titlStmt></citation></stdyDscr><dataDscr><var name=\"X\"><labl>red&#x9B;31m label</labl>"
            + "</var></dataDscr></codeBook>").utf8).write(to: book)
        let inspect = try Self.run(["inspect", book.path])
        #expect(inspect.status == 0, "\(inspect.stderr)")
        #expect(inspect.stdout.contains("Title") && inspect.stdout.contains("red label"), "\(inspect.stdout)")
        #expect(!inspect.stdout.unicodeScalars.contains { $0.value == 0x9D || $0.value == 0x9B || $0.value == 0x9C })
    }

    /// `--by` with thousands of levels: the full covariance of the estimates was quadratic in domains (5,000
    /// levels took 432 MB, 20,000 about 6 GB; `tabulate` now keeps per-domain blocks, see
    /// `DomainCovarianceBlockTests`); past `--max-domains` it is still a clear error naming the option.
    @Test func byBeyondMaxDomainsIsAClearErrorNamingTheOption() throws {
        var text = "G,Y,W\n"
        for i in 0..<2_500 { text += "g\(i),\(i % 5),1\ng\(i),\((i + 1) % 5),2\n" }
        let data = try Fixtures.temporaryDirectory().appendingPathComponent("levels.csv")
        try Data(text.utf8).write(to: data)
        let capped = try Self.run(["tabulate", "--data", data.path, "--weight", "W", "--mean", "Y", "--by", "G"])
        #expect(capped.status != 0 && capped.status < 128)
        #expect(capped.stderr.contains("--by G makes more than 2000 domains"), "\(capped.stderr)")
        #expect(capped.stderr.contains("--max-domains"))
        let raised = try Self.run(["tabulate", "--data", data.path, "--weight", "W", "--mean", "Y", "--by", "G",
                                   "--max-domains", "3000", "--no-disclosure-control"])
        #expect(raised.status == 0, "\(raised.stderr)")
        #expect(raised.stdout.split(separator: "\n").filter { $0.hasPrefix("g") }.count == 2_500)
    }

    /// Extracting 100,000 variables used 7 GB: every column reserved 65,536 rows. Batches now hold at most
    /// `ReadOptions.batchCellBudget` cells, so memory follows the variables selected, not columns × batch size.
    @Test func extractingManyVariablesKeepsEachBatchWithinTheCellBudget() throws {
        #expect(ReadOptions().rowsPerBatch(columns: 100_000) == 41)
        #expect(ReadOptions().rowsPerBatch(columns: 3) == 65_536)
        #expect(ReadOptions().rowsPerBatch(columns: 10_000_000) == 1)
        let columns = 10_000
        var text = (0..<columns).map { "v\($0)" }.joined(separator: ",") + "\n"
        let row = (0..<columns).map { String($0 % 10) }.joined(separator: ",") + "\n"
        for _ in 0..<450 { text += row }
        let url = try Fixtures.temporaryDirectory().appendingPathComponent("wide.csv")
        try Data(text.utf8).write(to: url)
        var all = try DataReader.open(data: url, codebook: nil)
        var sizes: [Int] = []
        while let batch = try all.nextBatch() { sizes.append(batch.rowCount) }
        #expect(sizes == [419, 31])
        var two = try DataReader.open(data: url, codebook: nil, options: ReadOptions(variables: ["v1", "v9999"]))
        let batch = try two.nextBatch()
        #expect(batch?.rowCount == 450)
        #expect(batch?.columns.count == 2)
    }
}
