import Foundation
import MicrodataReaders
import MicrodataTestSupport
import Testing

/// `microdata sae` through the built binary, against R survey + sae (Fixtures/sae/expected-synthetic.csv).
@Suite(.timeLimit(.minutes(1))) struct SmallAreaCLITests {
    static let expected: [String: Double] = {
        let records = try! DelimitedRecords(contentsOf: Fixtures.url("sae/expected-synthetic.csv")).records
        var out: [String: Double] = [:]
        for r in records.dropFirst() { out["\(r.fields[0])|\(r.fields[1])|\(r.fields[2])"] = Double(r.fields[3])! }
        return out
    }()
    static let survey = ["sae", "--data", Fixtures.path("sae/persons.csv"), "--weight", "weight", "--strata", "region",
                         "--psu", "psu", "--nest", "--area", "area", "--aux", Fixtures.path("sae/areas.csv"),
                         "--formula", "x1 + factor(region)"]

    /// The area rows of a CSV output, by area, as column → field.
    static func areas(_ csv: String) -> [String: [String: String]] {
        let lines = csv.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let header = lines[0]
        var out: [String: [String: String]] = [:]
        for line in lines.dropFirst() where line[0] == "areas" {
            out[line[1]] = Dictionary(uniqueKeysWithValues: zip(header, line))
        }
        return out
    }

    static func near(_ field: String?, _ r: Double?, _ what: String) {
        guard let field, let x = Double(field), let r else { Issue.record("\(what): \(String(describing: field)) vs \(String(describing: r))"); return }
        #expect(abs(x - r) <= 1e-8 * max(abs(r), 1e-12), "\(what): \(x) vs R \(r)")
    }

    /// The proportion's level counts fail the threshold in many areas, so it is compared with the checks off.
    @Test(arguments: [(["--mean", "y"], "y_REML"),
                      (["--proportion", "employed=1", "--method", "fh", "--no-disclosure-control"], "employed_FH")])
    func areaEstimatesFromMicrodataMatchSvybyAndSae(_ statistic: [String], _ id: String) throws {
        let status = statistic.contains("--no-disclosure-control") ? "not-checked" : "safe"
        let r = try CLIFailureTests.run(Self.survey + statistic + ["--benchmark", "--population", "population"])
        #expect(r.status == 0, "\(r.stderr)")
        let rows = Self.areas(r.stdout)
        #expect(rows.count == 30)
        let variable = id.hasPrefix("y") ? "y" : "employed"
        for (area, row) in rows {
            if ["LA07", "LA18", "LA29"].contains(area) {
                #expect(row["kind"] == "synthetic" && row["direct_status"] == "no-sample" && row["direct"] == "")
                Self.near(row["estimate"], Self.expected["\(id)|synthetic|\(area)"], "\(id) synthetic \(area)")
                Self.near(row["mse"], Self.expected["\(id)|synthetic_mse|\(area)"], "\(id) synthetic mse \(area)")
                continue
            }
            #expect(row["kind"] == "eblup" && row["direct_status"] == status, "\(area): \(row)")
            Self.near(row["estimate"], Self.expected["\(id)|eblup|\(area)"], "\(id) eblup \(area)")
            Self.near(row["mse"], Self.expected["\(id)|mse|\(area)"], "\(id) mse \(area)")
            Self.near(row["gamma"], Self.expected["\(id)|gamma|\(area)"], "\(id) gamma \(area)")
            Self.near(row["benchmarked"], Self.expected["\(id)|benchmarked|\(area)"], "\(id) benchmarked \(area)")
            Self.near(row["direct"], Self.expected["direct_\(variable)|direct|\(area)"], "\(id) direct \(area)")
            Self.near(row["direct_se"].flatMap(Double.init).map { String($0 * $0) },
                      Self.expected["direct_\(variable)|vardir|\(area)"], "\(id) direct variance \(area)")
        }
    }

    @Test func jsonCarriesTheFitAndPassesTheTableSchema() throws {
        let r = try CLIFailureTests.run(Self.survey + ["--mean", "y", "--method", "ml", "--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try TableSchema.violations(r.stdout) == [])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let metadata = try #require(object["metadata"] as? [[String: String]])
        let a = try #require(metadata.first { $0["key"] == "A (area-effect variance)" }?["value"])
        Self.near(a, Self.expected["y_ML|refvar|A"], "A")
        #expect(metadata.contains { $0["key"] == "beta x1" })
        // The HTML report draws the model estimates of every area as bars with ±1.96 root MSE whiskers.
        let html = try CLIFailureTests.run(Self.survey + ["--mean", "y", "--format", "html"])
        #expect(html.status == 0 && html.stdout.contains("bar chart"))
        #expect(html.stdout.components(separatedBy: "<rect x=").count - 1 == 30)
        #expect(html.stdout.components(separatedBy: "stroke=\"#f0a30a\"").count - 1 == 30)
    }

    @Test func anAreaFailingTheRulesIsWithheldAndFittedAsWithoutSample() throws {
        let folder = try Fixtures.temporaryDirectory()
        let data = folder.appendingPathComponent("persons.csv")
        var text = try String(contentsOf: Fixtures.url("sae/persons.csv"), encoding: .utf8)
        text += "9001,\"LA07\",\"N\",\"LA07-1\",100,30.5,1\n9002,\"LA07\",\"N\",\"LA07-1\",120,25.1,0\n9003,\"LA07\",\"N\",\"LA07-1\",90,28,1\n"
        try text.write(to: data, atomically: true, encoding: .utf8)
        var args = Self.survey + ["--mean", "y"]
        args[2] = data.path
        let r = try CLIFailureTests.run(args)
        #expect(r.status == 0, "\(r.stderr)")
        let rows = Self.areas(r.stdout)
        let la07 = try #require(rows["LA07"])
        #expect(la07["kind"] == "synthetic" && la07["direct"] == "[c]" && la07["direct_se"] == "[c]" && la07["gamma"] == "0")
        #expect(la07["direct_status"]?.hasPrefix("primary:threshold") == true)
        // Every withheld direct estimate (primary or its secondary protection) is left out of the fit.
        for (area, row) in rows where row["direct"] == "[c]" {
            #expect(row["kind"] == "synthetic", "\(area)")
        }
        #expect(rows.values.filter { $0["kind"] == "eblup" }.allSatisfy { $0["direct"] != "[c]" })
        // Unchecked, LA07 is used: its 3 persons in one PSU give a zero design variance, refused by name.
        let off = try CLIFailureTests.run(args + ["--no-disclosure-control"])
        #expect(off.status == 1 && off.stderr.contains("zero direct variance in area LA07"), "\(off.stderr)")
        let smoothed = try CLIFailureTests.run(args + ["--no-disclosure-control", "--zero-variance", "synthetic"])
        #expect(smoothed.status == 0 && smoothed.stderr.contains("NOT DISCLOSURE CONTROLLED"))
        let unchecked = try #require(Self.areas(smoothed.stdout)["LA07"])
        #expect(unchecked["kind"] == "synthetic" && unchecked["direct_status"] == "not-checked; zero-variance: fitted without it")
        #expect(Self.areas(smoothed.stdout)["LA06"]?["kind"] == "eblup")
    }

    @Test func externalDirectEstimatesAreFittedAndMarkersLeaveAnAreaWithoutOne() throws {
        let folder = try Fixtures.temporaryDirectory()
        let direct = folder.appendingPathComponent("direct.csv")
        var lines = ["area,estimate,se"]
        for key in Self.expected.keys.sorted() where key.hasPrefix("direct_y|direct|") {
            let area = key.split(separator: "|")[2]
            lines.append("\(area),\(Self.expected[key]!),\(Self.expected["direct_y|vardir|\(area)"]!.squareRoot())")
        }
        try (lines.joined(separator: "\n") + "\n").write(to: direct, atomically: true, encoding: .utf8)
        let base = ["sae", "--direct", direct.path, "--area", "area", "--aux", Fixtures.path("sae/areas.csv"),
                    "--formula", "x1 + factor(region)", "--method", "ml"]
        let r = try CLIFailureTests.run(base)
        #expect(r.status == 0, "\(r.stderr)")
        for (area, row) in Self.areas(r.stdout) where row["kind"] == "eblup" {
            Self.near(row["estimate"], Self.expected["y_ML|eblup|\(area)"], "eblup \(area)")
            Self.near(row["mse"], Self.expected["y_ML|mse|\(area)"], "mse \(area)")
        }
        lines[1] = lines[1].split(separator: ",").prefix(1).joined() + ",[c],[c]"
        try (lines.joined(separator: "\n") + "\n").write(to: direct, atomically: true, encoding: .utf8)
        let marked = try CLIFailureTests.run(base)
        #expect(marked.status == 0, "\(marked.stderr)")
        #expect(Self.areas(marked.stdout)["LA01"]?["kind"] == "synthetic")
    }

    @Test func badInputExitsOneNamingTheAreaOrColumn() throws {
        let folder = try Fixtures.temporaryDirectory()
        let aux = folder.appendingPathComponent("aux.csv")
        var text = try String(contentsOf: Fixtures.url("sae/areas.csv"), encoding: .utf8)
        text = text.split(separator: "\n").filter { !$0.hasPrefix("\"LA12\"") }.joined(separator: "\n") + "\n"
        try text.write(to: aux, atomically: true, encoding: .utf8)
        var args = Self.survey + ["--mean", "y"]
        args[args.firstIndex(of: "--aux")! + 1] = aux.path
        let missing = try CLIFailureTests.run(args)
        #expect(missing.status == 1 && missing.stderr.contains("area LA12 in the data is not in aux.csv"), "\(missing.stderr)")
        let singular = try CLIFailureTests.run(Self.survey + ["--mean", "y", "--formula", "x1 + I(x1 / 2)"])
        #expect(singular.status == 1 && singular.stderr.contains("singular: I(x1/2)"), "\(singular.stderr)")
        let usage = try CLIFailureTests.run(Self.survey + ["--mean", "y", "--proportion", "employed=1"])
        #expect(usage.status == 2)
    }
}
