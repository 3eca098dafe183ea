import Foundation
import MicrodataTestSupport
import MicrodataWeighting
import Testing
@testable import MicrodataDisclosure

/// The quality layer against the oracle cases nomis-aps-flags and ons-cv-quality-bands
/// (Fixtures/sdc/oracles-quality.json): every label, its range, its legend text, and the ONS handling of
/// CV > 20% (not published; written `[u]` because `x` means disclosive here, where ONS writes `..`).
struct QualityOracleTests {
    static func expected(_ id: String) throws -> [String: String] {
        let data = try Data(contentsOf: Fixtures.url("sdc/oracles-quality.json"))
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let cases = try #require(object["cases"] as? [[String: Any]])
        return try #require(cases.first { $0["id"] as? String == id }?["expected"] as? [String: String])
    }

    @Test func nomisLegendIsTheOracleText() throws {
        let oracle = try Self.expected("nomis-aps-flags")
        let rules = try TestTables.rules()
        #expect(oracle.count == 4)
        for (flag, text) in oracle { #expect(rules.qualityLegend[flag] == text, "flag \(flag)") }
        #expect(Set(oracle.keys) == Set([NomisFlag.disclosive, .unreliable, .smallEstimate, .missing].map(\.rawValue)))
    }

    @Test func nomisFlagsCoverTheirRanges() throws {
        let rules = try TestTables.rules()
        // ! 0–2 and * 3–9 respondents, whatever the estimate.
        for n in 0...2 { #expect(rules.nomisFlag(estimate: 5000, sampleSize: n, isCount: true) == .disclosive) }
        for n in 3...9 { #expect(rules.nomisFlag(estimate: 5000, sampleSize: n, isCount: true) == .unreliable) }
        // ~ a count estimate below 500; not at 500, not for a rate or mean.
        #expect(rules.nomisFlag(estimate: 499.5, sampleSize: 40, isCount: true) == .smallEstimate)
        #expect(rules.nomisFlag(estimate: 500, sampleSize: 40, isCount: true) == NomisFlag.none)
        #expect(rules.nomisFlag(estimate: 12.5, sampleSize: 40, isCount: false) == NomisFlag.none)
        // - the figure is missing, before anything else.
        #expect(rules.nomisFlag(estimate: nil, sampleSize: 1, isCount: true) == .missing)
        #expect(rules.nomisFlag(estimate: .nan, sampleSize: 40, isCount: false) == .missing)
        // One flag per observation: the sample-size flags come before ~.
        #expect(rules.nomisFlag(estimate: 300, sampleSize: 5, isCount: true) == .unreliable)
        #expect(rules.nomisSmallEstimateBelow == 500)
    }

    @Test func onsBandsAndLegendAreTheOracles() throws {
        let oracle = try Self.expected("ons-cv-quality-bands")
        let rules = try TestTables.rules()
        // Each band's range, at and just past its inclusive upper limit.
        let cases: [(String, [Double], CVBand)] = [
            ("CV <= 5%", [0, 0.03, 0.05], .precise),
            ("5% < CV <= 10%", [0.0501, 0.10], .reasonablyPrecise),
            ("10% < CV <= 20%", [0.1001, 0.20], .acceptable),
            ("CV > 20%", [0.2001, 0.5, 3], .unreliable),
        ]
        for (range, cvs, band) in cases {
            let label = try #require(oracle[range])
            #expect(label.hasPrefix(band == .unreliable ? "unreliable for practical purposes" : band.rawValue), "\(range)")
            for cv in cvs { #expect(rules.cvBand(cv) == band, "CV \(cv) is \(range)") }
            #expect(rules.qualityLegend[band.rawValue]?.contains(range) == true, "legend of \(band.rawValue)")
        }
        // CV > 20%: ONS suppresses ('x'). Quality stays apart from disclosure, so by default we flag it ([u]
        // and the band) and publish; `suppress` withholds it as ONS does.
        #expect(oracle["CV > 20%"]?.contains("suppressed") == true)
        #expect(rules.unreliableEstimates == "flag" && rules.unreliableMarker == "[u]")
        #expect(!rules.quality(estimate: 100, standardError: 25, sampleSize: 40).withheld)
        var ons = rules
        ons.unreliableEstimates = "suppress"
        #expect(ons.quality(estimate: 100, standardError: 25, sampleSize: 40).withheld)
        #expect(!ons.quality(estimate: 100, standardError: 20, sampleSize: 40).withheld)
        // '..' (disclosive, suppressed) is our disclosure marker, GSS's [c] (confidential).
        let disclosive = try #require(oracle[".."])
        #expect(disclosive.hasPrefix("disclosive"))
        #expect(CheckedTable.marker == "[c]")
        #expect(rules.qualityLegend[CheckedTable.marker]?.contains("suppressed for disclosure control") == true)
        #expect(rules.unreliableMarker != CheckedTable.marker)
    }

    /// A one-way table of weighted counts with standard errors: A precise, B small (~), C unreliable,
    /// D below the threshold (suppressed, x) with E as its secondary.
    static func table() throws -> (ProtectionTable, [Int: Double]) {
        let codes = ["A", "B", "C", "D", "E"]
        let evidence: [(Int, Double)] = [(120, 5000), (40, 450), (60, 2000), (6, 300), (30, 2500)]
        var given: [[String]: (evidence: CellEvidence, line: Int)] = [:]
        for (code, (n, v)) in zip(codes, evidence) { given[[code]] = (CellEvidence(units: n, value: v), 0) }
        let table = try ProtectionTable.grid(
            dimensions: [TableDimension(name: "region", codes: codes, total: "Total")], given: given)
        return (table, [0: 150, 1: 40, 2: 600, 3: 90, 4: 200])
    }

    @Test func protectedTableWithholdsUnreliableEstimatesAndFlagsSmallCounts() throws {
        let (table, se) = try Self.table()
        let checked = try DisclosureControl(rules: try TestTables.rules { $0.unreliableEstimates = "suppress" }).protect(
            table, hasMagnitude: true, standardErrors: se, valueIsCount: true)
        #expect(checked.header == ["region", "count", "value", "cv_band", "nomis", "status"])
        #expect(checked.rows[0] == ["A", "120", "5000", "precise", "", "safe"])
        #expect(checked.rows[1] == ["B", "40", "450", "reasonably precise", "~", "safe"])  // CV 8.9%, below 500
        #expect(checked.rows[2] == ["C", "60", "[u]", "unreliable", "", "safe"])  // CV 30%: not published
        #expect(checked.rows[3][1...2] == ["[c]", "[c]"] && checked.rows[3][5] == "primary:threshold")
        #expect(checked.rows[4] == ["E", "[c]", "[c]", "", "", "secondary"])
        #expect(checked.audit?.passed == true)
        // With "flag" (the default) the unreliable estimate is published and only the band says so.
        let flagged = try DisclosureControl(rules: try TestTables.rules()).protect(
            table, hasMagnitude: true, standardErrors: se, valueIsCount: true)
        #expect(flagged.rows[2] == ["C", "60", "2000", "unreliable", "", "safe"])
    }

    @Test func resultTableWithholdsUnreliableEstimatesAndFlagsLevels() throws {
        let result = EstimateTable(
            byVariables: ["region"],
            cells: [
                CellEstimate(
                    byValues: ["North"], statistic: "total", variable: "employed", level: "yes", estimate: 420,
                    standardError: 40, ciLow: 340, ciHigh: 500, degreesOfFreedom: 30, unweightedCount: 25,
                    weightedCount: 900),
                CellEstimate(
                    byValues: ["North"], statistic: "mean", variable: "income", estimate: 400, standardError: 100,
                    ciLow: 200, ciHigh: 600, degreesOfFreedom: 30, unweightedCount: 25, weightedCount: 900),
                CellEstimate(
                    byValues: ["South"], statistic: "mean", variable: "income", estimate: .nan, standardError: .nan,
                    ciLow: .nan, ciHigh: .nan, degreesOfFreedom: 30, unweightedCount: 20, weightedCount: 700),
            ])
        let checked = try DisclosureControl(rules: try TestTables.rules { $0.unreliableEstimates = "suppress" })
            .check(result)
        // A level total of 420 people: ~ (below 500), CV 9.5% reasonably precise.
        #expect(checked.rows[0].suffix(3) == ["reasonably precise", "~", "safe"])
        // A mean with CV 25%: estimate, se and interval withheld as [u]; n stays.
        #expect(checked.rows[1][4...7].allSatisfy { $0 == "[u]" })
        #expect(checked.rows[1].suffix(3) == ["unreliable", "", "safe"])
        // A missing figure: Nomis '-'.
        #expect(checked.rows[2].suffix(3) == ["", "-", "safe"])
    }
}
