import MicrodataHarmonise
import MicrodataReaders
import Testing

/// NS-SEC derivation with method fallback.
@Suite struct NSSECTests {
    @Test func fallsBackFromFullToReducedToSimplified() throws {
        // 1121 Production managers: full employee L5, reduced employer L8.1, simplified L2.
        let batch = Batch(
            columns: [
                intColumn("SOC", [1121, 1121, 1121, 1121, 1115, 9999, 1121]),
                intColumn("STAT", [7, 8, nil, 1, 2, 7, 42]),
            ], rowCount: 7)
        var h = try Harmoniser(
            registry: Shipped.registry, nssec: [NSSECSpec(socVariable: "SOC", statusVariable: "STAT", scheme: "SOC2010", method: .full)])
        let out = try h.apply(batch)
        #expect(out.texts("SOC_nssec_op") == ["L5", "L8.1", "L2", "L1", "L1", nil, "L2"])
        #expect(out.texts("SOC_nssec_method") == ["full", "reduced", "simplified", "full", "full", nil, "simplified"])
        #expect(out.texts("SOC_nssec_class8") == ["2", "4", "1.1", "1.1", "1.1", nil, "1.1"])
        #expect(out.texts("SOC_nssec_class5") == ["1", "3", "1", "1", "1", nil, "1"])
        #expect(out.texts("SOC_nssec_class3") == ["1", "2", "1", "1", "1", nil, "1"])
        #expect(out.texts("SOC_nssec_quality") == ["official", "official", "official", "official", "official", nil, "official"])
        let a = h.audit.nssec[0]
        #expect(a.methodUsed == ["full": 3, "reduced": 1, "simplified": 2])
        #expect(a.fallbacks == ["full→reduced": 1, "full→simplified": 2])
        #expect(a.notInSourceScheme == ["9999": 1])
        #expect(a.unknownStatus == ["42": 1])
        #expect(a.quirkRecords == 1)  // 1115 small employer: ONS prints class "1", derived 1.1
    }

    @Test func reducedAndSimplifiedMethods() throws {
        let batch = Batch(columns: [textColumn("SOC", ["1132", "1132", "6145"]), textColumn("ST", ["3", nil, "5"])], rowCount: 3)
        var h = try Harmoniser(
            registry: Shipped.registry,
            nssec: [
                NSSECSpec(socVariable: "SOC", statusVariable: "ST", scheme: "SOC2010", method: .reduced),
                NSSECSpec(socVariable: "SOC", statusVariable: nil, scheme: "SOC2010", method: .simplified, prefix: "S"),
            ])
        let out = try h.apply(batch)
        // 1132 reduced manager is L5 (equals the small-manager cell; one of the 3 exceptions).
        #expect(out.texts("SOC_nssec_op") == ["L5", "L2", "L12.2"])
        #expect(out.texts("SOC_nssec_method") == ["reduced", "simplified", "reduced"])
        #expect(out.texts("S_method") == ["simplified", "simplified", "simplified"])
    }

    @Test func soc2020IsLabelledApproximate() throws {
        let batch = Batch(columns: [intColumn("SOC20M", [2134, 1116]), intColumn("ST", [7, 7])], rowCount: 2)
        var h = try Harmoniser(
            registry: Shipped.registry, nssec: [try NSSECSpec(parsing: "SOC20M,ST@MICRODATA:SOC2020:full")])
        let out = try h.apply(batch)
        #expect(out.texts("SOC20M_nssec_op") == ["L3.2", nil])
        #expect(out.texts("SOC20M_nssec_quality") == ["approximate", nil])
        #expect(h.audit.nssec[0].approximate)
        #expect(h.audit.nssec[0].notInSourceScheme == ["1116": 1])  // 1116 is SOC2010-only
        #expect(h.audit.text().contains("APPROXIMATE"))
    }
}
