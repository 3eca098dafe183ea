import Foundation
import MicrodataCodebook
import MicrodataReaders
import MicrodataTestSupport
import Testing

@Suite struct StatFileBadInputTests {
    /// A copy of a fixture cut to `length` bytes.
    func truncated(_ name: String, to length: Int) throws -> URL {
        let data = try Data(contentsOf: Fixtures.url("statfiles/\(name)"))
        let url = try Fixtures.temporaryDirectory().appendingPathComponent("cut-\(name)")
        try data.prefix(length).write(to: url)
        return url
    }

    /// Opens and reads everything; returns the error thrown.
    func readError(_ url: URL) -> StatFileError? {
        do {
            var source = try StatFile.open(url)
            while try source.nextBatch() != nil {}
            return nil
        } catch let error as StatFileError {
            return error
        } catch {
            Issue.record("unexpected error type \(type(of: error)): \(error)")
            return nil
        }
    }

    @Test func savCutInTheDictionary() throws {
        let url = try truncated("survey.sav", to: 300)
        let error = try #require(readError(url))
        #expect(error.file == url.path)
        #expect(error.byteOffset != nil)
        #expect(error.fileSize == 300)
        #expect(error.kind == .truncated || error.kind == .corrupt)
        #expect(error.description.contains(url.path))
    }

    @Test func savCutInTheData() throws {
        let size = try Data(contentsOf: Fixtures.url("statfiles/survey.sav")).count
        let url = try truncated("survey.sav", to: size - 200)
        let error = try #require(readError(url))
        #expect(error.file == url.path)
        #expect(error.row != nil)
        #expect(error.byteOffset != nil)
    }

    @Test func dtaCutInTheData() throws {
        let data = try Data(contentsOf: Fixtures.url("statfiles/survey.dta"))
        let dataStart = try #require(data.range(of: Data("<data>".utf8))).upperBound
        let url = try truncated("survey.dta", to: dataStart + 500)
        let error = try #require(readError(url))
        #expect(error.file == url.path)
        #expect(error.byteOffset != nil)
        #expect(error.description.contains("byte offset"))
    }

    @Test func notAStatFile() throws {
        #expect(throws: StatFileError.self) { try StatFile.codebook(Fixtures.url("statfiles/survey.tab")) }
        do {
            _ = try StatFile.codebook(Fixtures.url("statfiles/survey.tab"))
        } catch let error as StatFileError {
            #expect(error.kind == .notAStatFile)
        }
    }

    @Test func corruptHeaderByte() throws {
        var data = try Data(contentsOf: Fixtures.url("statfiles/survey.sav"))
        // The first variable record's type code (offset 176) set to a nonsense value.
        data.replaceSubrange(176..<180, with: [0x7F, 0x7F, 0x7F, 0x7F])
        let url = try Fixtures.temporaryDirectory().appendingPathComponent("corrupt.sav")
        try data.write(to: url)
        let error = try #require(readError(url))
        #expect(error.file == url.path)
        #expect(error.byteOffset != nil)
    }

    @Test func unknownVariable() throws {
        do {
            _ = try StatFile.open(Fixtures.url("statfiles/survey.sav"), options: ReadOptions(variables: ["NOPE"]))
            Issue.record("expected an error")
        } catch let error as StatFileError {
            #expect(error.kind == .unknownVariable)
            #expect(error.variable == "NOPE")
        }
    }
}

@Suite struct StatFileEncodingTests {
    @Test func declaredEncodingOverridesTheFiles() throws {
        let url = Fixtures.url("statfiles/latin1.dta")
        let forced = try StatFile.codebook(url, encoding: "WINDOWS-1252")
        #expect(forced.files.first?.charset == "WINDOWS-1252")
        #expect(forced.variable(named: "town")?.label == "Ville (£)")
        // Latin-1 bytes declared as UTF-8 cannot be converted: a typed encoding error, not mojibake.
        #expect(throws: StatFileError.self) { try StatFile.codebook(url, encoding: "UTF-8") }
        do {
            _ = try StatFile.codebook(url, encoding: "UTF-8")
        } catch let error as StatFileError {
            #expect(error.kind == .encoding)
            #expect(error.byteOffset != nil)
        }
    }
}
