import MicrodataReaders
import Testing

@testable import MicrodataWeighting

/// Design columns coded by value (``CodedLabels``) give the kernel the labels per row gave: the same units,
/// strata, labels, covariance and degrees of freedom.
struct CodedLabelsTests {
    static let strataText = ["2", "2", "2", "2", "2", "2", "10", "10", "10", "10", "10", "10"]
    static let psuText = ["7", "7", "8", "8", "9", "9", "7", "7", "8", "8", "12", "12"]
    static let scores: [Double] = (0..<36).map { Double(($0 * 7) % 11) - 4.5 }

    @Test(arguments: [false, true])
    func numericColumnsCodeAsTheirLabels(nest: Bool) throws {
        // PSU ids repeat across strata: one PSU each without nesting would span two strata.
        let design = SurveyDesign(weight: "w", strata: "h", clusters: ["p"], nest: nest)
        let strata = Column(name: "h", storage: .real(Self.strataText.map { Double($0)! }))
        let psu = Column(name: "p", storage: .integer(Self.psuText.map { Int64($0)! }, missing: Array(repeating: false, count: 12)))
        let fromText = Result { try LinearisedVariance(design: design, rows: 12, strata: Self.strataText, psu: Self.psuText, fpc: nil) }
        let fromCodes = Result {
            try LinearisedVariance(design: design, rows: 12, strata: CodedLabels(strata, name: "h", rows: 12),
                                   psu: CodedLabels(psu, name: "p", rows: 12), fpc: nil, ssu: nil, fpc2: nil)
        }
        guard nest else {
            #expect(throws: WeightingError.self) { try fromText.get() }
            #expect(throws: WeightingError.self) { try fromCodes.get() }
            return
        }
        let a = try fromText.get(), b = try fromCodes.get()
        #expect(a.unitOfRow == b.unitOfRow && a.psuCount == 6 && b.psuCount == 6)
        #expect(a.structure.stratumLabels == ["2", "10"] && b.structure.stratumLabels == ["2", "10"])
        #expect(a.structure.psuLabels == b.structure.psuLabels)
        let domain = (0..<12).map { $0 != 3 }
        #expect(a.degreesOfFreedom(domain: domain) == 4 && b.degreesOfFreedom(domain: domain) == 4)
        #expect(try a.covariance(Self.scores, columns: 3) == b.covariance(Self.scores, columns: 3))
    }

    @Test func missingDesignValueNamesTheColumnAndRow() throws {
        let psu = Column(name: "PSU", storage: .real([1, 2, .nan, 4]))
        #expect(throws: WeightingError.missingDesignValue(column: "psu", row: 3)) {
            try CodedLabels(psu, name: "psu", rows: 4)
        }
    }

    @Test func equalStringsShareACodeInOrderOfFirstAppearance() {
        let coded = CodedLabels(["b", "a", "b", "c", "a"])
        #expect(coded.codes == [0, 1, 0, 2, 1])
        #expect(coded.labels == ["b", "a", "c"])
    }
}
