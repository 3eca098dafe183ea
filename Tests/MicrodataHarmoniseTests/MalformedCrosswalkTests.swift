import Foundation
import MicrodataHarmonise
import MicrodataTestSupport
import Testing

/// User crosswalks in the shipped format, and the errors for malformed ones.
@Suite struct MalformedCrosswalkTests {
    func userFolder(_ csv: String, weights: Bool = true, sha: String? = nil, to: String = "SOC2020") throws -> URL {
        let dir = try Fixtures.temporaryDirectory()
        try csv.write(to: dir.appendingPathComponent("mine.csv"), atomically: true, encoding: .utf8)
        let w = weights ? #""weights": {"survey": "w"}, "defaultBasis": "survey", "check": {"groupBy": "from", "total": 1, "tolerance": 0.001},"# : ""
        let s = sha.map { #""sha256": "\#($0)","# } ?? ""
        let manifest = """
            {"format": 1, "entries": [{"name": "mine", "kind": "crosswalk", "file": "mine.csv", "from": "MYOCC", "to": "\(to)",
             "fromColumn": "occ", "toColumn": "soc", \(w) \(s) "source": "test", "issued": "2026", "licence": "OGL-3.0"}]}
            """
        try manifest.write(to: dir.appendingPathComponent("manifest.json"), atomically: true, encoding: .utf8)
        return dir
    }

    func error(_ folder: URL) -> HarmoniseError? {
        do {
            _ = try CrosswalkRegistry(folders: [Shipped.folder, folder])
            return nil
        } catch { return error as? HarmoniseError }
    }

    @Test func aValidUserCrosswalkLoadsAndMaps() throws {
        let folder = try userFolder("occ,soc,w\n10,2134,0.75\n10,2135,0.25\n20,1111,1\n")
        let r = try CrosswalkRegistry(folders: [Shipped.folder, folder])
        #expect(r.unverified["mine"]?.count == 64)
        let d = try #require(r.crosswalk(from: "MYOCC", to: "SOC2020")?.distribution(of: "10", basis: 0))
        #expect(d.map(\.target) == ["2134", "2135"] && d.map(\.share) == [0.75, 0.25])
    }

    /// A user folder holding one reference-only `table` entry.
    func tableFolder(sha: String?) throws -> URL {
        let dir = try Fixtures.temporaryDirectory()
        try "code,label\n1,one\n".write(to: dir.appendingPathComponent("ref.csv"), atomically: true, encoding: .utf8)
        let s = sha.map { #""sha256": "\#($0)","# } ?? ""
        let manifest = """
            {"format": 1, "entries": [{"name": "ref", "kind": "table", "file": "ref.csv", \(s)
             "source": "test", "issued": "2026", "licence": "CC0-1.0"}]}
            """
        try manifest.write(to: dir.appendingPathComponent("manifest.json"), atomically: true, encoding: .utf8)
        return dir
    }

    @Test func referenceTablesAreChecksummedToo() throws {
        let wrong = try #require(error(try tableFolder(sha: String(repeating: "0", count: 64))))
        #expect(wrong.file?.hasSuffix("ref.csv") == true)
        #expect(wrong.message.contains("does not match the manifest's " + String(repeating: "0", count: 64)))
        // Without a sha256 the computed one is reported; with the right one the table loads.
        let digest = "4ff40f738d6173cd761fddc35280a019eb3a7e0ef1d14de344a8a819b1f73d40"
        let unverified = try CrosswalkRegistry(folders: [Shipped.folder, try tableFolder(sha: nil)])
        #expect(unverified.unverified == ["ref": digest])
        let verified = try CrosswalkRegistry(folders: [Shipped.folder, try tableFolder(sha: digest)])
        #expect(verified.unverified.isEmpty)
        #expect(verified.entries.last?.entry.name == "ref")
        let missing = try tableFolder(sha: nil)
        try FileManager.default.removeItem(at: missing.appendingPathComponent("ref.csv"))
        #expect(error(missing)?.message == "cannot read the file of manifest entry 'ref'")
    }

    @Test func conflictingTargetsNameTheLine() throws {
        let e = try #require(error(try userFolder("occ,soc\n10,2134\n20,1111\n10,2135\n", weights: false)))
        #expect(e.line == 4)
        #expect(e.message.contains("conflicting targets 2134 (line 2) and 2135"))
        #expect(e.file?.hasSuffix("mine.csv") == true)
    }

    @Test func repeatedLinkWithOtherWeightNamesTheLine() throws {
        let e = try #require(error(try userFolder("occ,soc,w\n10,2134,0.5\n10,2134,0.5\n")))
        #expect(e.line == 3 && e.message.contains("repeats the link on line 2"))
        let conflict = try #require(error(try userFolder("occ,soc,w\n10,2134,0.5\n10,2135,0.5\n10,2134,0.4\n")))
        #expect(conflict.line == 4 && conflict.message.contains("10 → 2134 conflicts with the link on line 2"))
    }

    @Test func weightsNotSummingToOneNameTheLine() throws {
        let e = try #require(error(try userFolder("occ,soc,w\n20,1111,1\n10,2134,0.5\n10,2135,0.3\n")))
        #expect(e.line == 3)
        #expect(e.message.contains("sum to 0.8"))
    }

    @Test func unknownTargetCodeNamesTheLine() throws {
        let e = try #require(error(try userFolder("occ,soc,w\n10,2134,1\n20,1116,1\n")))
        #expect(e.line == 3)
        #expect(e.message.contains("unknown target code 1116"))
    }

    @Test func badWeightAndChecksumMismatch() throws {
        let bad = try #require(error(try userFolder("occ,soc,w\n10,2134,x\n")))
        #expect(bad.line == 2 && bad.message.contains("'x'"))
        let sum = try #require(error(try userFolder("occ,soc,w\n10,2134,1\n", sha: String(repeating: "0", count: 64))))
        #expect(sum.message.contains("does not match"))
        let noManifest = try #require(error(try Fixtures.temporaryDirectory()))
        #expect(noManifest.message.contains("cannot read the crosswalk manifest"))
    }
}
