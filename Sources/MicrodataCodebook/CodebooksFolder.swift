import Foundation

/// The project's `Codebooks/` folder: shipped data such as crosswalks, disclosure rules, code frames and the
/// bundled example, read at run time rather than compiled in.
///
/// It is looked for in this order: the folder named by `$MICRODATA_CODEBOOKS`; a `Codebooks/` folder in the
/// running executable's folder or any folder above it (so `.build/release/microdata` finds the checkout's); the
/// working directory and the folders above it.
public enum CodebooksFolder {
    /// The environment variable that names the folder.
    public static let environmentVariable = "MICRODATA_CODEBOOKS"

    /// The folder, or `nil` when none of the places holds one.
    public static func locate(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        executable: String? = CommandLine.arguments.first
    ) -> URL? {
        candidates(environment: environment, executable: executable).first { isDirectory($0) }
    }

    /// The file `relativePath` inside the folder (for example `disclosure/default-rules.json`).
    ///
    /// - Throws: `CodebooksFolderError` listing every place looked in, and how to point at the folder.
    public static func file(
        _ relativePath: String, environment: [String: String] = ProcessInfo.processInfo.environment,
        executable: String? = CommandLine.arguments.first
    ) throws -> URL {
        let places = candidates(environment: environment, executable: executable)
            .map { $0.appendingPathComponent(relativePath) }
        if let found = places.first(where: { FileManager.default.fileExists(atPath: $0.path) }) { return found }
        throw CodebooksFolderError(relativePath: relativePath, searched: places.map(\.path))
    }

    static func candidates(environment: [String: String], executable: String?) -> [URL] {
        var out: [URL] = []
        if let root = environment[environmentVariable], !root.isEmpty {
            out.append(URL(fileURLWithPath: root))
        }
        var starts: [URL] = []
        if let executable {
            starts.append(URL(fileURLWithPath: executable).resolvingSymlinksInPath().deletingLastPathComponent())
        }
        starts.append(URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
        for start in starts {
            var dir = start.standardizedFileURL
            while true {
                out.append(dir.appendingPathComponent("Codebooks"))
                let parent = dir.deletingLastPathComponent()
                if parent.path == dir.path { break }
                dir = parent
            }
        }
        return out
    }

    private static func isDirectory(_ url: URL) -> Bool {
        var directory: ObjCBool = false
        return FileManager.default.fileExists(atPath: url.path, isDirectory: &directory) && directory.boolValue
    }
}

/// A shipped data file could not be found.
public struct CodebooksFolderError: Error, Hashable, CustomStringConvertible {
    /// The file looked for, relative to `Codebooks/`.
    public var relativePath: String
    /// Every path tried, in order.
    public var searched: [String]

    public var description: String {
        "Codebooks/\(relativePath) not found; set \(CodebooksFolder.environmentVariable) to the project's "
            + "Codebooks folder. Looked in: " + searched.joined(separator: ", ")
    }
}
