import Foundation
import MicrodataHarmonise
import MicrodataReaders
import MicrodataTestSupport
import Testing

/// Nation codes: the shipped LFS `COUNTRY` code set (1–5) and a user nation table replacing it (issue 24).
@Suite struct NationCodeTests {
    func nations(_ values: [String?], registry: CrosswalkRegistry) throws -> ([String?], HarmoniseAudit) {
        let batch = Batch(
            columns: [textColumn("Q", values.map { _ in "GCSE_9_4" }), textColumn("COUNTRY", values)], rowCount: values.count)
        var h = try Harmoniser(registry: registry, education: [try EducationSpec(parsing: "Q,COUNTRY:QUAL>RQF:modal", basis: .survey)])
        return (try h.apply(batch).texts("Q_nation"), h.audit)
    }

    @Test func lfsCountryFourIsScotlandAndFiveIsNorthernIreland() throws {
        let (out, audit) = try nations(
            ["1", "2", "3", "4", "5", "E92000001", "W92000004", "S92000003", "N92000002", "NI", "Wales"],
            registry: Shipped.registry)
        #expect(out == ["E", "W", "S", "S", "N", "E", "W", "S", "N", "N", "W"])
        #expect(audit.education[0].unknownNation.isEmpty)
        #expect(audit.text().contains("nation codes: nations ("))
    }

    @Test func aUserNationTableReplacesTheShippedOneAndIsNamed() throws {
        let dir = try Fixtures.temporaryDirectory()
        // A survey of its own with 1-4 coding: 4 is Northern Ireland here.
        let csv = "nation,code\nE,1\nW,2\nS,3\nN,4\n"
        try csv.write(to: dir.appendingPathComponent("my_nations.csv"), atomically: true, encoding: .utf8)
        let manifest = """
            {"format": 1, "entries": [{"name": "my-nations", "kind": "nations", "file": "my_nations.csv",
             "source": "test coding", "issued": "2026", "licence": "OGL-3.0"}]}
            """
        try manifest.write(to: dir.appendingPathComponent("manifest.json"), atomically: true, encoding: .utf8)
        let registry = try CrosswalkRegistry(folders: [Shipped.folder, dir])
        #expect(registry.nationsSource?.hasPrefix("my-nations (") == true)
        let (out, audit) = try nations(["1", "4", "5", "E92000001"], registry: registry)
        #expect(out == ["E", "N", nil, nil])
        #expect(audit.education[0].unknownNation == ["5": 1, "E92000001": 1])
        #expect(audit.text().contains("nation codes: my-nations ("))
    }

    @Test func theSyntheticExampleUsesTheRealCountryCodes() throws {
        // The example's codebook labels COUNTRY 1-5 as the LFS does, and the shipped table reads them.
        let book = try String(contentsOf: Fixtures.codebook("examples/lfs-synthetic/lfs_synthetic_js2024.xml"), encoding: .utf8)
        #expect(book.contains("<catValu>4</catValu><labl>Scotland North of Caledonian Canal</labl>"))
        #expect(book.contains("<catValu>5</catValu><labl>Northern Ireland</labl>"))
        #expect(!FileManager.default.fileExists(atPath: Fixtures.codebook("examples/lfs-synthetic/nations").path))
        let (out, _) = try nations(["1", "2", "3", "4", "5"], registry: Shipped.registry)
        #expect(out == ["E", "W", "S", "S", "N"])
    }
}
