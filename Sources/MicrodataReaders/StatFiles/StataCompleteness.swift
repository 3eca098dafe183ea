import Foundation

/// Whether a Stata file holds every byte it declares. ReadStat stops quietly at the end of the file once the
/// rows are read, so a `.dta` cut in its value labels (or, in formats 117+, its strLs) read as complete.
enum StataCompleteness {
    /// The file size a format 117–119 file's `<map>` declares (its last offset, the end of the file), or
    /// `nil` for an older format or a map that cannot be read.
    static func declaredSize(path: String) -> Int64? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        let head = [UInt8]((try? handle.read(upToCount: 1024)) ?? Data())
        guard head.starts(with: Array("<stata_dta>".utf8)),
              let order = find(Array("<byteorder>".utf8), in: head),
              let map = find(Array("<map>".utf8), in: head)
        else { return nil }
        let little = head.count >= order + 14 && head[order + 11] == UInt8(ascii: "L")
        let last = map + 5 + 13 * 8
        guard head.count >= last + 8 else { return nil }
        var value: UInt64 = 0
        for k in 0..<8 {
            let byte = UInt64(head[little ? last + 7 - k : last + k])
            value = value << 8 | byte
        }
        return value > 0 && value < UInt64(Int64.max) ? Int64(value) : nil
    }

    private static func find(_ needle: [UInt8], in bytes: [UInt8]) -> Int? {
        guard bytes.count >= needle.count else { return nil }
        for i in 0...(bytes.count - needle.count) where bytes[i] == needle[0] {
            if Array(bytes[i..<(i + needle.count)]) == needle { return i }
        }
        return nil
    }

    /// Throws when `session`'s file is shorter than its map declares (formats 117+), or (older formats, which
    /// have no map) when ReadStat's last read was cut part-way by the end of the file.
    static func check(_ session: ReadStatSession) throws {
        if let declared = declaredSize(path: session.path) {
            guard session.fileSize < declared else { return }
            throw StatFileError(
                kind: .truncated,
                message: "the file is cut short: its map declares \(declared) bytes (truncated?)",
                file: session.path, byteOffset: Int(session.fileSize), fileSize: Int(session.fileSize))
        }
        if let short = session.lastShortRead, short.got > 0, let note = session.truncationNote {
            throw StatFileError(kind: .truncated, message: "the file ended inside its value labels; " + note,
                                file: session.path, byteOffset: Int(session.errorOffset), fileSize: Int(session.fileSize))
        }
    }
}
