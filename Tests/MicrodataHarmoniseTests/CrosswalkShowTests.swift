import Foundation
import MicrodataHarmonise
import Testing

/// `crosswalk show` prints every table's rows, searches titles, carries SOC2000 titles, marks ONS-suppressed
/// cells and renders JSON (issue 24 item 10), asserted on the shipped tables.
@Suite struct CrosswalkShowTests {
    let registry = Shipped.registry

    @Test func everyManifestEntryShowsItsRows() throws {
        for loaded in registry.entries {
            let rows = try registry.rows(loaded.entry.name)
            #expect(!rows.rows.isEmpty, "\(loaded.entry.name)")
            #expect(rows.rows.allSatisfy { $0.count == rows.columns.count })
        }
        let nations = try registry.rows("nations")
        #expect(nations.columns == ["nation", "code", "code_set", "label"])
        #expect(nations.rows.contains(["N", "5", "LFS-COUNTRY", "Northern Ireland"]))
        #expect(nations.rows.contains(["S", "4", "LFS-COUNTRY", "Scotland north of the Caledonian Canal"]))
        let text = try registry.show("nations", code: nil)
        #expect(text.contains("\nnation\tcode\tcode_set\tlabel\n"))
        #expect(text.contains("\nW\tW92000004\tGSS\tWales\n"))
        let status = try registry.show("nssec-status", code: nil)
        #expect(status.hasPrefix("nssec-status: nssec-status, file nssec_employment_status.csv\n"))
        #expect(try registry.rows("frameworks").rows.first?.prefix(4) == ["1", "8", "8", "12"])
    }

    @Test func aSharedFileShowsOnlyTheEntrysFilteredRows() throws {
        let bands = try registry.rows("hiqul22d-rqf")
        #expect(bands.rows.count == 8)
        #expect(bands.rows.allSatisfy { $0[0] == "HIQUL22D" && $0[3] == "RQF" })
        #expect(bands.rows.first == ["HIQUL22D", "1", "Degree or equivalent", "RQF", "6-8", "1", "level range of the band"])
        let other = try registry.rows("hiqul22d-rqf", code: "5")
        #expect(other.rows.map { $0[4] } == ["2", "1", "E1-E3"])
        #expect(other.rows.map { $0[5] } == ["0.10", "0.35", "0.55"])
    }

    @Test func suppressedPercentagesAreNotZero() throws {
        let t = try registry.rows("soc2000-soc2010-table1b", code: "1111")
        #expect(t.columns[4] == "male_lfs_jm07_pct")
        #expect(t.rows.map { $0[2] } == ["1115", "1116", "1184"])
        #expect(t.rows[2] == ["1111", "Senior officials in national government‡‡", "1184", "Social services managers and directors",
                              "5.6", nil, nil, nil, nil, nil])
        #expect(t.rows[1][7] == nil && t.rows[1][6] == "25.0")
        #expect(t.text.contains("\n1111\tSenior officials in national government‡‡\t1184\tSocial services managers and directors\t5.6\tsuppressed\tsuppressed\tsuppressed\tsuppressed\tsuppressed\n"))
        // Titles are not weight columns: only percentage cells can be suppressed.
        #expect(t.rows.allSatisfy { $0[1] != nil && $0[3] != nil })
    }

    @Test func soc2000CarriesTitlesFromTheCrosswalkFile() throws {
        #expect(try registry.show("SOC2000", code: "3211") == "3211\tunit\tNurses‡‡\n")
        let rows = try registry.rows("SOC2000", code: "1111")
        #expect(rows.rows == [["1111", "unit", "Senior officials in national government‡‡", ""]])
        // SOC90 has no title column in its file: codes without titles, not an error.
        #expect(try registry.rows("SOC90", code: "100").rows == [["100", "unit", "", ""]])
    }

    @Test func searchFindsCodesByTitleCaseInsensitively() throws {
        let inFrame = try registry.search("NURSES", in: "SOC2010")
        #expect(inFrame.count == 1 && inFrame[0].table == "SOC2010")
        #expect(inFrame[0].rows.map { $0[1] } == ["2231", "6121", "6131", "6143"])
        #expect(inFrame[0].rows[0].prefix(3) == ["unit", "2231", "Nurses"])
        let everywhere = try registry.search("northern ireland")
        #expect(everywhere.map(\.table).contains("nations"))
        let nationRows = try #require(everywhere.first { $0.table == "nations" }).rows
        #expect(nationRows.contains(["N", "N92000002", "GSS", "Northern Ireland"]))
        #expect(try registry.search("no such title anywhere").isEmpty)
        #expect(throws: CrosswalkLookupError("no table named nosuch; see `microdata crosswalk list`")) {
            try registry.search("x", in: "nosuch")
        }
    }

    @Test func jsonCarriesProvenanceAndNullForSuppressedCells() throws {
        let json = CrosswalkRows.json(try registry.rows("soc2000-soc2010-table1b", code: "1111"))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(object["table"] as? String == "soc2000-soc2010-table1b")
        #expect(object["licence"] as? String == "OGL-3.0")
        let rows = try #require(object["rows"] as? [[Any]])
        #expect(rows[2][4] as? String == "5.6")
        #expect(rows[2][5] is NSNull)
    }
}
