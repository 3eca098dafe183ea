import Foundation
import MicrodataCodebook
import MicrodataReaders
import MicrodataTestSupport
import Testing

@Suite struct DelimitedAndMissingTests {
    @Test func csvWithoutCodebookInfersTypes() throws {
        let text = "id,Name,score,flag\r\n1,\"Smith, J\",2.5,NA\r\n2,\"say \"\"hi\"\"\",,1\r\n3,\"two\nlines\",4,0"
        var source = try DataReader.open(data: try temporaryFile(text, name: "t.csv"), codebook: nil)
        let batch = try #require(try source.nextBatch())
        #expect(batch.rowCount == 3)
        #expect(batch.columns.map(\.name) == ["id", "Name", "score", "flag"])
        guard case .integer(let ids, _) = batch.columns[0].storage else { Issue.record("id not integer"); return }
        #expect(ids == [1, 2, 3])
        guard case .text(let names) = batch.columns[1].storage else { Issue.record("Name not text"); return }
        #expect(names == ["Smith, J", "say \"hi\"", "two\nlines"])
        guard case .real(let scores) = batch.columns[2].storage else { Issue.record("score not real"); return }
        #expect(scores[0] == 2.5 && scores[1].isNaN && scores[2] == 4)
        #expect((0..<3).map { batch.columns[3].double(at: $0) } == [nil, 1, 0])
        #expect(try source.nextBatch() == nil)
        #expect(source.statistics.lines == 5)
    }

    @Test func tsvHeaderMatchedCaseInsensitively() throws {
        let codebook = Codebook(variables: [Variable(name: "AGE", decimals: 2), Variable(name: "SEX")])
        let url = try temporaryFile("age\tsex\n  41\t1\n7\t2\n", name: "t.tsv")
        let r = try readAll(url, codebook, ReadOptions(variables: ["SEX", "Age"]))
        #expect(r.names == ["sex", "age"])
        // Decimals are never applied to delimited data.
        #expect(r.doubles("age") == [41, 7])
    }

    @Test func missingRulesAndRawCodes() throws {
        let income = fw(
            "INC", 1, 4, categories: [Category(value: "9999", label: "Missing", isMissing: true)],
            missing: MissingValues(values: ["9998"], ranges: [ValueRange(min: -9, max: -1)]))
        let status = fw("ST", 5, 2, .character, missing: MissingValues(values: ["XX"]))
        let codebook = Codebook(variables: [income, status])
        let url = try temporaryFile("0100ab\n9999XX\n9998cd\n  -5ef\n0042  \n")
        let r = try readAll(url, codebook)
        #expect(r.doubles("INC") == [100, nil, nil, nil, 42])
        #expect(r.texts("ST") == ["ab", nil, "cd", "ef", nil])
        #expect(r.statistics.missingByRule == ["INC": 3, "ST": 1])
        let raw = try readAll(url, codebook, ReadOptions(keepRawMissing: true))
        #expect(raw.doubles("INC") == [100, 9999, 9998, -5, 42])
        #expect(raw.texts("ST") == ["ab", "XX", "cd", "ef", nil])
        #expect(raw.statistics.missingByRule.isEmpty)
    }

    @Test func decimalsRule() throws {
        let codebook = Codebook(variables: [fw("W", 1, 8, decimals: 4), fw("N", 9, 6)])
        let url = try temporaryFile("14755900000012\n0.478000  12.5\n-0012345   -07\n")
        let r = try readAll(url, codebook)
        #expect(r.doubles("W") == [1475.59, 0.478, -1.2345])
        // A dcml-0 column becomes real once a value has a point.
        #expect(r.doubles("N") == [12, 12.5, -7])
    }

    @Test func eighteenDigitIntegersStayExact() throws {
        let codebook = Codebook(variables: [fw("ID", 1, 18)])
        let r = try readAll(try temporaryFile("123456789012345678\n000000000000000001\n"), codebook)
        guard case .integer(let ids, _)? = r.columns["ID"]?.first?.storage else { Issue.record("not integer"); return }
        #expect(ids == [123_456_789_012_345_678, 1])
    }

    @Test func gzipAcrossManyChunks() throws {
        // A file larger than several 1 MB chunks, compressed, read with a line split across chunk boundaries.
        var text = ""
        for i in 0..<120_000 { text += String(format: "%06d%012d\n", i, i * 7) }
        let dir = try Fixtures.temporaryDirectory()
        let plain = dir.appendingPathComponent("big.dat")
        try text.write(to: plain, atomically: true, encoding: .utf8)
        let gzip = Process()
        gzip.executableURL = URL(fileURLWithPath: "/bin/gzip")
        gzip.arguments = ["-k", plain.path]
        try gzip.run()
        gzip.waitUntilExit()
        let codebook = Codebook(variables: [fw("I", 1, 6), fw("J", 7, 12)])
        for url in [plain, dir.appendingPathComponent("big.dat.gz")] {
            let r = try readAll(url, codebook, ReadOptions(batchSize: 50_000))
            #expect(r.batchRowCounts == [50_000, 50_000, 20_000])
            let j = r.doubles("J")
            #expect(j[119_999] == Double(119_999 * 7))
            #expect(r.doubles("I")[77_777] == 77_777)
        }
    }
}
