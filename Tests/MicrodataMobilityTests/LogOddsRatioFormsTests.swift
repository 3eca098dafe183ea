import Foundation
import MicrodataDisclosure
import MicrodataReaders
import MicrodataTestSupport
import MicrodataWeighting
import MicrodataWrite
import Testing

@testable import MicrodataMobility

/// Every log odds ratio of a mobility table, its local and reference-cell forms named, a 2 × 2 table included,
/// against R survey 4.1.1 (svycontrast of log(N_aA N_bB / (N_aB N_bA)) on svytotal of the cells under dclus1;
/// Fixtures/rsurvey/mobility_odds.R, see PROVENANCE.txt).
struct LogOddsRatioFormsTests {
    struct Expected { var form: String, a: Int, b: Int, x: Int, y: Int, estimate: Double, se: Double }

    static let expected: [String: [Expected]] = {
        let records = try! DelimitedRecords(contentsOf: Fixtures.url("rsurvey/mobility_odds_expected.csv")).records
        var out: [String: [Expected]] = [:]
        for r in records.dropFirst() {
            let f = r.fields
            // R codes classes 1..K; the table indexes them from 0.
            out[f[0], default: []].append(Expected(
                form: f[1], a: Int(f[2])! - 1, b: Int(f[3])! - 1, x: Int(f[4])! - 1, y: Int(f[5])! - 1,
                estimate: Double(f[6])!, se: Double(f[7])!))
        }
        return out
    }()

    /// sch.wide (Yes = class 1) by meals ≤ 50 (class 1): a 2 × 2 table; stype (E, M, H) by meals banded at 30
    /// and 60: a 3 × 3 table.
    static func table(_ k: Int) throws -> MobilityTable {
        let cells = try DClus1CellTotals.make(classCount: k, groupCount: 1) { field in
            let meals = Double(field("meals"))!
            if k == 2 { return (field("sch.wide") == "Yes" ? 0 : 1) * 2 + (meals <= 50 ? 0 : 1) }
            let o = ["E", "M", "H"].firstIndex(of: field("stype"))!
            return o * 3 + (meals <= 30 ? 0 : meals <= 60 ? 1 : 2)
        }
        return cells.mobilityResults(classes: (1...k).map(String.init), groups: [""]).tables[0]
    }

    func check(_ id: String, _ k: Int) throws {
        let table = try Self.table(k)
        let cases = try #require(Self.expected[id])
        for e in cases {
            let or = try #require(table.logOddsRatios.first {
                $0.originA == e.a && $0.originB == e.b && $0.destinationA == e.x && $0.destinationB == e.y
            })
            let v = try #require(or.logOddsRatio)
            #expect(abs(v.estimate - e.estimate) <= 1e-8 * abs(e.estimate), "\(id) \(e)")
            #expect(abs(v.standardError - e.se) <= 1e-8 * e.se, "\(id) \(e)")
            // A ratio can be both (in a 3 × 3 table, classes 2 vs 3 by 2 vs 3).
            if e.form.contains("local") { #expect(or.isLocal, "\(e)") }
            if e.form.contains("reference") { #expect(or.isReferenceCell(classCount: k), "\(e)") }
        }
        #expect(!(table.logOddsRatios.first { $0.originA == 0 && $0.originB == 2 && $0.destinationA == 0 && $0.destinationB == 1 }?
            .isLocal ?? false), "classes 1 vs 3 are not adjacent")
        #expect(table.logOddsRatios.count == (k * (k - 1) / 2) * (k * (k - 1) / 2), "every pair")
    }

    @Test func theOneLogOddsRatioOfA2x2TableIsLocalAndReferenceCell() throws { try check("OR2", 2) }

    @Test func localAndReferenceCellLogOddsRatiosOfA3x3TableMatchR() throws { try check("OR3", 3) }

    @Test func everyFormIsPublishedAndA2x2TableHasItsRatio() throws {
        let rules = try DisclosureRules.load(defaults: DisclosureRules.defaultRulesURL())
        for k in [2, 3] {
            let cells = try DClus1CellTotals.make(classCount: k, groupCount: 1) { field in
                let meals = Double(field("meals"))!
                if k == 2 { return (field("sch.wide") == "Yes" ? 0 : 1) * 2 + (meals <= 50 ? 0 : 1) }
                return ["E", "M", "H"].firstIndex(of: field("stype"))! * 3 + (meals <= 30 ? 0 : meals <= 60 ? 1 : 2)
            }
            let classes = ClassScheme(name: "test", classes: (1...k).map { .init(code: "\($0)", label: "class \($0)", tier: $0) })
            let results = cells.mobilityResults(classes: classes.classes.map(\.code), groups: [""])
            let publication = MobilityPublication(
                results: results, classes: classes, protection: nil, rules: rules, title: "t", source: "s").publication()
            let ids = Set(publication.tables.map(\.id))
            #expect(ids.contains("odds"), "\(k): \(ids)")
            #expect(ids.contains("odds-reference") == (k > 2) && ids.contains("odds-all") == (k > 2), "\(k): \(ids)")
            let local = try #require(publication.tables.first { $0.id == "odds" })
            #expect(local.rows.count == k - 1 && local.rows[0].cells[0].estimate != nil)
            if k == 3 {
                let all = try #require(publication.tables.first { $0.id == "odds-all" })
                #expect(all.rows.count == 9)
                let reference = try #require(publication.tables.first { $0.id == "odds-reference" })
                let e = try #require(Self.expected["OR3"]?.first { $0.form == "reference" && $0.a == 0 && $0.x == 1 })
                let v = try #require(reference.rows[0].cells[1].estimate)
                #expect(abs(v - e.estimate) <= 1e-8 * abs(e.estimate))
            }
        }
    }
}
