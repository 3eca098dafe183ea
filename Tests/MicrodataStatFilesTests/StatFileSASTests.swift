import Foundation
import MicrodataCodebook
import MicrodataReaders
import MicrodataTestSupport
import Testing

/// SAS7BDAT (converted by ReadStat's own tool: Fixtures/statfiles/PROVENANCE.txt).
@Suite struct StatFileSASTests {
    let url = Fixtures.url("statfiles/survey.sas7bdat")

    @Test func metadata() throws {
        #expect(StatFile.format(of: url) == .sas)
        let book = try StatFile.codebook(url)
        #expect(book.study.title == "SAS twin")
        #expect(book.variables.map(\.name) == ["ID", "PWT", "TOWN"])
        #expect(book.variables.map(\.label) == ["Person identifier", "Person weight", "Town"])
        #expect(book.variable(named: "TOWN")?.type == .character)
        #expect(book.files.first?.format == "SAS7BDAT")
        #expect(book.files.first?.caseCount == 3)
    }

    @Test func rows() throws {
        var source = try StatFile.open(url, options: ReadOptions(variables: ["TOWN", "PWT"]))
        let (columns, rows, _) = try readAll(&source)
        #expect(rows == 3)
        #expect(texts(columns["TOWN"]) == ["Leeds", "Bath", "York"])
        #expect(values(columns["PWT"]) == [1.5, 0.75, 2.25])
    }

    @Test func roundTripThroughDDI() throws {
        var original = try StatFile.codebook(url)
        var parsed = try DDIParser().parse(data: Data(DDIWriter().write(original).utf8), source: "x")
        original.source = nil
        parsed.source = nil
        #expect(parsed == original)
    }
}
