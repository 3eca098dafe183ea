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
}
