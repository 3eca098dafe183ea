import Foundation
import MicrodataTestSupport
import Testing

/// The `microdata` binary on the SPSS and Stata fixtures (`Fixtures/statfiles`): every subcommand that takes a
/// codebook or data file accepts a .sav/.dta in either role, and gives the same numbers as the library.
@Suite(.timeLimit(.minutes(2))) struct StatFileCLITests {
    static let sav = Fixtures.path("statfiles/survey.sav")
    static let dta = Fixtures.path("statfiles/survey.dta")
    static let tab = Fixtures.path("statfiles/survey.tab")
    /// The weighted mean of INCOME over the 7 non-missing incomes (make_fixtures.py values), as asserted by
    /// `StatFileWeightedEstimateTests`: sum(w*x)/sum(w) = 263065.4375 / 7.875.
    static let weightedMeanIncome = 263065.4375 / 7.875

    /// Runs the built binary with `MICRODATA_CODEBOOKS` pointing at the package's Codebooks/ folder.
    static func run(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        try ChildProcess.run(CLIFailureTests.binary, arguments, environment: [
            "MICRODATA_CODEBOOKS": Fixtures.packageRoot.appendingPathComponent("Codebooks").path
        ])
    }

    /// The `estimate` column of the single row of a `tabulate` CSV (comment lines starting `#` skipped).
    static func estimate(inTabulateCSV text: String, sourceLocation: SourceLocation = #_sourceLocation) -> Double? {
        let lines = text.split(separator: "\n").filter { !$0.hasPrefix("#") }
        guard lines.count == 2 else {
            Issue.record("expected a header and one row, got:\n\(text)", sourceLocation: sourceLocation)
            return nil
        }
        let header = lines[0].split(separator: ",", omittingEmptySubsequences: false)
        let row = lines[1].split(separator: ",", omittingEmptySubsequences: false)
        guard let k = header.firstIndex(of: "estimate"), k < row.count else { return nil }
        return Double(row[k])
    }

    // MARK: - tabulate

    @Test func tabulateReadsASavAsData() throws {
        let r = try Self.run(["tabulate", "--data", Self.sav, "--weight", "PWT", "--mean", "INCOME",
                              "--no-disclosure-control"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(Self.estimate(inTabulateCSV: r.stdout) == Self.weightedMeanIncome)
    }

    @Test func tabulateTakesASavAsTheCodebookOfItsTabTwin() throws {
        let r = try Self.run(["tabulate", "--codebook", Self.sav, "--data", Self.tab, "--weight", "PWT",
                              "--mean", "INCOME", "--no-disclosure-control"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(!r.stderr.contains("Document is empty"), "\(r.stderr)")
        // The .sav's user-missing codes (999999, -8 in the range -99..-1) apply to the tab file too.
        #expect(Self.estimate(inTabulateCSV: r.stdout) == Self.weightedMeanIncome)
    }

    @Test func tabulateOnTheExtractedCSVEqualsTabulateOnTheSav() throws {
        let dir = try Fixtures.temporaryDirectory()
        let csv = dir.appendingPathComponent("survey.csv").path
        let extract = try Self.run(["extract", "--data", Self.sav, "--output", csv])
        #expect(extract.status == 0, "\(extract.stderr)")
        for statistic in [["--mean", "INCOME"], ["--total", "AGE"], ["--mean", "AGE", "--by", "SEX"]] {
            let common = ["--weight", "PWT", "--no-disclosure-control"] + statistic
            let fromSav = try Self.run(["tabulate", "--data", Self.sav] + common)
            let fromCSV = try Self.run(["tabulate", "--data", csv] + common)
            #expect(fromSav.status == 0, "\(fromSav.stderr)")
            #expect(fromCSV.status == 0, "\(fromCSV.stderr)")
            // User-missing codes are empty fields in the CSV: the same cells, the same numbers.
            #expect(fromSav.stdout == fromCSV.stdout, "\(statistic)")
        }
    }

    // MARK: - inspect

    @Test func inspectTextSummarisesTheSavMetadata() throws {
        let r = try Self.run(["inspect", Self.sav])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("Study:     Microdata test survey (SPSS)"))
        #expect(r.stdout.contains("F1 survey.sav rectangular charset=UTF-8 cases=10 vars=8"))
        #expect(r.stdout.contains("Variables: 8 (weights: PWT)"))
        let lines = r.stdout.split(separator: "\n")
        let pwt = try #require(lines.first { $0.hasPrefix("PWT ") })
        #expect(pwt.contains(" W Person weight"))
        let region = try #require(lines.first { $0.hasPrefix("REGION ") })
        #expect(region.contains("4c") && region.contains("Region <UK & \"NI\">"))
        // Codes inside a missing range are not repeated beside it; a code outside every range stays.
        let age = try #require(lines.first { $0.hasPrefix("AGE ") })
        #expect(age.hasSuffix("[missing: -9..-1]"), "\(age)")
        let income = try #require(lines.first { $0.hasPrefix("INCOME ") })
        #expect(income.hasSuffix("[missing: 999999,-99..-1]"), "\(income)")
        let sex = try #require(lines.first { $0.hasPrefix("SEX ") })
        #expect(sex.hasSuffix("[missing: -9]"), "\(sex)")
        let name = try #require(lines.first { $0.hasPrefix("NAME ") })
        #expect(name.contains("w14") && name.contains("[missing: XX]"))
    }

    @Test func inspectTextShowsTheLabelledStataMissingTags() throws {
        let r = try Self.run(["inspect", Self.dta])
        #expect(r.status == 0, "\(r.stderr)")
        let income = try #require(r.stdout.split(separator: "\n").first { $0.hasPrefix("income ") })
        #expect(income.contains(".a") && income.contains(".b"), "\(income)")
    }

    @Test func inspectJSONCarriesWeightLabelsAndMissingValues() throws {
        let r = try Self.run(["inspect", Self.sav, "--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        let root = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let variables = try #require(root["variables"] as? [[String: Any]])
        #expect(variables.map { $0["name"] as? String } == ["ID", "PWT", "SEX", "AGE", "INCOME", "REGION", "NAME", "COMMENT"])
        let pwt = try #require(variables.first { $0["name"] as? String == "PWT" })
        #expect(pwt["isWeight"] as? Bool == true)
        let region = try #require(variables.first { $0["name"] as? String == "REGION" })
        let labels = (region["categories"] as? [[String: Any]])?.compactMap { $0["label"] as? String }
        #expect(labels?.contains("Île & <Londres> \"centre\" 'quoted'") == true)
        let income = try #require(variables.first { $0["name"] as? String == "INCOME" })
        let missing = try #require(income["missingValues"] as? [String: Any])
        // The JSON keeps every code, -8 inside the range -99..-1 included (the text summary leaves it out).
        #expect(missing["values"] as? [String] == ["999999", "-8"])
        let ranges = try #require(missing["ranges"] as? [[String: Any]])
        #expect(ranges.first?["min"] as? Double == -99 && ranges.first?["max"] as? Double == -1)
    }

    // MARK: - extract

    @Test func extractWritesTheSavRowsWithUserMissingEmpty() throws {
        let r = try Self.run(["extract", "--data", Self.sav, "--variables", "ID,SEX,AGE,INCOME,NAME"])
        #expect(r.status == 0, "\(r.stderr)")
        let lines = r.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.first == "ID,SEX,AGE,INCOME,NAME")
        #expect(lines.count == 12)  // header, 10 rows, final newline
        #expect(lines[1] == "1,1,34,25000.5,Siân")
        #expect(lines[3] == "3,2,,,O'Brien & Sons")  // AGE -1 (range -9..-1), INCOME 999999
        #expect(lines[5] == "5,,45,,")  // SEX -9, INCOME -8, NAME system-missing
        #expect(lines[9] == "9,1,52,22000,\"Ann \"\"Nan\"\"\"")
        #expect(lines[10] == "10,,63,15500.5,")  // NAME "XX" is user-missing
        #expect(r.stderr.contains("rows read: 10"))
        #expect(r.stderr.contains("missing-value rules: AGE 2"), "\(r.stderr)")
        #expect(r.stderr.contains("missing-value rules: NAME 1"), "\(r.stderr)")
    }

    @Test func extractWithTheSavAsCodebookOfTheTabTwinEqualsTheSav() throws {
        let fromSav = try Self.run(["extract", "--data", Self.sav])
        let fromTab = try Self.run(["extract", "--codebook", Self.sav, "--data", Self.tab])
        #expect(fromSav.status == 0, "\(fromSav.stderr)")
        #expect(fromTab.status == 0, "\(fromTab.stderr)")
        #expect(fromSav.stdout == fromTab.stdout)
    }

    @Test func extractWritesStataExtendedMissingAsEmpty() throws {
        let r = try Self.run(["extract", "--data", Self.dta, "--variables", "id,income"])
        #expect(r.status == 0, "\(r.stderr)")
        let lines = r.stdout.split(separator: "\n").map(String.init)
        // .a (row 3), .b (row 5), system missing (row 7) and .z (row 9, no label in the file).
        #expect(lines[3] == "3," && lines[5] == "5," && lines[7] == "7," && lines[9] == "9,")
        #expect(r.stderr.contains("missing-value rules: income 3"), "\(r.stderr)")
        #expect(r.stderr.contains("extended missing values (always missing): income .a 1, .b 1, .z 1"), "\(r.stderr)")
    }

    // MARK: - harmonise

    @Test func harmoniseReadsASavAsDataAndAsCodebook() throws {
        let common = ["--missing", "AGE:-1", "--weight", "PWT"]
        let fromSav = try Self.run(["harmonise", "--data", Self.sav] + common)
        #expect(fromSav.status == 0, "\(fromSav.stderr)")
        let lines = fromSav.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first == "ID,PWT,SEX,AGE,INCOME,REGION,NAME,COMMENT")
        #expect(lines.count == 11)
        #expect(lines[3].hasPrefix("3,2.25,2,,"))  // AGE -1, a user-missing code in the .sav: blank, as in extract
        #expect(fromSav.stderr.contains("set to missing by the codebook's missing-value rules: AGE 2"), "\(fromSav.stderr)")
        // With the codebook's codes kept, harmonise's own --missing sets the -1 to missing and audits it.
        let kept = try Self.run(["harmonise", "--data", Self.sav, "--keep-missing-codes"] + common)
        #expect(kept.stdout.split(separator: "\n")[3].hasPrefix("3,2.25,2,,"), "\(kept.stdout)")
        #expect(kept.stderr.contains("AGE missing codes set to missing: 1 records"), "\(kept.stderr)")
        let fromTab = try Self.run(["harmonise", "--codebook", Self.sav, "--data", Self.tab] + common)
        #expect(fromTab.status == 0, "\(fromTab.stderr)")
        #expect(fromTab.stdout == fromSav.stdout)
        #expect(!fromTab.stderr.contains("Document is empty"))
    }

    // MARK: - codebook export

    @Test(arguments: ["survey.sav", "survey.dta"])
    func exportedDDIReparsesWithTheSameLabels(_ name: String) throws {
        let source = Fixtures.path("statfiles/\(name)")
        let xml = try Fixtures.temporaryDirectory().appendingPathComponent("\(name).xml").path
        let export = try Self.run(["codebook", "export", source, "--format", "ddi", "--output", xml])
        #expect(export.status == 0, "\(export.stderr)")
        let text = try String(contentsOfFile: xml, encoding: .utf8)
        // Markup characters in labels are escaped (quotes need escaping only inside attributes).
        #expect(text.contains("Region &lt;UK &amp; \"NI\"&gt;"))
        #expect(text.contains("Île &amp; &lt;Londres&gt; \"centre\" 'quoted'"))
        #expect(!text.contains("<UK &"))
        func model(_ path: String) throws -> [[String: Any]] {
            let r = try Self.run(["inspect", path, "--format", "json"])
            #expect(r.status == 0, "\(path): \(r.stderr)")
            let root = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
            return try #require(root?["variables"] as? [[String: Any]])
        }
        let original = try model(source)
        let reparsed = try model(xml)
        #expect(reparsed.count == original.count)
        for (a, b) in zip(original, reparsed) {
            #expect(a["name"] as? String == b["name"] as? String)
            #expect(a["label"] as? String == b["label"] as? String)
            #expect(a["isWeight"] as? Bool == b["isWeight"] as? Bool)
            let ca = (a["categories"] as? [[String: Any]] ?? []).map { "\($0["value"] ?? "")=\($0["label"] ?? "")" }
            let cb = (b["categories"] as? [[String: Any]] ?? []).map { "\($0["value"] ?? "")=\($0["label"] ?? "")" }
            #expect(ca == cb, "\(a["name"] ?? "")")
            let ma = a["missingValues"] as? [String: Any]
            let mb = b["missingValues"] as? [String: Any]
            #expect(ma?["values"] as? [String] == mb?["values"] as? [String], "\(a["name"] ?? "")")
        }
    }
}

