import Foundation
import MicrodataCodebook
import MicrodataReaders
import MicrodataTestSupport
import Testing

/// `microdata link --format dta|sav`, `--codebook-out`, `extract --format dta|sav`, the bad inputs of issue 14 and
/// the README's linking commands, through the built binary.
@Suite(.timeLimit(.minutes(2))) struct CLILinkOutputTests {
    static func example(_ name: String) -> String { CLILinkTests.example(name) }
    static let cohort = [
        "link", "--data", example("bcs70_birth.csv"), "--with", example("bcs70_age10.csv"), "--with", example("bcs70_age42.csv"),
        "--keys", "BCSID", "--how", "inner", "--duplicates", "first",
    ]

    @Test func linkWritesDtaAndSavWithTheLabelsOfBothSides() throws {
        let dir = try Fixtures.temporaryDirectory()
        let csv = dir.appendingPathComponent("cohort.csv").path
        #expect(try CLIFailureTests.run(Self.cohort + ["--output", csv]).status == 0)
        for format in ["dta", "sav"] {
            let out = dir.appendingPathComponent("cohort.\(format)").path
            let r = try CLIFailureTests.run(Self.cohort + ["--output", out])
            #expect(r.status == 0, "\(r.stderr)")
            #expect(r.stderr.contains("wrote 1067 rows to \(out)"), "\(r.stderr)")
            // The same rows and values as the CSV link, read back by microdata's ReadStat reader.
            let back = dir.appendingPathComponent("back-\(format).csv").path
            let extracted = try CLIFailureTests.run(["extract", "--data", out, "--output", back])
            #expect(extracted.status == 0, "\(extracted.stderr)")
            #expect(try String(contentsOfFile: back, encoding: .utf8) == String(contentsOfFile: csv, encoding: .utf8))
            // Labels of the left (birth), the middle (age 10) and the right (age 42, renamed on a clash).
            let book = try StatFile.codebook(URL(fileURLWithPath: out))
            #expect(book.variable(named: "BCSID")?.type == .character)
            #expect(book.variable(named: "SEX")?.label == "Sex")
            #expect(book.variable(named: "SEX")?.categories.compactMap(\.label) == ["Male", "Female"])
            #expect(book.variable(named: "FNSSEC3")?.categories.first?.label == "Higher managerial, administrative and professional")
            #expect(book.variable(named: "REGION_bcs70_age42")?.label == "Region at 42")
            #expect(book.variable(named: "REGION")?.label == "Region at age 10")
        }
        // Read independently by R haven (see StatFileWriterTests for the R policy).
        guard ProcessInfo.processInfo.environment["MICRODATA_SKIP_R_TESTS"] != "1" else { return }
        let script = """
            for (f in commandArgs(TRUE)) { d <- if (grepl("dta$", f)) haven::read_dta(f) else haven::read_sav(f)
              cat(nrow(d), attr(d$REGION_bcs70_age42, "label"), names(attr(d$SEX, "labels")), sep = "|"); cat("\n") }
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["Rscript", "-e", script] + ["dta", "sav"].map { dir.appendingPathComponent("cohort.\($0)").path }
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "Rscript with haven is needed (or MICRODATA_SKIP_R_TESTS=1)")
        #expect(text == "1067|Region at 42|Male|Female\n1067|Region at 42|Male|Female\n")
    }

    @Test func stataAndSPSSSweepsLinkAsTheirCSVsDo() throws {
        let dir = try Fixtures.temporaryDirectory()
        let birth = dir.appendingPathComponent("birth.dta").path
        let age10 = dir.appendingPathComponent("age10.sav").path
        for (name, out) in [("bcs70_birth", birth), ("bcs70_age10", age10)] {
            let r = try CLIFailureTests.run(["extract", "--codebook", Self.example(name + ".xml"), "--data", Self.example(name + ".csv"),
                                             "--output", out, "--format", String(out.suffix(3))])
            #expect(r.status == 0, "\(r.stderr)")
        }
        let fromCSV = dir.appendingPathComponent("csv.csv").path
        let fromStat = dir.appendingPathComponent("stat.csv").path
        #expect(try CLIFailureTests.run(Self.cohort + ["--output", fromCSV]).status == 0)
        let r = try CLIFailureTests.run([
            "link", "--data", birth, "--with", age10, "--with", Self.example("bcs70_age42.csv"), "--keys", "BCSID",
            "--how", "inner", "--duplicates", "first", "--output", fromStat,
        ])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try String(contentsOfFile: fromStat, encoding: .utf8) == String(contentsOfFile: fromCSV, encoding: .utf8))
    }

    @Test func codebookOutDescribesTheLinkedCSVWithBothSidesLabels() throws {
        let dir = try Fixtures.temporaryDirectory()
        let csv = dir.appendingPathComponent("households.csv").path
        let xml = dir.appendingPathComponent("households.xml").path
        let r = try CLIFailureTests.run([
            "link", "--data", Self.example("was_r8_household.csv"), "--with", Self.example("was_r8_person.csv"),
            "--keys", "CASER8", "--aggregate", "HRP_CLASS=first(NSSEC3R8) where ISHRPR8 == 1",
            "--aggregate", "ADULTS=count(PERSONR8) where DVAGER8 >= 16", "--output", csv, "--codebook-out", xml,
        ])
        #expect(r.status == 0, "\(r.stderr)")
        let book = try DDIParser().parse(contentsOf: URL(fileURLWithPath: xml))
        let header = try DelimitedRecords(contentsOf: URL(fileURLWithPath: csv)).records[0].fields
        #expect(book.variables.map(\.name) == header)
        #expect(book.files.first?.name == "households.csv")
        #expect(book.files.first?.caseCount == 607)
        #expect(book.variable(named: "TOTWLTHR8")?.label != nil)
        let hrp = try #require(book.variable(named: "HRP_CLASS"))
        #expect(hrp.label == "first(NSSEC3R8) where ISHRPR8 == 1: NS-SEC (3 classes)")
        #expect(hrp.categories.map(\.value) == ["1", "2", "3", "-9"])
        #expect(book.variable(named: "ADULTS")?.categories.isEmpty == true)
        // The codebook reads the CSV: value labels come through `extract --labels`.
        let labelled = try CLIFailureTests.run(["extract", "--codebook", xml, "--data", csv, "--variables", "HRP_CLASS", "--labels"])
        #expect(labelled.status == 0, "\(labelled.stderr)")
        #expect(labelled.stdout.contains("\nIntermediate\n"), "\(labelled.stdout.prefix(300))")
        // An output over an input (here the left's codebook, found beside it) is refused before anything is written.
        for name in ["bcs70_birth.csv", "bcs70_birth.xml", "bcs70_age10.csv"] {
            try FileManager.default.copyItem(atPath: Self.example(name), toPath: dir.appendingPathComponent(name).path)
        }
        let leftBook = dir.appendingPathComponent("bcs70_birth.xml").path
        let before = try Data(contentsOf: URL(fileURLWithPath: leftBook))
        let clash = try CLIFailureTests.run([
            "link", "--data", dir.appendingPathComponent("bcs70_birth.csv").path, "--with",
            dir.appendingPathComponent("bcs70_age10.csv").path, "--keys", "BCSID",
            "--output", dir.appendingPathComponent("x.csv").path, "--codebook-out", leftBook,
        ])
        #expect(clash.status != 0)
        #expect(try Data(contentsOf: URL(fileURLWithPath: leftBook)) == before)
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("x.csv").path))
    }

    /// A DDI codebook declaring missing codes (a value and a range) for a CSV.
    static func missingCodesExample(in dir: URL) throws -> (codebook: String, data: String) {
        let xml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <codeBook xmlns="ddi:codebook:2_5" version="2.5"><stdyDscr><citation><titlStmt><titl>Missing codes</titl>\
            </titlStmt></citation></stdyDscr>
            <fileDscr ID="F1"><fileTxt><fileName>people.csv</fileName></fileTxt></fileDscr>
            <dataDscr>
            <var ID="V1" name="PID" files="F1"><labl>Person id</labl><varFormat type="character"/></var>
            <var ID="V2" name="PAY" files="F1"><labl>Gross pay</labl>\
            <invalrng><item VALUE="-9"/><range min="-8" max="-1"/></invalrng>\
            <catgry missing="Y"><catValu>-9</catValu><labl>Refused</labl></catgry>\
            <catgry missing="Y"><catValu>-8</catValu><labl>Does not apply</labl></catgry><varFormat type="numeric"/></var>
            </dataDscr></codeBook>
            """
        let codebook = dir.appendingPathComponent("people.xml").path
        let data = dir.appendingPathComponent("people.csv").path
        try xml.write(toFile: codebook, atomically: true, encoding: .utf8)
        try "PID,PAY\n007,1200.5\n008,-9\n009,-8\n010,-3\n".write(toFile: data, atomically: true, encoding: .utf8)
        return (codebook, data)
    }

    @Test func extractKeepsAndDeclaresMissingCodesInSavAndDta() throws {
        let dir = try Fixtures.temporaryDirectory()
        let (codebook, data) = try Self.missingCodesExample(in: dir)
        let sav = dir.appendingPathComponent("people.sav").path
        let r = try CLIFailureTests.run(["extract", "--codebook", codebook, "--data", data, "--format", "sav", "--output", sav])
        #expect(r.status == 0, "\(r.stderr)")
        let book = try StatFile.codebook(URL(fileURLWithPath: sav))
        let pay = try #require(book.variable(named: "PAY"))
        #expect(pay.label == "Gross pay")
        #expect(pay.missingValues.ranges == [ValueRange(min: -8, max: -1)])
        #expect(pay.missingValues.values.contains("-9"))
        var raw = try StatFile.open(URL(fileURLWithPath: sav), options: ReadOptions(keepRawMissing: true))
        let columns = try Self.read(&raw)
        #expect(columns["PID"]!.text(at: 0) == "007")
        #expect((0..<4).map { columns["PAY"]!.double(at: $0) } == [1200.5, -9, -8, -3])

        let dta = dir.appendingPathComponent("people.dta").path
        let d = try CLIFailureTests.run(["extract", "--codebook", codebook, "--data", data, "--format", "dta", "--output", dta])
        #expect(d.status == 0, "\(d.stderr)")
        let stata = try StatFile.codebook(URL(fileURLWithPath: dta))
        #expect(stata.variable(named: "PAY")?.categories.map { "\($0.value)=\($0.label ?? "")" } == [".a=Refused", ".b=Does not apply"])
        var source = try StatFile.open(URL(fileURLWithPath: dta))
        let stataPay = try #require(try Self.read(&source)["PAY"])
        #expect((0..<4).map { stataPay.double(at: $0) } == [1200.5, nil, nil, nil])
        // --labels writes labels as text: meaningless for these formats, a usage error.
        #expect(try CLIFailureTests.run(["extract", "--codebook", codebook, "--format", "dta", "--labels", "--output", dta]).status == 2)
    }

    static func read(_ source: inout any BatchSource) throws -> [String: Column] {
        var out: [String: Column] = [:]
        while let b = try source.nextBatch() { for c in b.columns where out[c.name] == nil { out[c.name] = c } }
        return out
    }

    @Test func modelJoinEqualsRSvyglmOnTheMergedFiles() throws {
        let dir = try Fixtures.temporaryDirectory()
        let output = dir.appendingPathComponent("model.csv").path
        let r = try CLIFailureTests.run([
            "model", "--data", Self.example("was_r8_person.csv"), "--join", Self.example("was_r8_household.csv") + ":CASER8:inner",
            "--weight", "R8XSHHWGT", "--strata", "STRATR8", "--psu", "PSUR8",
            "--formula", "DVGRSPAYR8 ~ TOTWLTHR8 + factor(SEXR8)", "--no-disclosure-control", "--output", output,
        ])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("1273 matched"), "\(r.stderr)")
        #expect(FileManager.default.fileExists(atPath: output + ".link.json"))
        let got = try DelimitedRecords(contentsOf: URL(fileURLWithPath: output)).records
        let want = try DelimitedRecords(contentsOf: Fixtures.url("link/model_join_expected.csv")).records.dropFirst()
        #expect(got.count == 4)
        for w in want {
            let g = try #require(got.first { $0.fields[0] == w.fields[0] }, "\(w.fields[0])").fields
            for (a, b) in [(g[1], w.fields[1]), (g[2], w.fields[2])] {
                #expect(abs(Double(a)! - Double(b)!) <= 1e-8 * abs(Double(b)!), "\(w.fields[0]): \(a) vs \(b)")
            }
        }
    }

    // MARK: - Bad input (issue 14): each a clear error naming the file, and no output left behind.

    static func files(_ contents: [String: String]) throws -> URL {
        let dir = try Fixtures.temporaryDirectory()
        for (name, text) in contents { try text.write(to: dir.appendingPathComponent(name), atomically: true, encoding: .utf8) }
        return dir
    }

    func link(_ dir: URL, _ arguments: [String]) throws -> (status: Int32, stderr: String, wrote: Bool) {
        let output = dir.appendingPathComponent("out.csv").path
        let r = try CLIFailureTests.run(["link"] + arguments.map { $0.hasSuffix(".csv") ? dir.appendingPathComponent($0).path : $0 }
                                        + ["--output", output])
        return (r.status, r.stderr, FileManager.default.fileExists(atPath: output))
    }

    @Test func keysReadFromCSVCompareByType() throws {
        let dir = try Self.files([
            "zeros.csv": "ID,X\n00123,1\n0042,2\n", "plain.csv": "ID,Y\n123,a\n42,b\n",
            "real.csv": "ID,X\n1.0,1\n2,2\n3,3\n", "int.csv": "ID,Y\n1,a\n2.00,b\n",
        ])
        let out = dir.appendingPathComponent("out.csv")
        // "00123" is text, 123 a number: an error naming both, never a silent match or miss.
        let mixed = try link(dir, ["--data", "zeros.csv", "--with", "plain.csv", "--keys", "ID"])
        #expect(mixed.status == 1 && !mixed.wrote && mixed.stderr.contains("--key-type"), "\(mixed.stderr)")
        // As strings the zeros count: nothing matches.
        #expect(try link(dir, ["--data", "zeros.csv", "--with", "plain.csv", "--keys", "ID", "--key-type", "string"]).status == 0)
        #expect(try String(contentsOf: out, encoding: .utf8) == "ID,X,Y\n00123,1,\n0042,2,\n")
        // As numbers they do not.
        #expect(try link(dir, ["--data", "zeros.csv", "--with", "plain.csv", "--keys", "ID", "--key-type", "number"]).status == 0)
        #expect(try String(contentsOf: out, encoding: .utf8) == "ID,X,Y\n00123,1,a\n0042,2,b\n")
        // Numeric ids written 1.0 and 1, 2 and 2.00 match.
        #expect(try link(dir, ["--data", "real.csv", "--with", "int.csv", "--keys", "ID"]).status == 0)
        #expect(try String(contentsOf: out, encoding: .utf8) == "ID,X,Y\n1,1,a\n2,2,b\n3,3,\n")
    }

    @Test func absentKeyNamesTheFileAndCloseMatches() throws {
        let dir = try Self.files(["hh.csv": "CASER8,W\n1,2\n", "p.csv": "CASE_R8,X\n1,3\n"])
        let r = try link(dir, ["--data", "hh.csv", "--with", "p.csv", "--keys", "CASER8"])
        #expect(r.status == 1 && !r.wrote)
        #expect(r.stderr.contains("p.csv: key 'CASER8' is not a column; close matches: CASE_R8"), "\(r.stderr)")
    }

    @Test func differingKeyTypesNameBothFiles() throws {
        let dir = try Self.files(["a.csv": "ID,X\nA1,1\n", "b.csv": "ID,Y\n1,2\n"])
        let r = try link(dir, ["--data", "a.csv", "--with", "b.csv", "--keys", "ID"])
        #expect(r.status == 1 && !r.wrote)
        #expect(r.stderr.contains("key ID is text in") && r.stderr.contains("a.csv but ID is numeric in")
                && r.stderr.contains("--key-type"), "\(r.stderr)")
        let forced = try link(dir, ["--data", "a.csv", "--with", "b.csv", "--keys", "ID", "--key-type", "string"])
        #expect(forced.status == 0 && forced.wrote, "\(forced.stderr)")
    }

    @Test func aggregateOverATextColumnIsAnError() throws {
        let dir = try Self.files(["hh.csv": "HH\n1\n", "p.csv": "HH,NAME\n1,Ann\n1,Bob\n"])
        let r = try link(dir, ["--data", "hh.csv", "--with", "p.csv", "--keys", "HH", "--aggregate", "S=sum(NAME)"])
        #expect(r.status == 1 && !r.wrote)
        #expect(r.stderr.contains("sum(NAME) needs a numeric variable; NAME is text"), "\(r.stderr)")
        let first = try link(dir, ["--data", "hh.csv", "--with", "p.csv", "--keys", "HH", "--aggregate", "S=first(NAME)"])
        #expect(first.status == 0, "\(first.stderr)")
    }

    @Test func emptyFilesAreErrorsNamingTheFile() throws {
        let dir = try Self.files(["hh.csv": "HH,W\n1,2\n", "header.csv": "HH,W\n", "zero.csv": ""])
        let emptyRight = try link(dir, ["--data", "hh.csv", "--with", "header.csv", "--keys", "HH"])
        #expect(emptyRight.status == 1 && !emptyRight.wrote)
        #expect(emptyRight.stderr.contains("header.csv: the right file has no rows"), "\(emptyRight.stderr)")
        let emptyLeft = try link(dir, ["--data", "header.csv", "--with", "hh.csv", "--keys", "HH"])
        #expect(emptyLeft.status == 1 && !emptyLeft.wrote)
        #expect(emptyLeft.stderr.contains("header.csv: the left data has no rows"), "\(emptyLeft.stderr)")
        let zero = try link(dir, ["--data", "hh.csv", "--with", "zero.csv", "--keys", "HH"])
        #expect(zero.status == 1 && !zero.wrote)
        #expect(zero.stderr.contains("zero.csv"), "\(zero.stderr)")
    }

    // MARK: - README

    /// The commands of README's "Linking sweeps and households", run in a folder holding the example files; the
    /// output lines the README shows (up to a trailing "...") must appear on standard error.
    @Test func readmeLinkingCommandsRun() throws {
        let readme = try String(contentsOf: Fixtures.packageRoot.appendingPathComponent("README.md"), encoding: .utf8)
        let section = try #require(readme.components(separatedBy: "## Linking sweeps and households").dropFirst().first)
        let block = try #require(section.components(separatedBy: "```").dropFirst().first)
        let dir = try Fixtures.temporaryDirectory()
        let examples = Fixtures.codebook("examples/linking")
        for name in try FileManager.default.contentsOfDirectory(atPath: examples.path) {
            try FileManager.default.copyItem(at: examples.appendingPathComponent(name), to: dir.appendingPathComponent(name))
        }
        var commands: [(line: String, shown: [String])] = []
        var pending: String?
        for raw in block.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if let p = pending {
                pending = p + " " + raw.trimmingCharacters(in: .whitespaces)
            } else if raw.hasPrefix("$ ") {
                pending = String(raw.dropFirst(2))
            } else if !raw.hasPrefix("#"), !raw.trimmingCharacters(in: .whitespaces).isEmpty, !commands.isEmpty {
                commands[commands.count - 1].shown.append(raw)
                continue
            } else {
                continue
            }
            if pending!.hasSuffix("\\") {
                pending!.removeLast()
            } else {
                commands.append((pending!, []))
                pending = nil
            }
        }
        #expect(commands.count >= 4)
        for (line, shown) in commands {
            let words = Self.shellWords(line)
            try #require(words.first == "microdata", "\(line)")
            let process = Process()
            process.executableURL = CLIFailureTests.binary
            process.arguments = Array(words.dropFirst())
            process.currentDirectoryURL = dir
            let err = Pipe()
            process.standardError = err
            process.standardOutput = FileHandle.nullDevice
            try process.run()
            let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            #expect(process.terminationStatus == 0, "\(line)\n\(stderr)")
            for s in shown {
                let prefix = s.components(separatedBy: "...").first!.trimmingCharacters(in: .whitespaces)
                #expect(stderr.contains(prefix), "README shows '\(s)' for \(line); stderr:\n\(stderr)")
            }
        }
    }

    /// Splits a command line as a POSIX shell would for plain words, 'single' and "double" quotes.
    static func shellWords(_ line: String) -> [String] {
        var words: [String] = []
        var current = ""
        var quote: Character?
        var inWord = false
        for c in line {
            if let q = quote {
                if c == q { quote = nil } else { current.append(c) }
            } else if c == "'" || c == "\"" {
                quote = c
                inWord = true
            } else if c == " " {
                if inWord { words.append(current) }
                current = ""
                inWord = false
            } else {
                current.append(c)
                inWord = true
            }
        }
        if inWord { words.append(current) }
        return words
    }
}
