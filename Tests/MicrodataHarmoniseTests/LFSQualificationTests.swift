import Foundation
import MicrodataHarmonise
import MicrodataReaders
import MicrodataTestSupport
import Testing

/// LFS/APS qualification variables straight into the common levels (issue 24, items 1 and 3): HIQUAL22/HIQUAL15
/// through their value labels, HIQUL*D and LEVQUL22 bands to level ranges, region code sets, and the added keys.
@Suite struct LFSQualificationTests {
    func rows(_ url: URL) throws -> [[String: String]] {
        let records = try DelimitedRecords(contentsOf: url).records.map(\.fields)
        return records.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(records[0], $0)) }
    }

    /// The band → level crosswalk rows of one variable and scale, as code → [(level, share)].
    func bandLinks(_ variable: String, _ scale: String) throws -> [String: [(String, Double)]] {
        let cw = try #require(Shipped.registry.crosswalk(from: variable, to: scale))
        return Dictionary(uniqueKeysWithValues: cw.sourceCodes.map { c in (c, cw.distribution(of: c, basis: 0)!.map { ($0.target, $0.share) }) })
    }

    @Test func bandRangesAreRederivedFromTheQualificationTypesOfEachBand() throws {
        // Independent derivation: each band's RQF and SCQF range is min–max over the 28 curated qualification
        // types whose LFS band it is (links flagged for verification, such as the foundation degree, left out).
        let types = try rows(Fixtures.url("harmonise/uk_qualifications_to_levels.csv"))
        for (scale, column) in [("RQF", "rqf_equivalent"), ("SCQF", "scqf_equivalent")] {
            var levels: [String: [Int]] = [:]
            for t in types {
                let band = t["lfs_hiqul22d_band"]!
                guard let b = band.first, ("1"..."4").contains(b), !band.lowercased().contains("verify") else { continue }
                // Survey convention: Advanced Higher and CSYS sit with A levels (RQF 3).
                let raw = t[column]!.hasPrefix("3 or 4") ? "3" : t[column]!.replacingOccurrences(of: "~", with: "")
                levels[String(b), default: []].append(Int(raw)!)
            }
            for variable in ["HIQUL22D", "HIQUL15D", "HIQUL11D"] {
                let links = try bandLinks(variable, scale)
                for (band, list) in levels {
                    let (lo, hi) = (list.min()!, list.max()!)
                    #expect(links[band]!.map(\.0) == [lo == hi ? "\(lo)" : "\(lo)-\(hi)"], "\(variable) \(scale) band \(band)")
                }
                #expect(links["6"]!.map(\.0) == ["none"])
                #expect(links["7"] == nil)  // don't know: no level
            }
        }
        #expect(try bandLinks("HIQUL22D", "CQFW")["3"]!.map(\.0) == ["3"])  // CQFW levels are RQF levels
    }

    @Test func otherQualificationBandsSpreadWithTheStatedShares() throws {
        let stated = try rows(Fixtures.codebook("crosswalks/qualification_level_shares.csv"))
            .filter { $0["code"] == "OTHER_QUALIFICATION" && $0["scale"] == "RQF" }
            .map { ($0["value"]!, Double($0["share"]!)!) }
        #expect(stated.map(\.1) == [0.10, 0.35, 0.55])
        for (variable, code) in [("HIQUL22D", "5"), ("HIQUL15D", "5"), ("LEVQUL22", "10")] {
            let links = try bandLinks(variable, "RQF")[code]!
            #expect(links.map(\.0) == ["E1-E3", "1", "2"], "\(variable)")  // largest share first
            #expect(Set(links.map { "\($0.0)=\($0.1)" }) == Set(stated.map { "\($0.0)=\($0.1)" }))
        }
    }

    @Test func levqul22LevelsFollowTheFrameworkAlignment() throws {
        // LEVQUL22 1-8 = Level 8 down to Level 1 (inferred code frame); SCQF from the QCCB alignment table.
        let alignment = try rows(Fixtures.url("harmonise/uk_qualification_frameworks_alignment.csv"))
        let rqf = try bandLinks("LEVQUL22", "RQF"), scqf = try bandLinks("LEVQUL22", "SCQF")
        for code in 1...8 {
            let level = 9 - code
            #expect(rqf["\(code)"]!.map(\.0) == ["\(level)"])
            let s = alignment.filter { $0["rqf_eng_ni"] == "\(level)" }.compactMap { Int($0["scqf_scotland"]!) }.sorted()
            #expect(scqf["\(code)"]!.map(\.0) == [s.count == 1 ? "\(s[0])" : "\(s.first!)-\(s.last!)"], "LEVQUL22 \(code)")
        }
        #expect(rqf["11"]!.map(\.0) == ["none"] && rqf["12"] == nil)
    }

    @Test func hiqual22IsReadThroughTheCodebookLabels() throws {
        // Numeric codes of this release (made up here) with labels as the end-user files spell them.
        let labels = [
            "1": "Higher Degree", "7": "Degree Apprenticsehip", "12": "First or Foundation Degree",
            "30": "Advanced Higher (Scotland)", "31": "Scottish 6th year certificate", "35": "Scottish Baccalaureate",
            "40": "Trade Apprenticeship", "50": "O Level/GCSE Grades A* - C and equivalents",
            "51": "GCSE < Grade C, CSE < Grade 1 and equivalents", "60": "Scottish National level 5",
            "72": "No qualifications", "73": "Other Qualifications", "74": "Don¿t know", "70": "Something new",
        ]
        var options = HarmoniseOptions()
        options.valueLabels = ["hiqual22": labels]
        let codes: [Int64?] = [1, 7, 12, 30, 31, 35, 40, 50, 51, 60, 72, 74, 70]
        let batch = Batch(
            columns: [intColumn("HIQUAL22", codes), textColumn("COUNTRY", codes.map { _ in "3" })], rowCount: codes.count)
        var h = try Harmoniser(
            registry: Shipped.registry,
            education: [try EducationSpec(parsing: "HIQUAL22,COUNTRY:HIQUAL22>RQF:modal")], options: options)
        let out = try h.apply(batch)
        #expect(out.texts("HIQUAL22_RQF") == ["7", "6", "6", "3", "3", "3", "2", "2", "1", "2", "none", nil, nil])
        let e = h.audit.education[0]
        #expect(e.sentinels == ["74": 1])  // "Don¿t know" is non-response whatever the apostrophe
        #expect(e.unmatchedLabels == ["70": "Something new"])
        #expect(e.notInSourceScheme == ["70": 1])
        #expect(e.ties == ["TRADE_APPRENTICESHIP → 2 = 3": 1])
        // Labels written in the data themselves (a CSV exported with labels) match the same way.
        var h2 = try Harmoniser(registry: Shipped.registry, education: [try EducationSpec(parsing: "Q:HIQUAL15>HIQUL22D")])
        let text = Batch(columns: [textColumn("Q", ["A-level or equivalent", "a level OR equivalent", "NVQ level 5", "Don't know"])], rowCount: 4)
        #expect(try h2.apply(text).texts("Q_HIQUL22D") == ["3", "3", "1", nil])
    }

    @Test func everyLabelOfTheShippedTableHasOneKeyAndAnExistingQualification() throws {
        let labels = try rows(Fixtures.codebook("crosswalks/lfs_hiqual_labels.csv"))
        let table = try #require(Shipped.registry.qualifications)
        var seen: [String: String] = [:]
        for row in labels {
            let key = Crosswalk.labelKey(row["label"]!)
            #expect(seen[key] == nil, "\(row["label"]!) repeats \(seen[key] ?? "")")
            seen[key] = row["label"]!
            #expect(table.qualification(row["qual"]!) != nil, "\(row["qual"]!)")
        }
        #expect(Crosswalk.labelKey("Don’t know") == Crosswalk.labelKey("Don¿t know"))
    }

    @Test func addedKeysSitOnTheirFrameworkLevels() throws {
        let t = try #require(Shipped.registry.qualifications)
        func rqf(_ c: String, _ b: QualificationBasis = .survey) -> String? { t.level(c, scale: "RQF", basis: b)?.value }
        #expect(rqf("NVQ5") == "7" && t.level("NVQ5", scale: "SCQF", basis: .survey)?.value == "11")
        #expect(rqf("GCSE_9_4") == "2" && rqf("GCSE_3_1") == "1")
        #expect(rqf("NATIONAL_5") == "2" && rqf("NATIONAL_5_D") == "1")
        #expect(rqf("NATIONAL_5_D").map { _ in t.level("NATIONAL_5_D", scale: "HIQUL22D", basis: .survey)?.value } == "5")
        // Advanced Higher, CSYS and the Scottish Baccalaureate (all SCQF 7) on one basis.
        for c in ["ADVANCED_HIGHER", "CSYS", "SCOTTISH_BACCALAUREATE"] {
            #expect(rqf(c, .survey) == "3" && rqf(c, .framework) == "4", "\(c)")
            #expect(t.level(c, scale: "SCQF", basis: .survey)?.value == "7")
        }
        #expect(rqf("INTERNATIONAL_BACCALAUREATE") == "3" && rqf("ACCESS_TO_HE") == "3")
        #expect(rqf("DEGREE_APPRENTICESHIP") == "6" && rqf("GRADUATE_APPRENTICESHIP") == "6")
        let higher = t.distribution("HIGHER_APPRENTICESHIP", scale: "RQF", basis: .survey)
        #expect(higher.map(\.value) == ["4", "5"] && higher.map(\.share) == [0.5, 0.5])
        #expect(t.qualification("SCOTTISH_BACCALAUREATE")?.nations == [.scotland])
    }

    @Test func regionCodeSetsAreChosenByTheVariableName() throws {
        func nations(_ variable: String, _ values: [String?], spec: String? = nil) throws -> [String?] {
            let batch = Batch(
                columns: [textColumn("Q", values.map { _ in "GCSE_9_4" }), textColumn(variable, values)], rowCount: values.count)
            var h = try Harmoniser(registry: Shipped.registry, education: [try EducationSpec(parsing: spec ?? "Q,\(variable):QUAL>HIQUL22D")])
            return try h.apply(batch).texts("Q_nation")
        }
        // GOVTOF2: 2 is the North West (England), 11 Wales, 12 Scotland, 13 Northern Ireland.
        #expect(try nations("GOVTOF2", ["2", "11", "12", "13", "3"]) == ["E", "W", "S", "N", nil])
        #expect(try nations("GOVTOF", ["3", "13"]) == ["E", "N"])  // 3 Merseyside in the older GOVTOF
        #expect(try nations("COUNTRY", ["2", "4", "5", "S92000003"]) == ["W", "S", "N", "S"])
        #expect(try nations("REGION", ["2", "11"], spec: "Q,REGION@LFS-GOVTOF2:QUAL>HIQUL22D") == ["E", "W"])
        #expect(throws: HarmoniseError.self) { _ = try nations("R", ["1"], spec: "Q,R@NOPE:QUAL>HIQUL22D") }
    }
}
