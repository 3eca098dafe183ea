import Foundation

/// The project's `Codebooks/` folder: shipped data such as crosswalks, disclosure rules, code frames and the
/// bundled example, read at run time rather than compiled in.
///
/// It is looked for in this order: the folder named by `$MICRODATA_CODEBOOKS`; a `Codebooks/` or
/// `share/microdata/Codebooks/` folder in the running executable's folder or any folder above it (so
/// `.build/release/microdata` finds the checkout's, and `PREFIX/bin/microdata` the one `make install` put in
/// `PREFIX/share/microdata/`); the working directory and the folders above it.
public enum CodebooksFolder {
    /// The environment variable that names the folder.
    public static let environmentVariable = "MICRODATA_CODEBOOKS"

    /// The folder, or `nil` when none of the places holds one.
    public static func locate(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        executable: String? = runningExecutable
    ) -> URL? {
        candidates(environment: environment, executable: executable).first { isDirectory($0) }
    }

    /// The file `relativePath` inside the folder (for example `disclosure/default-rules.json`).
    ///
    /// - Throws: `CodebooksFolderError` listing every place looked in, and how to point at the folder.
    public static func file(
        _ relativePath: String, environment: [String: String] = ProcessInfo.processInfo.environment,
        executable: String? = runningExecutable
    ) throws -> URL {
        let places = candidates(environment: environment, executable: executable)
            .map { $0.appendingPathComponent(relativePath) }
        if let found = places.first(where: { FileManager.default.fileExists(atPath: $0.path) }) { return found }
        throw CodebooksFolderError(relativePath: relativePath, searched: places.map(\.path))
    }

    /// The running program's file: `/proc/self/exe` on Linux, since `argv[0]` is a bare name when the program
    /// was found through `PATH`.
    public static var runningExecutable: String? {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? Bundle.main.executablePath ?? CommandLine.arguments.first
    }

    /// Where `make install` puts the folder, relative to the installation prefix.
    static let installedPath = "share/microdata/Codebooks"

    static func candidates(environment: [String: String], executable: String?) -> [URL] {
        var out: [URL] = []
        if let root = environment[environmentVariable], !root.isEmpty {
            out.append(URL(fileURLWithPath: root))
        }
        if let executable {
            let folder = URL(fileURLWithPath: executable).resolvingSymlinksInPath().deletingLastPathComponent()
            for dir in ancestors(of: folder) {
                out += [dir.appendingPathComponent("Codebooks"), dir.appendingPathComponent(installedPath)]
            }
        }
        out += ancestors(of: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
            .map { $0.appendingPathComponent("Codebooks") }
        return out
    }

    /// `start` and every folder above it, up to the root.
    private static func ancestors(of start: URL) -> [URL] {
        var dirs: [URL] = []
        var dir = start.standardizedFileURL
        while true {
            dirs.append(dir)
            let parent = dir.deletingLastPathComponent()
            if parent.path == dir.path { return dirs }
            dir = parent
        }
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
