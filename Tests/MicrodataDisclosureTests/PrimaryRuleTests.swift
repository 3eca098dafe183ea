import Foundation
import MicrodataTestSupport
import Testing
@testable import MicrodataDisclosure

/// Primary rules against oracles/sdc: acro-rule-boundaries, acro-threshold-1, acro-dominance-mean,
/// weighted-threshold, tau-weighted-dominance.
struct PrimaryRuleTests {
    static let boundaries: [String: [Double]] = [
        "n10": Array(repeating: 5, count: 10),
        "n9": Array(repeating: 5, count: 9),
        "nk_exact_0.90": [45, 45, 1, 1, 1, 1, 1, 1, 1, 3],
        "nk_just_below": [45, 44, 1, 1, 1, 1, 1, 1, 1, 4],
        "p_exact_0.10": [100, 50, 1, 1, 1, 1, 1, 1, 1, 3],
        "p_just_below": [100, 50, 1, 1, 1, 1, 1, 1, 1, 2.9],
    ]

    func evidence(_ values: [Double]) -> CellEvidence {
        CellEvidence.aggregate(values.enumerated().map { Contribution(unit: "u\($0.offset)", value: $0.element) })
    }

    @Test func strictBoundariesPassAtExactlyKAndP() throws {
        let rules = try TestTables.rules()
        var nk: [String] = [], p: [String] = [], threshold: [String] = []
        for (name, values) in Self.boundaries {
            let e = evidence(values)
            if rules.failsThreshold(units: e.units) { threshold.append(name) }
            if rules.failsNK(top: e.topContributions, total: e.value) { nk.append(name) }
            if rules.failsPPercent(top: e.topContributions, total: e.value) { p.append(name) }
        }
        #expect(threshold == ["n9"])
        // tau-ARGUS/sdcTable semantics: nk_exact_0.90 passes at exactly 90%, p_exact_0.10 passes at exactly 10%.
        #expect(Set(nk) == ["p_exact_0.10", "p_just_below"])
        #expect(p == ["p_just_below"])
    }

    @Test func acroInclusiveNKBoundaryIsAvailable() throws {
        let rules = try TestTables.rules { $0.nkStrict = false }
        let nk = Self.boundaries.filter { rules.failsNK(top: evidence($0.value).topContributions, total: evidence($0.value).value) }
        #expect(Set(nk.keys) == ["nk_exact_0.90", "p_exact_0.10", "p_just_below"])  // expected_acro.nk_fail
    }

    @Test func protectionLevelsFollowHandbookTable44() throws {
        let rules = try TestTables.rules()
        // p_just_below: X = 159.9, x1 = 100, x2 = 50 → p% level 0.1·100 − 9.9 = 0.1; NK level (100/90)·150 − 159.9.
        let a = rules.assess(evidence(Self.boundaries["p_just_below"]!))
        #expect(a.status == .primary("nk+p%"))
        let p = try #require(a.requirements.first { $0.rule == "p%" })
        #expect(abs(p.upper - 0.1) < 1e-9)
        let nk = try #require(a.requirements.first { $0.rule == "nk" })
        #expect(abs(nk.upper - (150.0 / 0.9 - 159.9)) < 1e-9)
    }

    @Test func tauWeightedDominance() {
        // tau-ARGUS manual §4.4.4: (100, w=4), (10, w=7) → cell 470, top-2 (100, 100).
        let e = CellEvidence.aggregate(
            [Contribution(unit: "a", value: 100, weight: 4), Contribution(unit: "b", value: 10, weight: 7)], weighted: true)
        #expect(e.value == 470)
        #expect(Array(e.topContributions.prefix(2)) == [100, 100])
        #expect(e.units == 2)
    }

    @Test func contributionsAreAggregatedPerUnit() throws {
        // Two rows of one household dominate together although neither row alone does.
        let e = CellEvidence.aggregate([
            Contribution(unit: "h1", value: 50), Contribution(unit: "h1", value: 45),
            Contribution(unit: "h2", value: 3), Contribution(unit: "h3", value: 2),
        ])
        #expect(e.units == 3)
        #expect(e.topContributions.first == 95)
        #expect(try TestTables.rules().failsPPercent(top: e.topContributions, total: e.value))
    }

    @Test func negativesGoToReview() throws {
        let e = CellEvidence.aggregate((0..<12).map { Contribution(unit: "u\($0)", value: $0 == 0 ? -5 : 10) })
        #expect(try TestTables.rules().assess(e).status == .review("negative"))
    }

    @Test func weightedThresholdUsesUnweightedUnits() throws {
        // oracle weighted-threshold: R/G has weighted total 10 but 8 respondents → primary.
        let rows = try TestTables.csv("acro_test_data_year_x_grant_type_weighted.csv")
        let rules = try TestTables.rules()
        let data = rows.filter { Int($0[0]) != nil }
        #expect(data.count == 6)
        for row in data {
            #expect(Double(row[8]) == 10)  // weighted R/G
            #expect(Int(row[4]) == 8)  // unweighted R/G
            let cell = CellEvidence(units: Int(row[4])!, value: Double(row[8])!)
            #expect(rules.assess(cell).status == .primary("threshold"))
            #expect(!rules.failsThreshold(units: Int(Double(row[8])!)))  // a weighted rule would pass it
        }
    }

    /// year × grant_type from ACRO's test_data (charity-year rows; the unit is the charity).
    static func acroCells() throws -> (years: [String], types: [String], cells: [[String]: [Contribution]]) {
        let rows = try TestTables.csv("test_data_core.csv")
        let header = rows[0]
        let charity = header.firstIndex(of: "charity")!, type = header.firstIndex(of: "grant_type")!
        let year = header.firstIndex(of: "year")!, grants = header.firstIndex(of: "inc_grants")!
        var cells: [[String]: [Contribution]] = [:]
        for row in rows.dropFirst() where row.count == header.count {
            let key = [row[year], row[type]]
            // Missing values are counted as units but contribute nothing to the magnitude.
            cells[key, default: []].append(Contribution(unit: row[charity], value: Double(row[grants]) ?? 0))
        }
        return (["2010", "2011", "2012", "2013", "2014", "2015"], ["G", "N", "R", "R/G"], cells)
    }

    @Test func acroThresholdMask() throws {
        // acro-threshold-1: R/G column (8 per year) fails, positions [[0,3]…[5,3]].
        let (years, types, cells) = try Self.acroCells()
        let rules = try TestTables.rules()
        var mask: [[Int]] = []
        for (r, y) in years.enumerated() {
            for (c, t) in types.enumerated() where rules.failsThreshold(units: CellEvidence.aggregate(cells[[y, t]]!).units) {
                mask.append([r, c])
            }
        }
        #expect(mask == (0..<6).map { [$0, 3] })
        #expect(CellEvidence.aggregate(cells[["2010", "N"]]!).units == 59)
    }

    @Test func acroDominanceMask() throws {
        // acro-dominance-mean: NK [[0,3]], p% [[0,1],[0,3]]. ACRO fails the all-zero 2010/N cell under p%;
        // here it is sent to review as zero-magnitude instead (p% is undefined when x1 = 0).
        let (years, types, cells) = try Self.acroCells()
        let rules = try TestTables.rules()
        var nk: [[Int]] = [], p: [[Int]] = [], zero: [[Int]] = []
        for (r, y) in years.enumerated() {
            for (c, t) in types.enumerated() {
                let e = CellEvidence.aggregate(cells[[y, t]]!)
                if rules.failsNK(top: e.topContributions, total: e.value) { nk.append([r, c]) }
                if rules.failsPPercent(top: e.topContributions, total: e.value) { p.append([r, c]) }
                if rules.assess(e).status == .review("zero-magnitude") { zero.append([r, c]) }
            }
        }
        #expect(nk == [[0, 3]])
        #expect(p == [[0, 3]])
        #expect(zero == [[0, 1]])
        let rg = CellEvidence.aggregate(cells[["2010", "R/G"]]!)
        #expect(rg.value == 46_544_000)
        #expect(rg.topContributions.prefix(2) == [36_645_000, 8_073_000])
    }

    @Test func residualDegreesOfFreedom() throws {
        // acro-dof: OLS on all 811 rows has df_resid 807 (pass); on the first 10 rows 6 (fail).
        let rules = try TestTables.rules()
        #expect(!rules.failsDegreesOfFreedom(residual: 807))
        #expect(rules.failsDegreesOfFreedom(residual: 6))
        #expect(!rules.failsDegreesOfFreedom(residual: 10) && rules.failsDegreesOfFreedom(residual: 9))
    }

    @Test func thresholdAppliesToNumeratorAndDenominator() throws {
        let rules = try TestTables.rules()
        #expect(rules.failsThreshold(numeratorUnits: 4, denominatorUnits: 200))
        #expect(rules.failsThreshold(numeratorUnits: 40, denominatorUnits: 9))
        #expect(!rules.failsThreshold(numeratorUnits: 10, denominatorUnits: 10))
    }

    @Test func zerosNeedReviewUnlessStructural() throws {
        let rules = try TestTables.rules()
        #expect(rules.assess(CellEvidence(units: 0, value: 0)).status == .review("zero"))
        #expect(rules.assess(CellEvidence(units: 0, value: 0), structuralZero: true).status == .safe)
    }

    @Test func userRulesOverrideDefaults() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sdc-rules-\(UUID().uuidString).json")
        try Data(#"{"threshold": 5, "nkStrict": false}"#.utf8).write(to: dir)
        let rules = try DisclosureRules.load(
            defaults: Fixtures.codebook("disclosure/default-rules.json"), overrides: dir)
        #expect(rules.threshold == 5)
        #expect(!rules.nkStrict)
        #expect(rules.pPercent == 10)
        try Data(#"{"treshold": 5}"#.utf8).write(to: dir)
        #expect(throws: DisclosureError.self) {
            try DisclosureRules.load(defaults: Fixtures.codebook("disclosure/default-rules.json"), overrides: dir)
        }
    }
}
