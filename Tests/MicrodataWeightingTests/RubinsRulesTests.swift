import Foundation
import MicrodataTestSupport
@testable import MicrodataWeighting
import Testing

/// Rubin's rules (issue 26) against R mitools 2.4 `MIcombine` on svyglm fits to five imputations
/// (Fixtures/imputation/PROVENANCE).
@Suite struct RubinsRulesTests {
    /// E4's coefficients and covariances per imputation, read from rubin_inputs.csv.
    static func inputs() throws -> (estimates: [[Double]], covariances: [[Double]]) {
        let text = try String(contentsOf: Fixtures.url("imputation/rubin_inputs.csv"), encoding: .utf8)
        var estimates = [[Double]](repeating: [], count: 5)
        var covariances = [[Double]](repeating: [], count: 5)
        for line in text.split(separator: "\n").dropFirst() {
            let f = line.split(separator: ",").map { Double($0)! }
            let (k, i, j) = (Int(f[0]) - 1, Int(f[1]), Int(f[2]))
            if i == j { estimates[k].append(f[3]) }
            covariances[k].append(f[4])
        }
        return (estimates, covariances)
    }

    @Test func combinedCoefficientsCovarianceDfAndFmiMatchMIcombine() throws {
        let (estimates, covariances) = try Self.inputs()
        let rubin = try RubinsRules(estimates: estimates, covariances: covariances)
        let expected = try String(contentsOf: Fixtures.url("imputation/expected.csv"), encoding: .utf8)
            .split(separator: "\n").filter { $0.hasPrefix("\"E4\"") }.map { $0.split(separator: ",").dropFirst(2).map { Double($0)! } }
        #expect(expected.count == 4)
        for (j, r) in expected.enumerated() {
            func close(_ a: Double, _ b: Double) -> Bool { abs(a - b) <= 1e-10 * max(1, abs(b)) }
            #expect(close(rubin.estimates[j], r[0]) && close(rubin.standardError(j), r[1]))
            #expect(close(rubin.degreesOfFreedom[j], r[2]) && close(rubin.fractionMissingInformation[j], r[3]))
            let (low, high) = rubin.interval(j, level: 0.95)
            #expect(close(low, r[4]) && close(high, r[5]), "\(low) \(r[4])")
        }
        // The whole of T = W + (1 + 1/m) B, off-diagonal terms included.
        let total = try String(contentsOf: Fixtures.url("imputation/rubin_covariance.csv"), encoding: .utf8)
            .split(separator: "\n").dropFirst().map { Double($0.split(separator: ",")[2])! }
        #expect(zip(rubin.covariance, total).allSatisfy { abs($0 - $1) <= 1e-10 * max(1, abs($1)) })
        // The scalar form gives the same df and fmi from the diagonals.
        let p = estimates[0].count
        let scalar = try RubinsRules(estimates: estimates, variances: covariances.map { c in (0..<p).map { c[$0 * p + $0] } })
        #expect(scalar.degreesOfFreedom == rubin.degreesOfFreedom)
        #expect(scalar.fractionMissingInformation == rubin.fractionMissingInformation)
    }

    @Test func agreeingImputationsHaveInfiniteDfAndOneImputationIsRefused() throws {
        let same = try RubinsRules(estimates: [[2], [2], [2]], variances: [[0.5], [0.5], [0.5]])
        #expect(same.degreesOfFreedom == [.infinity] && same.fractionMissingInformation == [0])
        #expect(abs(same.interval(0, level: 0.95).high - (2 + 1.959963984540054 * 0.5.squareRoot())) < 1e-12)
        #expect(throws: RubinsRulesError.tooFewImputations(1)) {
            try RubinsRules(estimates: [[1]], variances: [[1]])
        }
        #expect(throws: RubinsRulesError.sizeMismatch(imputation: 2, expected: 1, found: 2)) {
            try RubinsRules(estimates: [[1], [1, 2]], variances: [[1], [1]])
        }
    }

    @Test func aDomainMissingFromOneImputationIsAnErrorButAMissingLevelIsZero() throws {
        func cell(_ by: String, _ level: String?, _ estimate: Double, n: Int) -> CellEstimate {
            CellEstimate(byValues: [by], statistic: level == nil ? "mean" : "proportion", variable: "y", level: level,
                         estimate: estimate, standardError: 0.1, ciLow: 0, ciHigh: 0, degreesOfFreedom: 10,
                         unweightedCount: n, weightedCount: Double(n))
        }
        let a = EstimateTable(byVariables: ["g"], cells: [cell("1", "x", 0.6, n: 30), cell("1", "z", 0.4, n: 3)])
        let b = EstimateTable(byVariables: ["g"], cells: [cell("1", "x", 1.0, n: 33)])
        let combined = try EstimateTable.combiningImputations([a, b])
        let z = try #require(combined.cells.first { $0.level == "z" })
        #expect(z.estimate == 0.2 && z.unweightedCount == 3 && z.imputations == 2)
        #expect(combined.designLine.hasSuffix("t with Rubin's df"))
        let means = EstimateTable(byVariables: ["g"], cells: [cell("1", nil, 5, n: 30), cell("2", nil, 6, n: 30)])
        let fewer = EstimateTable(byVariables: ["g"], cells: [cell("1", nil, 5, n: 30)])
        #expect(throws: RubinsRulesError.missingEstimate("mean of y in domain g=2", imputation: 2)) {
            try EstimateTable.combiningImputations([means, fewer])
        }
    }
}
