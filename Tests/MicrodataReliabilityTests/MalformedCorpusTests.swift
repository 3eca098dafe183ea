import Foundation
import MicrodataCodebook
import MicrodataTestSupport
import Testing

/// Every stored case of `Fixtures/malformed/MANIFEST.tsv` gives its expected typed error, before any batch.
@Suite struct MalformedCorpusTests {
    @Test(arguments: try CorpusCase.manifest())
    func storedCase(_ c: CorpusCase) {
        let outcome = run(c)
        #expect(outcome.errorType == c.errorType, "\(c.name): \(outcome.message)")
        for fragment in c.expected {
            #expect(outcome.message.contains(fragment), "\(c.name): '\(fragment)' not in: \(outcome.message)")
        }
        if c.errorType != "none" {
            #expect(outcome.batchesBeforeError == 0, "\(c.name) produced \(outcome.batchesBeforeError) batches")
        }
    }

    @Test func manifestListsEveryStoredFile() throws {
        let cases = try CorpusCase.manifest()
        #expect(cases.count >= 40)
        let named = Set(cases.flatMap(\.inputs))
        let root = Fixtures.url("malformed")
        for area in ["xml", "csv", "gzip", "rules", "order"] {
            for file in try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent(area).path) {
                #expect(named.contains("\(area)/\(file)"), "\(area)/\(file) has no manifest row")
            }
        }
    }

    /// libxml2 recognises UTF-16LE without a BOM from the `<?xml` pattern; the document reads exactly as UTF-8.
    @Test func utf16WithoutBOMReadsLikeUTF8() throws {
        let parser = DDIParser(knownWeightNames: [])
        let utf16 = try parser.parse(contentsOf: Fixtures.url("malformed/xml/utf16-no-bom.xml"))
        let utf8 = try parser.parse(contentsOf: Fixtures.url("malformed/fixedwidth/flat.xml"))
        #expect(utf16.study.title == "Malformed corpus")
        #expect(utf16.variables.map(\.name) == ["ID", "AGE", "NAME"])
        #expect(utf16.variables.map(\.start) == utf8.variables.map(\.start))
        #expect(utf16.variables[1].categories.map(\.label) == ["one"])
    }

    /// The XXE document never yields the file's contents, whether read from disk or memory.
    @Test func xxeNeverReadsTheLocalFile() throws {
        let url = Fixtures.url("malformed/xml/xxe.xml")
        let data = try Data(contentsOf: url)
        let error = #expect(throws: CodebookError.self) {
            try DDIParser(knownWeightNames: []).parse(data: data, source: "xxe.xml")
        }
        #expect(error?.kind == "forbiddenDoctype")
        #expect(error.map { !"\($0)".contains("root:") } == true)
    }
}
