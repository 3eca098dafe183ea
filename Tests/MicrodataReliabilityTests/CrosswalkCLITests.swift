import Foundation
import MicrodataTestSupport
import Testing

/// `microdata crosswalk list | show` through the built binary.
@Suite(.timeLimit(.minutes(1))) struct CrosswalkCLITests {
    /// A user folder with the crosswalk `mine` (MYOCC → SOC2020), with or without a weight column.
    static func userFolder(weights: Bool) throws -> URL {
        let dir = try Fixtures.temporaryDirectory()
        let csv = weights ? "occ,soc,w\n10,2134,0.75\n10,2135,0.25\n20,1111,1\n" : "occ,soc\n10,2134\n20,1111\n"
        try csv.write(to: dir.appendingPathComponent("mine.csv"), atomically: true, encoding: .utf8)
        let w = weights
            ? #""weights": {"survey": "w"}, "defaultBasis": "survey", "check": {"groupBy": "from", "total": 1, "tolerance": 0.001},"#
            : ""
        let manifest = """
            {"format": 1, "entries": [{"name": "mine", "kind": "crosswalk", "file": "mine.csv", "from": "MYOCC",
             "to": "SOC2020", "fromColumn": "occ", "toColumn": "soc", \(w) "source": "my survey's coding frame",
             "issued": "2026", "licence": "CC0-1.0"}]}
            """
        try manifest.write(to: dir.appendingPathComponent("manifest.json"), atomically: true, encoding: .utf8)
        return dir
    }

    static func sha256(_ url: URL) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
        process.arguments = [url.path]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(String(decoding: data, as: UTF8.self).prefix(64))
    }

    @Test func listShowsSourceAndChecksum() throws {
        let folder = try Self.userFolder(weights: true)
        let r = try CLIFailureTests.run(["crosswalk", "list", "--crosswalks", folder.path])
        #expect(r.status == 0, "\(r.stderr)")
        let rows = r.stdout.split(separator: "\n").map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
        #expect(rows[0] == ["name", "kind", "scheme", "bases", "source", "issued", "licence", "sha256", "note"])
        #expect(rows.allSatisfy { $0.count == 9 })
        let mine = try #require(rows.first { $0[0] == "mine" })
        let sha = try Self.sha256(folder.appendingPathComponent("mine.csv"))
        #expect(mine == ["mine", "crosswalk", "MYOCC>SOC2020", "survey", "my survey's coding frame", "2026", "CC0-1.0",
                         sha, "no sha256 in manifest"])
        // A shipped entry: its manifest checksum, which is that of its file.
        let shipped = try #require(rows.first { $0[0] == "soc2010-soc2020" })
        #expect(shipped[4].isEmpty == false)
        #expect(shipped[7] == (try Self.sha256(Fixtures.codebook("crosswalks/soc2010_to_soc2020_ons_relationship_long.csv"))))
    }

    @Test func showEndsEveryLineIncludingTheBases() throws {
        let folder = try Self.userFolder(weights: true)
        let sha = try Self.sha256(folder.appendingPathComponent("mine.csv"))
        let r = try CLIFailureTests.run(["crosswalk", "show", "mine", "--crosswalks", folder.path])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == """
            mine: crosswalk, file mine.csv
            source: my survey's coding frame
            issued 2026; licence CC0-1.0; sha256 \(sha)
            MYOCC → SOC2020: 2 source codes, 3 links, 1 one-to-one, max fan-out 2
            bases: survey (default survey)

            occ	soc	w
            10	2134	0.75
            10	2135	0.25
            20	1111	1

            """)
        let plain = try Self.userFolder(weights: false)
        let p = try CLIFailureTests.run(["crosswalk", "show", "mine", "--crosswalks", plain.path])
        #expect(p.status == 0, "\(p.stderr)")
        #expect(p.stdout.contains("2 links, 2 one-to-one, max fan-out 1\nbases: none (a code list without link weights)\n"))
        #expect(p.stdout.hasSuffix("\nocc\tsoc\n10\t2134\n20\t1111\n"))
    }

    @Test func showSearchesAndPrintsJSON() throws {
        let found = try CLIFailureTests.run(["crosswalk", "show", "SOC2000", "--search", "NURSES"])
        #expect(found.status == 0, "\(found.stderr)")
        #expect(found.stdout.hasPrefix("== SOC2000 (codeframe)\ncode\tlevel\ttitle\tparent\n"))
        #expect(found.stdout.contains("\n3211\tunit\tNurses‡‡\t\n"))
        let json = try CLIFailureTests.run(["crosswalk", "show", "soc2000-soc2010-table1b", "1111", "--format", "json"])
        #expect(json.status == 0, "\(json.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let rows = try #require(object["rows"] as? [[Any]])
        #expect(rows.count == 3)
        #expect(rows[2][2] as? String == "1184" && rows[2][5] is NSNull && rows[2][4] as? String == "5.6")
        let none = try CLIFailureTests.run(["crosswalk", "show", "--search", "no such title anywhere"])
        #expect(none.status == 1 && none.stderr.contains("no rows contain"))
        #expect(try CLIFailureTests.run(["crosswalk", "show"]).status == 2)
    }
}
