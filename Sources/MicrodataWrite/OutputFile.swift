import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An output written whole or not at all: the single way every command writes a file or standard output.
///
/// A file target is written to a temporary file (`.NAME.PID.N.tmp`) in the target's folder, and renamed over
/// the target only by ``commit()``, after the last byte and an `fsync` (the folder is synced too). Until then
/// nothing at the target path changes; an error, a ``discard()``, or SIGINT/SIGTERM/SIGHUP (see
/// ``TemporaryFiles``) removes the temporary file. Two processes writing the same path each rename a complete
/// file, so the last one wins whole. FIFOs, devices and `/dev/stdout` are written through (see
/// ``OutputTarget``). Every failed write is an ``OutputError``; `EPIPE` is ``OutputError/brokenPipe(path:)``.
public final class OutputFile {
    /// Where the bytes go; `nil` for standard output.
    public let target: OutputTarget?
    /// The name used in messages.
    public let displayPath: String
    private var fd: Int32
    /// False for standard output itself (fd 1 is never closed); true for descriptors this object opened.
    private let ownsDescriptor: Bool
    private var temporaryPath: String?
    private var slot: Int?
    private var buffer: [UInt8] = []
    private var finished = false

    /// Opens `path` for writing, or standard output when `path` is `nil`.
    public init(path: String?) throws {
        guard let path else {
            target = nil
            displayPath = "standard output"
            fd = 1
            ownsDescriptor = false
            TemporaryFiles.installSignalHandlers()
            return
        }
        let target = try OutputTarget(path)
        self.target = target
        displayPath = path
        ownsDescriptor = true
        switch target.kind {
        case .descriptor(let n):
            fd = dup(n)
            guard fd >= 0 else { throw OutputError.cannotWrite(path: path, reason: String(cString: strerror(errno))) }
            TemporaryFiles.installSignalHandlers()
        case .device:
            fd = open(target.resolvedPath, O_WRONLY | O_CLOEXEC)
            guard fd >= 0 else { throw OutputError.cannotWrite(path: path, reason: String(cString: strerror(errno))) }
            TemporaryFiles.installSignalHandlers()
        case .file:
            (fd, temporaryPath, slot) = try Self.createTemporary(for: target)
        }
    }

    deinit { discard() }

    /// Appends bytes (buffered; written in blocks of 1 MiB).
    public func write(_ bytes: [UInt8]) throws {
        if buffer.isEmpty && bytes.count >= 1 << 20 { return try writeOut(bytes) }
        buffer.append(contentsOf: bytes)
        if buffer.count >= 1 << 20 { try flush() }
    }

    public func write(_ text: String) throws { try write(Array(text.utf8)) }
    public func write(_ data: Data) throws { try write([UInt8](data)) }

    /// Writes the buffered bytes.
    public func flush() throws {
        guard !buffer.isEmpty else { return }
        try writeOut(buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    /// For writers that need a file name (libxlsxwriter): `body` writes the whole output to the path it is
    /// given, which is the temporary file (or, for a FIFO or device, a scratch file copied through).
    public func withFilePath(_ body: (String) throws -> Void) throws {
        try flush()
        if let temporaryPath { return try body(temporaryPath) }
        let scratchTarget = try OutputTarget(NSTemporaryDirectory() + "/microdata-scratch")
        let (scratchFD, scratch, scratchSlot) = try Self.createTemporary(for: scratchTarget)
        defer {
            close(scratchFD)
            unlink(scratch)
            TemporaryFiles.unregister(scratchSlot)
        }
        try body(scratch)
        guard let data = FileManager.default.contents(atPath: scratch) else {
            throw OutputError.cannotWrite(path: displayPath, reason: "cannot read back \(scratch)")
        }
        try write(data)
    }

    /// Finishes the output: flushes, syncs and renames the temporary file over the target.
    public func commit() throws {
        guard !finished else { return }
        try flush()
        guard let temporaryPath, let target else {
            if ownsDescriptor { _ = close(fd) }
            finished = true
            return
        }
        if fsync(fd) != 0 { throw failure() }
        let closed = close(fd)
        fd = -1
        if closed != 0 { throw failure() }
        if rename(temporaryPath, target.resolvedPath) != 0 { throw failure() }
        self.temporaryPath = nil
        TemporaryFiles.unregister(slot)
        slot = nil
        finished = true
        let folder = open(target.folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if folder >= 0 {
            _ = fsync(folder)
            close(folder)
        }
    }

    /// Abandons the output: the temporary file is removed and the target is left as it was.
    public func discard() {
        guard !finished else { return }
        finished = true
        if ownsDescriptor && fd >= 0 { _ = close(fd) }
        if let temporaryPath { unlink(temporaryPath) }
        TemporaryFiles.unregister(slot)
        slot = nil
        buffer = []
    }

    /// Writes `bytes` to `path` (or standard output) whole: open, write, commit.
    public static func write(_ bytes: [UInt8], to path: String?) throws {
        let file = try OutputFile(path: path)
        try file.write(bytes)
        try file.commit()
    }

    public static func write(_ text: String, to path: String?) throws { try write(Array(text.utf8), to: path) }
    public static func write(_ data: Data, to path: String?) throws { try write([UInt8](data), to: path) }

    private func writeOut(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = Glibc.write(fd, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    throw failure()
                }
                offset += n
            }
        }
    }

    private func failure() -> OutputError {
        let code = errno
        if code == EPIPE { return .brokenPipe(path: displayPath) }
        return .cannotWrite(path: displayPath, reason: String(cString: strerror(code)))
    }

    private static let counter = Counter()

    /// A new, registered temporary file beside `target`.
    private static func createTemporary(for target: OutputTarget) throws -> (Int32, String, Int?) {
        let name = (target.resolvedPath as NSString).lastPathComponent
        var existing = stat()
        let mode: mode_t? = stat(target.resolvedPath, &existing) == 0 ? existing.st_mode & 0o7777 : nil
        for _ in 0..<100 {
            let path = target.folder + "/.\(name).\(getpid()).\(counter.next()).tmp"
            // Registered before it exists, so a signal between open and register cannot leave it behind.
            let slot = TemporaryFiles.register(path)
            let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
            if fd >= 0 {
                if let mode { _ = fchmod(fd, mode) }
                return (fd, path, slot)
            }
            let code = errno
            TemporaryFiles.unregister(slot)
            if code != EEXIST {
                throw OutputError.cannotWrite(path: target.path, reason: String(cString: strerror(code)))
            }
        }
        throw OutputError.cannotWrite(path: target.path, reason: "cannot create a temporary file in \(target.folder)")
    }
}

/// A process-wide counter for temporary file names.
private final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    func next() -> Int {
        lock.lock()
        defer { lock.unlock() }
        value += 1
        return value
    }
}
