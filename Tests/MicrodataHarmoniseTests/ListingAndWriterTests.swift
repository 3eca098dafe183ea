import Foundation
import MicrodataHarmonise
import MicrodataReaders
import MicrodataTestSupport
import Testing

/// `crosswalk list|show` and the harmonised file are built by MicrodataHarmonise (issue 22): the CLI only prints
/// what these return.
@Suite struct ListingAndWriterTests {
    @Test func listingHasAHeaderAndOneTabSeparatedLinePerShippedTable() throws {
        let lines = Shipped.registry.listing().split(separator: "\n").map { $0.split(separator: "\t", omittingEmptySubsequences: false) }
        #expect(lines[0] == ["name", "kind", "scheme", "bases", "source", "issued", "licence", "sha256", "note"])
        let soc = try #require(lines.first { $0[0] == "soc2010-soc2020" })
        #expect(soc[1] == "crosswalk" && soc[2] == "SOC2010>SOC2020" && soc[6] == "OGL-3.0")
        #expect(soc[7] == "fb3c9523bfb89d358b55c905c8ae94de77015a0a5645ac2b16e58a80d51bf41a")
        #expect(lines.last?[0] == "(derived)" && lines.last?[2] == "SOC2020", "the approximate SOC2020 NS-SEC derivation")
        #expect(lines.count == Shipped.registry.entries.count + 2)
    }

    @Test func showGivesProvenanceThenTheRowsOfACode() throws {
        let text = try Shipped.registry.show("soc2010-soc2020", code: "1115")
        #expect(text.hasPrefix("soc2010-soc2020: crosswalk, file soc2010_to_soc2020_ons_relationship_long.csv\n"))
        #expect(text.hasSuffix("target\tcensus_men\tcensus_women\tlfs_men\tlfs_women\tpooled\n1111\t0.998762\t0.995305\t1\t1\t1\n"))
        let frame = try Shipped.registry.show("SOC2020", code: "1111")
        #expect(frame.hasSuffix(
            "1111\tunit\tChief executives and senior officials\n  in 111\tminor\tChief Executives and Senior Officials\n"
                + "  in 11\tsub_major\tCORPORATE MANAGERS AND DIRECTORS\n  in 1\tmajor\tMANAGERS, DIRECTORS AND SENIOR OFFICIALS\n"))
        let nssec = try Shipped.registry.show("nssec", code: "1111").split(separator: "\n")
        #expect(nssec[1] == "method\tstatus\top category\tclass8\tclass5\tclass3\tshare")
        #expect(nssec[2] == "full\t1\tL1\t1.1\t1\t1\t0.999")
        #expect(try Shipped.registry.show("nssec", code: nil).hasSuffix("\n412 unit groups\n"))
    }

    @Test func showOfAnUnknownNameOrCodeThrowsAndReturnsNothing() {
        #expect(throws: CrosswalkLookupError("9999999 is not in SOC2020")) { try Shipped.registry.show("SOC2020", code: "9999999") }
        #expect(throws: CrosswalkLookupError("no table named nosuch; see `microdata crosswalk list`")) {
            try Shipped.registry.show("nosuch", code: nil)
        }
    }

    static func batch() -> Batch {
        Batch(columns: [
            textColumn("id", ["a,1", "b\"2", nil]),
            intColumn("n", [-12, nil, 3]),
            realColumn("w", [1.5, 2, .nan]),
            textColumn("note", ["line\nbreak", "tab\there", "x"]),
        ], rowCount: 3)
    }

    static func written(_ format: HarmoniseOutputFormat) throws -> String {
        let url = try Fixtures.temporaryDirectory().appendingPathComponent("out." + format.rawValue)
        var writer = try HarmonisedWriter(path: url.path, format: format)
        try writer.write(batch())
        try writer.close()
        return try String(contentsOf: url, encoding: .utf8)
    }

    @Test func harmonisedWriterWritesCSVTSVAndJSONLines() throws {
        #expect(try Self.written(.csv) == "id,n,w,note\n\"a,1\",-12,1.5,\"line\nbreak\"\n\"b\"\"2\",,2,tab\there\n,3,,x\n")
        #expect(try Self.written(.tsv).hasPrefix("id\tn\tw\tnote\na,1\t-12\t1.5\t"))
        #expect(try Self.written(.tsv).hasSuffix("\n\t3\t\tx\n"))
        #expect(try Self.written(.jsonl) == #"""
            {"id":"a,1","n":-12,"w":1.5,"note":"line\nbreak"}
            {"id":"b\"2","n":null,"w":2,"note":"tab\u0009here"}
            {"id":null,"n":3,"w":null,"note":"x"}

            """#)
    }

    @Test func harmonisedWriterRefusesChangedColumns() throws {
        let url = try Fixtures.temporaryDirectory().appendingPathComponent("out.csv")
        var writer = try HarmonisedWriter(path: url.path, format: .csv)
        try writer.write(Self.batch())
        #expect(throws: HarmoniseError("the columns changed between batches")) {
            try writer.write(Batch(columns: [textColumn("id", ["z"])], rowCount: 1))
        }
    }
}
