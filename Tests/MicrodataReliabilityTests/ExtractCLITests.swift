import Foundation
import MicrodataTestSupport
import Testing

/// `microdata extract` options end to end, run through the built binary.
@Suite(.timeLimit(.minutes(1))) struct ExtractCLITests {
    static func run(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        try CLIFailureTests.run(arguments)
    }

    /// A codebook with a `dcml` 2 income whose codes are written in stored units (item 99999, missing
    /// category 99998, range -9..-1), and its data file.
    static func impliedDecimalExtract() throws -> (codebook: String, data: String) {
        let dir = try Fixtures.temporaryDirectory()
        let xml = """
            <codeBook xmlns="ddi:codebook:2_5">
              <fileDscr ID="F1"><fileTxt><fileName>inc.dat</fileName></fileTxt></fileDscr>
              <dataDscr>
                <var name="INC" files="F1" dcml="2"><location StartPos="1" EndPos="6"/>
                  <invalrng><item VALUE="99999"/><range min="-9" max="-1"/></invalrng>
                  <catgry missing="Y"><catValu>99998</catValu><labl>Refused</labl></catgry>
                  <varFormat type="numeric"/></var>
              </dataDscr>
            </codeBook>
            """
        let codebook = dir.appendingPathComponent("inc.xml")
        try Data(xml.utf8).write(to: codebook)
        let data = dir.appendingPathComponent("inc.dat")
        try Data(" 99999\n 99998\n    -5\n 12345\n".utf8).write(to: data)
        return (codebook.path, data.path)
    }

    @Test func storedUnitMissingCodesOnImpliedDecimalsAreEmptyCells() throws {
        let (codebook, data) = try Self.impliedDecimalExtract()
        let r = try Self.run(["extract", "--codebook", codebook, "--data", data])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == "INC\n\n\n\n123.45\n")
        #expect(r.stderr.contains("set to missing by the codebook's missing-value rules: INC 3"), "\(r.stderr)")
    }

    @Test func rawMissingWritesTheCodesScaled() throws {
        let (codebook, data) = try Self.impliedDecimalExtract()
        let r = try Self.run(["extract", "--codebook", codebook, "--data", data, "--raw-missing"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == "INC\n999.99\n999.98\n-0.05\n123.45\n")
    }

    @Test func skipOptionDropsLeadingLines() throws {
        let dir = try Fixtures.temporaryDirectory()
        let xml = """
            <codeBook xmlns="ddi:codebook:2_5">
              <fileDscr ID="F1"><fileTxt><fileName>test-basic.dat</fileName></fileTxt></fileDscr>
              <dataDscr>
                <var name="rt" files="F1"><location StartPos="1" EndPos="1"/><varFormat type="character"/></var>
                <var name="hhnum" files="F1"><location StartPos="2" EndPos="4"/><varFormat type="character"/></var>
              </dataDscr>
            </codeBook>
            """
        let codebook = dir.appendingPathComponent("basic.xml")
        try Data(xml.utf8).write(to: codebook)
        let r = try Self.run(["extract", "--codebook", codebook.path, "--data",
                              Fixtures.path("ddi/hipread/test-basic.dat"), "--skip", "2", "--format", "tsv"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == "rt\thhnum\nP\t001\nP\t001\nH\t002\nP\t002\nP\t002\nH\t003\nP\t003\n")
        #expect(r.stderr.contains("microdata extract: skipped the first 2 lines (--skip)"), "\(r.stderr)")
        let negative = try Self.run(["extract", "--codebook", codebook.path, "--skip=-1"])
        #expect(negative.status != 0)
        #expect(negative.stderr.contains("--skip must be 0 or more"), "\(negative.stderr)")
    }

    // MARK: - Options on the IPUMS fixtures

    @Test func codebookAloneFindsItsGzippedDataFile() throws {
        let r = try Self.run(["extract", "--codebook", Fixtures.path("ddi/ipumsr/cps_00157.xml"), "--limit", "5"])
        #expect(r.status == 0, "\(r.stderr)")
        let lines = r.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 6)
        #expect(lines[0] == "YEAR,SERIAL,MONTH,ASECWTH,STATEFIP,PERNUM,ASECWT,INCTOT")
        #expect(lines[1] == "1962,80,3,1475.59,55,1,1475.59,4883")
        #expect(r.stderr.contains("microdata extract: rows read: 5 (5 lines)"), "\(r.stderr)")
        #expect(r.stderr.contains("microdata extract: stopped at the row limit"), "\(r.stderr)")
    }

    @Test func missingDataFileIsAnInputError() throws {
        let dir = try Fixtures.temporaryDirectory()
        let codebook = dir.appendingPathComponent("lonely.xml")
        try FileManager.default.copyItem(at: Fixtures.url("ddi/ipumsr/cps_00157.xml"), to: codebook)
        let r = try Self.run(["extract", "--codebook", codebook.path])
        #expect(r.status == 1)
        #expect(r.stderr == "error: no data file next to the codebook (tried cps_00157.dat, cps_00157.dat.gz, "
                + "lonely.dat, lonely.dat.gz, lonely.csv, lonely.csv.gz); give --data\n")
        let given = try Self.run(["extract", "--codebook", codebook.path, "--data", dir.appendingPathComponent("no.dat").path])
        #expect(given.status == 1)
        #expect(given.stderr == "error: \(dir.appendingPathComponent("no.dat").path): cannot open the file: "
                + "No such file or directory\n")
    }

    @Test func recordTypeAsTSV() throws {
        let r = try Self.run(["extract", "--codebook", Fixtures.path("ddi/ipumsr/cps_00159.xml"), "--record-type", "P",
                              "--format", "tsv", "--limit", "2"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == "RECTYPE\tYEAR\tSERIAL\tPERNUM\tASECWT\tINCTOT\n"
                + "P\t1962\t80\t1\t1475.59\t4883\nP\t1962\t80\t2\t1470.72\t5800\n")
        #expect(r.stderr.contains("skipped 1 lines of other record types"), "\(r.stderr)")
    }

    @Test func labelsAsJSONLines() throws {
        let r = try Self.run(["extract", "--codebook", Fixtures.path("ddi/ipumsr/cps_00157.xml"), "--labels",
                              "--format", "jsonl", "--variables", "STATEFIP,MONTH,INCTOT", "--limit", "1"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == #"{"STATEFIP":"Wisconsin","MONTH":"March","INCTOT":4883}"# + "\n")
    }

    // MARK: - Data problems

    /// A codebook and data file written to a fresh directory.
    static func files(xml: String, data: String, name: String) throws -> (codebook: String, data: String) {
        let dir = try Fixtures.temporaryDirectory()
        let codebook = dir.appendingPathComponent(name + ".xml")
        try Data(xml.utf8).write(to: codebook)
        let file = dir.appendingPathComponent(name + ".dat")
        try Data(data.utf8).write(to: file)
        return (codebook.path, file.path)
    }

    static let hierarchical = """
        <codeBook xmlns="ddi:codebook:2_5">
          <fileDscr ID="F1"><fileTxt><fileName>h.dat</fileName><fileStrc type="hierarchical">
            <recGrp rectype="H" recidvar="RT"/><recGrp rectype="P" recidvar="RT" keyvar="HH"/>
          </fileStrc></fileTxt></fileDscr>
          <dataDscr>
            <var name="RT" files="F1" rectype="H P"><location StartPos="1" EndPos="1"/><varFormat type="character"/></var>
            <var name="HH" files="F1" rectype="H P"><location StartPos="2" EndPos="4"/><varFormat type="numeric"/></var>
            <var name="AGE" files="F1" rectype="P"><location StartPos="5" EndPos="6"/><varFormat type="numeric"/></var>
          </dataDscr>
        </codeBook>
        """

    @Test func unknownRecordTypeIsCountedAndAnErrorUnderStrict() throws {
        let (codebook, data) = try Self.files(xml: Self.hierarchical, data: "H001\nP00141\nX001zz\nP00207\nX002\n",
                                              name: "h")
        let r = try Self.run(["extract", "--codebook", codebook])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == "RT,HH,AGE\nH,1,\nP,1,41\nP,2,7\n")
        #expect(r.stderr.contains(#"skipped 2 lines of unknown record type "X", first on line 3"#), "\(r.stderr)")
        let strict = try Self.run(["extract", "--codebook", codebook, "--strict"])
        #expect(strict.status == 1)
        #expect(strict.stderr == "error: \(data), line 3, variable RT (byte 1): unknown record type (declared: H, P), "
                + "found \"X\"\n")
    }

    static let identifier = """
        <codeBook xmlns="ddi:codebook:2_5">
          <fileDscr ID="F1"><fileTxt><fileName>id.dat</fileName></fileTxt></fileDscr>
          <dataDscr><var name="ID" files="F1"><location StartPos="1" EndPos="19"/><varFormat type="numeric"/></var></dataDscr>
        </codeBook>
        """

    @Test func trailingLetterIsNotANumber() throws {
        let (codebook, data) = try Self.files(xml: Self.identifier, data: "              1234a\n", name: "id")
        let r = try Self.run(["extract", "--codebook", codebook])
        #expect(r.status == 1)
        #expect(r.stderr == "error: \(data), line 1, variable ID (bytes 1-19): not a number, found \"1234a\"\n")
        #expect(r.stdout.isEmpty)
    }

    @Test func nineteenDigitMaximumIsExactAndOneMoreIsAnError() throws {
        let (codebook, _) = try Self.files(xml: Self.identifier, data: "9223372036854775807\n-000000000000000001\n",
                                           name: "id")
        let r = try Self.run(["extract", "--codebook", codebook, "--format", "jsonl"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == "{\"ID\":9223372036854775807}\n{\"ID\":-1}\n")
        let (larger, data) = try Self.files(xml: Self.identifier, data: "9223372036854775808\n", name: "id")
        let e = try Self.run(["extract", "--codebook", larger])
        #expect(e.status == 1)
        #expect(e.stderr == "error: \(data), line 1, variable ID (bytes 1-19): number too large for a 64-bit integer, "
                + "found \"9223372036854775808\"\n")
    }
}
