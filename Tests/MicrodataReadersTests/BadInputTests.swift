import Foundation
import MicrodataCodebook
import MicrodataReaders
import MicrodataTestSupport
import Testing

/// Bad input: every error names the file, line (and record type), variable, byte columns and the text found.
@Suite struct BadInputTests {
    func readError(_ url: URL, _ codebook: Codebook?, _ options: ReadOptions = ReadOptions()) -> String? {
        do {
            _ = try readAll(url, codebook, options)
            return nil
        } catch let error as ReadError {
            return error.description
        } catch {
            return "unexpected \(error)"
        }
    }

    @Test func numberWithTrailingLetterIsAnError() throws {
        let url = try temporaryFile("H001abc3.210\nP001112ax\n")
        #expect(readError(url, hipreadCodebook())
                == "\(url.path), line 2 (record type P), variable per_dbl (bytes 6-8): not a number, found \"12a\"")
    }

    @Test func lineTooShortForItsRecordType() throws {
        let url = try temporaryFile("H001abc3.210\nP0011\n")
        #expect(readError(url, hipreadCodebook())
                == "\(url.path), line 2 (record type P), variable per_dbl (bytes 6-8): line is too short: 5 bytes, record type P needs 9, found \"P0011\"")
    }

    @Test func rectangularLineTooShort() throws {
        let codebook = Codebook(variables: [fw("A", 1, 2), fw("B", 3, 4)])
        let url = try temporaryFile("123456\n1234\n")
        #expect(readError(url, codebook)
                == "\(url.path), line 2, variable B (bytes 3-6): line is too short: 4 bytes, the layout needs 6, found \"1234\"")
    }

    @Test func truncatedGzipIsAnError() throws {
        let gz = try Data(contentsOf: Fixtures.url("ddi/ipumsr/cps_00157.dat.gz"))
        let url = try temporaryFile(Array(gz.prefix(gz.count / 2)), name: "cut.dat.gz")
        let codebook = try parseDDI("ddi/ipumsr/cps_00157.xml")
        #expect(readError(url, codebook)
                == "\(url.path): truncated gzip stream: the file ends before the end of the compressed data")
    }

    @Test func anErrorIsRethrownNotFollowedByMoreRows() throws {
        let url = try temporaryFile("H001abc3.210\nP001112ax\nH002xyz4.245\n")
        var source = try DataReader.open(data: url, codebook: hipreadCodebook(), options: ReadOptions(batchSize: 1))
        #expect(try source.nextBatch()?.rowCount == 1)
        #expect(throws: ReadError.self) { _ = try source.nextBatch() }
        #expect(throws: ReadError.self) { _ = try source.nextBatch() }
    }

    @Test func corruptGzipIsAnError() throws {
        var bytes = Array(try Data(contentsOf: Fixtures.url("ddi/hipread/test-basic.dat.gz")))
        bytes[bytes.count - 8] ^= 0xFF  // the CRC-32 of the trailer
        let url = try temporaryFile(bytes, name: "bad.gz")
        #expect(readError(url, hipreadCodebook()) == "\(url.path): corrupt gzip stream: incorrect data check")
    }

    @Test func gzipDetectedByMagicNotName() throws {
        let bytes = Array(try Data(contentsOf: Fixtures.url("ddi/hipread/test-basic.dat.gz")))
        let url = try temporaryFile(bytes, name: "no-extension")
        #expect(try readAll(url, hipreadCodebook()).rowCount == 9)
    }

    @Test func unknownVariable() throws {
        #expect(readError(Fixtures.url("ddi/hipread/test-basic.dat"), hipreadCodebook(), ReadOptions(variables: ["nope"]))
                == "hipread-test, variable nope: variable is not in the codebook")
    }

    @Test func missingFile() throws {
        #expect(readError(URL(fileURLWithPath: "/nonexistent/x.dat"), hipreadCodebook())
                == "/nonexistent/x.dat: cannot open the file: No such file or directory")
    }

    @Test func csvErrors() throws {
        let ragged = try temporaryFile("a,b\n1,2\n3\n", name: "r.csv")
        #expect(readError(ragged, nil) == "\(ragged.path), line 3: record has 1 fields, the header has 2")
        let quote = try temporaryFile("a,b\n1,\"2\n", name: "q.csv")
        #expect(readError(quote, nil) == "\(quote.path), line 2: unclosed quote")
        let codebook = Codebook(variables: [Variable(name: "a"), Variable(name: "b")])
        let bad = try temporaryFile("a,b\n1,2\n3,4x\n", name: "b.csv")
        #expect(readError(bad, codebook) == "\(bad.path), line 3, variable b: not a number (field 2), found \"4x\"")
    }
}
