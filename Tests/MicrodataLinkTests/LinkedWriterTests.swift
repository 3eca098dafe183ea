import Foundation
import MicrodataReaders
import MicrodataTestSupport
import Testing

@testable import MicrodataLink

/// The linked file in each output format.
struct LinkedWriterTests {
    static let batch = Batch(
        columns: [
            Column(name: "ID", storage: .text(["007", "a,\"b\""])),
            Column(name: "N", storage: .integer([3, 0], missing: [false, true])),
            Column(name: "X", storage: .real([1.5, 2])),
        ], rowCount: 2)

    func written(_ format: LinkedWriter.Format) throws -> String {
        let path = try Fixtures.temporaryDirectory().appendingPathComponent("out").path
        var w = try LinkedWriter(path: path, format: format)
        try w.write(Self.batch)
        try w.close()
        return try String(contentsOfFile: path, encoding: .utf8)
    }

    @Test func csvTsvAndJSONLinesWriteMissingValuesAndQuoteText() throws {
        #expect(try written(.csv) == "ID,N,X\n007,3,1.5\n\"a,\"\"b\"\"\",,2\n")
        #expect(try written(.tsv) == "ID\tN\tX\n007\t3\t1.5\na,\"b\"\t\t2\n")
        #expect(try written(.jsonl) == "{\"ID\":\"007\",\"N\":3,\"X\":1.5}\n{\"ID\":\"a,\\\"b\\\"\",\"N\":null,\"X\":2}\n")
    }
}
