import Foundation
import MicrodataCodebook
import MicrodataReaders
import Testing

/// `extract`'s rows are formatted by MicrodataReaders' `DelimitedRowWriter` (issue 22), not by the CLI.
@Suite struct DelimitedRowWriterTests {
    static let batch = Batch(columns: [
        Column(name: "id", storage: .text(["a,1", "b\"2", nil])),
        Column(name: "sex", storage: .integer([1, 2, 0], missing: [false, false, true])),
        Column(name: "w", storage: .real([1.5, 2, .nan])),
        Column(name: "note", storage: .text(["line\nbreak", "tab\there", "x"])),
    ], rowCount: 3)

    static func written(_ format: DelimitedRowWriter.Format, labels: Codebook? = nil) -> String {
        var writer = DelimitedRowWriter(format: format, labels: labels)
        var out: [UInt8] = []
        writer.header(batch.columns.map(\.name), into: &out)
        writer.rows(batch, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    @Test func csvQuotesTSVFlattensAndJSONLinesWritesNull() {
        #expect(Self.written(.csv) == "id,sex,w,note\n\"a,1\",1,1.5,\"line\nbreak\"\n\"b\"\"2\",2,2,tab\there\n,,,x\n")
        #expect(Self.written(.tsv) == "id\tsex\tw\tnote\na,1\t1\t1.5\tline break\nb\"2\t2\t2\ttab here\n\t\t\tx\n")
        #expect(Self.written(.jsonl) == """
            {"id":"a,1","sex":1,"w":1.5,"note":"line\\nbreak"}
            {"id":"b\\"2","sex":2,"w":2,"note":"tab\\there"}
            {"id":null,"sex":null,"w":null,"note":"x"}

            """)
    }

    @Test func labelsReplaceCodesByTheirCanonicalNumber() {
        let book = Codebook(variables: [
            Variable(name: "sex", categories: [Category(value: "01", label: "Male"), Category(value: "2", label: "Female, adult")]),
        ])
        #expect(Self.written(.csv, labels: book) == "id,sex,w,note\n\"a,1\",Male,1.5,\"line\nbreak\"\n\"b\"\"2\",\"Female, adult\",2,tab\there\n,,,x\n")
    }
}
