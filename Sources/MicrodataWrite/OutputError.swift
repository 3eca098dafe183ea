/// Why an output could not be written; each case names the path concerned.
public enum OutputError: Error, Hashable, CustomStringConvertible {
    /// The output is the same file (device and inode, after links) as an input or another output.
    case sameFile(output: String, other: String)
    /// The folder an output file would go in does not exist.
    case missingFolder(output: String, folder: String)
    /// The output path names a folder.
    case isFolder(output: String)
    /// Creating, writing, syncing or renaming failed (a full disk, a read-only folder).
    case cannotWrite(path: String, reason: String)
    /// The reader of standard output or of a FIFO went away (`| head`): not an error for the user.
    case brokenPipe(path: String)

    public var description: String {
        switch self {
        case .sameFile(let output, let other):
            return "refusing to write \(output): it is the same file as \(other), which would be lost"
        case .missingFolder(let output, let folder):
            return "cannot write \(output): the folder \(folder) does not exist"
        case .isFolder(let output):
            return "cannot write \(output): it is a folder"
        case .cannotWrite(let path, let reason):
            return "cannot write \(path): \(reason)"
        case .brokenPipe(let path):
            return "\(path): the reader closed the pipe"
        }
    }

    /// The exit status for this error: 64 (usage) for a refused path, 74 (I/O error) for a failed write,
    /// 141 (128 + SIGPIPE, what a shell shows for a process stopped by a closed pipe) for a broken pipe.
    public var exitStatus: Int32 {
        switch self {
        case .sameFile: return 2
        case .missingFolder, .isFolder, .cannotWrite: return 1
        case .brokenPipe: return 141
        }
    }
}
