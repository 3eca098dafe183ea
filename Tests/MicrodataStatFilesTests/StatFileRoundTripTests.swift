import Foundation
import MicrodataCodebook
import MicrodataReaders
import MicrodataTestSupport
import Testing

/// .sav/.dta → model → DDI 2.5 → model.
@Suite struct StatFileRoundTripTests {
    func roundTrip(_ name: String) throws -> (original: Codebook, parsed: Codebook, xml: String) {
        var original = try StatFile.codebook(Fixtures.url("statfiles/\(name)"))
        let document = DDIWriter().document(for: original)
        #expect(document.warnings.isEmpty)
        var parsed = try DDIParser().parse(data: Data(document.xml.utf8), source: "roundtrip.xml")
        original.source = nil
        parsed.source = nil
        return (original, parsed, document.xml)
    }

    @Test(arguments: ["survey.sav", "survey.zsav", "survey.dta", "latin1.dta", "survey.por"])
    func modelSurvivesDDI(_ name: String) throws {
        let (original, parsed, _) = try roundTrip(name)
        #expect(parsed.variables.count == original.variables.count)
        for (a, b) in zip(original.variables, parsed.variables) { #expect(a == b, "variable \(a.name)") }
        #expect(parsed.study == original.study)
        #expect(parsed.files == original.files)
        #expect(parsed == original)
    }

    @Test func ddiCarriesMissingFlagsWeightsAndEscapedLabels() throws {
        let (_, parsed, xml) = try roundTrip("survey.sav")
        #expect(xml.contains("<codeBook xmlns=\"ddi:codebook:2_5\""))
        #expect(xml.contains(
            "<var ID=\"V2\" name=\"PWT\" files=\"F1\" dcml=\"3\" intrvl=\"contin\" nature=\"interval\" wgt=\"wgt\">"))
        #expect(xml.contains("<labl>Île &amp; &lt;Londres&gt; \"centre\" 'quoted'</labl>"))
        #expect(xml.contains("<range min=\"-9\" max=\"-1\"/>"))
        #expect(xml.contains("<catgry missing=\"Y\">"))
        let age = try #require(parsed.variable(named: "AGE"))
        #expect(age.missingValues.ranges == [ValueRange(min: -9, max: -1)])
        #expect(parsed.weightVariables.map(\.name) == ["PWT"])
        #expect(parsed.variable(named: "REGION")?.label == "Region <UK & \"NI\">")
    }
}
