import Foundation
import MicrodataCodebook
import MicrodataTestSupport
import Testing

/// Codebook → DDI 2.5 → codebook, on DDI fixtures and on a model built to stress escaping.
@Suite struct DDIWriterTests {
    func reparse(_ codebook: Codebook) throws -> (Codebook, DDIWriter.Document) {
        let document = DDIWriter().document(for: codebook)
        var parsed = try DDIParser().parse(data: Data(document.xml.utf8), source: "written.xml")
        parsed.source = codebook.source
        return (parsed, document)
    }

    @Test func escapingOfMarkupQuotesAndLineBreaks() throws {
        var v = Variable(name: "Q1", id: "V1", files: ["F1"], labels: [LocalizedText("Income < £10k & \"other\"")])
        v.categories = [
            Category(value: "1", label: "A&B <c>", labels: [LocalizedText("A&B <c>")]),
            Category(value: "-9", label: "'Refused' > \"n/a\"", isMissing: true,
                     labels: [LocalizedText("'Refused' > \"n/a\"")]),
        ]
        v.missingValues = MissingValues(values: ["-9", "a\"b\tc"], ranges: [ValueRange(min: nil, max: -90)])
        v.questionText = "Line one\nLine two\r\nLine three ]]> end"
        v.type = .numeric
        let book = Codebook(
            study: Study(title: "T & <S>", conditionsOfUse: "Use & \"cite\""),
            files: [DataFile(id: "F1", name: "a&b.sav", charset: "UTF-8")], variables: [v])
        let (parsed, document) = try reparse(book)
        #expect(document.warnings.isEmpty)
        #expect(document.xml.contains("<labl>Income &lt; £10k &amp; \"other\"</labl>"))
        #expect(document.xml.contains("<item VALUE=\"a&quot;b&#x9;c\"/>"))
        #expect(document.xml.contains("]]&gt; end"))
        #expect(parsed == book)
    }

    @Test func controlCharactersBecomeReplacementCharactersWithAWarning() throws {
        let v = Variable(name: "X", labels: [LocalizedText("bell\u{7}here")])
        let (parsed, document) = try reparse(Codebook(variables: [v]))
        #expect(document.warnings.count == 1)
        #expect(document.warnings.first?.contains("variable X label") == true)
        #expect(parsed.variables.first?.label == "bell\u{FFFD}here")
    }

    @Test func writesToAFile() throws {
        let url = try Fixtures.temporaryDirectory().appendingPathComponent("out.xml")
        let book = Codebook(study: Study(title: "Written"), variables: [Variable(name: "A", isWeight: true)])
        try DDIWriter().write(book, to: url)
        let parsed = try DDIParser().parse(contentsOf: url)
        #expect(parsed.study.title == "Written")
        #expect(parsed.weightVariables.map(\.name) == ["A"])
    }
}

/// DDI fixtures of every dialect: parse → write → parse gives the same model.
@Suite struct DDIWriterRoundTripTests {
    @Test(arguments: [
        "cessda_cmv_core/ukds-2000.xml", "cessda_cmv_core/fsd-3271.xml", "cessda_cmv_core/gesis-2800.xml",
        "cessda_cmv_core/ukds-7481.xml", "ihsn_nada/ag-eth-survey-2003_ddi.xml", "ipumspy/cps_00006.xml",
        "ipumspy/atus_00034.xml", "ipumsr/cps_00097.xml", "cessda_osmh_indexer/synthetic_compliant_cmm_nesstar.xml",
    ])
    func fixtureSurvivesWriting(_ path: String) throws {
        var original = try DDIParser().parse(contentsOf: Fixtures.url("ddi/\(path)"))
        let document = DDIWriter().document(for: original)
        var parsed = try DDIParser().parse(data: Data(document.xml.utf8), source: "written.xml")
        original.source = nil
        parsed.source = nil
        #expect(parsed.study == original.study)
        #expect(parsed.files == original.files)
        #expect(parsed.groups == original.groups)
        #expect(parsed.variables.count == original.variables.count)
        var reported = 0
        for (a, b) in zip(original.variables, parsed.variables) where a != b && reported < 3 {
            reported += 1
            Issue.record("variable \(a.name) differs:\n\(a)\n\(b)")
        }
        #expect(parsed == original)
    }
}
