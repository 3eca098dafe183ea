import Foundation
import MicrodataReaders
import MicrodataTestSupport
import Testing

/// The README's four-nation qualification example (`harmonise --education`, then `tabulate`), run as written,
/// against the same table computed here from the extracted data and the shipped tables, without the harmoniser.
@Suite(.timeLimit(.minutes(5))) struct ReadmeEducationTests {
    /// Weighted share of each RQF level by nation, computed independently: codebook labels → label table →
    /// qualification key → RQF levels with their stated shares.
    static func expected(_ dir: URL) throws -> [String: [String: Double]] {
        let root = Fixtures.codebook("examples/lfs-synthetic/lfs_synthetic_js2024").path
        let extract = try CLIFailureTests.run(
            ["extract", "--codebook", root + ".xml", "--data", root + ".dat.gz", "--variables", "PWT24,COUNTRY,HIQUAL22"], in: dir)
        #expect(extract.status == 0, "\(extract.stderr)")
        // HIQUAL22's value labels, read from the DDI text directly.
        let xml = try String(contentsOf: URL(fileURLWithPath: root + ".xml"), encoding: .utf8)
        let block = try #require(xml.range(of: "name=\"HIQUAL22\"")).upperBound
        let varEnd = try #require(xml[block...].range(of: "</var>")).lowerBound
        var labels: [String: String] = [:]
        for m in xml[block..<varEnd].matches(of: /<catValu>(-?\d+)<\/catValu><labl>([^<]*)<\/labl>/) {
            labels[String(m.1)] = String(m.2).replacingOccurrences(of: "&amp;", with: "&").replacingOccurrences(of: "&lt;", with: "<")
        }
        func key(_ s: String) -> String { String(s.lowercased().filter { $0.isASCII && ($0.isLetter || $0.isNumber) }) }
        let crosswalks = Fixtures.codebook("crosswalks")
        var qualOf: [String: String] = [:]
        for r in try DelimitedRecords(contentsOf: crosswalks.appendingPathComponent("lfs_hiqual_labels.csv")).records.dropFirst() {
            qualOf[key(r.fields[0])] = r.fields[1]
        }
        var levels: [String: [(String, Double)]] = [:]
        let long = try DelimitedRecords(contentsOf: crosswalks.appendingPathComponent("qualification_levels_long.csv")).records
        let h = long[0].fields
        let (c, sc, v, b, sh) = (h.firstIndex(of: "code")!, h.firstIndex(of: "scale")!, h.firstIndex(of: "value")!,
                                 h.firstIndex(of: "basis")!, h.firstIndex(of: "share")!)
        for r in long.dropFirst() where r.fields[sc] == "RQF" && ["both", "survey"].contains(r.fields[b]) && !r.fields[v].isEmpty {
            levels[r.fields[c], default: []].append((r.fields[v], Double(r.fields[sh]) ?? 1))
        }
        let nationOf = ["1": "E", "2": "W", "3": "S", "4": "S", "5": "N"]
        var sums: [String: [String: Double]] = [:]
        for line in extract.stdout.split(separator: "\n").dropFirst() {
            let f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard f.count == 3, let w = Double(f[0]), let nation = nationOf[f[1]], let label = labels[f[2]],
                let qual = qualOf[key(label)], let list = levels[qual]
            else { continue }
            for (level, share) in list { sums[nation, default: [:]][level, default: 0] += w * share }
        }
        return sums.mapValues { byLevel in
            let total = byLevel.values.reduce(0, +)
            return byLevel.mapValues { $0 / total }
        }
    }

    @Test func readmeFourNationTableRunsAndMatchesAnIndependentComputation() throws {
        let (last, dir) = try ReadmeModelTests.runExample(after: "## Harmonising qualifications across the four nations")
        let want = try Self.expected(dir)
        #expect(want.keys.sorted() == ["E", "N", "S", "W"])
        // Markdown rows: nation, statistic, variable, level, estimate (4 significant figures), ...
        var shown: [String: Double] = [:]
        for line in last.stdout.split(separator: "\n") where line.hasPrefix("| ") {
            let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            if cells.count > 4, let x = Double(cells[4]) { shown["\(cells[0])|\(cells[3])"] = x }
        }
        for (nation, byLevel) in want {
            for (level, share) in byLevel {
                let x = try #require(shown["\(nation)|\(level)"], "\(nation) \(level)")
                #expect(abs(x - share) <= 0.5e-3 * share + 1e-12, "\(nation) \(level): \(x) vs \(share)")
            }
        }
        // The README's table: percentages to one decimal.
        let readme = try String(contentsOf: Fixtures.packageRoot.appendingPathComponent("README.md"), encoding: .utf8)
        let start = try #require(readme.range(of: "| RQF level | England | Wales | Scotland | Northern Ireland |")).upperBound
        var checked = 0
        for line in readme[start...].split(separator: "\n").dropFirst() {
            guard line.hasPrefix("| ") else { break }
            let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            let level = cells[0] == "entry" ? "E1-E3" : cells[0]
            for (i, nation) in ["E", "W", "S", "N"].enumerated() {
                let quoted = try #require(Double(cells[i + 1].split(separator: " ")[0]))
                #expect(String(format: "%.1f", 100 * (want[nation]?[level] ?? -1)) == String(format: "%.1f", quoted), "\(nation) \(level)")
                checked += 1
            }
        }
        #expect(checked == 36)
    }
}
