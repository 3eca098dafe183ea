import Foundation
import MicrodataTestSupport
import Testing

/// Issue 21 §3: no file written to the output folder holds the true value of a suppressed cell. The
/// public audit keeps bounds and pass/fail; `--audit-private` writes the full audit elsewhere, under a
/// first key "NOT FOR RELEASE". Each test runs a command twice (with and without disclosure control),
/// takes the suppressed cells' true values from the unchecked run and scans every file in the folder.
@Suite(.timeLimit(.minutes(3))) struct AuditReleaseTests {
    /// A true value to look for: the cell's key (as the audit writes it) and the value's text.
    struct Secret: CustomStringConvertible {
        var key: [String]
        var value: String
        var description: String { "\(key): \(value)" }
    }

    /// Rows of a CSV (after an optional `# ` stamp line, which `mobility` still writes) keyed by the header.
    static func records(_ text: String) -> [[String: String]] {
        var lines = text.split(whereSeparator: \.isNewline).map(String.init)
        if lines.first?.hasPrefix("#") == true { lines.removeFirst() }
        guard let header = lines.first?.split(separator: ",", omittingEmptySubsequences: false).map(String.init) else { return [] }
        return lines.dropFirst().map { line in
            Dictionary(uniqueKeysWithValues: zip(header, line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)))
        }
    }

    /// The text of a file; an XLSX is unzipped first (its strings and numbers are in XML parts).
    static func text(of url: URL) throws -> String {
        guard url.pathExtension == "xlsx" else { return String(decoding: try Data(contentsOf: url), as: UTF8.self) }
        return try Fixtures.unzipped(url)
    }

    /// Where a secret shows: as a number token in any file (values of six or more characters, too
    /// distinctive to appear by chance), or as any number in an audit cell of the same key.
    static func leaks(in folder: URL, _ secrets: [Secret]) throws -> [String] {
        var found: [String] = []
        let files = try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: [.isDirectoryKey])
        #expect(!files.isEmpty)
        for file in files where !file.hasDirectoryPath {
            let text = try Self.text(of: file)
            for s in secrets where s.value.count >= 6 {
                let pattern = "(?<![0-9.])" + NSRegularExpression.escapedPattern(for: s.value) + "(?![0-9])"
                if text.range(of: pattern, options: .regularExpression) != nil { found.append("\(file.lastPathComponent): \(s)") }
            }
            guard file.pathExtension == "json",
                let object = try? JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [String: Any],
                let cells = object["cells"] as? [[String: Any]]
            else { continue }
            for cell in cells {
                guard let key = cell["key"] as? [String] else { continue }
                for s in secrets where s.key == key {
                    for (name, field) in cell where (field as? Double).map({ abs($0 - (Double(s.value) ?? .nan)) < 1e-9 }) == true {
                        found.append("\(file.lastPathComponent): cell \(key) \(name) = \(s.value)")
                    }
                }
            }
        }
        return found
    }

    static func expectFullAudit(_ path: String) throws {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let firstKey = text.split(separator: "\"", maxSplits: 2).dropFirst().first
        #expect(firstKey == "NOT FOR RELEASE", "\(text.prefix(80))")
    }

    @Test func tabulateWritesNoTrueValueOfASuppressedCellIntoTheOutputFolder() throws {
        var csv = "id,region,tenure,w\n"
        var id = 0
        for (region, counts) in [("A", [30, 20, 3]), ("B", [25, 22, 15]), ("C", [28, 4, 18])] {
            for (tenure, n) in zip(["own", "rent", "other"], counts) {
                for k in 0..<n {
                    id += 1
                    csv += "\(id),\(region),\(tenure),\(0.5 + Double((id * 37 + k) % 200) / 97.0)\n"
                }
            }
        }
        let work = try Fixtures.temporaryDirectory()
        let data = work.appendingPathComponent("data.csv")
        try Data(csv.utf8).write(to: data)
        let folder = work.appendingPathComponent("release")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let full = work.appendingPathComponent("full-audit.json").path
        let common = ["tabulate", "--data", data.path, "--weight", "w", "--proportion", "tenure", "--by", "region"]
        let r = try CLIFailureTests.run(common + [
            "--output", folder.appendingPathComponent("p.csv").path, "--audit", folder.appendingPathComponent("p.audit.json").path,
            "--audit-private", full,
        ])
        #expect(r.status == 0, "\(r.stderr)")
        let json = try CLIFailureTests.run(common + ["--format", "json", "--output", folder.appendingPathComponent("p.json").path])
        #expect(json.status == 0, "\(json.stderr)")
        #expect(try String(contentsOf: folder.appendingPathComponent("p.json"), encoding: .utf8).contains("\"rules\" : \"threshold 10;"))
        let unchecked = try CLIFailureTests.run(common + ["--no-disclosure-control"])
        let truth = Self.records(unchecked.stdout)
        let published = Self.records(try String(contentsOf: folder.appendingPathComponent("p.csv"), encoding: .utf8))
        var secrets: [Secret] = []
        for (row, true_) in zip(published, truth) where row["estimate"] == "[c]" {
            let key = [row["region"] ?? "", row["level"] ?? ""]
            for column in ["estimate", "se", "ci_low", "ci_high", "n", "weighted_n"] {
                secrets.append(Secret(key: key, value: true_[column] ?? ""))
            }
        }
        #expect(secrets.count == 4 * 6)  // A/other, A/rent, C/other, C/rent
        #expect(try Self.leaks(in: folder, secrets) == [])
        // The full audit, outside the folder, holds them (so the scan can find them).
        let privateFolder = URL(fileURLWithPath: full).deletingLastPathComponent()
        #expect(try !Self.leaks(in: privateFolder, secrets).isEmpty)
        try Self.expectFullAudit(full)
        #expect(r.stderr.contains("rules in force: threshold 10;"), "\(r.stderr)")
    }

    @Test func fullAuditInsideTheOutputFolderIsRefusedBeforeAnyWork() throws {
        let work = try Fixtures.temporaryDirectory()
        let r = try CLIFailureTests.run([
            "tabulate", "--data", work.appendingPathComponent("missing.csv").path, "--mean", "x",
            "--output", work.appendingPathComponent("t.csv").path, "--audit-private", work.appendingPathComponent("a.json").path,
        ])
        #expect(r.status != 0)
        #expect(r.stderr.contains("must not be written into the output folder"), "\(r.stderr)")
    }

    @Test func mobilityWritesNoTrueValueOfASuppressedCellIntoTheOutputFolder() throws {
        var csv = "id,o,d,w\n"
        var id = 0
        let counts = [[40, 25, 3], [22, 45, 18], [4, 20, 50]]
        for o in 0..<3 {
            for d in 0..<3 {
                for _ in 0..<counts[o][d] {
                    id += 1
                    csv += "\(id),\(o + 1),\(d + 1),\(0.5 + Double((id * 53) % 200) / 89.0)\n"
                }
            }
        }
        let work = try Fixtures.temporaryDirectory()
        let data = work.appendingPathComponent("mob.csv")
        try Data(csv.utf8).write(to: data)
        let folder = work.appendingPathComponent("release"), plain = work.appendingPathComponent("plain")
        let full = work.appendingPathComponent("full-audit.json").path
        let common = ["mobility", "--data", data.path, "--origin", "o", "--destination", "d", "--weight", "w"]
        let r = try CLIFailureTests.run(common + ["--output-dir", folder.path, "--audit-private", full])
        #expect(r.status == 0, "\(r.stderr)")
        let u = try CLIFailureTests.run(common + ["--output-dir", plain.path, "--no-disclosure-control"])
        #expect(u.status == 0, "\(u.stderr)")
        let truth = Self.records(try String(contentsOf: plain.appendingPathComponent("mobility.csv"), encoding: .utf8))
        let published = Self.records(try String(contentsOf: folder.appendingPathComponent("mobility.csv"), encoding: .utf8))
        var secrets: [Secret] = []
        for (row, true_) in zip(published, truth) where row["estimate"] == "[c]" && row["table"] != nil {
            #expect(row["table"] == true_["table"] && row["row"] == true_["row"])
            let key = [row["row"] ?? "", row["column"] ?? ""]
            for column in ["estimate", "se", "ci_low", "ci_high"] { secrets.append(Secret(key: key, value: true_[column] ?? "")) }
            if row["table"] == "outflow" { secrets.append(Secret(key: key, value: true_["n"] ?? "")) }
        }
        #expect(secrets.contains { $0.key == ["1", "3"] && $0.value == "3" })
        #expect(try Self.leaks(in: folder, secrets) == [])
        #expect(try !Self.leaks(in: URL(fileURLWithPath: full).deletingLastPathComponent(), secrets).isEmpty)
        try Self.expectFullAudit(full)
        // The rules in force are in the publication's metadata.
        #expect(try String(contentsOf: folder.appendingPathComponent("mobility.md"), encoding: .utf8).contains("threshold 10; NK(2, 90%)"))
    }

    @Test func checkWritesNoTrueValueOfASuppressedCellIntoTheOutputFolder() throws {
        let work = try Fixtures.temporaryDirectory()
        let folder = work.appendingPathComponent("release")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let table = work.appendingPathComponent("t.csv")
        try Data("""
            r,c,n,v
            A,x,3,1234.56
            A,y,40,98765.43
            A,z,25,45678.91
            B,x,30,55555.17
            B,y,4,2345.67
            B,z,35,76543.21
            C,x,28,66666.29
            C,y,33,87654.32
            C,z,26,34567.89

            """.utf8).write(to: table)
        let full = work.appendingPathComponent("full-audit.json").path
        let r = try CLIFailureTests.run([
            "check", table.path, "--count", "n", "--value", "v", "--dimensions", "r,c", "--margins",
            "--output", folder.appendingPathComponent("t.csv").path, "--audit", folder.appendingPathComponent("audit.json").path,
            "--audit-private", full,
        ])
        #expect(r.status == 0, "\(r.stderr)")
        let input = Self.records(try String(contentsOf: table, encoding: .utf8))
        let published = Self.records(try String(contentsOf: folder.appendingPathComponent("t.csv"), encoding: .utf8))
        var secrets: [Secret] = []
        for row in published where row["value"] == "[c]" {
            let key = [row["r"] ?? "", row["c"] ?? ""]
            guard let given = input.first(where: { $0["r"] == key[0] && $0["c"] == key[1] }) else { continue }
            secrets += [Secret(key: key, value: given["v"] ?? ""), Secret(key: key, value: given["n"] ?? "")]
        }
        #expect(secrets.count >= 8, "\(published)")
        #expect(try Self.leaks(in: folder, secrets) == [])
        #expect(try !Self.leaks(in: work, secrets).isEmpty)  // the input and the full audit hold them
        try Self.expectFullAudit(full)
        // A passing primary keeps its bounds in the public audit; they lie strictly outside its value.
        let audit = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("audit.json"))) as? [String: Any])
        let primary = try #require((audit["cells"] as? [[String: Any]])?.first { ($0["key"] as? [String]) == ["A", "x"] && ($0["measure"] as? String) == "count" })
        let (lower, upper) = (try #require(primary["lower"] as? Double), try #require(primary["upper"] as? Double))
        #expect(lower < 3 && upper > 3)
        #expect(primary["value"] == nil && primary["requiredLower"] == nil)
    }

    @Test func checkHelpNamesTheMarkerSuppressedValuesAreWrittenAs() throws {
        let r = try CLIFailureTests.run(["check", "--help"])
        #expect(r.status == 0)
        let help = r.stdout.replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: #"\s+"#, with: " ", options: .regularExpression)
        #expect(help.contains("suppressed values are written as `[c]`"), "\(help)")
        #expect(!help.contains("written as `x`"))
    }
}
