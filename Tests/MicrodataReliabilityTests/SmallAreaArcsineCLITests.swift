import Foundation
import MicrodataReaders
import MicrodataTestSupport
import Testing

/// `microdata sae --transform arcsin` and `--gvf` through the built binary, against Fixtures/sae/expected-arcsin.csv
/// (arcsin.R: R survey svyby → emdi's arcsine steps by hand on sae eblupFH; lm for the GVF).
@Suite(.timeLimit(.minutes(1))) struct SmallAreaArcsineCLITests {
    static let expected: [String: Double] = {
        let records = try! DelimitedRecords(contentsOf: Fixtures.url("sae/expected-arcsin.csv")).records
        var out: [String: Double] = [:]
        for r in records.dropFirst() { out["\(r.fields[0])|\(r.fields[1])|\(r.fields[2])"] = Double(r.fields[3])! }
        return out
    }()
    static let survey = ["sae", "--data", Fixtures.path("sae/arcsin-persons.csv"), "--weight", "weight", "--strata", "region",
                         "--psu", "psu", "--nest", "--area", "area", "--aux", Fixtures.path("sae/areas.csv"),
                         "--formula", "x1 + factor(region)", "--proportion", "claimant=1"]
    static let zeroAreas = ["LA10", "LA14", "LA17", "LA21"]

    /// The metadata of a JSON output, as key → value.
    static func metadata(_ json: String) throws -> [String: String] {
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let items = try #require(object["metadata"] as? [[String: String]])
        return Dictionary(items.map { ($0["key"]!, $0["value"]!) }) { a, _ in a }
    }

    /// The direct estimates' levels have fewer than 10 claimants in most areas, so R is matched with the checks off.
    @Test(arguments: ["naive", "bc"])
    func arcsineEstimatesFromMicrodataMatchREmdiSteps(_ back: String) throws {
        let r = try CLIFailureTests.run(Self.survey + ["--transform", "arcsin", "--backtransform", back, "--bootstrap", "50",
                                                       "--no-disclosure-control"])
        #expect(r.status == 0, "\(r.stderr)")
        let rows = SmallAreaCLITests.areas(r.stdout)
        #expect(rows.count == 30)
        for (area, row) in rows {
            SmallAreaCLITests.near(row["estimate"], Self.expected["arcsin|\(back)|\(area)"], "\(back) \(area)")
            #expect(Double(row["mse"] ?? "").map { $0 > 0 } == true, "\(area) mse")
            if ["LA07", "LA18", "LA29"].contains(area) { #expect(row["kind"] == "synthetic"); continue }
            #expect(row["kind"] == "eblup", "\(area)")
            SmallAreaCLITests.near(row["gamma"], Self.expected["arcsin|gamma|\(area)"], "gamma \(area)")
            SmallAreaCLITests.near(row["direct"], Self.expected["direct|p|\(area)"], "direct \(area)")
        }
        #expect(Self.zeroAreas.allSatisfy { rows[$0]?["direct"] == "0" && rows[$0]?["kind"] == "eblup" })
        let json = try CLIFailureTests.run(Self.survey + ["--transform", "arcsin", "--backtransform", back, "--bootstrap", "50",
                                                          "--no-disclosure-control", "--format", "json"])
        let metadata = try Self.metadata(json.stdout)
        #expect(metadata["Transformation"]?.contains("1/(4 n_eff)") == true)
        #expect(metadata["MSE"]?.hasSuffix("50 of 50 replicates, SplitMix64 seed 123") == true, "\(metadata)")
        #expect(metadata["Model"]?.contains("MSE on the arcsine scale as sae::mseFH") == true, "\(metadata)")
        #expect(metadata["Model"]?.contains("the published mse is bootstrapped") == true, "\(metadata)")
        SmallAreaCLITests.near(metadata["A (area-effect variance)"], Self.expected["arcsin|refvar|A"], "A")
        // The bootstrap MSE is the same with the same seed and differs with another.
        let again = try CLIFailureTests.run(Self.survey + ["--transform", "arcsin", "--backtransform", back, "--bootstrap", "50",
                                                           "--no-disclosure-control"])
        #expect(again.stdout == r.stdout)
        let other = try CLIFailureTests.run(Self.survey + ["--transform", "arcsin", "--backtransform", back, "--bootstrap", "50",
                                                           "--seed", "9", "--no-disclosure-control"])
        #expect(SmallAreaCLITests.areas(other.stdout)["LA11"]?["mse"] != rows["LA11"]?["mse"])
        #expect(SmallAreaCLITests.areas(other.stdout)["LA11"]?["estimate"] == rows["LA11"]?["estimate"])
    }

    @Test func directEstimatesFromAFileWithSampleSizesAreTransformed() throws {
        let folder = try Fixtures.temporaryDirectory()
        let direct = folder.appendingPathComponent("direct.csv")
        var lines = ["area,estimate,se,n"]
        for key in Self.expected.keys.sorted() where key.hasPrefix("direct|p|") {
            let area = key.split(separator: "|")[2]
            lines.append("\(area),\(Self.expected[key]!),\(Self.expected["direct|vardir|\(area)"]!.squareRoot()),"
                         + "\(Int(Self.expected["direct|n|\(area)"]!))")
        }
        try (lines.joined(separator: "\n") + "\n").write(to: direct, atomically: true, encoding: .utf8)
        let base = ["sae", "--direct", direct.path, "--area", "area", "--aux", Fixtures.path("sae/areas.csv"),
                    "--formula", "x1 + factor(region)", "--transform", "arcsin", "--bootstrap", "5"]
        let r = try CLIFailureTests.run(base + ["--sample-size", "n"])
        #expect(r.status == 0, "\(r.stderr)")
        for (area, row) in SmallAreaCLITests.areas(r.stdout) {
            SmallAreaCLITests.near(row["estimate"], Self.expected["arcsin|naive|\(area)"], "naive \(area)")
        }
        let unsized = try CLIFailureTests.run(base)
        #expect(unsized.status == 1 && unsized.stderr.contains("no sample size for areas LA01, LA02"), "\(unsized.stderr)")
        #expect(unsized.stderr.contains("--sample-size"))
        // With --data the sample sizes are counted: a column name would be ignored, so it is refused.
        let counted = try CLIFailureTests.run(Self.survey + ["--transform", "arcsin", "--sample-size", "n"])
        #expect(counted.status == 2 && counted.stderr.contains("--sample-size names a column of the --direct file"),
                "\(counted.stderr)")
    }

    @Test func gvfSmoothedFitFromMicrodataMatchesLmAndSae() throws {
        let r = try CLIFailureTests.run(Self.survey + ["--gvf", "--no-disclosure-control", "--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try TableSchema.violations(r.stdout) == [])
        let gvf = try #require(try Self.metadata(r.stdout)["Variance smoothing"])
        let start = try #require(gvf.range(of: "a = ")).upperBound
        let a = gvf[start...].prefix { $0 != "," }
        SmallAreaCLITests.near(String(a), Self.expected["gvf_claimant|gvf|a"], "GVF a")
        let csv = try CLIFailureTests.run(Self.survey + ["--gvf", "--no-disclosure-control"])
        for (area, row) in SmallAreaCLITests.areas(csv.stdout) where row["kind"] == "eblup" {
            SmallAreaCLITests.near(row["estimate"], Self.expected["gvf_claimant|eblup|\(area)"], "eblup \(area)")
            SmallAreaCLITests.near(row["mse"], Self.expected["gvf_claimant|mse|\(area)"], "mse \(area)")
        }
    }

    @Test func zeroVariancesAreRefusedByNameWithoutGVFOrArcsine() throws {
        let r = try CLIFailureTests.run(Self.survey + ["--no-disclosure-control"])
        #expect(r.status == 1 && r.stderr.contains("zero direct variance in areas LA10, LA14, LA17, LA21"), "\(r.stderr)")
        #expect(r.stderr.contains("--gvf") && r.stderr.contains("--transform arcsin"))
        for bad in [["--transform", "arcsin", "--gvf"], ["--transform", "logit"], ["--backtransform", "bc"],
                    ["--transform", "arcsin", "--backtransform", "sm"]] {
            #expect(try CLIFailureTests.run(Self.survey + bad).status == 2, "\(bad)")
        }
        var mean = Self.survey
        mean[mean.count - 2 ... mean.count - 1] = ["--mean", "hours"]
        #expect(try CLIFailureTests.run(mean + ["--transform", "arcsin"]).status == 2)
    }

    /// With the checks on, areas whose claimant count fails the threshold are fitted as without sample: their direct
    /// estimate, variance and sample size enter neither the design effects nor the GVF.
    @Test func withheldAreasStayOutOfTheTransformedAndSmoothedFits() throws {
        let folder = try Fixtures.temporaryDirectory()
        let rules = folder.appendingPathComponent("rules.json")
        try #"{"threshold": 3}"#.write(to: rules, atomically: true, encoding: .utf8)
        for option in [["--transform", "arcsin"], ["--gvf"]] {
            let r = try CLIFailureTests.run(Self.survey + option + ["--rules", rules.path])
            let json = try CLIFailureTests.run(Self.survey + option + ["--rules", rules.path, "--format", "json"])
            let metadata = try Self.metadata(json.stdout)
            #expect(r.status == 0, "\(r.stderr)")
            let rows = SmallAreaCLITests.areas(r.stdout)
            let withheld = rows.filter { $0.value["direct"] == "[c]" }
            #expect(withheld.count == 8, "\(withheld.keys.sorted())")
            #expect(withheld.values.allSatisfy { $0["kind"] == "synthetic" && $0["direct_status"]?.hasPrefix("primary:threshold") == true })
            #expect(Self.zeroAreas.allSatisfy { rows[$0]?["direct_status"] == "review:zero" && rows[$0]?["kind"] == "eblup" })
            // 19 areas fitted: 15 with a design effect (a positive variance, for the GVF) and the 4 zeros.
            let fact = option == ["--gvf"] ? metadata["Variance smoothing"] : metadata["Transformation"]
            #expect(fact?.contains(option == ["--gvf"] ? "over the 15 areas with v > 0" : "of the 15 areas that have one") == true, "\(metadata)")
        }
    }
}
