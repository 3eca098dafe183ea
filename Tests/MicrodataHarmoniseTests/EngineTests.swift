import Foundation
import MicrodataHarmonise
import MicrodataReaders
import Testing

/// One-to-many modes, weight bases and the audit.
@Suite struct EngineTests {
    /// 2136 → 3 SOC2020 codes (pooled), 1259 → 10, 1115 → 1; plus a sentinel, a missing value and a bad code.
    func batch() -> Batch {
        Batch(
            columns: [
                intColumn("SOC10M", [2136, 1259, 1115, -8, nil, 9999, 1259]),
                intColumn("SEX", [1, 2, 1, 2, 1, 1, 1]),
                realColumn("PWT", [10.5, 3.25, 7, 2, 1, 1, 0.1]),
                intColumn("ID", [1, 2, 3, 4, 5, 6, 7]),
            ], rowCount: 7)
    }

    @Test func splitPreservesTheWeightedTotalExactly() throws {
        var h = try Harmoniser(
            registry: Shipped.registry, maps: [MappingSpec(variable: "SOC10M", from: "SOC2010", to: "SOC2020", mode: .split)],
            options: HarmoniseOptions(weightVariable: "PWT"))
        let out = try h.apply(batch())
        #expect(out.rowCount == 7 + 2 + 9 + 9)
        let w = out.reals("PWT")
        let rows = out.texts("SOC10M")
        // Each record's pieces add back to its weight exactly.
        let ids = out.texts("ID")
        for (id, weight) in [("1", 10.5), ("2", 3.25), ("3", 7.0), ("7", 0.1)] {
            let pieces = zip(ids, w).filter { $0.0 == id }.map(\.1)
            #expect(pieces.count == (id == "1" ? 3 : id == "3" ? 1 : 10))
            #expect(pieces.reduce(0, +) == weight, "record \(id)")
        }
        let total: Double = 10.5 + 3.25 + 7 + 2 + 1 + 1 + 0.1
        #expect(compensatedSum(w) == total)
        #expect(h.audit.inputWeight == h.audit.outputWeight)
        let shares = out.reals("SOC10M_SOC2020_share")
        let first = Array(zip(out.texts("SOC10M_SOC2020"), shares).prefix(3))
        #expect(first.map(\.0) == ["2134", "2141", "3543"])
        #expect(abs(first[0].1 - 0.993685) < 1e-6)
        #expect(h.audit.mappings[0].fanOutRows == 20)
        // Unmapped rows stay, once, with no target.
        #expect(rows.filter { $0 == "-8" }.count == 1)
    }

    @Test func stepsAfterASplitCountSourceRecordsNotRows() throws {
        var b = batch()
        b.columns.append(textColumn("QUAL", ["GCSE_9_4", "XYZ", nil, "GCSE_3_1", "-8", "GCSE_9_4", "GCSE_9_4"]))
        b.columns.append(textColumn("COUNTRY", ["E", "E", "E", "E", "E", "E", "E"]))
        b.columns.append(textColumn("SOC2K", ["1111", "1111", "2132", nil, "-9", "0000", "1111"]))
        var h = try Harmoniser(
            registry: Shipped.registry,
            maps: [
                MappingSpec(variable: "SOC10M", from: "SOC2010", to: "SOC2020", mode: .split),
                MappingSpec(variable: "SOC2K", from: "SOC2000", to: "SOC2010", mode: .modal),
            ],
            nssec: [NSSECSpec(socVariable: "SOC10M_SOC2020", statusVariable: nil, scheme: "SOC2020", method: .simplified)],
            education: [try EducationSpec(parsing: "QUAL,COUNTRY:QUAL>RQF:modal")],
            options: HarmoniseOptions(weightVariable: "PWT"))
        let out = try h.apply(b)
        #expect(out.rowCount == 27)
        #expect(h.audit.records == 7 && h.audit.outputRows == 27)
        #expect(h.audit.mappings[0].records == 7 && h.audit.mappings[0].fanOutRows == 20)
        // The second map sees 27 rows from 7 records: SOC2K is counted once per record.
        let second = h.audit.mappings[1]
        #expect(second.records == 7)
        #expect(second.mapped + second.missing + second.sentinels.values.reduce(0, +)
                + second.notInSourceScheme.values.reduce(0, +) + second.noMapping.values.reduce(0, +) == 7)
        #expect(second.sentinels == ["-9": 1] && second.notInSourceScheme == ["0000": 1] && second.missing == 1)
        // NS-SEC: records 1, 2, 3 and 7 have a SOC2020 code; -8, missing and 9999 have none.
        let nssec = h.audit.nssec[0]
        #expect(nssec.records == 7)
        #expect(nssec.derived + nssec.missing + nssec.sentinels.values.reduce(0, +)
                + nssec.notInSourceScheme.values.reduce(0, +) == 7)
        #expect(nssec.derived == 4 && nssec.missing == 3)
        #expect(nssec.methodUsed == ["simplified": 4])
        // Qualifications: 7 records in England, not 27.
        let e = h.audit.education[0]
        #expect(e.records == 7)
        #expect(e.byNation["E"]?.records == 7)
        #expect(e.byNation["E"]?.mapped == 4)
        #expect(e.byNation["E"]?.byQualification == ["GCSE_9_4": 3, "GCSE_3_1": 1])
        #expect(e.notInSourceScheme == ["XYZ": 1] && e.sentinels == ["-8": 1])
        #expect(h.audit.text().contains("records 7: derived 4, missing 3"))
        // Weights are still summed per row piece.
        #expect(h.audit.outputWeight == h.audit.inputWeight)
    }

    @Test func modalReportsTheShareLost() throws {
        var h = try Harmoniser(
            registry: Shipped.registry, maps: [MappingSpec(variable: "SOC10M", from: "SOC2010", to: "SOC2020", mode: .modal)],
            options: HarmoniseOptions(weightVariable: "PWT"))
        let out = try h.apply(batch())
        #expect(out.rowCount == 7)
        #expect(out.texts("SOC10M_SOC2020") == ["2134", "1259", "1111", nil, nil, nil, "1259"])
        let a = h.audit.mappings[0]
        #expect(a.mapped == 4 && a.oneToOne == 1 && a.oneToMany == 3)
        #expect(a.sentinels == ["-8": 1] && a.missing == 1 && a.notInSourceScheme == ["9999": 1])
        let cw = try #require(Shipped.registry.crosswalks["soc2010-soc2020"])
        let lost1259 = 1 - (cw.distribution(of: "1259", basis: cw.basisIndex("pooled"))?.first?.share ?? 0)
        let lost2136 = 1 - (cw.distribution(of: "2136", basis: cw.basisIndex("pooled"))?.first?.share ?? 0)
        #expect(abs(lost2136 - (1 - 0.993685)) < 1e-5)
        let a2136: Double = 10.5 * lost2136
        let expected: Double = a2136 + (3.25 + 0.1) * lost1259
        #expect(abs(a.nonModalWeight - expected) < 1e-9)
        #expect(abs(lost1259 - (1 - 0.441)) < 0.001)  // 1259 keeps 0.441 pooled (docs table)
    }

    @Test func sexSpecificBasis() throws {
        var h = try Harmoniser(
            registry: Shipped.registry, maps: [MappingSpec(variable: "SOC10M", from: "SOC2010", to: "SOC2020", mode: .split)],
            options: HarmoniseOptions(weightVariable: "PWT", sexVariable: "SEX"))
        let out = try h.apply(batch())
        // Man in 2136 under LFS men: 2134 and 3543 only (2141 has no LFS men).
        let targets = zip(out.texts("SOC10M"), out.texts("SOC10M_SOC2020")).filter { $0.0 == "2136" }.map(\.1)
        #expect(targets == ["2134", "3543"])
        #expect(h.audit.mappings[0].basis.contains("lfs_men / lfs_women"))
    }

    @Test func failModeNamesTheRecord() throws {
        var h = try Harmoniser(
            registry: Shipped.registry, maps: [MappingSpec(variable: "SOC10M", from: "SOC2010", to: "SOC2020", mode: .fail)])
        #expect {
            _ = try h.apply(batch())
        } throws: { e in
            let e = e as? HarmoniseError
            return e?.line == 1 && e?.variable == "SOC10M" && e?.message.contains("2136") == true
        }
    }

    @Test func threeMappingsChainAndTheAuditRenders() throws {
        var h = try Harmoniser(
            registry: Shipped.registry,
            maps: [
                MappingSpec(variable: "SOC10M", from: "SOC2010", to: "SOC2020", mode: .modal),
                MappingSpec(variable: "SOC10M_SOC2020", from: "SOC2020", to: "ISCO08", mode: .split),
                MappingSpec(variable: "SOC2K", from: "SOC2000", to: "SOC2010", mode: .modal),
            ], options: HarmoniseOptions(weightVariable: "PWT"))
        var b = batch()
        b.columns.append(textColumn("SOC2K", ["1111", "1111", "2132", nil, "-9", "0000", "1111"]))
        let out = try h.apply(b)
        #expect(h.audit.outputWeight == h.audit.inputWeight)
        #expect(h.audit.mappings[2].approximate)
        #expect(h.audit.mappings[2].sentinels == ["-9": 1])
        #expect(h.audit.mappings[1].notInSourceScheme.isEmpty)
        #expect(out.texts("SOC10M_SOC2020_ISCO08").contains("2512"))
        let text = h.audit.text()
        #expect(text.contains("APPROXIMATE"))
        #expect(text.contains("codes not in SOC2010: 1 records, 1 codes: 9999 (1)"))
        let json = try h.audit.json()
        #expect(json.contains("\"nonModalWeight\""))
    }

    @Test func unknownOutputAndMissingVariableAreErrors() throws {
        var h = try Harmoniser(registry: Shipped.registry, maps: [MappingSpec(variable: "NOPE", from: "SOC2010", to: "SOC2020", mode: .modal)])
        #expect(throws: HarmoniseError.self) { _ = try h.apply(batch()) }
        #expect(throws: HarmoniseError.self) {
            _ = try Harmoniser(registry: Shipped.registry, maps: [MappingSpec(variable: "X", from: "SOC2020", to: "SOC90")])
        }
        #expect(throws: HarmoniseError.self) { _ = try MappingSpec(parsing: "SOC10M:SOC2010") }
        let spec = try MappingSpec(parsing: "SOC10M:SOC2010>SOC2020:split")
        #expect(spec.mode == .split && spec.to == "SOC2020")
    }
}
