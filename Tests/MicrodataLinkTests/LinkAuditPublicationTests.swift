import Foundation
import MicrodataWrite
import Testing

@testable import MicrodataLink

/// The link audit as a publication (issue 22): the same counts in every writer, stamped as not controlled.
@Suite struct LinkAuditPublicationTests {
    static func audit() -> LinkAudit {
        var step = LinkAudit.Step(with: "age42.csv", keys: ["BCSID"], rightKeys: ["BCSID"], how: .left)
        step.left = LinkAudit.Side(rows: 2000, matched: 1212, unmatched: 788, duplicateKeys: 0, missingKeys: 3)
        step.right = LinkAudit.Side(rows: 1213, matched: 1213, unmatched: 0, duplicateKeys: 1, missingKeys: 0)
        step.outputRows = 2000
        step.matchRateBy = ["FNSSEC3": [
            LinkAudit.Level(level: "1", rows: 528, matched: 383, rate: 383.0 / 528),
            LinkAudit.Level(level: "2", rows: 428, matched: 279, rate: 279.0 / 428),
        ]]
        step.renamed = ["REGION": "REGION_age42"]
        return LinkAudit(steps: [step])
    }

    @Test func stepsAndMatchRatesAreTablesWithTheAuditsCounts() throws {
        let publication = Self.audit().publication(source: "birth.csv", version: "test")
        #expect(publication.uncheckedStamp == LinkAudit.stamp)
        #expect(publication.tables.map(\.id) == ["steps", "match-rates"])
        let steps = try #require(publication.tables[0].records)
        #expect(steps.value(0, "left_matched") == .number(1212))
        #expect(steps.value(0, "left_missing_keys") == .number(3))
        #expect(steps.value(0, "right_duplicate_keys") == .number(1))
        #expect(steps.value(0, "output_rows") == .number(2000))
        let rates = try #require(publication.tables[1].records)
        #expect(rates.rows.count == 3, "overall, then each level")
        #expect(rates.value(0, "rate") == .number(0.606))
        #expect(rates.value(1, "level") == .text("1") && rates.value(1, "matched") == .number(383))
        #expect(rates.value(1, "flag") == .text("differs by more than 5 points"), "72.5% vs 60.6%")
        #expect(rates.value(2, "flag") == .missing, "65.2% vs 60.6%")
        #expect(publication.tables[1].rows[1].cells[0].estimate == 100 * 383.0 / 528)
        #expect(publication.notes == ["Step 1 (age42.csv): right column REGION is written as REGION_age42 (the name is taken)."])
    }

    @Test func everyTextWriterShowsTheSameCounts() throws {
        let publication = Self.audit().publication(source: "birth.csv", version: "test")
        let csv = publication.csv().split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let header = csv[0]
        let first = Dictionary(uniqueKeysWithValues: zip(header, csv[1]))
        #expect(first["table"] == "steps" && first["left_matched"] == "1212" && first["controlled"] == "no")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(try publication.json().utf8)) as? [String: Any])
        #expect(json["controlled"] as? Bool == false && json["stamp"] as? String == LinkAudit.stamp)
        let rows = try #require(json["rows"] as? [[String: Any]])
        #expect(rows[0]["left_matched"] as? Int == 1212 && rows[2]["matched"] as? Int == 383)
        let text = publication.text(), markdown = publication.markdown(), html = publication.html()
        #expect(text.contains(LinkAudit.stamp) && markdown.contains(LinkAudit.stamp) && html.contains(LinkAudit.stamp))
        #expect(text.contains("1212") && markdown.contains("| 1212 |") && html.contains("<td>1212</td>"))
        #expect(markdown.contains("| 528 | 383 |"))
    }
}
