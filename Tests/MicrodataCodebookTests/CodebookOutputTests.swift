import Foundation
import MicrodataTestSupport
import Testing

@testable import MicrodataCodebook

/// `inspect`'s text summary and JSON document are built by MicrodataCodebook (issue 22).
@Suite struct CodebookOutputTests {
    static func book() throws -> Codebook { try DDIParser().parse(contentsOf: Fixtures.url("ddi/ipumsr/cps_00157.xml")) }

    @Test func summaryHasTheStudyAndOneLinePerVariable() throws {
        let book = try Self.book()
        let warning = MetadataWarning(kind: "duplicateName", variable: "YEAR", message: "YEAR is defined twice")
        let lines = CodebookSummary.text(book, variables: book.variables, warnings: [warning], codeLists: [])
            .split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines[0] == "Study:     User Extract cps_00157.dat")
        #expect(lines.contains("Variables: 8 (weights: ASECWTH, ASECWT)"))
        #expect(lines.contains("ASECWTH   12-22       num d4 0c    W Annual Social and Economic Supplement Household weight"))
        #expect(lines.contains("MONTH     10-11       num d0 12c     Month"))
        #expect(lines.suffix(2) == ["warning: YEAR is defined twice", ""])
    }

    @Test func summaryLeavesOutAMissingCodeItsRangeCovers() {
        var v = Variable(name: "AGE", type: .numeric)
        v.missingValues = MissingValues(values: ["-9", "99"], ranges: [ValueRange(min: -9, max: -1)])
        #expect(CodebookSummary.displayedMissing(v) == ["99", "-9..-1"])
    }

    @Test func jsonDocumentIsValidWithNumbersAsNumbersAndAbsentAsNull() throws {
        let book = try Self.book()
        var writer = CodebookJSONWriter()
        writer.write(book, variables: book.variables.filter { $0.name == "ASECWTH" }, warnings: [], codeLists: [])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(writer.bytes)) as? [String: Any])
        let variable = try #require((object["variables"] as? [[String: Any]])?.first)
        #expect(variable["name"] as? String == "ASECWTH")
        #expect(variable["start"] as? Int == 12 && variable["end"] as? Int == 22 && variable["decimals"] as? Int == 4)
        #expect(variable["isWeight"] as? Bool == true)
        #expect(variable["interval"] is NSNull || variable["interval"] is String)
        #expect((object["study"] as? [String: Any])?["idNumber"] is NSNull)
        #expect(writer.bytes.last == 0x0A)
    }
}
