import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Where an output goes, decided before any work is done.
///
/// - A regular file (or a path that does not exist yet) is replaced atomically: see ``OutputFile``.
/// - A symbolic link is followed: the file it points to is replaced and the link is kept.
/// - A FIFO or device node (`/dev/null`, a named pipe) is written through, never replaced.
/// - `/dev/stdout`, `/dev/stderr`, `/dev/fd/N` and `/proc/self/fd/N` write to the open descriptor.
/// - A file whose folder does not exist is an error (``OutputError/missingFolder(output:folder:)``).
public struct OutputTarget: Sendable, Hashable {
    /// How the bytes reach the path.
    public enum Kind: Sendable, Hashable {
        /// Written to a temporary file in the same folder, then renamed over `resolvedPath`.
        case file
        /// Opened and written in place: a FIFO, character or block device, or socket.
        case device
        /// An already open descriptor of this process (`/dev/stdout` is 1).
        case descriptor(Int32)
    }

    /// The path as the user gave it, for messages.
    public let path: String
    /// The absolute path with every symbolic link followed.
    public let resolvedPath: String
    public let kind: Kind

    /// Resolves `path` and checks that it can be written: its folder exists and is writable, and it is
    /// not itself a folder.
    public init(_ path: String) throws {
        self.path = path
        if let fd = Self.descriptor(named: path) {
            resolvedPath = path
            kind = .descriptor(fd)
            return
        }
        resolvedPath = Self.followingLinks(path)
        var info = stat()
        if stat(resolvedPath, &info) == 0 {
            switch info.st_mode & S_IFMT {
            case S_IFREG: kind = .file
            case S_IFDIR: throw OutputError.isFolder(output: path)
            default:
                kind = .device
                return
            }
        } else {
            kind = .file
        }
        let folder = (resolvedPath as NSString).deletingLastPathComponent
        var folderInfo = stat()
        guard stat(folder, &folderInfo) == 0, folderInfo.st_mode & S_IFMT == S_IFDIR else {
            throw OutputError.missingFolder(output: path, folder: folder)
        }
        guard access(folder, W_OK) == 0 else {
            throw OutputError.cannotWrite(path: path, reason: String(cString: strerror(errno)))
        }
    }

    /// The folder the temporary file goes in.
    var folder: String { (resolvedPath as NSString).deletingLastPathComponent }

    /// Checks every output before any work is done: each resolves (see ``init(_:)``), and none is the same
    /// file as an input or as another output. Files are compared by device and inode after following links,
    /// so a hard link, a symbolic link or `./x` for `x` is caught. `nil` entries are skipped.
    ///
    /// - Throws: ``OutputError/sameFile(output:other:)`` naming both paths, or the error of ``init(_:)``.
    @discardableResult
    public static func check(outputs: [String?], inputs: [String?]) throws -> [OutputTarget] {
        let targets = try outputs.compactMap { $0 }.map(OutputTarget.init)
        let inputIDs = inputs.compactMap { $0 }.compactMap { path in fileID(path).map { (path, $0) } }
        var earlier: [(OutputTarget, FileID?)] = []
        for target in targets where target.kind == .file {
            let id = fileID(target.resolvedPath)
            if let id, let input = inputIDs.first(where: { $0.1 == id }) {
                throw OutputError.sameFile(output: target.path, other: input.0)
            }
            if let other = earlier.first(where: { $0.0.resolvedPath == target.resolvedPath || (id != nil && $0.1 == id) }) {
                throw OutputError.sameFile(output: target.path, other: other.0.path)
            }
            earlier.append((target, id))
        }
        return targets
    }

    /// Creates the folder `path` (and its parents) if it does not exist: `--output-dir` creates its folder.
    public static func createFolder(_ path: String) throws {
        do {
            try FileManager.default.createDirectory(
                atPath: followingLinks(path), withIntermediateDirectories: true)
        } catch {
            throw OutputError.cannotWrite(path: path, reason: "cannot create the folder: \(error.localizedDescription)")
        }
    }

    /// Removes a regular file left at `path` by an earlier run (so that it cannot pass for this run's output);
    /// a FIFO, device or missing path is left alone.
    public static func removeStaleFile(_ path: String) {
        guard descriptor(named: path) == nil else { return }
        let resolved = followingLinks(path)
        var info = stat()
        if lstat(resolved, &info) == 0, info.st_mode & S_IFMT == S_IFREG { unlink(resolved) }
    }

    struct FileID: Hashable {
        var device: UInt64
        var inode: UInt64
    }

    static func fileID(_ path: String) -> FileID? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return FileID(device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
    }

    /// The descriptor a path such as `/dev/stdout` or `/dev/fd/3` names, if it names one.
    static func descriptor(named path: String) -> Int32? {
        switch path {
        case "/dev/stdout": return 1
        case "/dev/stderr": return 2
        default:
            for prefix in ["/dev/fd/", "/proc/self/fd/"] where path.hasPrefix(prefix) {
                return Int32(path.dropFirst(prefix.count))
            }
            return nil
        }
    }

    /// `path` made absolute with its symbolic links followed (at most 40), also when the last one dangles.
    static func followingLinks(_ path: String) -> String {
        var current = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        for _ in 0..<40 {
            var info = stat()
            guard lstat(current, &info) == 0, info.st_mode & S_IFMT == S_IFLNK else { break }
            var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
            let n = readlink(current, &buffer, buffer.count - 1)
            guard n > 0 else { break }
            let destination = String(decoding: buffer[..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            current = destination.hasPrefix("/")
                ? destination : (current as NSString).deletingLastPathComponent + "/" + destination
        }
        return (current as NSString).standardizingPath
    }
}
