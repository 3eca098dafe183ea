import Foundation
import MicrodataHarmonise
import MicrodataTestSupport
import Testing

/// The shipped code frames and crosswalks against their sources (fixtures/harmonise, copied byte-identical).
@Suite struct ShippedTablesTests {
    @Test func shippedFilesAreTheSourceFilesByteForByte() throws {
        let sources = try FileManager.default.contentsOfDirectory(atPath: Fixtures.path("harmonise"))
            .filter { $0.hasSuffix(".csv") }
        #expect(sources.count == 17)
        for file in sources {
            let shipped = try Data(contentsOf: Shipped.folder.appendingPathComponent(file))
            let source = try Data(contentsOf: Fixtures.url("harmonise/\(file)"))
            #expect(shipped == source, "\(file) differs from its source")
        }
    }

    @Test func codeFrameCounts() throws {
        let r = Shipped.registry
        let soc20 = try #require(r.codeFrames["SOC2020"]), soc10 = try #require(r.codeFrames["SOC2010"])
        #expect(soc20.codes(level: "unit").count == 412)
        #expect(soc20.codes(level: "minor").count == 104)
        #expect(soc20.codes(level: "sub_major").count == 26)
        #expect(soc20.codes(level: "major").count == 9)
        #expect(soc10.codes(level: "unit").count == 369)
        #expect(soc10.codes(level: "minor").count == 90)
        let isco = try #require(r.codeFrames["ISCO08"])
        #expect(isco.codes(level: "unit").count == 436)
        #expect(isco.contains("0110") && !isco.contains("110"))
        #expect(soc20.entry("2232")?.title.contains("community nurses") == true)
        #expect(!soc20.contains("6115"))  // protected, not used
        #expect(r.codeFrames["SOC2000"]?.entries.count == 353)
        #expect(r.codeFrames["SOC90"]?.entries.count == 370)
    }

    @Test func crosswalkShapesMatchTheDocumentedCounts() throws {
        func shape(_ name: String, basis: String) throws -> (oneToOne: Int, oneToMany: Int, max: Int, maxCode: String) {
            let cw = try #require(Shipped.registry.crosswalks[name])
            let b = cw.basisIndex(basis)
            var one = 0, many = 0, best = 0, bestCode = ""
            for code in cw.sourceCodes {
                let n = cw.distribution(of: code, basis: b)?.count ?? 0
                if n == 1 { one += 1 } else if n > 1 { many += 1 }
                if n > best { best = n; bestCode = code }
            }
            return (one, many, best, bestCode)
        }
        let rel = try shape("soc2010-soc2020", basis: "pooled")
        #expect(rel.oneToOne == 178 && rel.oneToMany == 191 && rel.max == 10 && rel.maxCode == "1259")
        let isco = try shape("soc2020-isco08", basis: "index_entries")
        #expect(isco.oneToOne == 78 && isco.oneToMany == 334 && isco.max == 48 && isco.maxCode == "8139")
        let idx = try shape("soc2010-soc2020-index", basis: "index_entries")
        #expect(idx.oneToOne == 201 && idx.oneToMany == 168 && idx.max == 12)
        let s2000 = try shape("soc2000-soc2020-index", basis: "index_entries")
        #expect(s2000.oneToOne == 94 && s2000.oneToMany == 259 && s2000.max == 23)
        let s90 = try shape("soc90-soc2020-index", basis: "index_entries")
        #expect(s90.oneToOne == 72 && s90.oneToMany == 298 && s90.max == 45)
        // ISCO armed forces keep their leading zero.
        let toIsco = try #require(Shipped.registry.crosswalks["soc2020-isco08"])
        #expect(toIsco.links.values.flatMap { $0 }.contains { $0.target == "0110" })
    }

    @Test func relationshipTableSplitsByBasis() throws {
        let cw = try #require(Shipped.registry.crosswalks["soc2010-soc2020"])
        let pooled = try #require(cw.distribution(of: "2136", basis: cw.basisIndex("pooled")))
        #expect(pooled.map(\.target) == ["2134", "2141", "3543"])
        #expect(abs(pooled[0].share - 0.993685) < 1e-6)
        let men = try #require(cw.distribution(of: "2136", basis: cw.basisIndex("lfs_men")))
        #expect(men.map(\.target) == ["2134", "3543"])  // 2141 has weight 0 for men in the LFS
        #expect(abs(men[0].share - 0.9991474850809889) < 1e-12)
        #expect(cw.isApproximate == false)
        #expect(Shipped.registry.crosswalks["soc2000-soc2010"]?.isApproximate == true)
    }

    @Test func everySOC2010UnitHasAFullMethodRowAndTheONSRelationsHold() throws {
        let ns = try #require(Shipped.registry.nssec)
        let t = try #require(ns.tables["SOC2010"])
        let units = try #require(Shipped.registry.codeFrames["SOC2010"]).codes(level: "unit")
        #expect(units.count == 369)
        for u in units {
            #expect(t.full[u]?.allSatisfy { $0 != nil } == true, "no full-method row for \(u)")
            #expect(t.simplified[u] != nil)
        }
        func op(_ u: String, _ m: NSSECMethod, _ s: Int) -> String? { t.cell(unit: u, method: m, status: s)?.operationalCategory }
        #expect(units.filter { op($0, .reduced, 1) == op($0, .full, 2) }.count == 369)
        let managerDiffers = units.filter { op($0, .reduced, 3) != op($0, .full, 4) }
        #expect(managerDiffers == ["1132", "1136", "1139"])
        #expect(units.filter { op($0, .simplified, 0) == op($0, .full, 7) }.count == 319)
        #expect((1...7).map { op("1121", .full, $0) } == ["L1", "L8.1", "L9.1", "L2", "L5", "L5", "L5"])
        #expect((1...7).map { op("4112", .full, $0) } == ["L6", "L6", "L7.1", "L7.1", "L7.1", "L6", "L7.1"])
        #expect(op("6145", .full, 7) == "L12.2" && op("9233", .full, 7) == "L13.4" && op("2136", .full, 1) == "L3.4")
        #expect(op("1121", .simplified, 0) == "L2")
    }

    @Test func analyticClassQuirkIsReportedAndDerivedFromTheCategory() throws {
        let ns = try #require(Shipped.registry.nssec)
        let quirks = try #require(ns.tables["SOC2010"]).quirks
        #expect(quirks.count == 2)
        #expect(quirks.allSatisfy { $0.socCode == "1115" && $0.operationalCategory == "L1" && $0.printedClass == "1" && $0.derivedClass == "1.1" })
        #expect(Set(quirks.map(\.status)) == ["2", "3"])
        #expect(ns.classes(of: "L12.6")?.class8 == "6")
        #expect(ns.classes(of: "L12.6")?.class3 == "3")
        #expect(ns.classes(of: "L8.1")?.class5 == "3")
        #expect(ns.classes(of: "L15")?.class8 == "NC")
    }

    @Test func soc2020NSSECIsApproximate() throws {
        let t = try #require(Shipped.registry.nssec?.tables["SOC2020"])
        #expect(t.isApproximate)
        #expect(t.note.hasPrefix("APPROXIMATE"))
        #expect(t.full.count == 412)
        // 2134 Programmers receives 3934 of its 4470 pooled links from SOC2010 2136 (L3.2 for employees).
        #expect(t.cell(unit: "2134", method: .full, status: 7)?.operationalCategory == "L3.2")
    }
}

/// The shipped manifest: every entry names where it came from, when, under which licence, and its checksum;
/// every crosswalk names its weight bases.
@Suite struct ShippedManifestTests {
    @Test func everyEntryHasProvenanceAndAChecksum() throws {
        let entries = Shipped.registry.entries.map(\.entry)
        #expect(entries.count == 39)  // + nssec-status-codings, nssec-status-rules, soc2000-soc2010-table1b (issue 24)
        for e in entries {
            #expect(!e.source.trimmingCharacters(in: .whitespaces).isEmpty, "\(e.name): source")
            #expect(!e.issued.trimmingCharacters(in: .whitespaces).isEmpty, "\(e.name): issued")
            #expect(!e.licence.trimmingCharacters(in: .whitespaces).isEmpty, "\(e.name): licence")
            let sha = e.sha256 ?? ""
            #expect(sha.count == 64 && sha.allSatisfy(\.isHexDigit), "\(e.name): sha256 \(sha)")
        }
        // Loading verified every checksum, reference-only tables included: nothing was loaded unverified.
        #expect(Shipped.registry.unverified.isEmpty)
        #expect(entries.filter { $0.kind == "table" }.count == 6)
    }

    @Test func everyCrosswalkHasWeightBases() throws {
        let crosswalks = Shipped.registry.entries.map(\.entry).filter { $0.kind == "crosswalk" }
        #expect(crosswalks.count == 21)
        // The two LFS label tables map each value label to one qualification key: one-to-one, no weights.
        #expect(crosswalks.filter { $0.keyedBy == "label" }.map(\.name).sorted() == ["lfs-hiqual15-qual", "lfs-hiqual22-qual"])
        for e in crosswalks where e.keyedBy == nil {
            let weights = e.weights ?? [:]
            #expect(!weights.isEmpty, "\(e.name): weights")
            #expect(e.defaultBasis.map { weights[$0] != nil } == true, "\(e.name): defaultBasis \(e.defaultBasis ?? "nil")")
            #expect(e.check != nil, "\(e.name): weight check")
        }
    }
}
