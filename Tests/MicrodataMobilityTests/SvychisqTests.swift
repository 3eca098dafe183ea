import MicrodataWeighting
import Foundation
import MicrodataReaders
import MicrodataTestSupport
import Testing

@testable import MicrodataMobility

/// R `svychisq(~stype + sch.wide, dclus1)` (oracle cases X03 and X03b): the Rao–Scott tests on a 3 × 2 table,
/// origin = school type (E, H, M), destination = whole-school target met (No, Yes); the third destination
/// class stays empty and the test uses the classes that occur.
struct SvychisqTests {
    /// `expected.csv` values keyed by "case|term".
    static let oracle: [String: Double] = {
        let records = try! DelimitedRecords(contentsOf: Fixtures.url("rsurvey/expected.csv")).records
        var out: [String: Double] = [:]
        for r in records.dropFirst() where r.fields[0].hasPrefix("X03") { out["\(r.fields[0])|\(r.fields[3])"] = Double(r.fields[4]) }
        return out
    }()

    /// Cell totals of stype × sch.wide under dclus1 (3 × 3 classes; the third destination stays empty).
    static func cellTotals() throws -> CellTotals {
        let origins = ["E", "H", "M"], destinations = ["No", "Yes"]
        return try DClus1CellTotals.make(classCount: 3, groupCount: 1) { field in
            origins.firstIndex(of: field("stype"))! * 3 + destinations.firstIndex(of: field("sch.wide"))!
        }
    }

    static func expectClose(_ actual: Double, _ key: String, relative: Double = 1e-8,
                            sourceLocation: SourceLocation = #_sourceLocation) {
        guard let expected = oracle[key] else {
            Issue.record("oracle has no \(key)", sourceLocation: sourceLocation)
            return
        }
        #expect(abs(actual - expected) <= relative * abs(expected), "\(key): got \(actual), expected \(expected)",
                sourceLocation: sourceLocation)
    }

    @Test func secondOrderFMatchesSvychisqF() throws {
        let test = try #require(try Self.cellTotals().raoScottTest(group: 0))
        Self.expectClose(test.f, "X03|F")
        Self.expectClose(test.numeratorDF, "X03|ndf")
        Self.expectClose(test.denominatorDF, "X03|ddf")
        Self.expectClose(test.pValue, "X03|p.X-squared")
    }

    @Test func firstOrderChisqReportsPearsonAndAdjustedPValue() throws {
        let test = try #require(try Self.cellTotals().raoScottTest(group: 0))
        // R keeps the unadjusted X² as the statistic and refers X² / mean(δ) to χ² on (3 − 1)(2 − 1) df.
        Self.expectClose(test.pearson, "X03b|X2")
        #expect(test.chiSquareDF == 2)
        Self.expectClose(test.chiSquarePValue, "X03b|p.X-squared")
    }
}
