import Foundation
import MicrodataReaders
import MicrodataTestSupport
import Testing

/// Issue 21 §4 "Silent wrong answers", end to end through the built binary: one test per bullet.
@Suite(.timeLimit(.minutes(2))) struct SilentWrongAnswerTests {
    static func run(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        try CLIFailureTests.run(arguments)
    }

    static func file(_ text: String, _ name: String) throws -> String {
        let url = try Fixtures.temporaryDirectory().appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url.path
    }

    /// The data rows of a CSV `tabulate` output (comment lines dropped), keyed by column.
    static func rows(_ csv: String) -> [[String: String]] {
        let lines = csv.split(separator: "\n").filter { !$0.hasPrefix("#") }
            .map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        guard let header = lines.first else { return [] }
        return lines.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(header, $0)) }
    }

    static let ipums = (codebook: Fixtures.path("ddi/ipumsr/cps_00159.xml"), data: Fixtures.path("ddi/ipumsr/cps_00159.dat.gz"))

    @Test func oneNAInANumericCSVColumnKeepsTheMeanNumeric() throws {
        var lines = ["w,y"]
        for i in 1...50 { lines.append("1,\(i)") }
        lines.insert("1,N/A", at: 20)
        lines.insert("1,nan", at: 30)
        let data = try Self.file(lines.joined(separator: "\n") + "\n", "na.csv")
        let r = try Self.run(["tabulate", "--data", data, "--weight", "w", "--mean", "y", "--no-disclosure-control"])
        #expect(r.status == 0, "\(r.stderr)")
        let rows = Self.rows(r.stdout)
        #expect(rows.count == 1, "\(r.stdout)")  // one mean, not 50 proportions
        #expect(rows.first?["statistic"] == "mean" && rows.first?["estimate"].flatMap(Double.init) == 25.5)
        #expect(rows.first?["n"] == "50")
        #expect(r.stderr.contains("numeric column y: non-numeric values read as missing: \"N/A\" 1, \"nan\" 1"), "\(r.stderr)")

        let strict = try Self.run(["tabulate", "--data", data, "--weight", "w", "--mean", "y", "--strict"])
        #expect(strict.status != 0 && strict.stderr.contains("line 21") && strict.stderr.contains("--strict"), "\(strict.stderr)")

        let overflow = try Self.file(lines.joined(separator: "\n").replacingOccurrences(of: "1,nan", with: "1,1e309"), "inf.csv")
        let bad = try Self.run(["tabulate", "--data", overflow, "--weight", "w", "--mean", "y"])
        #expect(bad.status != 0 && bad.stderr.contains("line 31") && bad.stderr.contains("not a finite number"), "\(bad.stderr)")
    }

    @Test func leadingZeroCodesRoundTripAndStringForcesText() throws {
        let data = try Self.file("id,la,price,w\n1,00123,1.50,1\n2,04567,2.00,1\n3,10000,0.25,1\n", "codes.csv")
        let r = try Self.run(["extract", "--data", data])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == "id,la,price,w\n1,00123,1.5,1\n2,04567,2,1\n3,10000,0.25,1\n")
        let forced = try Self.run(["extract", "--data", data, "--string", "price,id"])
        #expect(forced.stdout == "id,la,price,w\n1,00123,1.50,1\n2,04567,2.00,1\n3,10000,0.25,1\n", "\(forced.stderr)")
        let harmonised = try Self.run(["harmonise", "--data", data, "--string", "price"])
        #expect(harmonised.stdout == forced.stdout, "\(harmonised.stderr)")
        // tabulate: a forced-text column is categorical (a proportion per level), codes with their zeros.
        let t = try Self.run(["tabulate", "--data", data, "--weight", "w", "--proportion", "la", "--no-disclosure-control"])
        #expect(Self.rows(t.stdout).map { $0["level"] } == ["00123", "04567", "10000"], "\(t.stdout)\(t.stderr)")
        let levels = try Self.run(["tabulate", "--data", data, "--weight", "w", "--mean", "id", "--string", "id",
                                   "--no-disclosure-control"])
        #expect(Self.rows(levels.stdout).map { $0["statistic"] } == ["proportion", "proportion", "proportion"],
                "\(levels.stdout)\(levels.stderr)")
        let typo = try Self.run(["tabulate", "--data", data, "--weight", "w", "--mean", "id", "--string", "idd"])
        #expect(typo.status != 0 && typo.stderr.contains("idd"), "\(typo.stderr)")
    }

    @Test func harmoniseAndExtractBlankCodebookMissingCodesAlike() throws {
        let (codebook, data) = try ExtractCLITests.impliedDecimalExtract()
        let extract = try Self.run(["extract", "--codebook", codebook, "--data", data])
        let harmonise = try Self.run(["harmonise", "--codebook", codebook, "--data", data])
        #expect(harmonise.status == 0, "\(harmonise.stderr)")
        #expect(extract.stdout == "INC\n\n\n\n123.45\n")
        #expect(harmonise.stdout == extract.stdout)
        #expect(harmonise.stderr.contains("set to missing by the codebook's missing-value rules: INC 3"), "\(harmonise.stderr)")
        let keptExtract = try Self.run(["extract", "--codebook", codebook, "--data", data, "--keep-missing-codes"])
        let keptHarmonise = try Self.run(["harmonise", "--codebook", codebook, "--data", data, "--keep-missing-codes"])
        #expect(keptExtract.stdout == "INC\n999.99\n999.98\n-0.05\n123.45\n")
        #expect(keptHarmonise.stdout == keptExtract.stdout, "\(keptHarmonise.stderr)")
    }

    /// cps_00159 labels INCTOT 999999999 "N.I.U." and 999999998 "Missing" only in codInstr, declaring no
    /// missing values. Expected means computed from the fixed-width file in Python (PROVENANCE in this test):
    /// Σw·y/Σw over the P records with ASECWT/10^4 as w, with and without the two codes.
    @Test func ipumsNIUCodesAreWarnedAndMissingOptionDropsThem() throws {
        let base = ["tabulate", "--codebook", Self.ipums.codebook, "--data", Self.ipums.data, "--record-type", "P",
                    "--weight", "ASECWT", "--allow-negative-weights", "--mean", "INCTOT", "--no-disclosure-control"]
        let raw = try Self.run(base)
        #expect(raw.status == 0, "\(raw.stderr)")
        #expect(raw.stderr.contains("warning: INCTOT: 999999998 \"Missing. (1962-1964 only)\" in 111 rows, "
                                    + "999999999 \"N.I.U.\" in 2209 rows"), "\(raw.stderr)")
        #expect(raw.stderr.contains("--missing INCTOT=999999998,999999999"))
        let cleaned = try Self.run(base + ["--missing", "INCTOT=999999998,999999999"])
        #expect(cleaned.status == 0, "\(cleaned.stderr)")
        #expect(!cleaned.stderr.contains("warning: INCTOT"), "\(cleaned.stderr)")
        #expect(cleaned.stderr.contains("INCTOT: 2320 values set to missing by --missing"))
        let row = Self.rows(cleaned.stdout).first
        let mean = try #require(row?["estimate"].flatMap(Double.init))
        #expect(abs(mean - 2554.9252667090473) < 1e-9 * 2554.9, "\(cleaned.stdout)")
        #expect(row?["n"] == "5348")
        let bad = try Self.run(base + ["--missing", "INCTOT"])
        #expect(bad.status != 0 && bad.stderr.contains("VAR=CODE"), "\(bad.stderr)")
    }

    /// `mobility` takes `--missing` too: the rows whose origin code is given lose their origin class.
    @Test func mobilityMissingCodesTakeRowsOutOfTheTable() throws {
        let root = Fixtures.codebook("examples/lfs-synthetic/lfs_synthetic_js2024").path
        let base = ["mobility", "--codebook", root + ".xml", "--data", root + ".dat.gz", "--origin",
                    "SM_NSEC20:NSSEC-OP>NSSEC3", "--destination", "NSECM20:NSSEC-OP>NSSEC3", "--cluster-households",
                    "HSERIALP", "--weight", "PWT24", "--format", "csv"]
        let all = try Self.run(base)
        let some = try Self.run(base + ["--missing", "SM_NSEC20=2"])
        #expect(all.status == 0 && some.status == 0, "\(all.stderr)\(some.stderr)")
        // The count of origin code 2, independently: extract and count.
        let codes = try Self.run(["extract", "--codebook", root + ".xml", "--data", root + ".dat.gz", "--variables", "SM_NSEC20"])
        let twos = codes.stdout.split(separator: "\n").filter { $0 == "2" }.count
        #expect(twos > 0 && some.stderr.contains("SM_NSEC20: \(twos) values set to missing by --missing"), "\(some.stderr)")
        func valid(_ text: String) -> Int? {
            text.split(separator: "\n").first { $0.hasPrefix("microdata mobility:") }
                .flatMap { $0.split(separator: " ").dropLast(3).last }.flatMap { Int($0) }
        }
        let before = try #require(valid(all.stderr)), after = try #require(valid(some.stderr))
        #expect(after < before && before - after <= twos, "\(before) → \(after)")
    }

    @Test func truncatedStataFileIsAnErrorWithTheByteOffset() throws {
        // survey.dta (format 118) cut in its value labels, latin1.dta (format 114) inside its last label.
        for (name, keep) in [("survey.dta", 9588), ("survey.dta", 9987), ("latin1.dta", 798)] {
            let whole = try Data(contentsOf: Fixtures.url("statfiles/\(name)"))
            let cut = try Fixtures.temporaryDirectory().appendingPathComponent(name)
            try whole.prefix(keep).write(to: cut)
            let r = try Self.run(["extract", "--data", cut.path])
            #expect(r.status == 2, "\(name) cut to \(keep): \(r.stderr)")
            #expect(r.stderr.contains("byte offset \(keep) of \(keep)") && r.stderr.contains("truncated"), "\(r.stderr)")
            #expect(r.stdout.isEmpty)
        }
    }

    /// Fixtures/negweights: expected.csv from R survey 4.1.1 (see PROVENANCE.txt there).
    @Test func negativeWeightsAreAllowedWithAFlagAndMatchRSurvey() throws {
        let records = try DelimitedRecords(contentsOf: Fixtures.url("negweights/expected.csv")).records.dropFirst()
        let expected = Dictionary(uniqueKeysWithValues: records.map { ($0.fields[0], (Double($0.fields[1])!, Double($0.fields[2])!)) })
        let base = ["tabulate", "--data", Fixtures.path("negweights/calibrated.csv"), "--weight", "w", "--strata", "stratum",
                    "--psu", "psu", "--no-disclosure-control"]
        let refused = try Self.run(base + ["--mean", "y"])
        #expect(refused.status != 0 && refused.stderr.contains("invalid weight -2.65"), "\(refused.stderr)")
        func close(_ a: String?, _ b: Double) -> Bool { a.flatMap(Double.init).map { abs($0 - b) <= 1e-9 * abs(b) } ?? false }
        for (option, by, keys) in [("--mean", nil, ["mean"]), ("--total", nil, ["total"]),
                                   ("--mean", "g", ["mean_g_a", "mean_g_b"])] as [(String, String?, [String])]
        {
            let r = try Self.run(base + [option, "y", "--allow-negative-weights"] + (by.map { ["--by", $0] } ?? []))
            #expect(r.status == 0, "\(r.stderr)")
            #expect(r.stderr.contains("warning: 4 rows have a negative weight"), "\(r.stderr)")
            let rows = Self.rows(r.stdout)
            #expect(rows.count == keys.count)
            for (row, key) in zip(rows, keys) {
                #expect(close(row["estimate"], expected[key]!.0) && close(row["se"], expected[key]!.1), "\(key): \(row)")
                #expect(row["df"] == "12")
            }
        }
    }

    @Test func mobilityAllowsNegativeWeightsWithAWarning() throws {
        let base = ["mobility", "--data", Fixtures.path("negweights/calibrated.csv"), "--origin", "g", "--destination", "g",
                    "--weight", "w", "--no-disclosure-control", "--format", "csv"]
        let refused = try Self.run(base)
        #expect(refused.status != 0 && refused.stderr.contains("invalid weight -2.65"), "\(refused.stderr)")
        let allowed = try Self.run(base + ["--allow-negative-weights"])
        #expect(allowed.status == 0 && allowed.stderr.contains("warning: 4 rows have a negative weight"), "\(allowed.stderr)")
    }

    @Test func tabulateReadsOneRecordTypeOfAHierarchicalFile() throws {
        let base = ["tabulate", "--codebook", Self.ipums.codebook, "--data", Self.ipums.data, "--weight", "ASECWT",
                    "--allow-negative-weights", "--mean", "INCTOT", "--no-disclosure-control"]
        // Without a record type the household rows have no person weight.
        let all = try Self.run(base)
        #expect(all.status != 0 && all.stderr.contains("weight"), "\(all.stderr)")
        let persons = try Self.run(base + ["--record-type", "P"])
        #expect(persons.status == 0, "\(persons.stderr)")
        let row = Self.rows(persons.stdout).first
        #expect(row?["n"] == "7668")
        // The same Python computation as above, codes included (the $303M mean of the issue).
        #expect(row?["estimate"].flatMap(Double.init).map { abs($0 - 303272035.5776729) < 1e-6 } == true, "\(persons.stdout)")
        let wrong = try Self.run(base + ["--record-type", "X"])
        #expect(wrong.status != 0, "\(wrong.stderr)")
    }
}
