import Testing

@testable import MicrodataWeighting

/// The output formats of `tabulate`.
struct ResultTableWriterTests {
    func table() throws -> ResultTable {
        try Designs.apiclus1.estimate(Designs.dclus1, [.mean("api00")], EstimationOptions(by: ["stype"], deff: .withoutReplacement)).table
    }

    @Test func csvColumnsInOrder() throws {
        let csv = ResultTableWriter.render(try table(), format: .csv)
        let lines = csv.split(separator: "\n")
        #expect(lines[0] == "stype,statistic,variable,level,estimate,se,ci_low,ci_high,deff,df,n,weighted_n")
        #expect(lines.count == 4)
        let e = lines[1].split(separator: ",", omittingEmptySubsequences: false)
        #expect(e[0] == "E" && e[1] == "mean" && e[2] == "api00" && e[3] == "")
        expectClose(Double(e[4])!, Oracle.shared("D05", "mean", "api00"))
        expectClose(Double(e[5])!, Oracle.shared("D05", "SE", "api00"))
        #expect(e[9] == "14" && e[10] == "144")
    }

    @Test func jsonMarkdownAndTextStateTheDesign() throws {
        let t = try table()
        let json = ResultTableWriter.render(t, format: .json)
        #expect(json.contains("\"design\": \"linearisation; clusters dnum; fpc fpc; df 14\""))
        #expect(json.contains("\"stype\": \"H\""))
        #expect(ResultTableWriter.render(t, format: .markdown).contains("| stype | statistic |"))
        let text = ResultTableWriter.render(t, format: .text)
        #expect(text.hasPrefix("design: linearisation"))
        #expect(text.contains("95% intervals, t with design df"))
    }
}
