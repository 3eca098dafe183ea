import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Runs a program to completion for a test, its output collected in temporary files.
///
/// The child starts with standard input on `/dev/null` and every descriptor above 2 closed, so it cannot
/// hold open a pipe another test is reading (Foundation's `Process` lets children inherit them, which keeps
/// unrelated tests waiting until the child exits); files instead of pipes mean neither stream can fill up.
public enum ChildProcess {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// Runs `executable` with `arguments`, with `environment` added to this process's environment. The
    /// status is the exit status, or the signal's number for a child killed by a signal (as
    /// `Process.terminationStatus`).
    public static func run(
        _ executable: URL, _ arguments: [String], environment: [String: String] = [:]
    ) throws -> (status: Int32, stdout: String, stderr: String) {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("stdout").path
        let err = folder.appendingPathComponent("stderr").path
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, out, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, err, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        // glibc 2.34+; not in the Swift Glibc module, so looked up by name.
        typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np")
        else { throw Failure(description: "posix_spawn_file_actions_addclosefrom_np is not available") }
        _ = unsafeBitCast(symbol, to: CloseFrom.self)(&actions, 3)
        var variables = ProcessInfo.processInfo.environment
        for (k, v) in environment { variables[k] = v }
        let argv: [UnsafeMutablePointer<CChar>?] = ([executable.path] + arguments).map { strdup($0) } + [nil]
        let envp: [UnsafeMutablePointer<CChar>?] = variables.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for p in argv + envp { free(p) } }
        var pid = pid_t()
        let rc = posix_spawn(&pid, executable.path, &actions, nil, argv, envp)
        guard rc == 0 else {
            throw Failure(description: "cannot start \(executable.path): \(String(cString: strerror(rc)))")
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let exited = status & 0x7f == 0
        func text(_ path: String) -> String {
            String(decoding: FileManager.default.contents(atPath: path) ?? Data(), as: UTF8.self)
        }
        return (exited ? (status >> 8) & 0xff : status & 0x7f, text(out), text(err))
    }
}
