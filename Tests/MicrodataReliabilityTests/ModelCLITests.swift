import Foundation
import MicrodataTestSupport
import Testing

/// `microdata model` through the built binary: values, output checks and their exit codes.
@Suite(.timeLimit(.minutes(1))) struct ModelCLITests {
    static let dclus1 = ["model", "--data", Fixtures.path("rsurvey/apiclus1.csv"), "--weight", "pw", "--psu", "dnum",
                         "--fpc", "fpc"]

    @Test func linearModelPrintsRsCoefficientsAndWaldTest() throws {
        let r = try CLIFailureTests.run(Self.dclus1 + ["--formula", "api00 ~ ell + meals + mobility", "--test", "ell + meals"])
        #expect(r.status == 0, "\(r.stderr)")
        let rows = r.stdout.split(separator: "\n").map { $0.split(separator: ",").map(String.init) }
        #expect(rows[0] == ["term", "estimate", "se", "t", "p", "ci_low", "ci_high", "df", "status"])
        let ell = try #require(rows.first { $0[0] == "ell" })
        // R survey 4.1.1 (Fixtures/models/expected.csv, M01).
        #expect(abs(Double(ell[1])! - -0.51672177968348) < 1e-12)
        #expect(abs(Double(ell[2])! - 0.324003944965413) < 1e-12)
        #expect(ell[7] == "11")
        let json = try CLIFailureTests.run(Self.dclus1 + ["--formula", "api00 ~ ell + meals + mobility", "--test",
                                                          "ell + meals", "--format", "json"])
        // The publication model's JSON (issue 22): the schema of tabulate, the Wald test in the metadata.
        #expect(try TableSchema.violations(json.stdout) == [])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let metadata = try #require(object["metadata"] as? [[String: String]])
        let test = try #require(metadata.first { $0["key"] == "Wald test ell + meals" }?["value"])
        let f = try #require(Double(test.dropFirst(4).prefix { $0 != " " }))
        #expect(abs(f - 100.024620466122) < 1e-9, "\(test)")
        let rowsJSON = try #require(object["rows"] as? [[String: Any]])
        #expect(rowsJSON.first { $0["term"] as? String == "ell" }?["df"] as? Double == 11)
    }

    @Test func modelOutputThatIsAnInputIsRefusedAndAFullDiskIsOneError() throws {
        let copy = try Fixtures.temporaryDirectory().appendingPathComponent("api.csv")
        try FileManager.default.copyItem(at: Fixtures.url("rsurvey/apiclus1.csv"), to: copy)
        let before = try Data(contentsOf: copy)
        let formula = ["--formula", "api00 ~ ell"]
        let same = try CLIFailureTests.run(["model", "--data", copy.path, "--weight", "pw", "--psu", "dnum"] + formula
                                           + ["--output", copy.path])
        #expect(same.status == 2 && same.stderr.contains("is the same file as"), "\(same.stderr)")
        #expect(try Data(contentsOf: copy) == before)
        let full = try CLIFailureTests.run(Self.dclus1 + formula + ["--output", "/dev/full"])
        #expect(full.status == 1 && full.stderr.contains("error: cannot write /dev/full"), "\(full.stderr)")
    }

    @Test func tooFewResidualDegreesOfFreedomExitsThreeAndWritesNothing() throws {
        let out = try Fixtures.temporaryDirectory().appendingPathComponent("m.csv")
        try "old".write(to: out, atomically: true, encoding: .utf8)
        // 15 PSUs - 1 stratum + 1 - 6 parameters = 9 < 10 (minimumResidualDegreesOfFreedom).
        let r = try CLIFailureTests.run(Self.dclus1 + ["--formula", "api00 ~ ell + meals + mobility + enroll + api99",
                                                       "--output", out.path])
        #expect(r.status == 3)
        #expect(r.stderr.contains("minimumResidualDegreesOfFreedom"))
        #expect(!FileManager.default.fileExists(atPath: out.path))
        let bypass = try CLIFailureTests.run(Self.dclus1 + ["--formula", "api00 ~ ell + meals + mobility + enroll + api99",
                                                            "--no-disclosure-control"])
        #expect(bypass.status == 0)
        #expect(bypass.stderr.contains("NOT DISCLOSURE CONTROLLED"))
    }

    @Test func factorLevelOnTooFewUnitsIsWithheld() throws {
        let dir = try Fixtures.temporaryDirectory()
        let rules = dir.appendingPathComponent("rules.json")
        try #"{"threshold": 20}"#.write(to: rules, atomically: true, encoding: .utf8)
        // apiclus1 has 14 high schools (H) and 25 middle schools (M).
        let r = try CLIFailureTests.run(Self.dclus1 + ["--formula", "api00 ~ factor(stype) + meals", "--rules", rules.path,
                                                       "--exponentiate"])
        #expect(r.status == 0, "\(r.stderr)")
        let rows = r.stdout.split(separator: "\n").map { $0.split(separator: ",").map(String.init) }
        let h = try #require(rows.first { $0[0] == "factor(stype)H" })
        let m = try #require(rows.first { $0[0] == "factor(stype)M" })
        #expect(h[1...6].allSatisfy { $0 == "[c]" } && h[8...10].allSatisfy { $0 == "[c]" })
        #expect(Double(m[1]) != nil)
        #expect(rows[0].suffix(4) == ["exp_estimate", "exp_ci_low", "exp_ci_high", "status"])
        #expect(h.last == "primary:threshold" && m.last == "safe")
    }
}
