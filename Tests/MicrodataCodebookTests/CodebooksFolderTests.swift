import Foundation
import MicrodataCodebook
import MicrodataTestSupport
import Testing

/// Where the running program finds the shipped `Codebooks/` folder.
@Suite struct CodebooksFolderTests {
    /// `make install PREFIX=P` puts the binary in `P/bin` and the data in `P/share/microdata/Codebooks`.
    @Test func installedBinaryFindsTheFolderUnderSharePrefix() throws {
        let prefix = try Fixtures.temporaryDirectory()
        let bin = prefix.appendingPathComponent("bin")
        let shipped = prefix.appendingPathComponent("share/microdata/Codebooks/disclosure")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: shipped, withIntermediateDirectories: true)
        try Data("{}".utf8).write(to: shipped.appendingPathComponent("default-rules.json"))
        let executable = bin.appendingPathComponent("microdata").path

        let found = try CodebooksFolder.file("disclosure/default-rules.json", environment: [:], executable: executable)
        #expect(found.standardizedFileURL.path == shipped.appendingPathComponent("default-rules.json").standardizedFileURL.path)
        #expect(CodebooksFolder.locate(environment: [:], executable: executable)?.standardizedFileURL.path
            == prefix.appendingPathComponent("share/microdata/Codebooks").standardizedFileURL.path)
    }

    /// `$MICRODATA_CODEBOOKS` wins over the installed folder.
    @Test func environmentVariableComesBeforeTheInstalledFolder() throws {
        let prefix = try Fixtures.temporaryDirectory()
        let installed = prefix.appendingPathComponent("share/microdata/Codebooks")
        let other = prefix.appendingPathComponent("mine")
        for dir in [installed, other, prefix.appendingPathComponent("bin")] {
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        }
        let located = CodebooksFolder.locate(
            environment: [CodebooksFolder.environmentVariable: other.path],
            executable: prefix.appendingPathComponent("bin/microdata").path)
        #expect(located?.standardizedFileURL.path == other.standardizedFileURL.path)
    }

    /// The running program is named by its real path, not by a bare `argv[0]` found through `PATH`.
    @Test func runningExecutableIsAnAbsolutePath() throws {
        let path = try #require(CodebooksFolder.runningExecutable)
        #expect(path.hasPrefix("/"))
        #expect(FileManager.default.isExecutableFile(atPath: path))
    }
}
