import Foundation
import MicrodataTestSupport
import Testing

@testable import MicrodataCodebook

/// Consistency warnings: reported, never fatal.
@Suite struct ValidationTests {
    @Test func syntheticProblemsAreReported() throws {
        let xml = """
            <codeBook xmlns="ddi:codebook:2_5">
              <fileDscr ID="F1"><fileTxt><fileStrc type="hierarchical">
                <recGrp rectype="H" recidvar="RT"/><recGrp rectype="P" recidvar="RT" keyvar="ID"/>
                <recGrp rectype="X" recidvar="RT"/>
              </fileStrc><dimensns><caseQnty>100</caseQnty></dimensns></fileTxt></fileDscr>
              <dataDscr>
                <var name="RT" files="F1" rectype="H P"><location StartPos="1" EndPos="1"/></var>
                <var name="ID" files="F1" rectype="H P"><location StartPos="2" EndPos="5"/>
                  <sumStat type="vald">90</sumStat><sumStat type="invd">5</sumStat></var>
                <var name="A" files="F1" rectype="H"><location StartPos="5" EndPos="6"/></var>
                <var name="B" files="F1" rectype="P"><location StartPos="5" EndPos="7"/></var>
                <var name="B" files="F1" rectype="P"><location StartPos="8" EndPos="9"/></var>
              </dataDscr>
            </codeBook>
            """
        let (book, warnings) = try DDIParser(knownWeightNames: []).parseWithWarnings(
            data: Data(xml.utf8), source: "synthetic")
        #expect(book.variables.count == 5)
        let overlaps = warnings.filter { $0.kind == .overlappingPositions }
        // A (H) and B (P) each overlap ID (H P) at byte 5; A and B never share a record type.
        #expect(overlaps.map(\.variable) == ["A", "B"])
        #expect(warnings.filter { $0.kind == .caseCountMismatch }.map(\.variable) == ["ID"])
        #expect(warnings.filter { $0.kind == .duplicateName }.map(\.variable) == ["B"])
        let unreferenced = warnings.filter { $0.kind == .unreferencedRecordType }
        #expect(unreferenced.count == 1)
        #expect(unreferenced.first?.message.contains("record type X") == true)
    }

    @Test func atus00035RecordTypesAreAllReferenced() throws {
        // 5 recGrp declared; variables reference all five (only 3 occur in the data, which the codebook cannot know).
        let (book, warnings) = try DDIParser().parseWithWarnings(contentsOf: Fixtures.url("ddi/ipumspy/atus_00035.xml"))
        #expect(book.files[0].recordTypes.map(\.code) == ["5", "4", "3", "2", "1"])
        #expect(warnings.filter { $0.kind == .unreferencedRecordType }.isEmpty)
    }

    @Test func cleanIPUMSCodebookHasNoWarnings() throws {
        let (_, warnings) = try DDIParser().parseWithWarnings(contentsOf: Fixtures.url("ddi/ipumsr/cps_00157.xml"))
        #expect(warnings.isEmpty)
    }

    @Test func weightNamesFileIsLoaded() throws {
        let url = try #require(KnownWeightNames.bundledURL())
        let names = try KnownWeightNames.load(from: url)
        #expect(names.isSuperset(of: ["ASECWT", "ASECWTH", "WTFINL", "HWTFINL", "WTSUPP", "HWTSUPP", "PERWT", "HHWT",
                                      "WT06", "SAQWEIGHT"]))
        #expect(!names.contains("NAME"))
        let unflagged = try DDIParser(knownWeightNames: nil).parse(contentsOf: Fixtures.url("ddi/ipumsr/cps_00157.xml"))
        #expect(unflagged.weightVariables.isEmpty)
    }
}

/// Real overlaps: MEPS declares SERIALF/SERIALM/SERIALR on the bytes of SERIAL for the same record types.
@Suite struct RealOverlapTests {
    @Test func meps00045AliasedSerials() throws {
        let (_, warnings) = try DDIParser().parseWithWarnings(contentsOf: Fixtures.url("ddi/ipumspy/meps_00045.xml"))
        #expect(warnings.map(\.kind) == [.overlappingPositions, .overlappingPositions, .overlappingPositions])
        #expect(Set(warnings.compactMap(\.variable)) == ["SERIALF", "SERIALM", "SERIALR"])
    }
}

/// Numbers that do not parse are reported, not silently dropped.
@Suite struct UnreadableNumberTests {
    @Test func badNumbersBecomeWarnings() throws {
        let xml = """
            <codeBook>
              <fileDscr ID="F1"><fileTxt><dimensns><caseQnty>many</caseQnty></dimensns></fileTxt></fileDscr>
              <dataDscr>
                <var name="A" dcml="two"><location StartPos="1" EndPos="x4"/>
                  <sumStat type="mean">n/a</sumStat><catgry><catValu>1</catValu><catStat type="freq">12</catStat></catgry>
                </var>
              </dataDscr>
            </codeBook>
            """
        let (book, warnings) = try DDIParser(knownWeightNames: []).parseWithWarnings(
            data: Data(xml.utf8), source: "bad-numbers")
        let a = try #require(book.variables.first)
        #expect(a.decimals == 0 && a.start == 1 && a.end == nil && a.summaryStatistics.isEmpty)
        #expect(a.categories.first?.frequency == 12)
        #expect(book.files.first?.caseCount == nil)
        let unreadable = warnings.filter { $0.kind == .unreadableNumber }
        #expect(unreadable.count == 4)
        #expect(unreadable.contains { $0.message.contains("dcml \"two\"") && $0.variable == "A" })
        #expect(unreadable.contains { $0.message.contains("EndPos \"x4\"") })
        #expect(unreadable.contains { $0.message.contains("sumStat type=mean \"n/a\"") })
        #expect(unreadable.contains { $0.message.contains("file F1") && $0.message.contains("caseQnty") })
    }

    @Test func realCodebooksHaveNoUnreadableNumbers() throws {
        for path in ["ihsn_nada/ag-eth-survey-2004_ddi.xml", "cessda_osmh_indexer/synthetic_compliant_cmm_nesstar.xml"] {
            let (_, warnings) = try DDIParser().parseWithWarnings(contentsOf: Fixtures.url("ddi/" + path))
            #expect(warnings.filter { $0.kind == .unreadableNumber }.isEmpty, "\(path)")
        }
    }
}

/// Damaged input never crashes: every truncation and corruption gives a model or one `CodebookError`.
@Suite struct DamagedInputTests {
    @Test(arguments: ["ipumsr/cps_00159.xml", "ihsn_nada/ag-eth-survey-2003_ddi.xml"])
    func truncatedAndCorrupted(_ path: String) throws {
        let data = try Data(contentsOf: Fixtures.url("ddi/" + path))
        let parser = DDIParser(knownWeightNames: [])
        var failures = 0
        var generator = SplitMix(seed: 20261125)
        for step in 0..<40 {
            var damaged = data
            if step % 2 == 0 {
                damaged = data.prefix(Int(generator.next() % UInt64(data.count)))
            } else {
                for _ in 0..<8 {
                    let index = Int(generator.next() % UInt64(data.count))
                    damaged[index] = UInt8(truncatingIfNeeded: generator.next())
                }
            }
            do {
                _ = try parser.parse(data: damaged, source: "damaged-\(step)")
            } catch let error as CodebookError {
                failures += 1
                #expect(error.file == "damaged-\(step)")
            }
        }
        // Every truncation is an error (the document never closes); corruptions may or may not be.
        #expect(failures >= 20)
    }
}

/// A small deterministic generator, so the damaged inputs are the same on every run.
private struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
