import Foundation
import MicrodataTestSupport
import Testing

/// `tabulate` as an attacker reads it (issue 20 points 5–6, issue 21 §3): side columns of suppressed
/// rows, a second call that publishes the overall figure, 0/1 indicators, one large earner, quantiles.
@Suite(.timeLimit(.minutes(3))) struct TabulateSideDoorTests {
    /// Regions A (30 people), B (25), C (4, below the threshold of 10) and D (40). `flag` is 1 for two
    /// people of A, half of B, all of C and all but two of D; `earn` is ordinary except one person of B
    /// who earns 500,000; `one` is 1 for everybody.
    static let data: String = {
        var lines = ["id,region,sex,w,income,earn,flag,one"]
        var id = 0
        for (region, n) in [("A", 30), ("B", 25), ("C", 4), ("D", 40)] {
            for k in 0..<n {
                id += 1
                let income = 200 + Double((id * 37) % 500) + 0.5
                let earn = region == "B" && k == 0 ? 500_000 : 100 + Double((id * 53) % 400)
                let flag: Int
                switch region {
                case "A": flag = k < 2 ? 1 : 0
                case "B": flag = k % 2
                case "C": flag = 1
                default: flag = k < 38 ? 1 : 0
                }
                let w = 1 + Double(id % 3) * 0.5
                lines.append("\(id),\(region),\(k % 2 == 0 ? "f" : "m"),\(w),\(income),\(earn),\(flag),1")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }()

    static func dataFile() throws -> String { try CheckCommandTests.file(Self.data, name: "people.csv") }

    /// Runs `tabulate` on the data; returns the CSV rows as dictionaries keyed by the header.
    static func tabulate(_ file: String, _ arguments: [String]) throws -> [[String: String]] {
        let r = try CLIFailureTests.run(["tabulate", "--data", file, "--weight", "w"] + arguments)
        #expect(r.status == 0, "\(arguments): \(r.stderr)")
        let lines = r.stdout.split(separator: "\n")
            .map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        guard let header = lines.first else { return [] }
        return lines.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(header, $0)) }
    }

    static func number(_ row: [String: String]?, _ key: String) -> Double? { row?[key].flatMap(Double.init) }

    // MARK: - Issue 20 point 5: side columns

    /// The columns that are labels, not data: by-values, statistic, variable, level (the quantile's p)
    /// and status.
    static let labelColumns: Set<String> = ["region", "statistic", "variable", "level", "status"]

    /// The rows of a `tabulate` output in any format, as (column → field) dictionaries.
    static func parse(_ text: String, format: String) throws -> [[String: String]] {
        switch format {
        case "json":
            return try TableJSONTests.rows(text)
        case "markdown":
            let lines = text.split(separator: "\n").filter { $0.hasPrefix("|") && !$0.contains("---") }
            let split = lines.map { line in
                line.dropFirst(2).dropLast(2).components(separatedBy: " | ")
            }
            guard let header = split.first else { return [] }
            return split.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(header, $0)) }
        case "text":
            // Fixed-width columns: cut each line at the header's column starts.
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            guard let h = lines.firstIndex(where: { $0.hasPrefix("region") }) else { return [] }
            let header = lines[h]
            var starts: [String.Index] = []
            var names: [String] = []
            var i = header.startIndex
            while i < header.endIndex {
                if header[i] != " " && (i == header.startIndex || header[header.index(before: i)] == " ") {
                    starts.append(i)
                    names.append(String(header[i...].prefix { $0 != " " }))
                }
                i = header.index(after: i)
            }
            let offsets = starts.map { header.distance(from: header.startIndex, to: $0) }
            return lines[(h + 1)...].filter { !$0.isEmpty }.map { line in
                let chars = Array(line)
                var row: [String: String] = [:]
                for (k, name) in names.enumerated() {
                    let from = min(offsets[k], chars.count)
                    let to = k + 1 < offsets.count ? min(offsets[k + 1], chars.count) : chars.count
                    row[name] = String(chars[from..<to]).trimmingCharacters(in: .whitespaces)
                }
                return row
            }
        default:
            let lines = text.split(separator: "\n")
                .map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
            guard let header = lines.first else { return [] }
            return lines.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(header, $0)) }
        }
    }

    /// The strings an attacker would look for in a suppressed row: the true n, n − 1 (a domain df), the
    /// weighted n, the estimate, its standard error and interval ends, as the unprotected output writes
    /// them and rounded.
    static func truths(_ row: [String: String]) -> [String] {
        var out: [String] = []
        if let n = Int(row["n"] ?? "") { out += [String(n), String(n - 1)] }
        for key in ["weighted_n", "estimate", "se", "ci_low", "ci_high"] {
            guard let text = row[key], let v = Double(text) else { continue }
            out += [text, String(format: "%.2f", v), String(format: "%.4f", v)]
        }
        return out
    }

    @Test func suppressedRowsPublishNothingThatDependsOnTheirDataInAnyTabulateFormat() throws {
        let file = try Self.dataFile()
        for analysis in [["--mean", "income"], ["--total", "income"], ["--quantile", "income:0.5"],
                         ["--proportion", "sex"]] {
            let truth = try Self.tabulate(file, analysis + ["--by", "region", "--no-disclosure-control"])
            let c = try #require(truth.first { $0["region"] == "C" })
            for format in ["csv", "json", "markdown", "text"] {
                let r = try CLIFailureTests.run(
                    ["tabulate", "--data", file, "--weight", "w", "--by", "region", "--format", format] + analysis)
                #expect(r.status == 0, "\(analysis) \(format): \(r.stderr)")
                let rows = try Self.parse(r.stdout, format: format)
                let suppressed = rows.filter { $0["status"]?.hasPrefix("primary") == true || $0["status"] == "secondary" }
                #expect(suppressed.contains { $0["region"] == "C" }, "\(analysis) \(format): \(r.stdout)")
                for row in suppressed {
                    for (column, field) in row where !Self.labelColumns.contains(column) {
                        #expect(field == "[c]" || field.isEmpty, "\(analysis) \(format) \(column) = '\(field)'")
                    }
                }
                // Scan every suppressed C row for C's true numbers.
                for row in suppressed where row["region"] == "C" {
                    let fields = row.filter { !Self.labelColumns.contains($0.key) }.values
                    for t in Self.truths(c) {
                        #expect(!fields.contains(t), "\(analysis) \(format) publishes \(t) for C")
                    }
                }
            }
        }
    }

    @Test func suppressedRowsOfCheckPublishNothingInCSVOrJSON() throws {
        // B/y has 3 units (value 4321.5, SE 123.25): primary, its quality flags and numbers hidden.
        let table = try CheckCommandTests.file(
            "r,c,n,v,se\nA,x,40,9000,50\nA,y,35,8000,60\nB,x,30,7000,70\nB,y,3,4321.5,123.25\n"
                + "C,x,50,9500,80\nC,y,45,9100,90\n")
        for format in ["csv", "json"] {
            let r = try CLIFailureTests.run([
                "check", table, "--count", "n", "--value", "v", "--se", "se", "--dimensions", "r,c", "--margins",
                "--format", format,
            ])
            #expect(r.status == 0, "\(r.stderr)")
            var rows: [[String: String]] = []
            if format == "json" {
                rows = try TableJSONTests.rows(r.stdout)
            } else {
                rows = try Self.parse(r.stdout, format: "csv")
            }
            let hidden = rows.filter { $0["status"]?.hasPrefix("primary") == true || $0["status"] == "secondary" }
            #expect(hidden.contains { $0["r"] == "B" && $0["c"] == "y" }, "\(rows)")
            for row in hidden {
                for (column, field) in row where !["r", "c", "status"].contains(column) {
                    #expect(field == "[c]" || field.isEmpty, "\(format) \(column) = '\(field)'")
                }
                #expect(!row.values.contains { ["3", "2", "4321.5", "123.25"].contains($0) })
            }
        }
    }

    // MARK: - Issue 20 point 6: the overall figure from another call

    @Test func theOverallTotalFromASecondCallDoesNotRecoverAHiddenDomain() throws {
        let file = try Self.dataFile()
        let truth = try Self.tabulate(file, ["--total", "income", "--by", "region", "--no-disclosure-control"])
        let overall = try #require(Self.number(try Self.tabulate(file, ["--total", "income"]).first, "estimate"))
        let domains = try Self.tabulate(file, ["--total", "income", "--by", "region"])
        let hidden = domains.filter { $0["estimate"] == "[c]" }
        #expect(hidden.count >= 2, "one hidden domain is the overall minus the others: \(domains)")
        let residual = overall - domains.compactMap { Self.number($0, "estimate") }.reduce(0, +)
        for row in hidden {
            let t = try #require(Self.number(truth.first { $0["region"] == row["region"] }, "estimate"))
            #expect(abs(residual - t) > 1, "\(row["region"] ?? "") recovered by subtraction")
        }
    }

    @Test func theOverallMeanAndWeightedCountFromASecondCallDoNotRecoverAHiddenDomainMean() throws {
        let file = try Self.dataFile()
        let truth = try Self.tabulate(file, ["--mean", "income", "--by", "region", "--no-disclosure-control"])
        let all = try #require(try Self.tabulate(file, ["--mean", "income"]).first)
        let overallTotal = try #require(Self.number(all, "estimate")) * #require(Self.number(all, "weighted_n"))
        let domains = try Self.tabulate(file, ["--mean", "income", "--by", "region"])
        let hidden = domains.filter { $0["estimate"] == "[c]" }
        #expect(hidden.count >= 2, "\(domains)")
        var residualTotal = overallTotal, residualWeight = try #require(Self.number(all, "weighted_n"))
        for row in domains {
            guard let m = Self.number(row, "estimate"), let w = Self.number(row, "weighted_n") else { continue }
            residualTotal -= m * w
            residualWeight -= w
        }
        for row in hidden {
            let t = try #require(Self.number(truth.first { $0["region"] == row["region"] }, "estimate"))
            #expect(abs(residualTotal / residualWeight - t) > 1e-6, "\(row["region"] ?? "") recovered")
        }
    }

    @Test func oneWayMarginsFromASecondCallDoNotRecoverAHiddenCellOfATwoWayTable() throws {
        let file = try Self.dataFile()
        let bySex = try Self.tabulate(file, ["--total", "income", "--by", "sex"])
        let cells = try Self.tabulate(file, ["--total", "income", "--by", "region,sex"])
        #expect(bySex.allSatisfy { $0["estimate"] != "[c]" })
        for sex in ["f", "m"] {
            let column = cells.filter { $0["sex"] == sex }
            // C's cell of this column is below the threshold; it must not be the only hidden one.
            #expect(column.first { $0["region"] == "C" }?["estimate"] == "[c]")
            #expect(column.filter { $0["estimate"] == "[c]" }.count >= 2, "sex \(sex): \(column)")
        }
    }

    // MARK: - Issue 21 §3: a 0/1 indicator is a count

    @Test func aZeroOneIndicatorAnalysedAsAMeanTotalOrRatioGetsTheCountThreshold() throws {
        let file = try Self.dataFile()
        for analysis in [["--mean", "flag"], ["--total", "flag"], ["--ratio", "flag/one"]] {
            let rows = try Self.tabulate(file, analysis + ["--by", "region"])
            // A: two people have the indicator; D: two people do not.
            let a = try #require(rows.first { $0["region"] == "A" })
            #expect(a["estimate"] == "[c]" && a["status"]?.contains("threshold-nonzero") == true, "\(analysis): \(a)")
            let d = try #require(rows.first { $0["region"] == "D" })
            #expect(d["estimate"] == "[c]" && d["status"]?.contains("threshold-zero") == true, "\(analysis): \(d)")
            #expect(rows.first { $0["region"] == "B" }?["status"] == "safe", "\(analysis): \(rows)")
        }
    }

    // MARK: - Issue 21 §3: dominance

    @Test func oneLargeEarnersDomainTotalMeanOrRatioIsSuppressedByTheDominanceRules() throws {
        let file = try Self.dataFile()
        for analysis in [["--total", "earn"], ["--mean", "earn"], ["--ratio", "earn/one"]] {
            let rows = try Self.tabulate(file, analysis + ["--by", "region"])
            let b = try #require(rows.first { $0["region"] == "B" })
            #expect(b["estimate"] == "[c]", "\(analysis): \(b)")
            #expect(b["status"]?.contains("nk") == true && b["status"]?.contains("p%") == true, "\(analysis): \(b)")
            // D breaks no rule: at most a secondary (the value protection of B and C may need it).
            #expect(rows.first { $0["region"] == "D" }?["status"]?.hasPrefix("primary") == false, "\(analysis): \(rows)")
        }
    }

    @Test func theDominanceRuleComesFromTheRulesFile() throws {
        let file = try Self.dataFile()
        // NK(2, 5%): the two largest earners of A hold more than 5% of its total.
        let rules = try CheckCommandTests.file(#"{"nkK": 5}"#, name: "rules.json")
        let rows = try Self.tabulate(file, ["--total", "earn", "--by", "region", "--rules", rules])
        #expect(rows.first { $0["region"] == "A" }?["status"]?.hasPrefix("primary:nk") == true, "\(rows)")
    }

    // MARK: - Issue 21 §3: quantiles

    @Test func quantilesAtZeroOrOneAreRefused() throws {
        let file = try Self.dataFile()
        for p in ["0", "1", "0.5,1", "-0.1", "1.5"] {
            let r = try CLIFailureTests.run(
                ["tabulate", "--data", file, "--weight", "w", "--quantile", "income:\(p)"])
            #expect(r.status != 0, "p = \(p): \(r.stdout)")
            #expect(r.stderr.contains("strictly between 0 and 1"), "p = \(p): \(r.stderr)")
        }
    }

    @Test func aQuantileWithFewUnitsOnOneSideIsSuppressed() throws {
        let file = try Self.dataFile()
        let rows = try Self.tabulate(file, ["--quantile", "income:0.03,0.5,0.97", "--by", "region"])
        // D has 40 people: one or two lie below its 3rd percentile and above its 97th.
        let d = rows.filter { $0["region"] == "D" }
        #expect(d.first { $0["level"] == "0.03" }?["status"] == "primary:quantile-sides", "\(d)")
        #expect(d.first { $0["level"] == "0.97" }?["status"] == "primary:quantile-sides", "\(d)")
        #expect(d.first { $0["level"] == "0.5" }?["status"] == "safe", "\(d)")
        #expect(d.first { $0["level"] == "0.03" }?["estimate"] == "[c]")
    }

    @Test func aQuantileWhoseIntervalEndHasFewUnitsBeyondItIsSuppressed() throws {
        // Group S: 25 people with incomes 1…25; the median 13 has 12 below and 12 above, but its interval's
        // ends are order statistics near the 8th and 18th values, with fewer than 10 people beyond them.
        // Group L: 200 people, every side well covered.
        var lines = ["id,g,w,income"]
        for k in 1...25 { lines.append("\(k),S,1,\(k)") }
        for k in 1...200 { lines.append("\(100 + k),L,1,\(k)") }
        let file = try CheckCommandTests.file(lines.joined(separator: "\n") + "\n", name: "sides.csv")
        let r = try CLIFailureTests.run(["tabulate", "--data", file, "--weight", "w", "--quantile", "income:0.5", "--by", "g"])
        #expect(r.status == 0, "\(r.stderr)")
        let rows = r.stdout.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        let header = rows[0].map(String.init)
        let status = try #require(header.firstIndex(of: "status"))
        let low = try #require(header.firstIndex(of: "ci_low"))
        let small = try #require(rows.first { $0.first == "S" })
        #expect(small[status] == "primary:quantile-sides" && small[low] == "[c]", "\(small)")
        let large = try #require(rows.first { $0.first == "L" })
        #expect(large[status] == "safe", "\(large)")
    }
}
