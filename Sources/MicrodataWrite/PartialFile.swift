import Foundation

/// The file of a partial result (`microdata tabulate --partial`): a text header, then the payload.
///
/// ```
/// microdata partial result
/// format: 1
/// stamp: NOT DISCLOSURE CONTROLLED: intermediate: not for release ...
/// payload-bytes: 5120
/// payload-sha256: 9f86d0...
///
/// {"accumulators":...}
/// ```
///
/// The first line identifies the file, `format` its version; the payload's length and SHA-256 are checked on
/// every read, so a truncated or altered file is refused rather than combined.
public enum PartialFile {
    /// The first line of every partial result.
    public static let magic = "microdata partial result"
    /// The format version this build writes and reads.
    public static let version = 1
    /// The stamp in the header and in the audit sidecar: the file is not a publishable output.
    public static let stamp = "\(OutputAudit.notControlled): intermediate: not for release (unweighted counts and "
        + "per-PSU totals of one part; give it to microdata combine)"

    /// The file's bytes for `payload`.
    public static func encode(_ payload: Data) -> Data {
        let header = """
            \(magic)
            format: \(version)
            stamp: \(stamp)
            payload-bytes: \(payload.count)
            payload-sha256: \(SHA256.hex([UInt8](payload)))


            """
        return Data(header.utf8) + payload
    }

    /// Whether `bytes` start like a partial result (any version).
    public static func isPartial(_ bytes: Data) -> Bool {
        bytes.starts(with: Data((magic + "\n").utf8))
    }

    /// The verified payload of the partial result in `bytes`, read from `file` (named in errors).
    public static func decode(_ bytes: Data, file: String) throws -> Data {
        guard isPartial(bytes) else { throw PartialFileError.notPartial(file: file) }
        let separator = Data("\n\n".utf8)
        guard let end = bytes.range(of: separator) else {
            throw PartialFileError.truncated(file: file, detail: "the header has no end")
        }
        let header = String(decoding: bytes[bytes.startIndex..<end.lowerBound], as: UTF8.self)
        var fields: [String: String] = [:]
        for line in header.split(separator: "\n").dropFirst() {
            guard let colon = line.firstIndex(of: ":") else {
                throw PartialFileError.corrupted(file: file, detail: "header line '\(line)' has no field name")
            }
            fields[String(line[..<colon])] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        guard let format = fields["format"].flatMap(Int.init) else {
            throw PartialFileError.corrupted(file: file, detail: "the header has no format version")
        }
        guard format == version else { throw PartialFileError.version(file: file, found: format, supported: version) }
        guard let bytesField = fields["payload-bytes"], let count = Int(bytesField), let sha = fields["payload-sha256"] else {
            throw PartialFileError.corrupted(file: file, detail: "the header has no payload length or checksum")
        }
        let payload = Data(bytes[end.upperBound...])
        if payload.count < count {
            throw PartialFileError.truncated(file: file, detail: "the header promises \(count) payload bytes, found \(payload.count)")
        }
        if payload.count > count {
            throw PartialFileError.corrupted(file: file, detail: "\(payload.count - count) bytes after the \(count) the header promises")
        }
        let found = SHA256.hex([UInt8](payload))
        guard found == sha else {
            throw PartialFileError.corrupted(file: file, detail: "the payload's SHA-256 is \(found), the header records \(sha)")
        }
        return payload
    }

    /// Reads and verifies the partial result at `path`.
    public static func read(_ path: String) throws -> Data {
        guard let bytes = FileManager.default.contents(atPath: path) else {
            throw PartialFileError.unreadable(file: path)
        }
        return try decode(bytes, file: path)
    }
}

/// A partial result that cannot be used, naming its file.
public enum PartialFileError: Error, Equatable, CustomStringConvertible {
    case unreadable(file: String)
    case notPartial(file: String)
    case version(file: String, found: Int, supported: Int)
    case truncated(file: String, detail: String)
    case corrupted(file: String, detail: String)

    public var description: String {
        switch self {
        case .unreadable(let f): "\(f): cannot read the partial result"
        case .notPartial(let f): "\(f) is not a partial result of microdata tabulate --partial (its first line is not '\(PartialFile.magic)')"
        case .version(let f, let found, let supported):
            "\(f): partial result format \(found); this microdata reads format \(supported): make the partial results with the same version"
        case .truncated(let f, let d): "\(f) is truncated: \(d); make it again"
        case .corrupted(let f, let d): "\(f) is corrupted (checksum check failed): \(d); make it again"
        }
    }
}
