import Foundation
import MicrodataTestSupport
import Testing

/// Issue 19, mergeable partial results: `tabulate --partial` on parts of a file and `combine` give the table of
/// one `tabulate` over the whole file (numbers within 1e-12, disclosure control on the combined table), and a
/// partial result is refused where it does not belong.
@Suite(.timeLimit(.minutes(3))) struct CombineCLITests {
    static func run(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        try CLIFailureTests.run(arguments)
    }

    /// Writes the header and the rows of `lines` in `cuts` as part files; returns the whole file and the parts.
    static func split(_ lines: [String], header: String, cuts: [Int], in dir: URL) throws -> (whole: String, parts: [String]) {
        let whole = dir.appendingPathComponent("whole.csv")
        try (([header] + lines).joined(separator: "\n") + "\n").write(to: whole, atomically: true, encoding: .utf8)
        var parts: [String] = []
        let bounds = [0] + cuts + [lines.count]
        for k in 0..<(bounds.count - 1) {
            let part = dir.appendingPathComponent("part\(k + 1).csv")
            try (([header] + lines[bounds[k]..<bounds[k + 1]]).joined(separator: "\n") + "\n")
                .write(to: part, atomically: true, encoding: .utf8)
            parts.append(part.path)
        }
        return (whole.path, parts)
    }

    /// `tabulate --partial` on every part, then `combine`; and one `tabulate` on the whole file.
    static func wholeAndCombined(
        _ whole: String, _ parts: [String], _ arguments: [String], combine: [String] = []
    ) throws -> (whole: String, combined: String, partials: [String]) {
        var partials: [String] = []
        for part in parts {
            let partial = part.replacingOccurrences(of: ".csv", with: ".partial")
            let r = try run(["tabulate", "--data", part] + arguments + ["--partial", partial])
            #expect(r.status == 0, "\(r.stderr)")
            #expect(r.stdout.isEmpty)
            partials.append(partial)
        }
        let one = try run(["tabulate", "--data", whole] + arguments)
        #expect(one.status == 0, "\(one.stderr)")
        let combined = try run(["combine"] + partials + combine)
        #expect(combined.status == 0, "\(combined.stderr)")
        return (one.stdout, combined.stdout, partials)
    }

    /// Every field equal, numbers within 1e-12 relative.
    static func expectSameTable(_ a: String, _ b: String, _ what: String) {
        let la = a.split(separator: "\n"), lb = b.split(separator: "\n")
        #expect(la.count == lb.count && la.count > 1, "\(what)")
        for (x, y) in zip(la, lb) {
            let fx = x.split(separator: ",", omittingEmptySubsequences: false)
            let fy = y.split(separator: ",", omittingEmptySubsequences: false)
            #expect(fx.count == fy.count, "\(what)")
            for (u, v) in zip(fx, fy) where u != v {
                guard let p = Double(u), let q = Double(v) else {
                    Issue.record("\(what): '\(u)' vs '\(v)' in\n\(x)\n\(y)")
                    continue
                }
                #expect(abs(p - q) <= 1e-12 * max(abs(p), abs(q)), "\(what): \(p) vs \(q)")
            }
        }
    }

    static func apistrat() throws -> (dir: URL, whole: String, parts: [String]) {
        let text = try String(contentsOf: Fixtures.url("rsurvey/apistrat.csv"), encoding: .utf8)
        var lines = text.split(separator: "\n").map(String.init)
        let header = lines.removeFirst()
        let dir = try Fixtures.temporaryDirectory()
        let (whole, parts) = try split(lines, header: header, cuts: [80, 150], in: dir)
        return (dir, whole, parts)
    }

    @Test(arguments: [
        ["--weight", "pw"],
        ["--weight", "pw", "--strata", "stype", "--fpc", "fpc"],
        ["--weight", "pw", "--design-factor", "1.2"],
        ["--weight", "pw", "--strata", "stype", "--psu", "dnum", "--fpc", "fpc", "--nest"],
    ])
    func combinedPartialsGiveTheNumbersOfOneRun(_ design: [String]) throws {
        let (_, whole, parts) = try Self.apistrat()
        let ratio = design.contains("--design-factor") ? [] : [["--ratio", "api00/api99"]]  // a design factor has no ratio
        for statistic in [["--mean", "api00"], ["--total", "enroll"], ["--proportion", "sch.wide"]] + ratio {
            let (one, combined, _) = try Self.wholeAndCombined(whole, parts, design + statistic + ["--by", "awards"])
            Self.expectSameTable(one, combined, "\(design) \(statistic)")
            #expect(combined.contains("Yes") && combined.contains("No"))
        }
    }

    @Test func replicateWeightsCombine() throws {
        let text = try String(contentsOf: Fixtures.url("rsurvey/apiclus1_jk1.csv"), encoding: .utf8)
        var lines = text.split(separator: "\n").map(String.init)
        let header = lines.removeFirst()
        let (whole, parts) = try Self.split(lines, header: header, cuts: [70, 140], in: try Fixtures.temporaryDirectory())
        let (one, combined, _) = try Self.wholeAndCombined(
            whole, parts, ["--weight", "pw", "--replicate-weights", "^rw[0-9]+$", "--replicate-type", "JK1", "--mean", "api00",
                           "--by", "stype"])
        Self.expectSameTable(one, combined, "JK1")
    }

    /// Region A has fewer than 10 rows in every part but 14 in all; C has 3 in all: A is published, C withheld
    /// with a secondary suppression, exactly as one run over the whole file.
    @Test func disclosureControlRunsOnTheCombinedTable() throws {
        var lines: [String] = []
        let plan: [(String, Int)] = [("A", 14), ("B", 12), ("C", 3), ("D", 13)]
        var rows: [[String]] = [[], [], []]
        var i = 0
        for (region, count) in plan {
            for k in 0..<count {
                i += 1
                rows[k % 3].append("\(i),\(region),\(100 + (i * 37) % 53),\(1 + i % 3)")
            }
        }
        for part in rows { lines += part }
        let dir = try Fixtures.temporaryDirectory()
        let (whole, parts) = try Self.split(lines, header: "id,region,income,w", cuts: [rows[0].count, rows[0].count + rows[1].count], in: dir)
        for part in rows { #expect(part.filter { $0.contains(",A,") }.count < 10) }
        let (one, combined, _) = try Self.wholeAndCombined(whole, parts, ["--weight", "w", "--mean", "income", "--by", "region"])
        Self.expectSameTable(one, combined, "disclosure")
        let byRegion = Dictionary(uniqueKeysWithValues: combined.split(separator: "\n").dropFirst().map { line in
            (String(line.split(separator: ",")[0]), String(line))
        })
        #expect(byRegion["C"]?.contains("[c]") == true, "\(combined)")
        #expect(byRegion["A"]?.contains("[c]") == false, "\(combined)")
        #expect(byRegion.values.filter { $0.contains("[c]") }.count >= 2, "secondary suppression: \(combined)")
    }

    /// The codebook's value labels travel in the partial results: the combined table shows them in codebook
    /// order, and parts made with other labels are refused.
    @Test func codebookLabelsAreCarriedAndCompared() throws {
        let (data, book) = try TabulateLabelsTests.files()
        var lines = try String(contentsOfFile: data, encoding: .utf8).split(separator: "\n").map(String.init)
        let header = lines.removeFirst()
        let dir = try Fixtures.temporaryDirectory()
        let (whole, parts) = try Self.split(lines, header: header, cuts: [40], in: dir)
        let arguments = ["--codebook", book, "--weight", "w", "--mean", "income", "--by", "region"]
        let (one, combined, partials) = try Self.wholeAndCombined(whole, parts, arguments)
        Self.expectSameTable(one, combined, "labels")
        #expect(combined.split(separator: "\n").dropFirst().map { $0.split(separator: ",")[1] } == ["South", "North", "East"])
        let relabelled = dir.appendingPathComponent("book2.xml").path
        try String(contentsOfFile: book, encoding: .utf8).replacingOccurrences(of: "South", with: "Sud")
            .write(toFile: relabelled, atomically: true, encoding: .utf8)
        let other = dir.appendingPathComponent("other.partial").path
        #expect(try Self.run(["tabulate", "--data", parts[1], "--codebook", relabelled] + arguments.dropFirst(2)
                             + ["--partial", other]).status == 0)
        let r = try Self.run(["combine", partials[0], other])
        #expect(r.status == 2 && r.stderr.contains("different labels.region"), "\(r.stderr)")
    }

    @Test func partialsWithDifferentRequestsAreRefusedNamingTheField() throws {
        let (dir, _, parts) = try Self.apistrat()
        let a = dir.appendingPathComponent("a.partial").path, b = dir.appendingPathComponent("b.partial").path
        #expect(try Self.run(["tabulate", "--data", parts[0], "--weight", "pw", "--mean", "api00", "--by", "awards", "--partial", a]).status == 0)
        #expect(try Self.run(["tabulate", "--data", parts[1], "--weight", "pw", "--mean", "api00", "--by", "stype", "--partial", b]).status == 0)
        let r = try Self.run(["combine", a, b])
        #expect(r.status == 2)
        #expect(r.stderr.contains("\(b) was made with a different by"), "\(r.stderr)")
        let c = dir.appendingPathComponent("c.partial").path
        #expect(try Self.run(["tabulate", "--data", parts[1], "--weight", "pw", "--strata", "stype", "--mean", "api00", "--by", "awards",
                              "--partial", c]).status == 0)
        let s = try Self.run(["combine", a, c])
        #expect(s.status == 2 && s.stderr.contains("different design.strata"), "\(s.stderr)")
    }

    /// Doubled counts would pass thresholds the real counts fail: one part given twice, a copy of it, or two
    /// partial results of the same data file are refused.
    @Test func partsThatWouldCountRowsTwiceAreRefused() throws {
        let (dir, _, parts) = try Self.apistrat()
        let request = ["--weight", "pw", "--mean", "api00", "--by", "awards"]
        let a = dir.appendingPathComponent("a.partial").path, b = dir.appendingPathComponent("b.partial").path
        let again = dir.appendingPathComponent("again.partial").path, copy = dir.appendingPathComponent("copy.partial").path
        #expect(try Self.run(["tabulate", "--data", parts[0]] + request + ["--partial", a]).status == 0)
        #expect(try Self.run(["tabulate", "--data", parts[1]] + request + ["--partial", b]).status == 0)
        try FileManager.default.copyItem(atPath: a, toPath: copy)
        #expect(try Self.run(["combine", a, b]).status == 0)
        // The same file, grown between two runs: its first rows would be counted twice.
        let grown = try String(contentsOfFile: parts[1], encoding: .utf8)
            + String(contentsOfFile: parts[0], encoding: .utf8).split(separator: "\n").dropFirst().joined(separator: "\n") + "\n"
        try grown.write(toFile: parts[1], atomically: true, encoding: .utf8)
        #expect(try Self.run(["tabulate", "--data", parts[1]] + request + ["--partial", again]).status == 0)
        for (x, y, reason) in [(a, a, "the same accumulators"), (a, copy, "the same accumulators"), (b, again, "both were made from")] {
            let r = try Self.run(["combine", x, y])
            #expect(r.status == 2, "\(r.stderr)")
            #expect(r.stderr.contains("would count the same rows twice") && r.stderr.contains(reason), "\(r.stderr)")
        }
    }

    @Test func aCorruptedOrTruncatedPartialIsRefusedNamingTheFile() throws {
        let (dir, _, parts) = try Self.apistrat()
        let good = dir.appendingPathComponent("good.partial").path
        #expect(try Self.run(["tabulate", "--data", parts[0], "--weight", "pw", "--mean", "api00", "--partial", good]).status == 0)
        var bytes = try Data(contentsOf: URL(fileURLWithPath: good))
        #expect(String(decoding: bytes.prefix(200), as: UTF8.self).hasPrefix("microdata partial result\nformat: 1\nstamp: NOT DISCLOSURE CONTROLLED: intermediate: not for release"))
        #expect(try Self.run(["combine", good]).status == 0)

        let flipped = dir.appendingPathComponent("flipped.partial").path
        bytes[bytes.count - 40] ^= 0x01
        try bytes.write(to: URL(fileURLWithPath: flipped))
        let r = try Self.run(["combine", flipped])
        #expect(r.status == 1)
        #expect(r.stderr.contains("\(flipped) is corrupted (checksum check failed)"), "\(r.stderr)")

        let cut = dir.appendingPathComponent("cut.partial").path
        try Data(contentsOf: URL(fileURLWithPath: good)).dropLast(100).write(to: URL(fileURLWithPath: cut))
        let t = try Self.run(["combine", cut])
        #expect(t.status == 1)
        #expect(t.stderr.contains("\(cut) is truncated"), "\(t.stderr)")

        let csv = try Self.run(["combine", parts[0]])
        #expect(csv.status == 1 && csv.stderr.contains("is not a partial result"), "\(csv.stderr)")
    }

    @Test func releaseRefusesAPartialResultEvenWithAnException() throws {
        let (dir, _, parts) = try Self.apistrat()
        let partial = dir.appendingPathComponent("p.partial").path
        #expect(try Self.run(["tabulate", "--data", parts[0], "--weight", "pw", "--mean", "api00", "--partial", partial]).status == 0)
        let audit = try String(contentsOfFile: partial + ".audit.json", encoding: .utf8)
        #expect(audit.contains("\"controlled\" : false") && audit.contains("intermediate: not for release"), "\(audit)")
        let bundle = dir.appendingPathComponent("bundle").path
        let r = try Self.run(["release", partial, "--output-dir", bundle, "--exception", "p.partial: needed"])
        #expect(r.status == 3)
        #expect(r.stderr.contains("intermediate, not for release"), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: bundle + "/p.partial"))
        // The combined table is an output like tabulate's: checked, with its sidecar, and releasable.
        let table = dir.appendingPathComponent("table.csv").path
        let c = try Self.run(["combine", partial, "--output", table])
        #expect(c.status == 0, "\(c.stderr)")
        let sidecar = try String(contentsOfFile: table + ".audit.json", encoding: .utf8)
        #expect(sidecar.contains("\"controlled\" : true"), "\(sidecar)")
        let released = try Self.run(["release", table, "--output-dir", dir.appendingPathComponent("bundle2").path])
        #expect(released.status == 0, "\(released.stderr)")
    }

    @Test func partialRefusesWhatCannotMerge() throws {
        let (dir, _, parts) = try Self.apistrat()
        let partial = dir.appendingPathComponent("q.partial").path
        let q = try Self.run(["tabulate", "--data", parts[0], "--weight", "pw", "--quantile", "api00:0.5", "--partial", partial])
        #expect(q.status == 2)
        #expect(q.stderr.contains("quantiles need every value; run tabulate on the concatenated data"), "\(q.stderr)")
        let g = try Self.run(["tabulate", "--data", parts[0], "--weight", "pw", "--gini", "api00", "--partial", partial])
        #expect(g.status == 2 && g.stderr.contains("inequality"), "\(g.stderr)")
        let o = try Self.run(["tabulate", "--data", parts[0], "--weight", "pw", "--mean", "api00", "--partial", partial,
                              "--output", dir.appendingPathComponent("t.csv").path])
        #expect(o.status == 2 && o.stderr.contains("--output and --audit belong to microdata combine"), "\(o.stderr)")
        #expect(!FileManager.default.fileExists(atPath: partial))
    }
}
