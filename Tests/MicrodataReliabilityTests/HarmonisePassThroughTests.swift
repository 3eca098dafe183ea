import Foundation
import MicrodataTestSupport
import Testing

/// Issue 24 item 9: `harmonise` writes the columns it does not derive exactly as read.
@Suite(.timeLimit(.minutes(2))) struct HarmonisePassThroughTests {
    static let input = """
        id,isco,code,price,big,SOC,w,note
        0001,0110,007,1.50,1e3,1115,1.50,NA
        0002,0310,010,2.00,2E-2,2134,0.5,"a,b"
        0003,1111,000,-0.0,1.0e3,,2,
        10000,2100,99,0.25,12345678901234567890,1115,1e0,x

        """

    @Test func passThroughColumnsAreWrittenByteForByte() throws {
        let url = try Fixtures.temporaryDirectory().appendingPathComponent("pass.csv")
        try Data(Self.input.utf8).write(to: url)
        let r = try CLIFailureTests.run(["harmonise", "--data", url.path, "--map", "SOC:SOC2010>SOC2020:modal", "--weight", "w"])
        #expect(r.status == 0, "\(r.stderr)")
        let inLines = Self.input.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let outLines = r.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(outLines.count == inLines.count, "\(r.stdout)")
        // Each output line is the input line followed by the appended SOC2020 column.
        for (i, o) in zip(inLines, outLines) where !i.isEmpty {
            #expect(o.hasPrefix(i + ","), "\(o) does not start with \(i)")
        }
        #expect(outLines.first == inLines.first! + ",SOC_SOC2020")
    }
}
