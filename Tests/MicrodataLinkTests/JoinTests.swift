import Foundation
import MicrodataCodebook
import MicrodataReaders
import MicrodataTestSupport
import Testing

@testable import MicrodataLink

/// Joins of the synthetic examples (Codebooks/examples/linking) against R merge()/aggregate():
/// Fixtures/link/link_oracle.R writes link_expected.csv (see Fixtures/link/PROVENANCE.txt).
struct JoinTests {
    static let expected: [String: Double] = {
        let records = try! DelimitedRecords(contentsOf: Fixtures.url("link/link_expected.csv")).records
        return Dictionary(uniqueKeysWithValues: records.dropFirst().map { ($0.fields[0], Double($0.fields[1])!) })
    }()

    static func open(_ name: String, batchSize: Int = 300) throws -> any BatchSource {
        let url = Fixtures.codebook("examples/linking/\(name).csv")
        let book = try DDIParser().parse(contentsOf: Fixtures.codebook("examples/linking/\(name).xml"))
        return try DataReader.open(data: url, codebook: book, options: ReadOptions(batchSize: batchSize))
    }

    /// Every row of `source`, with the audit of its joins.
    static func run(_ source: any BatchSource) throws -> (columns: [Column], rows: Int, audit: LinkAudit) {
        var s = source
        var columns: [Column] = []
        var rows = 0
        while let b = try s.nextBatch() {
            columns = columns.isEmpty ? b.columns : zip(columns, b.columns).map { $0.appending($1) }
            rows += b.rowCount
        }
        return (columns, rows, Linker.audit(of: s))
    }

    func sum(_ columns: [Column], _ name: String) -> Double {
        columns.first { $0.name == name }!.doubles.filter { !$0.isNaN }.reduce(0, +)
    }

    func missing(_ columns: [Column], _ name: String) -> Int {
        columns.first { $0.name == name }!.doubles.filter(\.isNaN).count
    }

    func e(_ name: String) -> Double { Self.expected[name]! }

    @Test func chainOfThreeSweepsCountsMatchesAndRatesAsRMerge() throws {
        let chained = try Linker.chain(
            left: try Self.open("bcs70_birth"),
            steps: [
                (LinkStep(path: "bcs70_age10.csv", keys: ["BCSID"]), try Self.open("bcs70_age10")),
                (LinkStep(path: "bcs70_age42.csv", keys: ["BCSID"], duplicates: .first), try Self.open("bcs70_age42")),
            ], auditBy: ["FNSSEC3"])
        let (columns, rows, audit) = try Self.run(chained)
        #expect(Double(rows) == e("chain.rows"))
        #expect(Double(audit.steps[0].left.matched) == e("chain.step1.matched"))
        #expect(Double(audit.steps[1].left.matched) == e("chain.step2.matched"))
        #expect(Double(audit.steps[1].right.duplicateKeys) == e("chain.step2.right.duplicateKeys"))
        #expect(audit.steps[1].renamed == ["REGION": "REGION_bcs70_age42"])
        #expect(sum(columns, "B9GROSPAY") == e("chain.sum.B9GROSPAY"))
        #expect(sum(columns, "REGION_bcs70_age42") == e("chain.sum.REGION_bcs70_age42"))
        let rates = audit.steps[1].matchRateBy["FNSSEC3"]!
        for k in 1...3 {
            let level = rates.first { $0.level == String(k) }!
            #expect(abs(level.rate - e("chain.step2.rate.FNSSEC3.\(k)")) < 1e-12)
        }
        #expect(audit.steps[0].matchRateBy["FNSSEC3"] == nil, "FNSSEC3 comes in with the first join")
        // Origins 1 and 3 are more than 5 points from the overall rate (60.6%): flagged.
        let flags = audit.summary().filter { $0.contains("flag:") }
        #expect(flags.count == 2)
        #expect(flags.allSatisfy { $0.contains("FNSSEC3 = 1") || $0.contains("FNSSEC3 = 3") })
        // String ids keep their zeros in the output.
        #expect(columns[0].text(at: 0) == "B00001")
    }

    @Test func innerAndFullJoinsGiveRsRowCounts() throws {
        for (how, name) in [(JoinKind.inner, "inner.rows"), (.full, "full.rows")] {
            let s = try JoinSource(
                left: try Self.open("bcs70_birth"), right: try Self.open("bcs70_age10"),
                step: LinkStep(path: "bcs70_age10.csv", keys: ["BCSID"], how: how))
            #expect(Double(try Self.run(s).rows) == e(name), "\(how)")
        }
    }

    @Test func personsToHouseholdsIsManyToOne() throws {
        let s = try JoinSource(
            left: try Self.open("was_r8_person"), right: try Self.open("was_r8_household"),
            step: LinkStep(path: "was_r8_household.csv", keys: ["CASER8"]))
        let (columns, rows, audit) = try Self.run(s)
        #expect(Double(rows) == e("persons.rows"))
        #expect(Double(audit.steps[0].left.matched) == e("persons.matched"))
        #expect(audit.steps[0].left.unmatched == 2, "the two persons whose household is missing")
        #expect(Double(audit.steps[0].right.matched) == e("households.matched"))
        #expect(audit.steps[0].right.unmatched == 1, "the household with no persons")
        #expect(sum(columns, "TOTWLTHR8") == e("persons.sum.TOTWLTHR8"))
    }

    @Test func aggregatesCollapseOneToManyAndAreMissingOverNoRows() throws {
        let aggregates = try [
            "HRP_CLASS=first(NSSEC3R8) where ISHRPR8 == 1", "NPERS=count(PERSONR8)", "EARN=sum(DVGRSPAYR8)",
            "MEANAGE=mean(DVAGER8)", "OVER65=count(DVAGER8) where DVAGER8 >= 65", "TOPEARN=max(DVGRSPAYR8)",
        ].map { try Aggregate(parsing: $0) }
        let s = try JoinSource(
            left: try Self.open("was_r8_household"), right: try Self.open("was_r8_person"),
            step: LinkStep(path: "was_r8_person.csv", keys: ["CASER8"], aggregates: aggregates))
        let (columns, rows, _) = try Self.run(s)
        #expect(Double(rows) == e("agg.rows"))
        #expect(sum(columns, "HRP_CLASS") == e("agg.sum.HRP_CLASS"))
        #expect(Double(missing(columns, "HRP_CLASS")) == e("agg.missing.HRP_CLASS"))
        #expect(sum(columns, "NPERS") == e("agg.sum.NPERS"))
        #expect(Double(missing(columns, "NPERS")) == 0, "count over no rows is 0")
        #expect(sum(columns, "EARN") == e("agg.sum.EARN"))
        #expect(Double(missing(columns, "EARN")) == e("agg.missing.EARN"), "sum over no rows is missing")
        #expect(abs(sum(columns, "MEANAGE") - e("agg.sum.MEANAGE")) < 1e-8)
        #expect(sum(columns, "OVER65") == e("agg.sum.OVER65"))
        let first = columns[0].doubles.firstIndex(of: 80001)!
        #expect(columns.first { $0.name == "EARN" }!.doubles[first] == e("agg.max.EARN.case80001"))
    }
}
