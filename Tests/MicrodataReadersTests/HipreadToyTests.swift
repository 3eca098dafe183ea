import Foundation
import MicrodataCodebook
import MicrodataReaders
import MicrodataTestSupport
import Testing

/// hipread's own test files and the values its tests assert (docs/ddi.md §6.2).
@Suite struct HipreadToyTests {
    let basic = Fixtures.url("ddi/hipread/test-basic.dat")

    @Test func longShapeValues() throws {
        let r = try readAll(basic, hipreadCodebook())
        #expect(r.rowCount == 9)
        #expect(r.names == ["rt", "hhnum", "hh_char", "hh_dbl", "hh_impdbl", "pernum", "per_dbl", "per_mix"])
        #expect(r.texts("hhnum") == ["001", "001", "001", "001", "002", "002", "002", "003", "003"])
        #expect(r.texts("per_mix") == [nil, "x", "1", "1", nil, "d", "1", nil, "d"])
        #expect(r.doubles("hh_impdbl") == [1, nil, nil, nil, 4.5, nil, nil, 2.4, nil])
        #expect(r.doubles("hh_dbl") == [3.2, nil, nil, nil, 4.2, nil, nil, 1.4, nil])
        #expect(r.doubles("per_dbl") == [nil, 0.1, 1.1, 0.3, nil, 1.1, 3.3, nil, 3.3])
        #expect(r.texts("rt") == ["H", "P", "P", "P", "H", "P", "P", "H", "P"])
        #expect(r.recordTypes == ["H", "P", "P", "P", "H", "P", "P", "H", "P"])
        #expect(r.statistics.rowsByRecordType == ["H": 3, "P": 6])
    }

    @Test func gzipEqualsPlain() throws {
        let plain = try readAll(basic, hipreadCodebook())
        let gz = try readAll(Fixtures.url("ddi/hipread/test-basic.dat.gz"), hipreadCodebook())
        for name in plain.names { #expect(plain.texts(name) == gz.texts(name)) }
        #expect(gz.rowCount == 9)
    }

    @Test func chunksOfFour() throws {
        let r = try readAll(basic, hipreadCodebook(), ReadOptions(batchSize: 4))
        #expect(r.batchRowCounts == [4, 4, 1])
        #expect(r.texts("hhnum") == ["001", "001", "001", "001", "002", "002", "002", "003", "003"])
    }

    @Test func limitOfFour() throws {
        let r = try readAll(basic, hipreadCodebook(), ReadOptions(limit: 4))
        #expect(r.rowCount == 4)
        #expect(r.statistics.stoppedAtLimit)
        #expect(try readAll(basic, hipreadCodebook(), ReadOptions(limit: 0)).rowCount == 0)
    }

    @Test func skipDropsTheFirstLines() throws {
        let r = try readAll(basic, hipreadCodebook(), ReadOptions(skip: 2))
        #expect(r.rowCount == 7)
        #expect(r.texts("hhnum") == ["001", "001", "002", "002", "002", "003", "003"])
        #expect(r.texts("rt") == ["P", "P", "H", "P", "P", "H", "P"])
        #expect(r.statistics.skippedLeadingLines == 2)
        #expect(r.statistics.lines == 9)
        #expect(r.statistics.summary.contains("skipped the first 2 lines (--skip)"))
        // The limit counts rows after the skipped lines; the gzip skips the same lines.
        let limited = try readAll(Fixtures.url("ddi/hipread/test-basic.dat.gz"), hipreadCodebook(),
                                  ReadOptions(limit: 3, skip: 2))
        #expect(limited.texts("hhnum") == ["001", "001", "002"])
        #expect(try readAll(basic, hipreadCodebook(), ReadOptions(skip: 20)).rowCount == 0)
    }

    @Test func skipIsAnErrorOnDelimitedData() throws {
        let url = try temporaryFile("a,b\n1,2\n", name: "t.csv")
        let error = #expect(throws: ReadError.self) { _ = try readAll(url, nil, ReadOptions(skip: 1)) }
        #expect(error?.description == "\(url.path): skipping leading lines is supported for fixed-width data only")
    }

    /// Rows of every batch whose hhnum is not 002, as (hhnum, rt) pairs.
    static func dropping002(_ batches: [Batch]) -> [(String, String)] {
        var rows: [(String, String)] = []
        for batch in batches {
            let hhnum = batch.column(named: "hhnum")!
            let rt = batch.column(named: "rt")!
            for i in 0..<batch.rowCount where hhnum.text(at: i) != "002" {
                rows.append((hhnum.text(at: i)!, rt.text(at: i)!))
            }
        }
        return rows
    }

    static func batches(_ url: URL, _ options: ReadOptions) throws -> [Batch] {
        var source = try DataReader.open(data: url, codebook: hipreadCodebook(), options: options)
        var out: [Batch] = []
        while let batch = try source.nextBatch() { out.append(batch) }
        return out
    }

    @Test func chunkedReadFilteringOutAHousehold() throws {
        let long = Self.dropping002(try Self.batches(basic, ReadOptions(batchSize: 4)))
        #expect(long.map(\.0) == ["001", "001", "001", "001", "003", "003"])
        let perType = try Self.batches(basic, ReadOptions(batchSize: 4, shape: .perRecordType))
        #expect(perType.count > 2)
        let kept = Self.dropping002(perType)
        #expect(kept.filter { $0.1 == "H" }.count == 2)
        #expect(kept.filter { $0.1 == "P" }.count == 4)
        #expect(kept.filter { $0.1 == "P" }.map(\.0) == ["001", "001", "001", "003"])
    }

    @Test func perRecordType() throws {
        let r = try readAll(basic, hipreadCodebook(), ReadOptions(shape: .perRecordType))
        #expect(r.tables["H"]?.rows == 3)
        #expect(r.tables["P"]?.rows == 6)
        #expect(r.tables["H"]?.names == ["rt", "hhnum", "hh_char", "hh_dbl", "hh_impdbl"])
        #expect(r.tables["P"]?.names == ["rt", "hhnum", "pernum", "per_dbl", "per_mix"])
        #expect(r.texts("P", "per_mix") == ["x", "1", "1", "d", "1", "d"])
        #expect(r.doubles("H", "hh_impdbl") == [1, 4.5, 2.4])
    }

    @Test func recordTypeFilter() throws {
        let r = try readAll(basic, hipreadCodebook(), ReadOptions(recordType: "H"))
        #expect(r.tables["H"]?.rows == 3)
        #expect(r.tables["P"] == nil)
        #expect(r.statistics.skippedOtherRecordTypes == 6)
    }

    @Test func rectangularLayout() throws {
        let codebook = Codebook(
            files: [DataFile(name: "test-basic.dat")],
            variables: [fw("var1", 1, 1, .character), fw("var2", 2, 2, .character), fw("var3", 4, 1, .character)])
        let r = try readAll(basic, codebook)
        #expect(r.texts("var1") == ["H", "P", "P", "P", "H", "P", "P", "H", "P"])
        #expect(r.texts("var2") == ["00", "00", "00", "00", "00", "00", "00", "00", "00"])
    }

    @Test func unknownRecordTypeIsCountedOrAnError() throws {
        let r = try readAll(basic, hipreadCodebook(declared: ["H"]))
        #expect(r.rowCount == 3)
        #expect(r.statistics.unknownRecordTypes == ["P": 6])
        #expect(r.statistics.firstUnknownRecordTypeLine == ["P": 2])
        #expect(r.statistics.summary.contains("skipped 6 lines of unknown record type \"P\", first on line 2"))
        let error = #expect(throws: ReadError.self) {
            _ = try readAll(basic, hipreadCodebook(declared: ["H"]), ReadOptions(strict: true))
        }
        #expect(error?.description == "\(basic.path), line 2, variable rt (byte 1): unknown record type (declared: H), found \"P\"")
    }

    @Test func whitespaceFieldsAreMissing() throws {
        let ws = Fixtures.url("ddi/hipread/test-whitespace.dat")
        let r = try readAll(ws, hipreadCodebook())
        #expect(r.texts("hhnum") == ["1", "1", "1", "1", "2", "2", "2", "3", "3"])
        // Columns 2-3 are blank on every line: missing with or without implied decimals.
        let codebook = Codebook(
            files: [DataFile(name: "test-whitespace.dat")],
            variables: [fw("blank", 2, 2), fw("blank_imp", 2, 2, decimals: 1), fw("num", 4, 1)])
        let flat = try readAll(ws, codebook)
        #expect(flat.doubles("blank") == Array(repeating: nil, count: 9))
        #expect(flat.doubles("blank_imp") == Array(repeating: nil, count: 9))
        #expect(flat.doubles("num") == [1, 1, 1, 1, 2, 2, 2, 3, 3])
        let gz = try readAll(Fixtures.url("ddi/hipread/test-whitespace.dat.gz"), codebook)
        #expect(gz.doubles("num") == flat.doubles("num"))
    }

    func encodingCodebook(_ charset: String) -> Codebook {
        Codebook(files: [DataFile(charset: charset)], variables: [fw("var1", 1, 3, .character), fw("var2", 4, 3)])
    }

    @Test func encodings() throws {
        let latin1 = try readAll(Fixtures.url("ddi/hipread/test-enc-latin1.dat"), encodingCodebook("ISO-8859-1"))
        let utf8 = try readAll(Fixtures.url("ddi/hipread/test-enc-utf8.dat"), encodingCodebook("UTF-8"))
        let bom = try readAll(Fixtures.url("ddi/hipread/test-enc-utf8bom.dat"), encodingCodebook("UTF-8"))
        #expect(latin1.texts("var1") == ["abc", "dé"])
        #expect(latin1.doubles("var2") == [123, 456])
        #expect(utf8.texts("var1") == latin1.texts("var1"))
        #expect(utf8.doubles("var2") == latin1.doubles("var2"))
        #expect(bom.texts("var1") == utf8.texts("var1"))
        #expect(bom.doubles("var2") == utf8.doubles("var2"))
    }

    @Test(arguments: ["H1a\nP2b3\nP4c5\n", "H1a\r\nP2b3\r\nP4c5\r\n", "H1a\nP2b3\nP4c5", "H1a\r\nP2b3\r\nP4c5",
                      "\u{FEFF}H1a\n\nP2b3\n\r\nP4c5\n\n"])
    func lineEndings(text: String) throws {
        let codebook = Codebook(
            files: [DataFile(structure: .hierarchical,
                             recordTypes: [RecordType(code: "H", idVariable: "rt"), RecordType(code: "P", idVariable: "rt")])],
            variables: [fw("rt", 1, 1, .character, rectypes: ["H", "P"]), fw("var1", 2, 1, rectypes: ["H", "P"]),
                        fw("var2", 3, 1, .character, rectypes: ["H", "P"]), fw("var3", 4, 1, rectypes: ["P"])])
        let r = try readAll(try temporaryFile(text), codebook)
        #expect(r.rowCount == 3)
        #expect(r.texts("rt") == ["H", "P", "P"])
        #expect(r.doubles("var1") == [1, 2, 4])
        #expect(r.texts("var2") == ["a", "b", "c"])
        #expect(r.doubles("var3") == [nil, 3, 5])
    }

    @Test func blankLinesAreCountedNotRows() throws {
        let r = try readAll(try temporaryFile("H001abc3.210\n\nP00110.1x\n\n"), hipreadCodebook())
        #expect(r.rowCount == 2)
        #expect(r.statistics.lines == 4)
        #expect(r.statistics.blankLines == 2)
    }

    @Test func keyVariablesByIDAreCarried() throws {
        var codebook = hipreadCodebook()
        codebook.variables[1].id = "V2"
        codebook.files[0].recordTypes[1].keyVariables = ["V2"]
        let r = try readAll(basic, codebook, ReadOptions(variables: ["per_mix"], shape: .perRecordType))
        #expect(r.tables["P"]?.names == ["rt", "hhnum", "per_mix"])
        #expect(r.tables["H"]?.names == ["rt", "hhnum"])
        #expect(r.texts("P", "hhnum") == ["001", "001", "001", "002", "002", "003"])
    }

    @Test func recordTypeFilterNeedsADeclaredType() throws {
        let error = #expect(throws: ReadError.self) {
            _ = try readAll(basic, hipreadCodebook(), ReadOptions(recordType: "X"))
        }
        #expect(error?.description == "hipread-test: record type \"X\" is not declared in the codebook (declared: H, P)")
    }
}
