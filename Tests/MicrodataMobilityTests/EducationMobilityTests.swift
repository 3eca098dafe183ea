import Foundation
import MicrodataHarmonise
import MicrodataReaders
import MicrodataTestSupport
import MicrodataWeighting
import Testing

@testable import MicrodataMobility

/// Educational mobility: parental and own highest qualification as classes, "no qualifications" lowest
/// (issue 24, item 5).
@Suite struct EducationMobilityTests {
    static let schemes = try! ClassScheme.load(from: Fixtures.codebook("mobility/class-schemes.csv"))
    static let registry = try! CrosswalkRegistry(folders: [Fixtures.codebook("crosswalks")])

    func pass(_ origin: String, _ destination: String, _ columns: [Column], lowToHigh: Bool = false) throws -> MobilityPass {
        let n = columns[0].count
        var all = columns
        all.append(Column(name: "W", storage: .real((0..<n).map { Double($0 % 3 + 1) })))
        all.append(Column(name: "H", storage: .integer((0..<n).map { Int64($0) }, missing: [Bool](repeating: false, count: n))))
        var estimator = try MobilityEstimator(
            origin: ClassSpec(parsing: origin, option: "--origin"), destination: ClassSpec(parsing: destination, option: "--destination"),
            design: .householdClusters(weight: "W", household: "H"), registry: Self.registry, schemes: Self.schemes)
        try estimator.add(Batch(columns: all, rowCount: n))
        return try estimator.finish(schemes: Self.schemes, lowToHigh: lowToHigh)
    }

    @Test func qualificationsBecomeOrderedLevelsWithNoneLowest() throws {
        let parent: [String?] = ["NO_QUALIFICATION", "GCSE_9_4", "ADVANCED_HIGHER", "NO_QUALIFICATION", "DOCTORATE", "NATIONAL_5"]
        let own: [String?] = ["BACHELOR_HONS", "GCSE_9_4", "HIGHER", "NO_QUALIFICATION", "MASTERS", "HND_DIPHE"]
        let nation: [String?] = ["1", "2", "3", "5", "1", "4"]
        let columns = [Column(name: "PQ", storage: .text(parent)), Column(name: "Q", storage: .text(own)), Column(name: "C", storage: .text(nation))]
        for lowToHigh in [false, true] {
            let p = try pass("PQ,C:QUAL>RQF", "Q,C:QUAL>RQF", columns, lowToHigh: lowToHigh)
            #expect(p.classes.classes.map(\.code) == ["8", "7", "6", "5", "4", "3", "2", "1", "E1-E3", "none"])
            let none = try #require(p.classes.index(of: "none")), six = try #require(p.classes.index(of: "6"))
            #expect(p.classes.directions()[none][six] == .up && p.classes.directions()[six][none] == .down)
            #expect(p.validRows == 6)
            // Weighted cell none → 6: row 0 (weight 1).
            let k = p.classes.classes.count
            #expect(p.totals.totals[none * k + six] == 1)
        }
    }

    @Test func lowToHighRanksNoneLowestForRawLevelCodes() throws {
        // Before issue 24 the reversal put "none" above level 8.
        let a: [String?] = ["8", "1", "none", "3", "none", "8"], b: [String?] = ["1", "none", "3", "8", "8", "none"]
        let p = try pass("A", "B", [Column(name: "A", storage: .text(a)), Column(name: "B", storage: .text(b))], lowToHigh: true)
        #expect(p.classes.classes.map(\.code) == ["8", "3", "1", "none"])
        let high = try pass("A", "B", [Column(name: "A", storage: .text(a)), Column(name: "B", storage: .text(b))])
        #expect(high.classes.classes.map(\.code) == ["1", "3", "8", "none"])
    }

    @Test func lfsBandsAreReadAsTheirSchemeAndDontKnowIsLeftOut() throws {
        let a: [String?] = ["1", "6", "7", "5", "2"], b: [String?] = ["6", "1", "3", "4", "-8"]
        let p = try pass("A:HIQUL22D>HIQUL22D", "B:HIQUL22D>HIQUL22D", [Column(name: "A", storage: .text(a)), Column(name: "B", storage: .text(b))])
        #expect(p.classes.classes.map(\.code) == ["1", "2", "3", "4", "5", "6"])
        #expect(p.classes.classes.last?.label == "No qualification")
        #expect(p.validRows == 3 && p.unclassifiedCodes == ["A=7": 1])
    }
}
