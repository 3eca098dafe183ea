import MicrodataWeighting
import Foundation
import MicrodataReaders
import MicrodataTestSupport
import Testing

@testable import MicrodataMobility

/// The api "mobility" table of Fixtures/mobility (origin = band of api99, destination = band of api00) under
/// the one-stage cluster design dclus1, against R survey.
struct MobilityMeasureTests {
    /// Expected values keyed by "statistic|row|column".
    static let expected: [String: (estimate: Double, se: Double?)] = {
        let records = try! DelimitedRecords(contentsOf: Fixtures.url("mobility/api_mobility_expected.csv"))
        var out: [String: (Double, Double?)] = [:]
        for r in records.records.dropFirst() {
            out["\(r.fields[0])|\(r.fields[1])|\(r.fields[2])"] = (Double(r.fields[3])!, Double(r.fields[4]))
        }
        return out
    }()

    /// Cell totals of api99 band × api00 band (≥ 700, 550–699, < 550) under dclus1, optionally by school type.
    static func cellTotals(groupBySchoolType: Bool) throws -> (CellTotals, [String]) {
        let groups = groupBySchoolType ? ["E", "H", "M"] : ["All"]
        func band(_ x: String) -> Int { let v = Double(x)!; return v >= 700 ? 0 : v >= 550 ? 1 : 2 }
        let cells = try DClus1CellTotals.make(classCount: 3, groupCount: groups.count) { field in
            let g = groupBySchoolType ? groups.firstIndex(of: field("stype"))! : 0
            return (g * 3 + band(field("api99"))) * 3 + band(field("api00"))
        }
        return (cells, groups)
    }

    static func check(_ key: String, _ value: MobilityEstimate?, sourceLocation: SourceLocation = #_sourceLocation) {
        guard let (estimate, se) = expected[key] else {
            Issue.record("no expected value for \(key)", sourceLocation: sourceLocation)
            return
        }
        guard let value else {
            Issue.record("no estimate for \(key)", sourceLocation: sourceLocation)
            return
        }
        #expect(close(value.estimate, estimate), "\(key) estimate", sourceLocation: sourceLocation)
        if let se { #expect(close(value.standardError, se), "\(key) SE", sourceLocation: sourceLocation) }
    }

    static func close(_ a: Double, _ b: Double) -> Bool {
        abs(a - b) <= 1e-8 * max(abs(b), 1e-12) || abs(a - b) < 1e-13
    }

    @Test func cellSharesOutflowAndInflowMatchR() throws {
        let (cells, groups) = try Self.cellTotals(groupBySchoolType: false)
        let results = cells.mobilityResults(classes: ["high", "middle", "low"], groups: groups)
        let table = results.tables[0]
        for i in 0..<3 {
            for j in 0..<3 {
                Self.check("count|\(i + 1)|\(j + 1)", table.counts[i][j])
                Self.check("joint|\(i + 1)|\(j + 1)", table.joint[i][j])
                Self.check("outflow|\(i + 1)|\(j + 1)", table.outflow[i][j])
                Self.check("inflow|\(i + 1)|\(j + 1)", table.inflow[i][j])
            }
        }
        #expect(table.counts[0][0].numeratorCount == 37)
        #expect(table.outflow[1][2]?.denominatorCount == 84)
    }

    @Test func absoluteRatesAndTheirRatioMatchR() throws {
        let (cells, groups) = try Self.cellTotals(groupBySchoolType: false)
        let table = cells.mobilityResults(classes: ["high", "middle", "low"], groups: groups).tables[0]
        for name in ["immobile", "mobile", "upward", "downward"] { Self.check("\(name)||", table.rates[name]) }
        Self.check("up_down_ratio||", table.rates["upward:downward"])
    }

    @Test func logOddsRatiosMatchRAndEmptyCellsGiveNone() throws {
        let (cells, groups) = try Self.cellTotals(groupBySchoolType: false)
        let table = cells.mobilityResults(classes: ["high", "middle", "low"], groups: groups).tables[0]
        func lor(_ a: Int, _ b: Int, _ x: Int, _ y: Int) -> OddsRatio? {
            table.logOddsRatios.first { $0.originA == a && $0.originB == b && $0.destinationA == x && $0.destinationB == y }
        }
        Self.check("log_odds_ratio|1:2|1:2", lor(0, 1, 0, 1)?.logOddsRatio)
        Self.check("log_odds_ratio|2:3|2:3", lor(1, 2, 1, 2)?.logOddsRatio)
        #expect(lor(0, 2, 0, 2) != nil && lor(0, 2, 0, 2)?.logOddsRatio == nil)  // cells (1,3) and (3,1) are empty
        #expect(table.logOddsRatios.count == 9)
    }

    @Test func raoScottSecondOrderTestMatchesSvychisq() throws {
        let (cells, groups) = try Self.cellTotals(groupBySchoolType: false)
        let test = try #require(cells.mobilityResults(classes: ["1", "2", "3"], groups: groups).tables[0].independenceTest)
        #expect(Self.close(test.f, Self.expected["rao_scott_F||"]!.estimate))
        #expect(Self.close(test.numeratorDF, Self.expected["rao_scott_ndf||"]!.estimate))
        #expect(Self.close(test.denominatorDF, Self.expected["rao_scott_ddf||"]!.estimate))
        #expect(abs(test.pValue - Self.expected["rao_scott_p||"]!.estimate) < 1e-6 * Self.expected["rao_scott_p||"]!.estimate)
    }

    @Test func groupRatesAndTheirDifferenceUseTheCrossGroupCovariance() throws {
        let (cells, groups) = try Self.cellTotals(groupBySchoolType: true)
        let results = cells.mobilityResults(classes: ["1", "2", "3"], groups: groups)
        for (g, name) in groups.enumerated() {
            Self.check("immobile_by_stype|\(name)|", results.tables[g].rates["immobile"])
        }
        let difference = results.differences.first { $0.measure == "immobile" && $0.groupA == "E" && $0.groupB == "H" }
        Self.check("immobile_difference|E-H|", difference?.difference)
    }
}
