import MicrodataHarmonise
import MicrodataReaders
import Testing

/// Issue 24 item 7: one column from several, chosen by a year variable, and NS-SEC by each row's own SOC version.
@Suite struct CoalesceTests {
    static let spec = "OCC=SOC10M@SOC2010 if YEAR<2021; SOC20M@SOC2020 if YEAR>=2021"

    /// 2019–2020 rows carry SOC2010 codes, 2021+ rows SOC2020 codes; 2137 Web design and development professionals
    /// (SOC2010, employee: official L4.2) has the modal SOC2020 target 2134 Programmers (approximate L3.2).
    static func batch() -> Batch {
        Batch(
            columns: [
                intColumn("YEAR", [2019, 2020, 2021, 2023, nil, 2020]),
                textColumn("SOC10M", ["2137", "1150", "-9", "-9", "2137", nil]),
                textColumn("SOC20M", [nil, nil, "2134", "1131", "2134", nil]),
                textColumn("ST", ["7", "7", "7", "7", "7", "7"]),
            ], rowCount: 6)
    }

    @Test func theYearChoosesTheColumnAndTheAuditCountsEachVersion() throws {
        let parsed = try CoalesceSpec(parsing: Self.spec)
        #expect(parsed.branches.map(\.scheme) == ["SOC2010", "SOC2020"])
        var h = try Harmoniser(registry: Shipped.registry, coalesce: [parsed])
        let out = try h.apply(Self.batch())
        #expect(out.texts("OCC") == ["2137", "1150", "2134", "1131", nil, nil])
        #expect(out.texts("OCC_scheme") == ["SOC2010", "SOC2010", "SOC2020", "SOC2020", nil, nil])
        let a = h.audit.coalesce[0]
        #expect(a.records == 6 && a.noBranch == 1)
        #expect(a.branches.map(\.records) == [3, 2] && a.branches.map(\.missing) == [1, 0])
        #expect(h.audit.text().contains("SOC10M@SOC2010 if YEAR<2021: 3 records, 1 with a missing code"))
        #expect(throws: HarmoniseError.self) { _ = try CoalesceSpec(parsing: "OCC=SOC10M@SOC2010 when YEAR<2021") }
    }

    @Test func aMapOfTheCoalescedColumnPassesRowsAlreadyInTheTargetScheme() throws {
        var h = try Harmoniser(
            registry: Shipped.registry, coalesce: [try CoalesceSpec(parsing: Self.spec)],
            maps: [try MappingSpec(parsing: "OCC:SOC2010>SOC2020:modal")])
        let out = try h.apply(Self.batch())
        #expect(out.texts("OCC_SOC2020") == ["2134", "1131", "2134", "1131", nil, nil])
        #expect(h.audit.mappings[0].passedThrough == 2)
        #expect(h.audit.mappings[0].notInSourceScheme.isEmpty)  // SOC2020 codes are not read as SOC2010
    }

    @Test func NSSECOfTheCoalescedColumnKeepsTheOfficialSOC2010Table() throws {
        var h = try Harmoniser(
            registry: Shipped.registry, coalesce: [try CoalesceSpec(parsing: Self.spec)],
            maps: [try MappingSpec(parsing: "OCC:SOC2010>SOC2020:modal")],
            nssec: [try NSSECSpec(parsing: "OCC,ST@ONS-FULL:SOC2020:full"),
                    try NSSECSpec(parsing: "OCC_SOC2020,ST@ONS-FULL:SOC2020:full")])
        let out = try h.apply(Self.batch())
        // By version: SOC2010 rows from the official SOC2010 table (2137 L4.2, 1150 L5), SOC2020 rows approximate.
        #expect(out.texts("OCC_nssec_op") == ["L4.2", "L5", "L3.2", "L2", nil, nil])
        #expect(out.texts("OCC_nssec_quality") == ["official", "official", "approximate", "approximate", nil, nil])
        // Chained through SOC2020 the same SOC2010 rows would get the approximation instead.
        #expect(out.texts("OCC_SOC2020_nssec_op") == ["L3.2", "L2", "L3.2", "L2", nil, nil])
        // The audit has one NS-SEC report per version, then the chained one.
        #expect(h.audit.nssec.map(\.scheme) == ["SOC2010", "SOC2020", "SOC2020"])
        #expect(h.audit.nssec.map(\.records) == [2, 2, 6])
        #expect(h.audit.nssec[0].quality == "official" && h.audit.nssec[1].quality == "approximate")
    }
}
