import Foundation
import MicrodataHarmonise
import MicrodataReaders
import MicrodataTestSupport
import Testing

/// Qualification and framework tables against their source rows, basis fallback, and a user NS-SEC table.
@Suite struct SourcesAndUserTablesTests {
    func rows(_ file: String) throws -> [[String]] {
        try DelimitedRecords(contentsOf: Fixtures.url("harmonise/\(file)")).records.map(\.fields)
    }

    @Test func qualificationCodesFollowTheSourceRows() throws {
        let source = try rows("uk_qualifications_to_levels.csv").dropFirst()
        let table = try #require(Shipped.registry.qualifications)
        let added = try DelimitedRecords(contentsOf: Fixtures.codebook("crosswalks/uk_qualifications_additional.csv")).records.dropFirst()
        #expect(source.count == 28 && table.qualifications.count == 28 + added.count)
        for (q, row) in zip(table.qualifications.dropFirst(28), added) {
            #expect(q.code == row.fields[0] && q.name == row.fields[2])
        }
        for (q, row) in zip(table.qualifications, source) {
            #expect(q.name == row[0])
            #expect(q.levels["SCQF"]?.first?.value ?? "unknown" == (row[5] == "~7" ? "7" : row[5]), "\(q.code)")
        }
        #expect(table.qualification("NATIONAL_5")?.nations == [.scotland])
        #expect(table.qualification("WELSH_BACC_ADVANCED")?.nations == [.wales])
        #expect(table.qualification("FOREIGN_UNKNOWN")?.levels["RQF"] == [])
    }

    @Test func frameworkAlignmentPlacesAdvancedHigherBesideRQF4() throws {
        let alignment = try rows("uk_qualification_frameworks_alignment.csv")
        let header = alignment[0]
        let rqf = try #require(header.firstIndex(of: "rqf_eng_ni")), cqfw = try #require(header.firstIndex(of: "cqfw_wales"))
        let scqf = try #require(header.firstIndex(of: "scqf_scotland"))
        #expect(alignment.dropFirst().allSatisfy { $0[rqf] == $0[cqfw] })  // CQFW levels equal RQF levels
        #expect(alignment.dropFirst().first { $0[scqf] == "7" }?[rqf] == "4")
        let table = try #require(Shipped.registry.qualifications)
        #expect(table.level("ADVANCED_HIGHER", scale: "RQF", basis: .framework)?.value == "4")
        #expect(table.level("ADVANCED_HIGHER", scale: "RQF", basis: .survey)?.value == "3")
        #expect(table.level("FOUNDATION_DEGREE", scale: "RQF", basis: .framework)?.value == "5")
        #expect(table.level("FOUNDATION_DEGREE", scale: "HIQUL22D", basis: .framework)?.value == "1")
    }

    @Test func emptyBasisFallsBackAndIsCounted() throws {
        // SOC2000 3223 has no LFS-men percentage in Table 1b; women's LFS gives 100% to SOC2010 2223.
        let batch = Batch(columns: [textColumn("S", ["3223", "3223"]), textColumn("SEX", ["1", "2"])], rowCount: 2)
        var h = try Harmoniser(
            registry: Shipped.registry, maps: [MappingSpec(variable: "S", from: "SOC2000", to: "SOC2010", mode: .modal)],
            options: HarmoniseOptions(sexVariable: "SEX"))
        let out = try h.apply(batch)
        #expect(out.texts("S_SOC2010") == ["2223", "2223"])
        #expect(h.audit.mappings[0].basisFallback == 1)
        #expect(h.audit.mappings[0].noMapping.isEmpty)
    }

    @Test func aUserSOC2020NSSECTableReplacesTheApproximation() throws {
        let dir = try Fixtures.temporaryDirectory()
        var csv = "soc2020,method,emp_status_code,nssec_op_cat,nssec_analytic\n"
        for s in 1...7 { csv += "2134,full,\(s),\(s <= 3 ? "L3.4" : "L3.2"),1.2\n" }
        try csv.write(to: dir.appendingPathComponent("ns20.csv"), atomically: true, encoding: .utf8)
        let manifest = """
            {"format": 1, "entries": [{"name": "nssec-soc2020", "kind": "nssec-derivation", "file": "ns20.csv",
             "scheme": "SOC2020", "fromColumn": "soc2020", "source": "test extract", "issued": "2026", "licence": "OGL-3.0"}]}
            """
        try manifest.write(to: dir.appendingPathComponent("manifest.json"), atomically: true, encoding: .utf8)
        let r = try CrosswalkRegistry(folders: [Shipped.folder, dir])
        let t = try #require(r.nssec?.tables["SOC2020"])
        #expect(!t.isApproximate)
        #expect(t.cell(unit: "2134", method: .full, status: 1)?.operationalCategory == "L3.4")
        var h = try Harmoniser(registry: r, nssec: [try NSSECSpec(parsing: "S,ST@MICRODATA:SOC2020:full")])
        let out = try h.apply(Batch(columns: [textColumn("S", ["2134"]), textColumn("ST", ["7"])], rowCount: 1))
        #expect(out.texts("S_nssec_quality") == ["user"])  // a user table is not labelled official (issue 24)
        #expect(h.audit.text().contains("a user table, not the official ONS one"))
    }
}
