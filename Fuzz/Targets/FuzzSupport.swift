import Foundation

/// A scratch file private to this fuzzing process, rewritten for every input.
enum Scratch {
    static let folder: URL = {
        let base = ProcessInfo.processInfo.environment["FUZZ_SCRATCH"] ?? "/dev/shm"
        let url = URL(fileURLWithPath: base).appendingPathComponent("microdata-fuzz-\(getpid())")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }()

    static func write(_ bytes: UnsafeRawBufferPointer, name: String) -> URL {
        let url = folder.appendingPathComponent(name)
        _ = FileManager.default.createFile(atPath: url.path, contents: Data(bytes))
        return url
    }

    static func write(_ data: Data, name: String) -> URL {
        let url = folder.appendingPathComponent(name)
        _ = FileManager.default.createFile(atPath: url.path, contents: data)
        return url
    }

    /// Splits `data` at each occurrence of `marker`.
    static func split(_ data: Data, on marker: String) -> [Data] {
        let m = Data(marker.utf8)
        var parts: [Data] = []
        var rest = data[...]
        while let r = rest.range(of: m) {
            parts.append(Data(rest[rest.startIndex..<r.lowerBound]))
            rest = rest[r.upperBound...]
        }
        parts.append(Data(rest))
        return parts
    }
}
