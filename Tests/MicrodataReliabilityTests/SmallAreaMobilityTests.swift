import Foundation
import MicrodataReaders
import MicrodataTestSupport
import Testing

/// `sae --mobility ORIGIN,DESTINATION`: the upward, downward and immobile rates per area are the EBLUPs of
/// proportions of one derived move variable, so they equal `sae --proportion move=RATE` on a column holding it.
@Suite(.timeLimit(.minutes(1))) struct SmallAreaMobilityTests {
    /// Writes Fixtures/sae/persons.csv with origin and destination classes (1 highest) and the move they make.
    static func data() throws -> URL {
        let records = try DelimitedRecords(contentsOf: Fixtures.url("sae/persons.csv")).records
        var lines = [(records[0].fields + ["origin", "destination", "move"]).joined(separator: ",")]
        for r in records.dropFirst() {
            let person = Int(r.fields[0])!
            let origin = 1 + person % 5
            let step = [0, 0, -1, 1, -2, 0, 2][(person * 3 + Int(r.fields[6])!) % 7]
            let destination = min(5, max(1, origin + step))
            let move = destination < origin ? "upward" : destination > origin ? "downward" : "immobile"
            lines.append((r.fields + [String(origin), String(destination), move]).joined(separator: ","))
        }
        let url = try Fixtures.temporaryDirectory().appendingPathComponent("persons.csv")
        try (lines.joined(separator: "\n") + "\n").write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    /// Checked under a threshold of 3 (at 10 too few areas keep a publishable rate for the model), and unchecked.
    @Test(arguments: [true, false])
    func mobilityRatesEqualTheProportionsOfTheMoveIndicator(_ checked: Bool) throws {
        let data = try Self.data()
        let rules = data.deletingLastPathComponent().appendingPathComponent("rules.json")
        try #"{"threshold": 3}"#.write(to: rules, atomically: true, encoding: .utf8)
        let control = checked ? ["--rules", rules.path] : ["--no-disclosure-control"]
        let common = ["sae", "--data", data.path, "--weight", "weight", "--strata", "region", "--psu", "psu", "--nest",
                      "--area", "area", "--aux", Fixtures.path("sae/areas.csv"), "--formula", "x1 + factor(region)",
                      "--zero-variance", "synthetic"] + control
        let rates = try CLIFailureTests.run(common + ["--mobility", "origin,destination"])
        try #require(rates.status == 0, "\(rates.stderr)")
        var compared = 0
        for rate in ["upward", "downward", "immobile"] {
            let single = try CLIFailureTests.run(common + ["--proportion", "move=\(rate)"])
            try #require(single.status == 0, "\(single.stderr)")
            let expected = SmallAreaCLITests.areas(single.stdout)
            let found = Self.areas(rates.stdout, table: "areas-\(rate)")
            #expect(found.count == 30 && expected.count == 30, "\(rate)")
            for (area, row) in expected {
                for column in ["kind", "estimate", "mse", "gamma", "direct", "direct_se", "direct_status"] {
                    #expect(found[area]?[column] == row[column], "\(rate) \(area) \(column)")
                }
                if row["kind"] == "eblup" { compared += 1 }
            }
        }
        #expect(compared > 30)
        if checked { #expect(rates.stdout.contains("primary:threshold; fitted without it")) }
    }

    /// With --transform arcsin the fit publishes each area's sample size (ψ = 1/(4 n_eff), the design effects),
    /// which sums the counts of all three rates: an area with a suppressed rate has its other rates withheld too.
    @Test func anAreaWithASuppressedRateWithholdsItsOtherRatesWhenTheFitUsesSampleSizes() throws {
        let data = try Self.data()
        let rules = data.deletingLastPathComponent().appendingPathComponent("rules.json")
        try #"{"threshold": 3}"#.write(to: rules, atomically: true, encoding: .utf8)
        let r = try CLIFailureTests.run([
            "sae", "--data", data.path, "--weight", "weight", "--strata", "region", "--psu", "psu", "--nest",
            "--area", "area", "--aux", Fixtures.path("sae/areas.csv"), "--formula", "x1 + factor(region)",
            "--rules", rules.path, "--transform", "arcsin", "--bootstrap", "20", "--mobility", "origin,destination"])
        try #require(r.status == 0, "\(r.stderr)")
        let tables = ["upward", "downward", "immobile"].map { Self.areas(r.stdout, table: "areas-\($0)") }
        var mixed = 0
        for area in tables[0].keys {
            let statuses = tables.map { $0[area]?["direct_status"] ?? "" }
            guard statuses.contains(where: { $0.hasPrefix("primary") }) else { continue }
            for (table, status) in zip(tables, statuses) {
                #expect(status.hasPrefix("primary") || status.hasPrefix("secondary"), "\(area): \(statuses)")
                #expect(table[area]?["direct"] == "[c]", "\(area): \(statuses)")
            }
            if statuses.contains(where: { $0.hasPrefix("secondary") }) { mixed += 1 }
        }
        #expect(mixed > 0)
    }

    /// R survey svyby + sae eblupFH/mseFH (REML) on the same rates: Fixtures/sae/expected-mobility.csv.
    @Test func mobilityRatesMatchSvybyAndEblupFH() throws {
        let r = try CLIFailureTests.run([
            "sae", "--data", try Self.data().path, "--weight", "weight", "--strata", "region", "--psu", "psu", "--nest",
            "--area", "area", "--aux", Fixtures.path("sae/areas.csv"), "--formula", "x1 + factor(region)",
            "--zero-variance", "synthetic", "--no-disclosure-control", "--mobility", "origin,destination"])
        #expect(r.status == 0, "\(r.stderr)")
        let records = try DelimitedRecords(contentsOf: Fixtures.url("sae/expected-mobility.csv")).records.dropFirst()
        #expect(records.count == 81)
        for e in records {
            let row = Self.areas(r.stdout, table: "areas-\(e.fields[0])")[e.fields[1]]
            #expect(row?["kind"] == "eblup", "\(e.fields)")
            SmallAreaCLITests.near(row?["estimate"], Double(e.fields[2]), "\(e.fields[0]) eblup \(e.fields[1])")
            SmallAreaCLITests.near(row?["mse"], Double(e.fields[3]), "\(e.fields[0]) mse \(e.fields[1])")
        }
    }

    /// The rows of one table of a CSV output, by area.
    static func areas(_ csv: String, table: String) -> [String: [String: String]] {
        let lines = csv.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        var out: [String: [String: String]] = [:]
        for line in lines.dropFirst() where line[0] == table {
            out[line[1]] = Dictionary(uniqueKeysWithValues: zip(lines[0], line))
        }
        return out
    }
}
