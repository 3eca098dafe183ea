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

    @Test func savCutInTheDictionaryIsReportedAsTruncatedAtTheCut() throws {
        let url = try truncated("survey.sav", to: 300)
        let error = try #require(readError(url))
        #expect(error.file == url.path)
        #expect(error.fileSize == 300)
        #expect(error.kind == .truncated)
        // The variable record read from 288 runs past the end: the offset is where the file ended.
        let offset = try #require(error.byteOffset)
        #expect(offset > 176 && offset <= 300)
        #expect(error.row == nil)
        #expect(error.description.contains(url.path))
        #expect(error.description.contains("the file ended after 300 bytes"), "\(error)")
        #expect(error.description.contains("truncated?"))
        // The codebook (metadata only) fails at the same place.
        do {
            _ = try StatFile.codebook(url)
            Issue.record("expected an error")
        } catch let again as StatFileError {
            #expect(again.byteOffset == error.byteOffset)
            #expect(again.kind == .truncated)
        }
    }

    @Test func savCutInTheDataNamesTheIncompleteRow() throws {
        let size = try Data(contentsOf: Fixtures.url("statfiles/survey.sav")).count
        let url = try truncated("survey.sav", to: size - 200)
        let error = try #require(readError(url))
        #expect(error.file == url.path)
        #expect(error.kind == .truncated)
        // 10 rows of 368 bytes end the file: the last 200 bytes cut into row 10.
        #expect(error.row == 10)
        let offset = try #require(error.byteOffset)
        #expect(offset <= size - 200)
        #expect(error.fileSize == size - 200)
        #expect(error.description.contains("truncated?"), "\(error)")
    }

    @Test func dtaCutInTheDataReportsAnOffsetWithinTheFile() throws {
        let data = try Data(contentsOf: Fixtures.url("statfiles/survey.dta"))
        let dataStart = try #require(data.range(of: Data("<data>".utf8))).upperBound
        let url = try truncated("survey.dta", to: dataStart + 500)
        let error = try #require(readError(url))
        #expect(error.file == url.path)
        #expect(error.kind == .truncated)
        // ReadStat seeks past the cut (to the value labels the map places after the data): the offset
        // reported is the end of the file, not the seek target.
        let offset = try #require(error.byteOffset)
        #expect(offset <= dataStart + 500)
        #expect(error.fileSize == dataStart + 500)
        #expect(error.description.contains("byte offset"))
        #expect(error.description.contains("truncated?"), "\(error)")
    }

    @Test func notAStatFile() throws {
        #expect(throws: StatFileError.self) { try StatFile.codebook(Fixtures.url("statfiles/survey.tab")) }
        do {
            _ = try StatFile.codebook(Fixtures.url("statfiles/survey.tab"))
        } catch let error as StatFileError {
            #expect(error.kind == .notAStatFile)
        }
    }

    @Test func corruptHeaderIsLocatedAtTheBadRecordNotAtTheEnd() throws {
        var data = try Data(contentsOf: Fixtures.url("statfiles/survey.sav"))
        // The first variable record's type code (offset 176) set to a nonsense value.
        data.replaceSubrange(176..<180, with: [0x7F, 0x7F, 0x7F, 0x7F])
        let url = try Fixtures.temporaryDirectory().appendingPathComponent("corrupt.sav")
        try data.write(to: url)
        let error = try #require(readError(url))
        #expect(error.file == url.path)
        #expect(error.kind == .corrupt)
        // The offset is the bad record type's, not the file size ReadStat learnt by seeking to the end.
        let offset = try #require(error.byteOffset)
        #expect(offset >= 176 && offset < 200, "\(error)")
        #expect(offset < data.count)
        #expect(error.fileSize == data.count)
        #expect(error.row == nil)
        #expect(!error.description.contains("truncated"), "\(error)")
        #expect(!error.description.contains("ended after"), "\(error)")
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
