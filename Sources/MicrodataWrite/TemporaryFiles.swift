import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The temporary files of unfinished outputs, removed when the process is interrupted.
///
/// The paths live in a fixed table of C strings so that the SIGINT/SIGTERM/SIGHUP handler can unlink them
/// without allocating or locking; it then exits with status 128 + the signal number.
public enum TemporaryFiles {
    static let capacity = 256
    nonisolated(unsafe) static let slots: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?> = {
        let p = UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>.allocate(capacity: capacity)
        p.initialize(repeating: nil, count: capacity)
        return p
    }()
    static let lock = NSLock()
    nonisolated(unsafe) private static var installed = false

    /// Ignores SIGPIPE (a closed pipe becomes an `EPIPE` write error, reported as ``OutputError/brokenPipe(path:)``)
    /// and installs the handlers that remove registered temporary files on SIGINT, SIGTERM and SIGHUP.
    /// Safe to call more than once.
    public static func installSignalHandlers() {
        lock.lock()
        defer { lock.unlock() }
        guard !installed else { return }
        installed = true
        _ = slots
        signal(SIGPIPE, SIG_IGN)
        // A parent may have started this process with the signals blocked; Ctrl-C must still stop it.
        var unblock = sigset_t()
        sigemptyset(&unblock)
        for sig in [SIGINT, SIGTERM, SIGHUP] { sigaddset(&unblock, sig) }
        pthread_sigmask(SIG_UNBLOCK, &unblock, nil)
        for sig in [SIGINT, SIGTERM, SIGHUP] {
            signal(sig) { sig in
                for i in 0..<TemporaryFiles.capacity {
                    if let path = TemporaryFiles.slots[i] { unlink(path) }
                }
                _exit(128 + sig)
            }
        }
    }

    /// Records `path` for removal on a signal; returns its slot (nil when the table is full, in which case
    /// the file is still removed on errors, only not on a signal).
    static func register(_ path: String) -> Int? {
        installSignalHandlers()
        lock.lock()
        defer { lock.unlock() }
        for i in 0..<capacity where slots[i] == nil {
            slots[i] = strdup(path)
            return i
        }
        return nil
    }

    static func unregister(_ slot: Int?) {
        guard let slot else { return }
        lock.lock()
        defer { lock.unlock() }
        let p = slots[slot]
        slots[slot] = nil
        free(p)
    }

    /// Removes every registered temporary file (before an exit that skips deinitialisers).
    public static func removeAll() {
        lock.lock()
        defer { lock.unlock() }
        for i in 0..<capacity {
            if let p = slots[i] {
                unlink(p)
                slots[i] = nil
                free(p)
            }
        }
    }
}
