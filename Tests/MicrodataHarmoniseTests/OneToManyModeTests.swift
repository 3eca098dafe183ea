import Foundation
import MicrodataHarmonise
import MicrodataReaders
import MicrodataTestSupport
import Testing

/// Every one-to-many crosswalk needs a mode; ties are reported; qualifications spread over levels split with
/// their stated shares and the weights preserved; several targets of one variable in one run (issue 24, items 2, 4).
@Suite struct OneToManyModeTests {
    @Test func aOneToManyCrosswalkWithoutAModeIsRefusedNamingTheFix() throws {
        // Before issue 24 this silently took the first target.
        let error = #expect(throws: HarmoniseError.self) {
            _ = try Harmoniser(registry: Shipped.registry, maps: [try MappingSpec(parsing: "S:SOC2010>SOC2020")])
        }
        #expect(error?.message.contains("one-to-many") == true && error?.message.contains("S:SOC2010>SOC2020:modal") == true)
        let education = #expect(throws: HarmoniseError.self) {
            _ = try Harmoniser(registry: Shipped.registry, education: [try EducationSpec(parsing: "Q,C:QUAL>RQF")])
        }
        #expect(education?.message.contains("one-to-many") == true, "\(education?.message ?? "")")
        // A one-to-one target needs no mode: every key has one LFS band.
        _ = try Harmoniser(registry: Shipped.registry, education: [try EducationSpec(parsing: "Q,C:QUAL>HIQUL22D")])
        // Invalid targets are named as targets, not blamed on the source codes.
        let target = #expect(throws: HarmoniseError.self) {
            _ = try Harmoniser(registry: Shipped.registry, education: [try EducationSpec(parsing: "Q:HIQUAL22>RQG:modal")])
        }
        #expect(target?.message.contains("target RQG") == true)
    }

    @Test func modalReportsTiesAndFailStopsAtTheRecord() throws {
        let batch = Batch(columns: [textColumn("Q", ["A_LEVEL", "TRADE_APPRENTICESHIP", "HIGHER_APPRENTICESHIP", "OTHER_QUALIFICATION"])], rowCount: 4)
        var modal = try Harmoniser(registry: Shipped.registry, education: [try EducationSpec(parsing: "Q:QUAL>RQF:modal")])
        let out = try modal.apply(batch)
        #expect(out.texts("Q_RQF") == ["3", "2", "4", "E1-E3"])  // OTHER: 55% below level 1 is the largest share
        #expect(modal.audit.education[0].ties == ["TRADE_APPRENTICESHIP → 2 = 3": 1, "HIGHER_APPRENTICESHIP → 4 = 5": 1])
        #expect(modal.audit.text().contains("TIES"))
        var fail = try Harmoniser(registry: Shipped.registry, education: [try EducationSpec(parsing: "Q:QUAL>RQF:fail")])
        let error = #expect(throws: HarmoniseError.self) { _ = try fail.apply(batch) }
        #expect(error?.line == 2 && error?.message.contains("TRADE_APPRENTICESHIP") == true)
        // Ties in an occupation crosswalk are reported the same way (a made-up 50/50 crosswalk).
        let dir = try Fixtures.temporaryDirectory()
        try "a,b,w\n1,X,0.5\n1,Y,0.5\n2,Z,1\n".write(to: dir.appendingPathComponent("t.csv"), atomically: true, encoding: .utf8)
        try """
            {"format": 1, "entries": [{"name": "t", "kind": "crosswalk", "file": "t.csv", "from": "A", "to": "B",
             "fromColumn": "a", "toColumn": "b", "weights": {"w": "w"}, "defaultBasis": "w", "source": "test",
             "issued": "2026", "licence": "OGL-3.0"}]}
            """.write(to: dir.appendingPathComponent("manifest.json"), atomically: true, encoding: .utf8)
        var h = try Harmoniser(
            registry: try CrosswalkRegistry(folders: [dir]), maps: [try MappingSpec(parsing: "V:A>B:modal")])
        #expect(try h.apply(Batch(columns: [textColumn("V", ["1", "2"])], rowCount: 2)).texts("V_B") == ["X", "Z"])
        #expect(h.audit.mappings[0].ties == ["1 → X = Y": 1])
    }

    @Test func splitSpreadsRecordsWithTheStatedSharesAndKeepsEveryWeight() throws {
        let quals: [String?] = ["OTHER_QUALIFICATION", "A_LEVEL", "TRADE_APPRENTICESHIP", nil]
        let w = [100.0, 7.0, 3.0, 5.0], r1 = [90.0, 8.0, 2.5, 4.0]
        let batch = Batch(columns: [textColumn("Q", quals), realColumn("W", w), realColumn("R1", r1)], rowCount: 4)
        var options = HarmoniseOptions(weightVariable: "W")
        options.replicateWeightPattern = "^R[0-9]+$"
        var h = try Harmoniser(registry: Shipped.registry, education: [try EducationSpec(parsing: "Q:QUAL>RQF:split")], options: options)
        let out = try h.apply(batch)
        #expect(out.texts("Q_RQF") == ["E1-E3", "1", "2", "3", "2", "3", nil])
        #expect(out.reals("Q_RQF_share").prefix(6) == [0.55, 0.35, 0.10, 1, 0.5, 0.5])
        #expect(out.reals("W").prefix(3).map { ($0 * 1e6).rounded() / 1e6 } == [55, 35, 10])
        #expect(out.reals("R1").prefix(3).map { ($0 * 1e6).rounded() / 1e6 } == [49.5, 31.5, 9])
        #expect(out.texts(HarmoniseOptions.recordColumn) == ["1", "1", "1", "2", "3", "3", "4"])
        // Each record's pieces add back to its weight exactly, for the weight and every replicate.
        for (name, original) in [("W", w), ("R1", r1)] {
            let pieces = out.reals(name)
            #expect([pieces[0] + pieces[1] + pieces[2], pieces[3], pieces[4] + pieces[5], pieces[6]] == original, "\(name)")
        }
        let e = h.audit.education[0]
        #expect(e.records == 4 && e.fanOutRows == 3 && h.audit.outputWeight == h.audit.inputWeight)
        #expect(e.byNation["unknown"]?.oneToMany == 2)
    }

    @Test func severalTargetsOfOneVariableInOneRun() throws {
        // Before issue 24 the second target failed: "output column Q_framework already exists".
        let batch = Batch(columns: [textColumn("Q", ["ADVANCED_HIGHER", "GCSE_9_4"]), textColumn("COUNTRY", ["3", "1"])], rowCount: 2)
        var h = try Harmoniser(
            registry: Shipped.registry,
            education: [
                try EducationSpec(parsing: "Q,COUNTRY:QUAL>RQF:modal"), try EducationSpec(parsing: "Q,COUNTRY:QUAL>ISCED2011"),
                try EducationSpec(parsing: "Q,COUNTRY:QUAL>RQF:modal", basis: .framework),
            ])
        let out = try h.apply(batch)
        #expect(out.texts("Q_RQF") == ["3", "2"] && out.texts("Q_ISCED2011") == ["3", "3"])
        #expect(out.texts("Q_2_RQF") == ["4", "2"])  // the same target again: numbered prefix
        #expect(out.columns.filter { $0.name == "Q_framework" }.count == 1 && out.texts("Q_nation") == ["S", "E"])
        #expect(h.audit.education.map(\.prefix) == ["Q", "Q", "Q_2"])
    }
}
