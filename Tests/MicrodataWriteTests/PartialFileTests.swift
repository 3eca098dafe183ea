import Foundation
import Testing

@testable import MicrodataWrite

/// Issue 19: the partial result file is versioned and checksummed; every way it can be damaged is refused
/// naming the file.
struct PartialFileTests {
    static let payload = Data(#"{"accumulators":{"rows":3},"data":"/tmp/a.csv"}"#.utf8)

    @Test func aWrittenFileReadsBackItsPayload() throws {
        let bytes = PartialFile.encode(Self.payload)
        #expect(PartialFile.isPartial(bytes))
        #expect(try PartialFile.decode(bytes, file: "a.partial") == Self.payload)
        let header = String(decoding: bytes, as: UTF8.self)
        #expect(header.hasPrefix("microdata partial result\nformat: 1\nstamp: NOT DISCLOSURE CONTROLLED: intermediate: not for release"))
        #expect(header.contains("payload-sha256: \(SHA256.hex([UInt8](Self.payload)))\n"))
    }

    @Test func damageIsRefusedNamingTheFile() throws {
        let bytes = PartialFile.encode(Self.payload)
        var flipped = bytes
        flipped[flipped.count - 5] ^= 0x20
        #expect(throws: PartialFileError.self) { try PartialFile.decode(flipped, file: "a.partial") }
        do { _ = try PartialFile.decode(flipped, file: "a.partial") } catch let e as PartialFileError {
            guard case .corrupted(let file, _) = e else { Issue.record("\(e)"); return }
            #expect(file == "a.partial")
            #expect(e.description.hasPrefix("a.partial is corrupted (checksum check failed)"))
        }
        #expect(throws: PartialFileError.truncated(
            file: "b.partial", detail: "the header promises \(Self.payload.count) payload bytes, found \(Self.payload.count - 7)")) {
            try PartialFile.decode(bytes.dropLast(7), file: "b.partial")
        }
        let later = Data(String(decoding: bytes, as: UTF8.self).replacingOccurrences(of: "format: 1", with: "format: 2").utf8)
        #expect(throws: PartialFileError.version(file: "c.partial", found: 2, supported: 1)) {
            try PartialFile.decode(later, file: "c.partial")
        }
        #expect(throws: PartialFileError.notPartial(file: "d.csv")) { try PartialFile.decode(Data("a,b\n1,2\n".utf8), file: "d.csv") }
        #expect(throws: PartialFileError.self) { try PartialFile.decode(bytes.prefix(30), file: "e.partial") }
    }
}
