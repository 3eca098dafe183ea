import Foundation
import MicrodataTestSupport
import Testing

/// `microdata mobility` side doors (issue 21 §3): a suppressed table publishes nothing counted from its data, and
/// class-disclosure zeros are flagged for review in every format.
@Suite(.timeLimit(.minutes(2))) struct MobilityDisclosureTests {
    /// A CSV of people `pid,G,O,D,w`: `cells` lists (group, origin, destination, people).
    static func data(_ cells: [(String, Int, Int, Int)]) throws -> String {
        var text = "pid,G,O,D,w\n"
        var pid = 0
        for (g, o, d, n) in cells {
            for _ in 0..<n {
                pid += 1
                text += "\(pid),\(g),\(o),\(d),\(1 + Double(pid % 7) / 10)\n"
            }
        }
        let url = try Fixtures.temporaryDirectory().appendingPathComponent("mobility.csv")
        try Data(text.utf8).write(to: url)
        return url.path
    }

    /// Every format written by `--output-dir`, as text (XLSX: its shared strings and worksheets, unzipped).
    static func outputs(_ arguments: [String]) throws -> [String: String] {
        let folder = try Fixtures.temporaryDirectory().appendingPathComponent("out")
        let r = try CLIFailureTests.run(["mobility"] + arguments + ["--output-dir", folder.path])
        #expect(r.status == 0, "\(r.stderr)")
        var out: [String: String] = [:]
        for ext in ["csv", "json", "md", "html"] {
            out[ext] = try String(contentsOf: folder.appendingPathComponent("mobility.\(ext)"), encoding: .utf8)
        }
        out["xlsx"] = try Fixtures.unzipped(
            folder.appendingPathComponent("mobility.xlsx"), members: ["xl/sharedStrings.xml", "xl/worksheets/*.xml"])
        #expect(out["xlsx"]?.contains("Outflow") == true, "the XLSX could not be read")
        return out
    }

    /// Six people, one per cell: every cell, margin and rate is below the threshold.
    static let six: [(String, Int, Int, Int)] = [
        ("B", 1, 1, 1), ("B", 1, 2, 1), ("B", 2, 2, 1), ("B", 2, 3, 1), ("B", 3, 1, 1), ("B", 3, 3, 1),
    ]

    @Test func suppressedTablePublishesNoTestDegreesOfFreedomOrRowCountsInAnyFormat() throws {
        let file = try Self.data(Self.six)
        let outputs = try Self.outputs(["--data", file, "--origin", "O", "--destination", "D", "--weight", "w"])
        #expect(outputs.count == 5)
        for (format, text) in outputs {
            for leak in ["Test of independence", "Rao", "p = ", "6 of 6 rows", "df 5", "t on 5 design"] {
                #expect(!text.contains(leak), "\(format) publishes '\(leak)'")
            }
            // The table is still there, every number a marker.
            #expect(text.contains("[c]"), "\(format)")
        }
        #expect(outputs["md"]?.contains("The number of rows with both classes is withheld") == true)
        #expect(outputs["md"]?.contains("Design: weights only (SRS with weights, with replacement); df [c]") == true)
    }

    @Test func suppressedByGroupPublishesNoTestStatisticInAnyFormat() throws {
        // Group A is large; group B is six people, all of its cells suppressed.
        let big = [("A", 1, 1, 60)] + [2, 3].flatMap { o in [1, 2, 3].map { d in ("A", o, d, 40) } }
        let file = try Self.data(big + Self.six)
        let outputs = try Self.outputs(["--data", file, "--origin", "O", "--destination", "D", "--weight", "w", "--by", "G"])
        for (format, text) in outputs {
            #expect(!text.contains("Test of independence (B)"), "\(format)")
            #expect(!text.contains("Rao–Scott F"), "\(format): a test on suppressed cells")
        }
        // Every count of group B is suppressed or a (reviewed) zero.
        // The group is its own column (issue 22), not folded into the table id.
        let rows = outputs["csv"]!.split(separator: "\n").filter { $0.hasPrefix("B,counts,") }
        #expect(rows.count == 16)
        #expect(rows.allSatisfy { $0.contains("[c]") || $0.contains(",0,0,0,0,0,[r]") }, "\(rows)")
    }

    @Test func classDisclosureZerosAreFlaggedForReviewInEveryFormat() throws {
        // Everybody from origin 1 went to destination 1: the zeros (1,2) and (1,3) give it away.
        let cells = [("A", 1, 1, 60)] + [2, 3].flatMap { o in [1, 2, 3].map { d in ("A", o, d, 40) } }
        let file = try Self.data(cells)
        let outputs = try Self.outputs(["--data", file, "--origin", "O", "--destination", "D", "--weight", "w"])
        let csv = outputs["csv"]!  // row and column codes beside their labels, the status last (issue 22)
        #expect(csv.contains("counts,1,1,1,1,77.8"), "\(csv)")
        #expect(csv.contains("counts,1,1,2,2,0,0,0,0,0,[r],review:zero\n"))
        #expect(csv.contains("counts,1,1,3,3,0,0,0,0,0,[r],review:zero\n"))
        #expect(csv.split(separator: "\n").contains { $0.hasPrefix("counts,1,1,1,1,") && $0.hasSuffix(",60,[r],review:class-disclosure") })
        #expect(csv.split(separator: "\n").contains { $0.hasPrefix("outflow,1,1,1,1,100,") && $0.hasSuffix(",[r],review:class-disclosure") })
        // A row that is not a class disclosure is not flagged.
        #expect(csv.split(separator: "\n").contains { $0.hasPrefix("outflow,2,2,1,1,") && $0.hasSuffix(",40,,published") })
        let json = outputs["json"]!
        #expect(json.contains(#""status" : "review:class-disclosure""#))
        #expect(json.contains(#""status" : "review:zero""#))
        #expect(outputs["md"]!.contains("| 1 | 100.0 [r] | 0.0 [r] | 0.0 [r] |"), "\(outputs["md"]!)")
        #expect(outputs["html"]!.contains(">100.0 [r]</td>"))
        #expect(outputs["xlsx"]!.contains(">[r]<"))
        // The formats with a notes section explain the flag.
        for format in ["md", "html", "xlsx"] { #expect(outputs[format]!.contains("[r] For review"), "\(format) explains [r]") }
    }
}
