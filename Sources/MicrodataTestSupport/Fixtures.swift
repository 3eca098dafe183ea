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
}
