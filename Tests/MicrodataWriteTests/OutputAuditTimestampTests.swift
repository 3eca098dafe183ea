import Foundation
import Testing

@testable import MicrodataWrite

@Suite struct OutputAuditTimestampTests {
    @Test func timestampIsWhatISO8601DateFormatterWrites() {
        let reference = ISO8601DateFormatter()
        reference.formatOptions = [.withInternetDateTime]
        // Epoch, single-digit fields, a leap day, the last second of a year, fractions of a second, and 2100.
        let seconds: [Double] = [0, 1_000_000_000.75, 951_782_400, 1_767_225_599.999, 1_796_432_523, 4_107_542_400]
        for s in seconds {
            let date = Date(timeIntervalSince1970: s)
            #expect(OutputAudit.timestamp(date) == reference.string(from: date), "\(s)")
        }
        #expect(OutputAudit.timestamp(Date(timeIntervalSince1970: 951_782_400)) == "2000-02-29T00:00:00Z")
    }
}
