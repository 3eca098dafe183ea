import Foundation
import MicrodataTestSupport
import Testing

@testable import MicrodataCodebook

/// Non-IPUMS dialects: NADA UTF-16LE, Nesstar with xmlns="" children, FSD bilingual, UKDS study records, DDI 3.2.
@Suite struct DialectTests {
    let parser = DDIParser()

    func load(_ path: String) throws -> Codebook {
        try parser.parse(contentsOf: Fixtures.url("ddi/" + path))
    }

    @Test func nadaUTF16With3Files() throws {
        let book = try load("ihsn_nada/ag-eth-survey-2004_ddi.xml")
        #expect(book.study.title == "Annual Agricultural Sample Survey-2004/2005 (1997 E.C)" || book.study.title != nil)
        #expect(book.variables.count == 79)
        #expect(book.files.map(\.id) == ["F4", "F5", "F6"])
        #expect(book.files.map(\.name) == ["MAIN97_Holder.NSDstat", "MAIN97_Agric.NSDstat", "main97_field_new.NSDstat"])
        #expect(book.files.map(\.caseCount) == [52923, 52338, 612685])
        #expect(book.files.map(\.structure) == [.relational, .relational, .relational])
        #expect(book.files[0].recordTypes.first?.keyVariables.first == "V81")
        #expect(book.files[0].recordTypes.first?.children == ["F5", "F6"])

        let first = try #require(book.variables.first)
        #expect(first.name == "v01" && first.id == "V81" && first.files == ["F4"])
        #expect(first.label == "Killil")
        #expect(first.questionText == "Region")
        #expect(first.start == nil && first.end == nil && first.width == 2)
        #expect(first.validRanges == [ValueRange(min: 1, max: 15)])
        #expect(first.categories.first?.label == "Tigray")
        #expect(first.categories.first?.frequency == 4240)

        #expect(book.weightVariables.map(\.name) == ["hweight", "aweight", "fweight"])
        #expect(book.variable(id: "V87")?.weightVariable == "V91")

        // v13 in F4: missing category "Sysmiss" and invalrng item 9.
        let holding = try #require(book.variable(id: "V96"))
        #expect(holding.name == "v13")
        #expect(holding.missingValues.values == ["9", "Sysmiss"])
        let sysmiss = try #require(holding.categories.last)
        #expect(sysmiss.value == "Sysmiss" && sysmiss.isMissing && sysmiss.label == nil && sysmiss.frequency == 3)
        #expect(holding.isMissing(9))
        #expect(holding.summaryStatistics.first { $0.type == "invd" }?.value == 3)

        let missingCategories = book.variables.flatMap(\.categories).filter(\.isMissing)
        #expect(missingCategories.count == 25)
        #expect(book.variables.flatMap(\.summaryStatistics).contains { $0.isWeighted })
        #expect(!book.groups.isEmpty)
        #expect(book.groups.first?.label == "Holder")
        #expect(book.groups.first?.childGroups == ["VG12", "VG13", "VG14"])
    }

    @Test func nada2003SingleFile() throws {
        let book = try load("ihsn_nada/ag-eth-survey-2003_ddi.xml")
        #expect(book.variables.count == 57)
        #expect(book.files.count == 1)
        #expect(book.files[0].caseCount == 509050)
        #expect(book.variables[0].name == "reg" && book.variables[0].label == "Region")
        #expect(book.variables.flatMap(\.missingValues.values).count >= 3)
    }

    @Test func nesstarESSWithUnnamespacedChildren() throws {
        let (book, warnings) = try parser.parseWithWarnings(
            contentsOf: Fixtures.url("ddi/cessda_osmh_indexer/synthetic_compliant_cmm_nesstar.xml"))
        #expect(book.variables.count == 573)
        #expect(book.files.count == 1)
        #expect(book.files[0].id == "F1")
        #expect(book.files[0].caseCount == 2141 && book.files[0].variableCount == 573)
        #expect(book.study.software.contains("Nesstar Publisher"))
        #expect(book.study.idNumber == "ch.sidos.ddi.468.7773")

        let country = try #require(book.variables.first)
        #expect(country.name == "cntry" && country.type == .character)
        #expect(country.start == 1 && country.end == 2 && country.recordSegment == 1)

        let tv = try #require(book.variable(named: "tvtot"))
        #expect(tv.label == "A1|TV: temps moyen total à regarder la TV en semaine")
        #expect(tv.questionText?.hasPrefix("Combien de temps passez-vous") == true)
        #expect(tv.missingValues.values.contains("88"))

        let weight = try #require(book.variable(named: "dweight"))
        #expect(book.weightVariables.map(\.name) == ["dweight"])
        #expect(weight.label == "Pondération")
        #expect(weight.start == 1031 && weight.end == 1036 && weight.width == 6 && weight.decimals == 4)
        #expect(weight.validRanges == [ValueRange(min: 0.4777, max: 3.2031, minIsScaled: true, maxIsScaled: true)])

        #expect(book.variables.flatMap(\.categories).filter(\.isMissing).count == 767)
        // ESS: vald + invd equals caseQnty for every variable (docs/ddi.md §5.3).
        #expect(warnings.filter { $0.kind == .caseCountMismatch }.isEmpty)
        #expect(warnings.filter { $0.kind == .duplicateName }.isEmpty)
    }

    @Test func fsdBilingualWithoutLocations() throws {
        let book = try load("cessda_cmv_core/fsd-3271.xml")
        #expect(book.variables.count == 234)
        #expect(book.study.title == "Financial Awareness of Finnish People 2014")
        #expect(book.study.idNumber == "FSD3271" && book.study.idAgency == "FSD")
        let gender = try #require(book.variable(named: "T1"))
        #expect(gender.labels.map(\.language) == ["fi", "en"])
        #expect(gender.label(language: "en") == "[t1] Gender")
        #expect(gender.label(language: "fi") == "[t1] Sukupuoli")
        #expect(gender.start == nil && gender.width == nil)
        #expect(gender.categories.count == 2)
        #expect(gender.categories[0].labels.map(\.text) == ["Nainen", "Female"])
        #expect(gender.categories.allSatisfy { !$0.isMissing })
        #expect(book.variables.flatMap(\.categories).filter(\.isMissing).count == 94)
    }

    @Test func ukdsStudyRecords() throws {
        let sn2000 = try load("cessda_cmv_core/ukds-2000.xml")
        #expect(sn2000.study.title == "Family Life and Work Experience Before 1918, 1870-1973")
        #expect(sn2000.study.idNumber == "2000" && sn2000.study.idAgency == "UKDA")
        #expect(sn2000.study.doi == "10.5255/UKDA-SN-2000-1")
        #expect(sn2000.variables.isEmpty)
        #expect(sn2000.files.map(\.name) == ["M_2000spss_3fd767336b30f8cca52421cd165c411f.zip"])

        let sn7481 = try load("cessda_cmv_core/ukds-7481.xml")
        #expect(sn7481.study.title == "Integrated Census Microdata (I-CeM), 1851-1911")
        #expect(sn7481.study.idNumber == "7481" && sn7481.study.idAgency == "UKDA")

        let sn6684 = try load("cessda_osmh_indexer/ddi_record_ukds_example.xml")
        #expect(sn6684.study.title == "Childcare and Early Years Provision: Parents' Survey, 2009")
        #expect(sn6684.study.idNumber == "6684" && sn6684.study.idAgency == "UKDA")
    }

    @Test func ddi3StudyLevelReadsTitleOnly() throws {
        let gesis = try load("cessda_cmv_core/gesis-2800.xml")
        #expect(gesis.study.title?.hasPrefix("DDI3.2 study level documentation for study ZA2800") == true)
        #expect(gesis.variables.isEmpty)
        let nsd = try load("cessda_osmh_indexer/compliant_fragments_cmm_ddi_3_3.xml")
        #expect(nsd.variables.isEmpty)
    }

    @Test func brokenCESSDAFixtureFailsWithPosition() throws {
        let url = Fixtures.url("ddi/cessda_cmv_core/ukds-7481-not-wellformed.xml-invalid")
        let error = try #require(throws: CodebookError.self) { try parser.parse(contentsOf: url) }
        #expect(error.code == .malformed)
        #expect(error.file == url.path)
        #expect(error.line == 1)
        #expect((error.column ?? 0) > 0)
        #expect(error.message.contains("xsi"))
    }

    @Test func truncatedDocumentFails() throws {
        let full = try Data(contentsOf: Fixtures.url("ddi/ipumsr/cps_00157.xml"))
        let truncated = full.prefix(full.count / 2)
        let error = try #require(throws: CodebookError.self) {
            try parser.parse(data: Data(truncated), source: "cps_00157-truncated.xml")
        }
        #expect(error.code == .malformed)
        #expect(error.file == "cps_00157-truncated.xml")
        #expect((error.line ?? 0) > 100)
    }

    @Test func missingFileAndNonCodebook() throws {
        let missing = try #require(throws: CodebookError.self) {
            try parser.parse(contentsOf: URL(fileURLWithPath: "/nonexistent/codebook.xml"))
        }
        #expect(missing.code == .unreadable)
        let other = try #require(throws: CodebookError.self) {
            try parser.parse(data: Data("<html><body/></html>".utf8), source: "page.html")
        }
        #expect(other.code == .notACodebook)
        let empty = try #require(throws: CodebookError.self) { try parser.parse(data: Data(), source: "empty") }
        #expect(empty.code == .malformed)
    }

    @Test func noNamespaceCDATAAndGzipInMemory() throws {
        let xml = """
            <?xml version="1.0"?>
            <codeBook><stdyDscr><citation><titlStmt><titl><![CDATA[A & B]]></titl></titlStmt></citation></stdyDscr>
            <dataDscr><var name="X" dcml="1"><location StartPos="3" width="2"/><labl>Ex</labl></var></dataDscr></codeBook>
            """
        let book = try parser.parse(data: Data(xml.utf8), source: "inline")
        #expect(book.study.title == "A & B")
        let x = try #require(book.variables.first)
        #expect(x.start == 3 && x.end == 4 && x.width == 2 && x.decimals == 1)
    }

    @Test func gzipFileAndUTF16InMemory() throws {
        let directory = try Fixtures.temporaryDirectory()
        let source = Fixtures.url("ddi/ipumsr/cps_00157.xml")
        let copy = directory.appendingPathComponent("cps_00157.xml")
        try FileManager.default.copyItem(at: source, to: copy)
        let gzip = Process()
        gzip.executableURL = URL(fileURLWithPath: "/bin/gzip")
        gzip.arguments = [copy.path]
        try gzip.run()
        gzip.waitUntilExit()
        #expect(gzip.terminationStatus == 0)
        let zipped = try parser.parse(contentsOf: directory.appendingPathComponent("cps_00157.xml.gz"))
        #expect(zipped.variables.count == 8)
        #expect(zipped.variable(named: "STATEFIP")?.categories.first?.label == "Alabama")

        let utf16 = try Data(contentsOf: Fixtures.url("ddi/ihsn_nada/ag-eth-survey-2003_ddi.xml"))
        #expect(utf16.prefix(2) == Data([0xFF, 0xFE]))
        let nada = try parser.parse(data: utf16, source: "nada-2003")
        #expect(nada.variables.count == 57)
    }

    @Test func nesstarHyphenLanguageAttribute() throws {
        let xml = """
            <OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/"><GetRecord><record><metadata>
            <codeBook xmlns="http://www.icpsr.umich.edu/DDI"><dataDscr xmlns="">
            <var name="q1"><labl xml-lang="fr">Âge</labl><labl xml-lang="de">Alter</labl></var>
            </dataDscr></codeBook></metadata></record></GetRecord></OAI-PMH>
            """
        let book = try parser.parse(data: Data(xml.utf8), source: "inline-nesstar")
        let q1 = try #require(book.variables.first)
        #expect(q1.labels == [LocalizedText("Âge", language: "fr"), LocalizedText("Alter", language: "de")])
        #expect(q1.label(language: "de") == "Alter")
    }

    @Test func everyFixtureCodebookParses() throws {
        let root = Fixtures.url("ddi")
        let files = try FileManager.default.subpathsOfDirectory(atPath: root.path).filter { $0.hasSuffix(".xml") }
        #expect(files.count >= 30)
        for path in files {
            #expect(throws: Never.self, "\(path)") { try parser.parse(contentsOf: root.appendingPathComponent(path)) }
        }
    }
}
