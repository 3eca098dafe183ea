import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A progress line on stderr, only when stderr is a terminal and the read has run for over a second.
///
/// Shows bytes read of the file size (the compressed offset for gzip), at most twice a second.
final class ProgressReporter {
    private let input: ByteInput
    private let enabled: Bool
    private let started = DispatchTime.now().uptimeNanoseconds
    private var last: UInt64 = 0
    private var shown = false

    init(input: ByteInput) {
        self.input = input
        enabled = isatty(2) == 1 && input.fileSize > 0
    }

    func update() {
        guard enabled else { return }
        let now = DispatchTime.now().uptimeNanoseconds
        guard now - started > 1_000_000_000, now - last > 500_000_000 else { return }
        last = now
        let done = Double(input.fileOffset) / 1_048_576
        let total = Double(input.fileSize) / 1_048_576
        let what = input.isGzip ? "compressed " : ""
        let line = String(format: "\rreading %@: %.1f of %.1f MB %@(%.0f%%)", (input.path as NSString).lastPathComponent,
                          done, total, what, 100 * done / max(total, 1e-9))
        FileHandle.standardError.write(line.data(using: .utf8)!)
        shown = true
    }

    func finish() {
        if shown { FileHandle.standardError.write("\r\u{1B}[K".data(using: .utf8)!) }
        shown = false
    }
}
