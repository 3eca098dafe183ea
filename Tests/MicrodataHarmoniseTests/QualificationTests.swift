import MicrodataHarmonise
import MicrodataReaders
import Testing

/// National qualifications → framework level → common scales, per nation.
@Suite struct QualificationTests {
    let codes: [String?] = [
        "ADVANCED_HIGHER", "FOUNDATION_DEGREE", "GCSE_9_4", "GCSE_3_1", "NATIONAL_5", "WELSH_BACC_ADVANCED",
        "WELSH_BACC_NATIONAL", "WELSH_BACC_FOUNDATION", "FOREIGN_UNKNOWN", "NATIONAL_5", "-8", "GCSE_9_4", "XYZ",
    ]
    let nations: [String?] = ["3", "1", "E", "England", "S", "W", "2", "Wales", "5", "1", "S", "Wales", "1"]

    func run(_ to: String, basis: QualificationBasis = .survey) throws -> (Batch, HarmoniseAudit) {
        let batch = Batch(columns: [textColumn("QUAL", codes), textColumn("COUNTRY", nations)], rowCount: codes.count)
        var h = try Harmoniser(
            registry: Shipped.registry, education: [try EducationSpec(parsing: "QUAL,COUNTRY:QUAL>\(to):modal", basis: basis)])
        return (try h.apply(batch), h.audit)
    }

    @Test func rqfBySurveyConventionAndFrameworkComparison() throws {
        let (survey, audit) = try run("RQF")
        #expect(survey.texts("QUAL_RQF") == ["3", "5", "2", "1", "2", "3", "2", "1", nil, "2", nil, "2", nil])
        #expect(survey.texts("QUAL_framework") == [
            "SCQF 7", "RQF 5", "RQF 2", "RQF 1", "SCQF 5", "CQFW 3", "CQFW 2", "CQFW 1", nil, "SCQF 5", nil, "CQFW 2", nil,
        ])
        #expect(survey.texts("QUAL_nation") == ["S", "E", "E", "E", "S", "W", "W", "W", "N", "E", "S", "W", "E"])
        #expect(survey.texts("QUAL_RQF_basis")[0] == "survey convention")
        let (framework, _) = try run("RQF", basis: .framework)
        #expect(framework.texts("QUAL_RQF")[0] == "4")  // Advanced Higher beside RQF 4 in the QCCB table
        #expect(framework.texts("QUAL_RQF_basis")[0] == "framework comparison")
        let e = audit.education[0]
        #expect(e.noLevel == ["FOREIGN_UNKNOWN": 1])
        #expect(e.sentinels == ["-8": 1])
        #expect(e.notInSourceScheme == ["XYZ": 1])
        #expect(e.byNation["S"]?.records == 3 && e.byNation["S"]?.mapped == 2 && e.byNation["S"]?.basisDependent == 1)
        #expect(e.byNation["E"]?.outsideNation == 1)  // National 5 in England
        #expect(e.byNation["N"]?.noLevel == 1)
        #expect(e.byNation["W"]?.mapped == 4)
    }

    @Test func lfsBandAndOtherScales() throws {
        let (hiqul, _) = try run("HIQUL22D")
        // Advanced Higher → A level band; foundation degree → degree band; GCSE by grade 4 vs 5.
        #expect(hiqul.texts("QUAL_HIQUL22D") == ["3", "1", "4", "5", "4", "3", "4", "5", "5", "4", nil, "4", nil])
        let (scqf, _) = try run("SCQF")
        #expect(scqf.texts("QUAL_SCQF").prefix(6) == ["7", "8", "5", "4", "5", "6"])
        let (nvq, _) = try run("NVQ")
        #expect(nvq.texts("QUAL_NVQ").prefix(3) == ["NVQ3", "NVQ4", "NVQ2"])
        let (isced, audit) = try run("ISCED2011")
        #expect(isced.texts("QUAL_ISCED2011").prefix(2) == ["3", "5"])
        #expect(isced.texts("QUAL_ISCED2011_confidence")[2] == "verify")  // GCSE ISCED level needs checking
        #expect(audit.text().contains("nation"))
    }
}
