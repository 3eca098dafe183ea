import Foundation
import MicrodataCodebook
import MicrodataTestSupport
import Testing

/// Issue 22: without `--weight`, `tabulate`, `model` and `mobility` use the one weight the codebook names
/// (DDI `wgt="wgt"` or `wgt-var`) and say so on the design line; several named weights are refused.
@Suite(.timeLimit(.minutes(3))) struct CodebookWeightTests {
    /// 60 rows: region 1–3, income and weight PWT24 (1–4); `vars` is the DDI of the income and weight variables.
    static func files(vars: String) throws -> (data: String, codebook: String) {
        let dir = try Fixtures.temporaryDirectory()
        let book = dir.appendingPathComponent("book.xml")
        try Data("""
            <?xml version="1.0"?><codeBook><dataDscr>
            <var ID="V1" name="region"><labl>Region</labl></var>
            \(vars)
            </dataDscr></codeBook>
            """.utf8).write(to: book)
        var text = "region,income,PWT24,PIWT24\n"
        for i in 0..<60 { text += "\(1 + i % 3),\(100 + i * 7 % 50),\(1 + i % 4),\(2 + i % 5)\n" }
        let data = dir.appendingPathComponent("d.csv")
        try Data(text.utf8).write(to: data)
        return (data.path, book.path)
    }

    /// `income` points at its weight by ID (`wgt-var`); the weight itself carries no flag.
    static let byReference = """
        <var ID="V2" name="income" wgt-var="V3"><labl>Income</labl></var>
        <var ID="V3" name="PWT24"><labl>Person weight</labl></var><var ID="V4" name="PIWT24"/>
        """

    @Test func codebookWeightGivesTheSameEstimatesAsWeight() throws {
        let (data, book) = try Self.files(vars: Self.byReference)
        let base = ["tabulate", "--data", data, "--codebook", book, "--mean", "income", "--by", "region",
                    "--no-disclosure-control"]
        let implicit = try CLIFailureTests.run(base)
        let explicit = try CLIFailureTests.run(base + ["--weight", "PWT24"])
        let unweighted = try CLIFailureTests.run(base + ["--unweighted"])
        #expect(implicit.status == 0 && explicit.status == 0, "\(implicit.stderr)")
        #expect(implicit.stdout == explicit.stdout)
        #expect(implicit.stderr.contains("weight PWT24 (from the codebook)"), "\(implicit.stderr)")
        #expect(!explicit.stderr.contains("from the codebook"))
        #expect(unweighted.status == 0 && unweighted.stdout != implicit.stdout, "\(unweighted.stderr)")
        #expect(unweighted.stderr.contains("unit weights") && !unweighted.stderr.contains("from the codebook"))
    }

    @Test func severalCodebookWeightsAreRefusedByName() throws {
        let (data, book) = try Self.files(vars: """
            <var ID="V2" name="income"/><var ID="V3" name="PWT24" wgt="wgt"/><var ID="V4" name="PIWT24" wgt="wgt"/>
            """)
        let r = try CLIFailureTests.run(["tabulate", "--data", data, "--codebook", book, "--mean", "income"])
        #expect(r.status == 2, "\(r.stderr)")
        #expect(r.stderr.contains("2 weight variables (PWT24, PIWT24)"), "\(r.stderr)")
        let chosen = try CLIFailureTests.run(
            ["tabulate", "--data", data, "--codebook", book, "--mean", "income", "--weight", "PIWT24"])
        #expect(chosen.status == 0, "\(chosen.stderr)")
    }

    /// survey.sav's header names PWT as the SPSS weight variable (Fixtures/statfiles/PROVENANCE.txt).
    @Test func spssWeightOfTheDataFileIsUsed() throws {
        let base = ["tabulate", "--data", Fixtures.path("statfiles/survey.sav"), "--mean", "INCOME",
                    "--no-disclosure-control"]
        let implicit = try CLIFailureTests.run(base)
        let explicit = try CLIFailureTests.run(base + ["--weight", "PWT"])
        #expect(implicit.status == 0 && !implicit.stdout.isEmpty && implicit.stdout == explicit.stdout, "\(implicit.stderr)")
        #expect(implicit.stderr.contains("weight PWT (from the codebook)"), "\(implicit.stderr)")
    }

    @Test func modelUsesTheCodebookWeight() throws {
        let (data, book) = try Self.files(vars: Self.byReference)
        let base = ["model", "--data", data, "--codebook", book, "--formula", "income ~ factor(region)",
                    "--no-disclosure-control", "--format", "csv"]
        let implicit = try CLIFailureTests.run(base)
        let explicit = try CLIFailureTests.run(base + ["--weight", "PWT24"])
        #expect(implicit.status == 0 && !implicit.stdout.isEmpty && implicit.stdout == explicit.stdout, "\(implicit.stderr)")
    }

    @Test func weightNamesComeFromFlagsAndReferencesInCodebookOrder() throws {
        let book = try DDIParser(knownWeightNames: nil).parse(data: Data("""
            <codeBook><dataDscr><var ID="a" name="x" wgt-var="c b"/><var ID="b" name="w2"/>\
            <var ID="c" name="w1" wgt="wgt"/><var ID="d" name="y" wgt-var="c"/></dataDscr></codeBook>
            """.utf8), source: "t.xml")
        #expect(CodebookWeight.names(in: book) == ["w2", "w1"])
        #expect(throws: CodebookWeight.Ambiguous.self) { try CodebookWeight.single(in: book) }
        let one = try DDIParser(knownWeightNames: nil).parse(data: Data(
            #"<codeBook><dataDscr><var name="x"/><var name="w" wgt="wgt"/></dataDscr></codeBook>"#.utf8), source: "t.xml")
        #expect(try CodebookWeight.single(in: one) == "w")
    }
}
