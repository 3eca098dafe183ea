import Testing

@testable import MicrodataWeighting

/// ``UnitScores`` (sparse per-unit score entries) give the covariance of the dense rows × columns scores,
/// entry for entry, whether the entries are per row or already totalled per PSU.
struct UnitScoresTests {
    /// 12 rows in 2 strata of 3 PSUs (FPC, a domain with a lonely PSU), 3 columns with zeros and cancelling rows.
    static let strata = ["1", "1", "1", "1", "1", "1", "2", "2", "2", "2", "2", "2"]
    static let psu = ["a", "a", "b", "b", "c", "c", "d", "d", "e", "e", "f", "f"]
    static let fpc = [Double](repeating: 10, count: 12)
    static let scores: [Double] = [
        0.5, 0, 1.25, -0.5, 0, 2, 1, 3, 0, 0.75, -1, 0, 0, 0.125, 0, 2.5, 0, -3,
        1, 1, 1, -2, 0.5, 0, 0.25, 0, 0, 0, 0, 4, 3, -1.5, 0, 0.5, 2, 0,
    ]
    static let domain = [true, true, true, true, true, true, true, false, false, false, false, false]

    @Test(arguments: [LonelyPSURule.adjust, .average])
    func sparseEntriesGiveTheDenseCovariance(rule: LonelyPSURule) throws {
        let design = SurveyDesign(
            weight: "w", strata: "h", clusters: ["p"], fpc: ["f"], lonelyPSU: rule, adjustDomainLonely: true)
        let kernel = try LinearisedVariance(design: design, rows: 12, strata: Self.strata, psu: Self.psu, fpc: Self.fpc)
        let dense = try kernel.covariance(Self.scores, columns: 3, domain: Self.domain)
        var perRow = UnitScores(columns: 3)
        var perUnit = UnitScores(columns: 3)
        var totals = [Double](repeating: 0, count: kernel.unitCount * 3)
        for r in 0..<12 {
            for j in 0..<3 {
                perRow.add(unit: kernel.unitOfRow[r], column: j, value: Self.scores[r * 3 + j])
                totals[Int(kernel.unitOfRow[r]) * 3 + j] += Self.scores[r * 3 + j]
            }
        }
        for u in 0..<kernel.unitCount { for j in 0..<3 { perUnit.add(unit: Int32(u), column: j, value: totals[u * 3 + j]) } }
        #expect(perRow.count == Self.scores.filter { $0 != 0 }.count)
        #expect(try kernel.covariance(perRow, domain: Self.domain) == dense)
        #expect(try kernel.covariance(perUnit, domain: Self.domain) == dense)
        #expect(dense.contains { $0 != 0 })
    }
}
