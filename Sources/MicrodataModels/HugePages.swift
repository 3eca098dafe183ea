#if canImport(Glibc)
import Glibc
#endif

/// Large arrays whose memory the kernel may back with transparent huge pages (Linux `madvise(MADV_HUGEPAGE)`,
/// a hint): a model holds several arrays of one number a row, and on a million rows faulting in and zeroing
/// their 4 KiB pages one at a time is a tenth of the job.
enum HugePages {
    /// An array of `count` elements, initialised by `fill` (which must initialise every element).
    static func array<T>(count: Int, _ fill: (UnsafeMutableBufferPointer<T>) -> Void) -> [T] {
        [T](unsafeUninitializedCapacity: count) { buffer, initialized in
            advise(UnsafeMutableRawBufferPointer(buffer))
            fill(buffer)
            initialized = count
        }
    }

    /// An array of `count` copies of `value`.
    static func array<T>(repeating value: T, count: Int) -> [T] {
        array(count: count) { $0.initialize(repeating: value) }
    }

    /// Advises huge pages for the whole 2 MiB pages inside `buffer` (buffers under 4 MiB are left alone).
    static func advise(_ buffer: UnsafeMutableRawBufferPointer) {
        #if os(Linux)
        guard buffer.count >= 4 << 20, let base = buffer.baseAddress else { return }
        let huge = UInt(2 << 20)
        let start = (UInt(bitPattern: base) + huge - 1) & ~(huge - 1)
        let end = (UInt(bitPattern: base) + UInt(buffer.count)) & ~(huge - 1)
        if end > start { _ = madvise(UnsafeMutableRawPointer(bitPattern: start), Int(end - start), MADV_HUGEPAGE) }
        #endif
    }
}
