import Foundation
import MicrodataTestSupport
import Testing

/// `tabulate --cell-key-seed` as the built binary: the same cell gets the same noise in every output, the ptable is
/// published (the seed never is), and two runs with and without one record no longer give that record away.
@Suite(.timeLimit(.minutes(2))) struct CellKeyCLITests {
    /// 600 people `id,A,B,X,w`, optionally without some ids.
    static func data(without: Set<Int> = []) throws -> String {
        var text = "id,A,B,X,w\n"
        for i in 0..<600 where !without.contains(i) {
            text += "\(1000 + i),\(["a", "b", "c"][(i * 7 + i / 11) % 3]),\(["p", "q"][(i / 3 + i % 5) % 2]),"
                + "\(i % 50),\(weight(i))\n"
        }
        let url = try Fixtures.temporaryDirectory().appendingPathComponent("people.csv")
        try Data(text.utf8).write(to: url)
        return url.path
    }

    static func weight(_ i: Int) -> String { String(1 + Double(i % 9) / 4) }

    /// Runs tabulate and returns its CSV rows by `key` (column names) as the named fields.
    static func tabulate(_ arguments: [String], key: [String]) throws -> [[String]: [String: String]] {
        let r = try CLIFailureTests.run(["tabulate"] + arguments)
        #expect(r.status == 0, "\(r.stderr)")
        let lines = r.stdout.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        guard let header = lines.first else { return [:] }
        var out: [[String]: [String: String]] = [:]
        for fields in lines.dropFirst() {
            let row = Dictionary(uniqueKeysWithValues: zip(header, fields))
            out[key.map { row[$0] ?? "" }] = row
        }
        return out
    }

    @Test func sameCellGetsTheSameNoiseInEveryTabulateOutput() throws {
        let file = try Self.data()
        for identity in [["--record-id", "id"], ["--record-id", "id,A"], []] {
            let common = ["--data", file, "--weight", "w", "--cell-key-seed", "release-2026"] + identity
            let byA = try Self.tabulate(common + ["--proportion", "B", "--by", "A"], key: ["A", "level"])
            let byAB = try Self.tabulate(common + ["--mean", "X", "--by", "A,B"], key: ["A", "B"])
            let byB = try Self.tabulate(common + ["--total", "A", "--by", "B"], key: ["level", "B"])
            let again = try Self.tabulate(common + ["--proportion", "B", "--by", "A"], key: ["A", "level"])
            let truth = try Self.tabulate(["--data", file, "--weight", "w", "--mean", "X", "--by", "A,B"], key: ["A", "B"])
            #expect(byA == again, "a second run publishes the same numbers")
            var perturbed = 0
            for a in ["a", "b", "c"] {
                for b in ["p", "q"] {
                    let cell = try #require(byAB[[a, b]])
                    // The people with A = a and B = b: a level of a proportion, a domain of a mean, a level total.
                    #expect(byA[[a, b]]?["n"] == cell["n"], "\(identity) \(a),\(b)")
                    #expect(byB[[a, b]]?["n"] == cell["n"], "\(identity) \(a),\(b)")
                    #expect(byA[[a, b]]?["weighted_n"] == cell["weighted_n"])
                    #expect(byB[[a, b]]?["estimate"] == cell["weighted_n"], "a level total is the weighted count")
                    #expect(cell["df"] == "" && cell["deff"] == "")
                    let n = try #require(Int(cell["n"] ?? "")), trueN = try #require(Int(truth[[a, b]]?["n"] ?? ""))
                    #expect(abs(n - trueN) <= 3)
                    if n != trueN { perturbed += 1 }
                    // Means are not perturbed.
                    #expect(cell["estimate"] == truth[[a, b]]?["estimate"])
                }
            }
            #expect(perturbed >= 3, "\(identity): \(perturbed) of 6 counts perturbed")
        }
    }

    @Test func ptableAndParametersArePrintedButNeverTheSeed() throws {
        let file = try Self.data()
        let seed = "very-secret-seed-41"
        let base = ["tabulate", "--data", file, "--weight", "w", "--proportion", "B", "--by", "A", "--cell-key-seed", seed]
        let json = try CLIFailureTests.run(base + ["--format", "json"])
        #expect(json.status == 0, "\(json.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let perturbation = try #require(object["perturbation"] as? [String: Any])
        #expect(perturbation["label"] as? String == "D3V200js2")
        #expect(perturbation["maximumNoise"] as? Int == 3 && perturbation["variance"] as? Double == 2)
        #expect(perturbation["blockedSmallCounts"] as? Int == 2)
        let ptable = try #require(perturbation["ptable"] as? [[String: Any]])
        #expect(ptable.count == 28)
        #expect(ptable.contains { $0["i"] as? Int == 6 && $0["j"] as? Int == 6 && abs(($0["p"] as? Double ?? 0) - 0.26923) < 1e-4 })
        #expect((perturbation["method"] as? String)?.contains("all fields of each row") == true)
        let markdown = try CLIFailureTests.run(base + ["--format", "markdown", "--record-id", "id"])
        #expect(markdown.stdout.hasPrefix("_Perturbation: counts perturbed by the cell-key method"), "\(markdown.stdout)")
        #expect(markdown.stdout.contains("- ptable 6+: -3 (0.0374), -2 (0.1119), -1 (0.2161), +0 (0.2692)"))
        let csv = try CLIFailureTests.run(base)
        #expect(csv.stderr.contains("perturbation: counts perturbed by the cell-key method (ABS/ONS): ptable D3V200js2"))
        for r in [json, markdown, csv] { #expect(!(r.stdout + r.stderr).contains(seed)) }
        let noSeed = try CLIFailureTests.run(["tabulate", "--data", file, "--mean", "X", "--record-id", "id"])
        #expect(noSeed.status == 64 && noSeed.stderr.contains("--record-id and --ptable need --cell-key-seed"))
    }

    @Test func differencingRunsWithAndWithoutOneRecordNoLongerGivesItsCountOrWeight() throws {
        // Record 17 (A = a, B = q, weight 3) is left out of the second file.
        let common = ["--weight", "w", "--proportion", "B", "--by", "A", "--cell-key-seed", "release-2026", "--record-id", "id"]
        let with = try Self.tabulate(["--data", try Self.data()] + common, key: ["A", "level"])
        let without = try Self.tabulate(["--data", try Self.data(without: [17])] + common, key: ["A", "level"])
        let plainWith = try Self.tabulate(["--data", try Self.data(), "--weight", "w", "--proportion", "B", "--by", "A"], key: ["A", "level"])
        let plainWithout = try Self.tabulate(
            ["--data", try Self.data(without: [17]), "--weight", "w", "--proportion", "B", "--by", "A"], key: ["A", "level"])
        func number(_ t: [[String]: [String: String]], _ key: [String], _ field: String) -> Double {
            Double(t[key]?[field] ?? "") ?? .nan
        }
        let cell = ["a", "q"]
        // Without perturbation the difference is the record: one person of weight 3.
        #expect(number(plainWith, cell, "n") - number(plainWithout, cell, "n") == 1)
        #expect(abs(number(plainWith, cell, "weighted_n") - number(plainWithout, cell, "weighted_n") - 3) < 1e-9)
        // With it, neither the count nor the weight comes out.
        let dn = number(with, cell, "n") - number(without, cell, "n")
        let dw = number(with, cell, "weighted_n") - number(without, cell, "weighted_n")
        #expect(dn != 1, "count difference \(dn)")
        #expect(abs(dw - 3) > 0.5, "weight difference \(dw)")
        // The documented limit: cells the record is not in have the same contributors, so the same numbers.
        #expect(with[["b", "p"]]?["n"] == without[["b", "p"]]?["n"])
    }
}
