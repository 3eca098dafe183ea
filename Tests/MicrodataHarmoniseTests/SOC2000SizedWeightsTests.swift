import Foundation
import MicrodataHarmonise
import MicrodataReaders
import MicrodataTestSupport
import Testing

/// Issue 24 item 8: SOC2000 → SOC2010 forward shares weigh each Table 1b percentage by the size of its SOC2010 group.
@Suite struct SOC2000SizedWeightsTests {
    /// Rows of a fixture CSV as header name → field.
    static func rows(_ name: String) throws -> [[String: String]] {
        let records = try DelimitedRecords(contentsOf: Fixtures.url("harmonise/\(name)")).records
        let header = records[0].fields
        return records.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(header, $0.fields)) }
    }

    /// Shares re-derived from the raw ONS tables: pct(s,t)/100 × base(t) over its sum within s.
    static func derivedShares(sources: [(pct: String, base: String)]) throws -> [String: [String: Double]] {
        var base: [String: [String: Double]] = [:]
        for r in try rows("soc2010_to_soc2020_ons_relationship_long.csv") {
            base[r["soc2010"]!] = Dictionary(uniqueKeysWithValues: sources.map { ($0.base, Double(r[$0.base]!) ?? 0) })
        }
        var counts: [String: [String: Double]] = [:]
        for r in try rows("soc2000_to_soc2010_ons_table1b_long.csv") {
            let t = r["soc2010"]!
            let n = sources.reduce(0.0) { $0 + (Double(r[$1.pct]!) ?? 0) / 100 * base[t]![$1.base]! }
            counts[r["soc2000"]!, default: [:]][t, default: 0] += n
        }
        return counts.compactMapValues { targets in
            let total = targets.values.reduce(0, +)
            return total > 0 ? targets.filter { $0.value > 0 }.mapValues { $0 / total } : nil
        }
    }

    @Test func pooledLFSSharesAreRederivedFromTable1bAndTheGroupBases() throws {
        let cw = try #require(Shipped.registry.crosswalk(from: "SOC2000", to: "SOC2010"))
        #expect(cw.name == "soc2000-soc2010" && cw.entry.defaultBasis == "lfs_pooled")
        let expected = try Self.derivedShares(sources: [("male_lfs_jm07_pct", "men_lfs_base_n"), ("female_lfs_jm07_pct", "women_lfs_base_n")])
        #expect(expected.count > 340)
        for (source, targets) in expected {
            let got = try #require(cw.distribution(of: source, basis: cw.basisIndex("lfs_pooled")), "\(source)")
            #expect(got.count == targets.count, "\(source)")
            for (t, share) in got { #expect(abs(share - targets[t]!) < 2e-6, "\(source) → \(t)") }
        }
        let men = try Self.derivedShares(sources: [("male_census01_pct", "men_census_base_n")])
        for (source, targets) in men {
            let got = try #require(cw.distribution(of: source, basis: cw.basisIndex("census_men")))
            for (t, share) in got { #expect(abs(share - targets[t]!) < 2e-6, "\(source) → \(t)") }
        }
    }

    @Test func aLargeTargetGroupOutweighsLargerPercentagesOfSmallOnes() throws {
        // SOC2000 1111: Table 1b men LFS 9.3% of 1115 (base 361 men), 21.4% of 1116 (base 48), 5.6% of 1184.
        // Renormalising the percentages sent 1111 mostly to 1116; weighted by group size most go to 1115.
        let cw = try #require(Shipped.registry.crosswalk(from: "SOC2000", to: "SOC2010"))
        let men = try #require(cw.distribution(of: "1111", basis: cw.basisIndex("lfs_men")))
        #expect(men[0].target == "1115")
        #expect(abs(men[0].share - 0.714608) < 1e-6)
        let unweighted = try #require(Shipped.registry.crosswalks["soc2000-soc2010-table1b"])
        #expect(unweighted.distribution(of: "1111", basis: unweighted.basisIndex("lfs_men"))?.first?.target == "1116")
        var h = try Harmoniser(registry: Shipped.registry, maps: [MappingSpec(variable: "S", from: "SOC2000", to: "SOC2010", mode: .modal)])
        let out = try h.apply(Batch(columns: [textColumn("S", ["1111"])], rowCount: 1))
        #expect(out.texts("S_SOC2010") == ["1115"])
        #expect(h.audit.mappings[0].approximateNote?.contains("weighted by SOC2010 group size") == true)
    }
}
