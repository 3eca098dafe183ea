import Foundation
import MicrodataTestSupport
import Testing

/// `--imputation-id` and `--imputations` on `tabulate`, `mobility` and `model` (issue 26): Rubin's rules against R
/// survey 4.1.1 + mitools 2.4 (`MIcombine`) at 1e-8, disclosure control across imputations, and bad input.
@Suite(.timeLimit(.minutes(3))) struct ImputationCLITests {
    static let design = ["--weight", "w", "--strata", "stratum", "--psu", "psu", "--nest"]
    static let long = ["--data", Fixtures.path("imputation/cohort_long.csv"), "--imputation-id", ".imp"]
    static let files = ["--imputations", (1...5).map { Fixtures.path("imputation/cohort_imp\($0).csv") }.joined(separator: ",")]

    /// R's rows of case `id` in Fixtures/imputation/expected.csv, by term.
    static func expected(_ id: String) throws -> [String: [String: Double]] {
        let rows = try Self.csv(String(contentsOf: Fixtures.url("imputation/expected.csv"), encoding: .utf8))
        var out: [String: [String: Double]] = [:]
        for row in rows where row["case"] == id {
            out[row["term"]!] = row.compactMapValues { Double($0) }
        }
        return out
    }

    /// CSV text (no quoted commas) as one dictionary per row.
    static func csv(_ text: String) -> [[String: String]] {
        let lines = text.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map {
            String($0).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        } }
        guard let header = lines.first else { return [] }
        return lines.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(header, $0)) }
    }

    /// `|found − expected| ≤ 1e-8 · max(1, |expected|)` for each of `columns` (ours, R's).
    static func agree(_ row: [String: String], _ r: [String: Double], _ columns: [(String, String)], scale: Double = 1,
                      _ what: String) {
        for (ours, theirs) in columns {
            let found = Double(row[ours] ?? "") ?? .nan
            let want = r[theirs]! * (["df", "fmi", "m", "t", "p"].contains(theirs) ? 1 : scale)
            #expect(abs(found - want) <= 1e-8 * max(1, abs(want)), "\(what) \(ours): \(found) vs R \(want)")
        }
    }

    static let measures = [("estimate", "estimate"), ("se", "se"), ("ci_low", "ci_low"), ("ci_high", "ci_high"),
                           ("df", "df"), ("fmi", "fmi"), ("m", "m")]

    @Test func domainMeansOnImputedOriginMatchMIcombine() throws {
        let r = try Self.expected("E1")
        for input in [Self.long, Self.files] {
            let out = try CLIFailureTests.run(["tabulate"] + input + Self.design + ["--mean", "earn", "--by", "origin"])
            #expect(out.status == 0, "\(out.stderr)")
            #expect(out.stderr.contains("m = 5 imputations, Rubin's rules"), "\(out.stderr)")
            let rows = Self.csv(out.stdout)
            #expect(rows.count == 3)
            for row in rows { Self.agree(row, try #require(r[row["origin"]!]), Self.measures, "origin \(row["origin"]!)") }
        }
        let json = try CLIFailureTests.run(["tabulate"] + Self.files + Self.design + ["--mean", "earn", "--by", "origin",
                                                                                   "--format", "json"])
        #expect(try TableSchema.violations(json.stdout) == [])
        #expect(json.stdout.contains("\"fmi\"") && json.stdout.contains("t with Rubin's df"))
        let long = try CLIFailureTests.run(["tabulate"] + Self.long + Self.design + ["--mean", "earn"])
        #expect(long.stderr.contains("imputation 0 of .imp (the original data with missing values, 360 rows) is left out"))
        Self.agree(try #require(Self.csv(long.stdout).first), try #require(Self.expected("E3")["earn"]), Self.measures, "mean")
    }

    @Test func outflowWithImputedOriginMatchesMIcombineInTabulateAndMobility() throws {
        let r = try Self.expected("E2")
        let tab = try CLIFailureTests.run(["tabulate"] + Self.files + Self.design + ["--proportion", "destination", "--by", "origin"])
        #expect(tab.status == 0, "\(tab.stderr)")
        let rows = Self.csv(tab.stdout)
        #expect(rows.count == 9)
        for row in rows {
            let term = "\(row["origin"]!):dest\(row["level"]!)"
            Self.agree(row, try #require(r[term]), Self.measures, term)
        }
        let mob = try CLIFailureTests.run(["mobility"] + Self.long + Self.design
                                          + ["--origin", "origin", "--destination", "destination", "--format", "csv"])
        #expect(mob.status == 0, "\(mob.stderr)")
        #expect(mob.stderr.contains("m = 5 imputations, Rubin's rules"), "\(mob.stderr)")
        let outflow = Self.csv(mob.stdout).filter { $0["table"] == "outflow" }
        #expect(outflow.count == 9)
        for row in outflow {
            let term = "\(row["row"]!):dest\(row["column"]!)"
            Self.agree(row, try #require(r[term]), Self.measures, scale: 100, "outflow \(term)")
        }
    }

    @Test func modelCoefficientsMatchMIcombineOfSvyglm() throws {
        for (id, formula, family) in [("E4", "earn ~ factor(origin) + sex", "gaussian"),
                                      ("E5", "high ~ factor(origin) + sex", "binomial")] {
            let r = try Self.expected(id)
            let out = try CLIFailureTests.run(["model"] + Self.long + Self.design + ["--formula", formula, "--family", family])
            #expect(out.status == 0, "\(out.stderr)")
            let rows = Self.csv(out.stdout)
            #expect(rows.count == 4)
            #expect(rows.first.map { Set($0.keys).isSuperset(of: ["df", "fmi", "m"]) } == true)
            for row in rows {
                Self.agree(row, try #require(r[row["term"]!]), Self.measures + [("t", "t"), ("p", "p")], "\(id) \(row["term"]!)")
            }
            let json = try CLIFailureTests.run(["model"] + Self.files + Self.design + ["--formula", formula, "--family", family,
                                                                                       "--format", "json"])
            #expect(json.stdout.contains("m = 5 imputations, Rubin's rules"))
        }
    }

    /// The README's imputed outflow column (section "Attrition and missing data in cohort studies"), on the
    /// BCS70-style example in Codebooks/examples/linking. R 4.2.2, survey 4.1.1, mitools 2.4:
    /// `mi <- svydesign(ids = ~1, weights = ~B9NRWT, data = imputationList(lapply(1:5, function(k)
    /// read.csv(sprintf("bcs70_imp%d.csv", k)))))`; `mi <- update(mi, dest = factor(B9NSSEC3, levels = 1:3))`;
    /// `r <- MIcombine(with(mi, svyby(~dest, ~FNSSEC3, svymean)))`: 100 coef, 100 SE and df (`%.15g`).
    @Test func readmeImputedOutflowOnTheBCS70ExampleMatchesMIcombine() throws {
        let r: [String: (Double, Double, Double)] = [
            "1:1": (53.2148436022552, 2.50493455468191, 293659.850211636),
            "2:1": (40.7921746889685, 2.90839324316801, 9682.03813537713),
            "3:1": (28.441176100282, 2.22426181552266, 4815.63453919499),
            "1:2": (26.2889873541321, 2.21238264272199, 26752.1170600864),
            "2:2": (29.2136795507247, 2.67759488853141, 69326.8137514893),
            "3:2": (22.3498771310869, 2.03531210934509, 40528.7619712527),
            "1:3": (20.4961690436126, 2.05349415827231, 6268.54960544563),
            "2:3": (29.9941457603068, 2.70998862888432, 32626.2397399572),
            "3:3": (49.2089467686311, 2.46710121381507, 5527.65819008374),
        ]
        let example = Fixtures.codebook("examples/linking").path
        let out = try CLIFailureTests.run([
            "mobility", "--data", example + "/bcs70_imputed_long.csv", "--imputation-id", "imp", "--id", "BCSID",
            "--origin", "FNSSEC3", "--destination", "B9NSSEC3", "--weight", "B9NRWT", "--format", "csv"])
        #expect(out.status == 0, "\(out.stderr)")
        let outflow = Self.csv(out.stdout).filter { $0["table"] == "outflow" }
        #expect(outflow.count == 9)
        for row in outflow {
            let (estimate, se, df) = try #require(r["\(row["row"]!):\(row["column"]!)"])
            Self.agree(row, ["estimate": estimate, "se": se, "df": df], [("estimate", "estimate"), ("se", "se"), ("df", "df")],
                       "BCS70 outflow \(row["row"]!)→\(row["column"]!)")
        }
        let readme = try String(contentsOf: Fixtures.packageRoot.appendingPathComponent("README.md"), encoding: .utf8)
        #expect(readme.contains("| 1 | 54.3 | 25.3 | 20.4 | 54.3 | 25.2 | 20.6 | 53.2 | 26.3 | 20.5 |"))
    }

    /// Five imputations of 220 people `id,w,origin,dest`; in imputation `small` only, origin 3 × destination 1
    /// holds 3 people (12 in the others).
    static func smallInOne(small: Int = 2) throws -> [String] {
        let dir = try Fixtures.temporaryDirectory()
        var paths: [String] = []
        for k in 1...5 {
            var text = "id,w,origin,dest\n"
            var id = 0
            for (o, d, n) in [(1, 1, 40), (1, 2, 30), (1, 3, 20), (2, 1, 20), (2, 2, 30), (2, 3, 25), (3, 1, 12), (3, 2, 20), (3, 3, 23)] {
                for i in 0..<n {
                    id += 1
                    // Nine of origin 3's people in destination 1 have origin 2 in imputation `small`.
                    let origin = k == small && o == 3 && d == 1 && i < 9 ? 2 : o
                    text += "\(id),\(1 + Double(id % 5) / 10),\(origin),\(d)\n"
                }
            }
            let url = dir.appendingPathComponent("imp\(k).csv")
            try Data(text.utf8).write(to: url)
            paths.append(url.path)
        }
        return paths
    }

    @Test func aCellSmallInOneImputationOnlyIsSuppressedInTheCombinedOutput() throws {
        let paths = try Self.smallInOne()
        // Imputation 1 alone publishes the cell (12 people).
        let alone = try CLIFailureTests.run(["tabulate", "--data", paths[0], "--weight", "w", "--proportion", "dest", "--by", "origin"])
        let aloneCell = try #require(Self.csv(alone.stdout).first { $0["origin"] == "3" && $0["level"] == "1" })
        #expect(Double(aloneCell["estimate"]!) != nil && aloneCell["status"] == "safe", "\(alone.stdout)")
        let combined = try CLIFailureTests.run(["tabulate", "--imputations", paths.joined(separator: ","), "--weight", "w",
                                                "--proportion", "dest", "--by", "origin", "--id", "id"])
        #expect(combined.status == 0, "\(combined.stderr)")
        let rows = Self.csv(combined.stdout)
        let cell = try #require(rows.first { $0["origin"] == "3" && $0["level"] == "1" })
        #expect(cell["estimate"] == "[c]" && cell["fmi"] == "[c]" && cell["n"] == "[c]", "\(combined.stdout)")
        #expect(cell["status"]?.contains("threshold@imputation2") == true, "\(cell)")
        // Secondary suppression on the combined table: another cell of origin 3 goes too.
        #expect(rows.filter { $0["origin"] == "3" && $0["estimate"] == "[c]" }.count >= 2, "\(combined.stdout)")
        // mobility: the same cell of the outflow table is suppressed.
        let mob = try CLIFailureTests.run(["mobility", "--imputations", paths.joined(separator: ","), "--weight", "w",
                                           "--origin", "origin", "--destination", "dest", "--format", "csv"])
        #expect(mob.status == 0, "\(mob.stderr)")
        let outflow = try #require(Self.csv(mob.stdout).first { $0["table"] == "outflow" && $0["row"] == "3" && $0["column"] == "1" })
        #expect(outflow["estimate"] == "[c]" && outflow["status"] == "suppressed", "\(outflow)")
    }

    @Test func badImputationsAreRefusedNamingTheProblem() throws {
        let paths = try Self.smallInOne(small: 0)
        let dir = URL(fileURLWithPath: paths[0]).deletingLastPathComponent()
        func run(_ files: [String], _ extra: [String] = []) throws -> (status: Int32, stdout: String, stderr: String) {
            try CLIFailureTests.run(["tabulate", "--imputations", files.joined(separator: ","), "--weight", "w",
                                     "--mean", "dest"] + extra)
        }
        // m = 1.
        let one = try run([paths[0]])
        #expect(one.status == 2 && one.stderr.contains("at least 2"), "\(one.stderr)")
        let single = dir.appendingPathComponent("long1.csv")
        try Data(("imp,w,y\n0,1,\n" + (1...20).map { "1,1,\($0)\n" }.joined()).utf8).write(to: single)
        let longOne = try CLIFailureTests.run(["tabulate", "--data", single.path, "--imputation-id", "imp", "--weight", "w",
                                               "--mean", "y"])
        #expect(longOne.status == 2 && longOne.stderr.contains("Rubin's rules need 2 or more"), "\(longOne.stderr)")
        // A row fewer.
        var text = try String(contentsOfFile: paths[2], encoding: .utf8)
        let short = dir.appendingPathComponent("short.csv")
        try Data(text.split(separator: "\n").dropLast().joined(separator: "\n").appending("\n").utf8).write(to: short)
        let rows = try run([paths[0], paths[1], short.path])
        #expect(rows.status == 1 && rows.stderr.contains("short.csv) has 219 rows but imputation 1"), "\(rows.stderr)")
        // Ids in another order.
        var lines = text.split(separator: "\n").map(String.init)
        lines.swapAt(5, 6)
        let swapped = dir.appendingPathComponent("swapped.csv")
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: swapped)
        let ids = try run([paths[0], swapped.path], ["--id", "id"])
        #expect(ids.status == 1 && ids.stderr.contains("ids differ at row 5: 'id' is '5'"), "\(ids.stderr)")
        // A weight that differs.
        text = try String(contentsOfFile: paths[3], encoding: .utf8)
        lines = text.split(separator: "\n").map(String.init)
        lines[8] = lines[8].replacingOccurrences(of: ",1.", with: ",2.")
        let weight = dir.appendingPathComponent("weight.csv")
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: weight)
        let w = try run([paths[0], weight.path], ["--id", "id"])
        #expect(w.status == 1 && w.stderr.contains("'w' differs between imputations at row 8 (id 8)"), "\(w.stderr)")
        // Options whose results cannot be combined.
        let model = try CLIFailureTests.run(["model"] + Self.long + Self.design + ["--formula", "earn ~ sex", "--test", "sex"])
        #expect(model.status == 2 && model.stderr.contains("--test is not available with multiply imputed data"), "\(model.stderr)")
    }
}
