import Foundation

/// Locates files under the package's `Fixtures/` and `Codebooks/` folders for tests.
///
/// Tests never read `../shared`: everything they need is copied into `Fixtures/` with its provenance.
public enum Fixtures {
    /// The package root, found from this file's location.
    public static let packageRoot: URL = {
        URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent()  // MicrodataTestSupport
            .deletingLastPathComponent()  // Sources
            .deletingLastPathComponent()  // root
    }()

    /// The URL of `Fixtures/<path>`.
    public static func url(_ path: String) -> URL {
        packageRoot.appendingPathComponent("Fixtures").appendingPathComponent(path)
    }

    /// The file-system path of `Fixtures/<path>`.
    public static func path(_ path: String) -> String { url(path).path }

    /// The URL of `Codebooks/<path>`.
    public static func codebook(_ path: String) -> URL {
        packageRoot.appendingPathComponent("Codebooks").appendingPathComponent(path)
    }

    /// A fresh temporary directory for a test's output.
    public static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("microdata-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// The uncompressed text of `members` of a zip file (an XLSX's XML parts; all of them when empty), through
    /// `/usr/bin/unzip -p`.
    public static func unzipped(_ url: URL, members: [String] = []) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/unzip")
        process.arguments = ["-p", url.path] + members
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }
}
