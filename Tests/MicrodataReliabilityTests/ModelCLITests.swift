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

    /// R's estimate and SE of each term of `id` in Fixtures/models/expected.csv.
    static func rValues(_ id: String) throws -> [String: (Double, Double)] {
        var out: [String: (Double, Double)] = [:]
        let text = try String(contentsOf: Fixtures.url("models/expected.csv"), encoding: .utf8)
        for line in text.split(separator: "\n").dropFirst() {
            let f = line.split(separator: ",").map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "\"")) }
            guard f.count == 4, f[0] == id, let v = Double(f[3]) else { continue }
            if f[2] == "estimate" { out[f[1], default: (0, 0)].0 = v }
            if f[2] == "se" { out[f[1], default: (0, 0)].1 = v }
        }
        return out
    }

    @Test(arguments: [
        ("C01", ["--calibrate", "calibrate"], "api00 ~ ell + meals"),
        ("J02", ["--jackknife"], "api00 ~ ell + meals"),
        ("S01", ["--two-stage"], "api00 ~ ell + meals + factor(stype)"),
    ])
    func calibratedJackknifeAndTwoStageDesignsMatchR(id: String, extra: [String], formula: String) throws {
        var args = Self.dclus1 + extra
        if extra == ["--calibrate", "calibrate"] {
            let totals = try Fixtures.temporaryDirectory().appendingPathComponent("totals.csv")
            try "term,total\nintercept,6194\nstype=H,755\nstype=M,1018\napi99,3914069\n"
                .write(to: totals, atomically: true, encoding: .utf8)
            args[args.count - 1] = totals.path
        }
        if extra == ["--two-stage"] {
            args = ["model", "--data", Fixtures.path("rsurvey/apiclus2.csv"), "--psu", "dnum,snum", "--fpc", "fpc1,fpc2"]
        }
        let r = try CLIFailureTests.run(args + ["--formula", formula])
        #expect(r.status == 0, "\(r.stderr)")
        let expected = try Self.rValues(id)
        let rows = r.stdout.split(separator: "\n").dropFirst().map { $0.split(separator: ",").map(String.init) }
        #expect(rows.count == expected.count)
        for row in rows {
            let (estimate, se) = try #require(expected[row[0]], "\(id) \(row[0])")
            #expect(abs(Double(row[1])! - estimate) <= 1e-8 * abs(estimate), "\(id) \(row[0]) estimate")
            #expect(abs(Double(row[2])! - se) <= 1e-8 * abs(se), "\(id) \(row[0]) se")
        }
    }

    @Test func rakedWeightsAreRefusedWithTheAlternative() throws {
        let margins = try Fixtures.temporaryDirectory().appendingPathComponent("margins.csv")
        try "variable,level,total\nstype,E,4421\nstype,H,755\nstype,M,1018\n".write(to: margins, atomically: true, encoding: .utf8)
        let r = try CLIFailureTests.run(Self.dclus1 + ["--rake", margins.path, "--formula", "api00 ~ ell"])
        #expect(r.status != 0 && r.stderr.contains("--calfun raking"), "\(r.stderr)")
    }
}
