import CZlib
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A growable byte window over a file's (decompressed) contents, refilled in chunks.
///
/// Plain files are read with `read(2)` on the calling thread. gzip files (detected by the magic bytes
/// `1f 8b`) are inflated on a producer thread into a bounded queue of chunks, so decompression overlaps
/// with parsing. A truncated or corrupt stream surfaces as a `ReadError` from ``refill()``.
final class ByteInput {
    let path: String
    /// Valid bytes are `base[start..<end]`.
    private(set) var base: UnsafeMutablePointer<UInt8>
    private(set) var capacity: Int
    var start = 0
    private(set) var end = 0
    private(set) var atEOF = false
    let isGzip: Bool
    /// Size of the file on disk (compressed size for gzip).
    let fileSize: Int
    /// A regular file (not a FIFO or device), so `fileSize` is known and a short read means the file shrank.
    let isRegularFile: Bool
    private var fd: Int32 = -1
    private var queue: BoundedQueue<ChunkItem>?
    private var producer: Thread?
    private var bomChecked = false
    /// The producer's error, rethrown on every later refill.
    private var failure: ReadError?

    static let chunkSize = 1 << 20

    /// Opens `path`; errors name `displayPath` when given (a spooled copy is reported as the original).
    init(path: String, displayPath: String? = nil) throws {
        self.path = displayPath ?? path
        fd = Glibc.open(path, O_RDONLY)
        if fd < 0 {
            throw ReadError(message: "cannot open the file: \(String(cString: strerror(errno)))", file: self.path)
        }
        var st = stat()
        let statted = fstat(fd, &st) == 0
        if statted && (st.st_mode & S_IFMT) == S_IFDIR {
            close(fd)
            throw ReadError(message: "is a directory, not a data file", file: self.path)
        }
        isRegularFile = statted && (st.st_mode & S_IFMT) == S_IFREG
        fileSize = statted ? Int(st.st_size) : 0
        // The magic bytes: peeked with pread on a file; on a pipe or FIFO read and handed on as a prefix.
        var magic: [UInt8] = [0, 0]
        var prefix: [UInt8] = []
        let descriptor = fd
        var n = Glibc.pread(descriptor, &magic, 2, 0)
        if n < 0 && errno == ESPIPE {
            n = 0
            while n < 2 {
                let done = n
                let got = magic.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress! + done, 2 - done) }
                if got < 0 && errno == EINTR { continue }
                if got <= 0 { break }
                n += got
            }
            prefix = Array(magic[0..<n])
        }
        isGzip = n == 2 && magic[0] == 0x1f && magic[1] == 0x8b
        capacity = 4 * ByteInput.chunkSize
        base = .allocate(capacity: capacity)
        if !isGzip && !prefix.isEmpty {
            for (i, byte) in prefix.enumerated() { base[i] = byte }
            end = prefix.count
            plainOffset = prefix.count
        }
        if isGzip {
            let queue = BoundedQueue<ChunkItem>(limit: 4)
            self.queue = queue
            let fd = self.fd
            self.fd = -1
            let head = prefix
            let thread = Thread { GzipProducer(fd: fd, path: path, queue: queue, prefix: head).run() }
            thread.stackSize = 1 << 20
            producer = thread
            thread.start()
        }
    }

    /// The bytes of one chunk of a file, already read into `buffer` (`capacity` bytes, which `owner` keeps and
    /// frees): at the end of the data from the start, no byte-order mark looked for, no progress shown.
    init(chunk buffer: UnsafeMutablePointer<UInt8>, count: Int, capacity: Int, path: String, owner: AnyObject) {
        self.path = path
        base = buffer
        bufferOwner = owner
        self.capacity = capacity
        end = count
        atEOF = true
        isGzip = false
        fileSize = 0
        isRegularFile = false
        bomChecked = true
    }

    /// A plain file read on from byte `offset` of `descriptor` (owned from now on), with no byte-order mark
    /// looked for: the rest of a file whose start was read in chunks.
    init(descriptor: Int32, offset: Int, fileSize: Int, path: String) {
        self.path = path
        fd = descriptor
        lseek(descriptor, off_t(offset), SEEK_SET)
        plainOffset = offset
        self.fileSize = fileSize
        isRegularFile = true
        isGzip = false
        capacity = 4 * ByteInput.chunkSize
        base = .allocate(capacity: capacity)
        bomChecked = true
    }

    deinit {
        queue?.cancel()
        if fd >= 0 { close(fd) }
        if bufferOwner == nil { base.deallocate() }
    }

    /// Keeps and frees `base` instead of this input (a chunk's reused buffer).
    private var bufferOwner: AnyObject?

    /// Bytes of the file consumed so far: compressed bytes for gzip, plain bytes otherwise.
    var fileOffset: Int {
        if let queue { return queue.position }
        return plainOffset
    }
    private var plainOffset = 0

    /// Moves the unconsumed bytes to the front and appends more data. Returns `false` at the end of the data.
    func refill() throws -> Bool {
        if let failure { throw failure }
        if atEOF { return false }
        if start > 0 {
            let remaining = end - start
            if remaining > 0 { memmove(base, base + start, remaining) }
            end = remaining
            start = 0
        }
        let got: Bool
        if let queue {
            switch queue.pop() {
            case .chunk(let chunk):
                ensureSpace(chunk.count)
                chunk.withUnsafeBufferPointer { src in
                    (base + end).update(from: src.baseAddress!, count: src.count)
                }
                end += chunk.count
                got = true
            case .end:
                got = false
            case .failure(let error):
                failure = error
                throw error
            }
        } else {
            ensureSpace(ByteInput.chunkSize)
            var n: Int
            // One chunk at a time: the first read only has to hold the header when chunks are parsed apart.
            repeat { n = Glibc.read(fd, base + end, ByteInput.chunkSize) } while n < 0 && errno == EINTR
            if n < 0 {
                throw ReadError(message: "cannot read the file: \(String(cString: strerror(errno)))", file: path)
            }
            end += n
            plainOffset += n
            got = n > 0
            if n == 0 && isRegularFile && plainOffset < fileSize {
                throw ReadError(
                    message: "the file shrank while it was being read: it ended after \(plainOffset) of the "
                        + "\(fileSize) bytes it had when opened", file: path)
            }
        }
        if !got { atEOF = true }
        if !bomChecked, end >= 3 || atEOF {
            bomChecked = true
            if end - start >= 3, base[start] == 0xEF, base[start + 1] == 0xBB, base[start + 2] == 0xBF { start += 3 }
        }
        return got
    }

    /// Throws when the unconsumed bytes (one unfinished line or record) exceed `maxLineLength`; called before a
    /// refill that would grow the window.
    func checkLineLength(_ maxLineLength: Int, line: Int) throws {
        guard end - start > maxLineLength else { return }
        throw lineTooLong(maxLineLength, line: line)
    }

    /// The error for a line or record longer than `maxLineLength`.
    func lineTooLong(_ maxLineLength: Int, line: Int) -> ReadError {
        ReadError(
            message: "the line is longer than the maximum line length of \(maxLineLength) bytes "
                + "(raise it with --max-line-length, or ReadOptions.maxLineLength, if the file really has lines this long)",
            file: path, line: line)
    }

    private func ensureSpace(_ extra: Int) {
        if capacity - end >= extra { return }
        var newCapacity = capacity * 2
        while newCapacity - end < extra { newCapacity *= 2 }
        base = base.reallocated(keeping: end, capacity: newCapacity)
        capacity = newCapacity
    }
}

/// What the gzip producer hands to the parser.
enum ChunkItem {
    case chunk([UInt8])
    case end
    case failure(ReadError)
}

/// Inflates a gzip file (concatenated members allowed) into chunks on its own thread.
struct GzipProducer {
    let fd: Int32
    let path: String
    let queue: BoundedQueue<ChunkItem>
    /// Bytes already read from a pipe (the magic bytes), inflated before the rest.
    var prefix: [UInt8] = []

    func run() {
        defer { close(fd) }
        var stream = z_stream()
        guard czlib_inflateInit2(&stream, 15 + 32) == Z_OK else {
            _ = queue.push(.failure(ReadError(message: "cannot initialise zlib", file: path)), position: 0)
            return
        }
        defer { inflateEnd(&stream) }
        let inSize = 256 * 1024
        let input = UnsafeMutablePointer<UInt8>.allocate(capacity: inSize)
        defer { input.deallocate() }
        var consumed = 0
        if !prefix.isEmpty {
            for (i, byte) in prefix.enumerated() { input[i] = byte }
            stream.next_in = input
            stream.avail_in = UInt32(prefix.count)
            consumed = prefix.count
        }
        var inputEOF = false
        var streamEnded = false
        var out = [UInt8](repeating: 0, count: ByteInput.chunkSize)
        var outCount = 0
        func fail(_ message: String) {
            _ = queue.push(.failure(ReadError(message: message, file: path)), position: consumed)
        }
        while true {
            if stream.avail_in == 0 && !inputEOF {
                var n: Int
                repeat { n = read(fd, input, inSize) } while n < 0 && errno == EINTR
                if n < 0 { return fail("cannot read the file: \(String(cString: strerror(errno)))") }
                if n == 0 {
                    inputEOF = true
                } else {
                    stream.next_in = input
                    stream.avail_in = UInt32(n)
                    consumed += n
                }
            }
            if stream.avail_in == 0 && inputEOF {
                if !streamEnded {
                    return fail("truncated gzip stream: the file ends before the end of the compressed data")
                }
                break
            }
            if streamEnded {
                // Another gzip member follows.
                if inflateReset(&stream) != Z_OK { return fail("corrupt gzip stream: cannot start the next member") }
                streamEnded = false
            }
            let status: Int32 = out.withUnsafeMutableBufferPointer { buffer in
                stream.next_out = buffer.baseAddress! + outCount
                stream.avail_out = UInt32(buffer.count - outCount)
                let status = inflate(&stream, Z_NO_FLUSH)
                outCount = buffer.count - Int(stream.avail_out)
                return status
            }
            switch status {
            case Z_OK, Z_BUF_ERROR:
                break
            case Z_STREAM_END:
                streamEnded = true
            default:
                let detail = stream.msg.map { String(cString: $0) } ?? "zlib error \(status)"
                return fail("corrupt gzip stream: \(detail)")
            }
            if outCount == out.count {
                if !queue.push(.chunk(out), position: consumed - Int(stream.avail_in)) { return }
                out = [UInt8](repeating: 0, count: ByteInput.chunkSize)
                outCount = 0
            }
            if queue.isCancelled { return }
        }
        if outCount > 0 {
            out.removeSubrange(outCount...)
            if !queue.push(.chunk(out), position: consumed) { return }
        }
        _ = queue.push(.end, position: consumed)
    }
}
