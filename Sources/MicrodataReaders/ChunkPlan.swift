import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An open plain file read with `pread` from several threads; closed when the last user lets go.
final class SharedFile: @unchecked Sendable {
    let fd: Int32
    let size: Int
    /// The name errors give.
    let path: String

    init(path: String, displayPath: String) throws {
        self.path = displayPath
        fd = Glibc.open(path, O_RDONLY)
        if fd < 0 {
            throw ReadError(message: "cannot open the file: \(String(cString: strerror(errno)))", file: displayPath)
        }
        var st = stat()
        size = fstat(fd, &st) == 0 ? Int(st.st_size) : 0
    }

    deinit { close(fd) }

    /// Reads `count` bytes at `offset` into `buffer`; throws when the file ends first (it shrank).
    func read(into buffer: UnsafeMutablePointer<UInt8>, count: Int, at offset: Int) throws {
        var done = 0
        while done < count {
            let n = pread(fd, buffer + done, count - done, off_t(offset + done))
            if n < 0 && errno == EINTR { continue }
            if n < 0 { throw ReadError(message: "cannot read the file: \(String(cString: strerror(errno)))", file: path) }
            if n == 0 {
                throw ReadError(message: "the file shrank while it was being read: it ended after \(offset + done) of the "
                                    + "\(size) bytes it had when opened", file: path)
            }
            done += n
        }
    }
}

/// The records of a plain file from `start` to its end, cut into chunks of about `chunkBytes` bytes that
/// each end at a line feed. Each boundary is found on its own (the first line start at or after
/// `start + i × chunkBytes`), so any thread can read any chunk, and the chunks depend only on the file and
/// `chunkBytes`. Valid for data without quoted line breaks: a chunk whose bytes hold a quote is not split
/// further by its reader (see ``ParallelDelimitedSource``).
struct ChunkPlan: Sendable {
    let file: SharedFile
    let start: Int
    let chunkBytes: Int

    init(file: SharedFile, start: Int, chunkBytes: Int) {
        self.file = file
        self.start = min(start, file.size)
        self.chunkBytes = max(chunkBytes, 1)
    }

    /// The number of chunks (some may be empty when a line is longer than a chunk).
    var count: Int { max(1, (file.size - start + chunkBytes - 1) / chunkBytes) }

    /// The byte offset where chunk `i` starts (`file.size` for `i == count`).
    func boundary(_ i: Int) throws -> Int {
        if i <= 0 { return start }
        if i >= count { return file.size }
        var at = start + i * chunkBytes - 1  // the chunk starts after the first line feed from here on
        let block = 1 << 16
        let buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: block)
        defer { buffer.deallocate() }
        while at < file.size {
            let n = min(block, file.size - at)
            try file.read(into: buffer, count: n, at: at)
            if let hit = memchr(buffer, 0x0A, n) {
                return at + (UnsafeMutablePointer<UInt8>(hit.assumingMemoryBound(to: UInt8.self)) - buffer) + 1
            }
            at += n
        }
        return file.size
    }

    /// The bytes of chunk `i`, read into `buffer` (one per thread, reused from chunk to chunk so its pages are
    /// not faulted in again), as an input, and whether they hold a quote byte.
    func read(_ i: Int, into buffer: ChunkBuffer) throws -> (input: ByteInput, quoted: Bool) {
        let lo = try boundary(i)
        let hi = max(lo, try boundary(i + 1))
        let bytes = buffer.reserve(hi - lo)
        try file.read(into: bytes, count: hi - lo, at: lo)
        let quoted = hi > lo && memchr(bytes, Int32(UInt8(ascii: "\"")), hi - lo) != nil
        return (ByteInput(chunk: bytes, count: hi - lo, capacity: buffer.capacity, path: file.path, owner: buffer), quoted)
    }
}

/// A thread's buffer for the bytes of one chunk at a time.
final class ChunkBuffer {
    private(set) var bytes: UnsafeMutablePointer<UInt8>
    private(set) var capacity: Int

    init() {
        capacity = 1
        bytes = .allocate(capacity: 1)
    }

    deinit { bytes.deallocate() }

    /// Room for `count` bytes (the old contents are not kept).
    func reserve(_ count: Int) -> UnsafeMutablePointer<UInt8> {
        if count > capacity {
            bytes.deallocate()
            capacity = count + count / 8
            bytes = .allocate(capacity: capacity)
        }
        return bytes
    }
}

extension DelimitedReader {
    /// ``inferKinds(path:displayPath:delimiter:columns:maxLineLength:fastPath:workers:dataOffset:chunkBytes:)``
    /// on the chunks of a plain file, `workers` at a time; `nil` when the file is gzip or holds a quote byte.
    static func inferKindsInChunks(
        path: String, displayPath: String?, delimiter: UInt8, columns: [Int], maxLineLength: Int, workers: Int,
        dataOffset: Int, chunkBytes: Int
    ) throws -> [ColumnBuilder.Kind]? {
        let file = try SharedFile(path: path, displayPath: displayPath ?? path)
        var magic: [UInt8] = [0, 0]
        if file.size >= 2 {
            try file.read(into: &magic, count: 2, at: 0)
            if magic == [0x1f, 0x8b] { return nil }
        }
        let plan = ChunkPlan(file: file, start: dataOffset, chunkBytes: chunkBytes)
        let results = ChunkKinds(count: plan.count)
        let next = ChunkCounter()
        let threads = min(workers, plan.count)
        DispatchQueue.concurrentPerform(iterations: threads) { _ in
            let buffer = ChunkBuffer()
            while let i = next.take(below: plan.count), !results.stopped {
                do {
                    let (input, quoted) = try plan.read(i, into: buffer)
                    if quoted {
                        results.stop()
                        return
                    }
                    let kinds = try inferKinds(input: input, header: false, delimiter: delimiter, columns: columns,
                                               maxLineLength: maxLineLength, fastPath: true)
                    results.set(i, kinds)
                } catch {
                    results.stop()
                    return
                }
            }
        }
        // A quote, or a read error the one-thread pass will report with its context.
        guard !results.stopped else { return nil }
        var kinds = Array(repeating: ColumnBuilder.Kind.integer, count: columns.count)
        for chunk in results.all {
            for c in kinds.indices { kinds[c] = ColumnBuilder.Kind.join(kinds[c], chunk[c]) }
        }
        return kinds
    }
}

extension ColumnBuilder.Kind {
    /// The kind that holds the values of both: integer < real < text.
    static func join(_ a: Self, _ b: Self) -> Self {
        if a == .text || b == .text { return .text }
        if a == .real || b == .real { return .real }
        return .integer
    }
}

/// The next chunk for a typing thread.
private final class ChunkCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var next = 0

    func take(below count: Int) -> Int? {
        lock.lock()
        defer { lock.unlock() }
        guard next < count else { return nil }
        next += 1
        return next - 1
    }
}

/// The kinds found in each chunk by the typing threads.
private final class ChunkKinds: @unchecked Sendable {
    private let lock = NSLock()
    private var kinds: [[ColumnBuilder.Kind]?]
    private var _stopped = false

    init(count: Int) { kinds = Array(repeating: nil, count: count) }

    func set(_ i: Int, _ value: [ColumnBuilder.Kind]) {
        lock.lock()
        kinds[i] = value
        lock.unlock()
    }

    func stop() {
        lock.lock()
        _stopped = true
        lock.unlock()
    }

    var stopped: Bool {
        lock.lock()
        defer { lock.unlock() }
        return _stopped
    }

    var all: [[ColumnBuilder.Kind]] { kinds.compactMap { $0 } }
}
