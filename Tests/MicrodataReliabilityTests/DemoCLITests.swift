import Foundation
import MicrodataTestSupport
import Testing

/// `microdata demo`, the README's first command: it builds its mobility run in code, without parsed options.
@Suite(.timeLimit(.minutes(3))) struct DemoCLITests {
    @Test func demoRunsTheMainJobAndWritesEveryFormat() throws {
        let folder = try Fixtures.temporaryDirectory().appendingPathComponent("demo")
        let r = try CLIFailureTests.run(["demo", "--output-dir", folder.path])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("Wrote CSV, JSON, Markdown, XLSX and HTML"))
        #expect(r.stderr.contains("100000 rows read, 63696 with both classes"))
        for ext in ["csv", "json", "md", "xlsx", "html"] {
            #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("mobility.\(ext)").path), "\(ext)")
        }
        let reader = try IndependentXLSXReader.check([folder.appendingPathComponent("mobility.xlsx")])
        #expect(reader.status == 0, "openpyxl: \(reader.problems)")
    }
}
