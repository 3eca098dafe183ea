import Foundation
import MicrodataCodebook
import MicrodataReaders
import MicrodataTestSupport
import Testing

/// Metadata of the generated fixtures (Fixtures/statfiles/make_fixtures.py holds the values asserted here).
@Suite struct StatFileCodebookTests {
    let sav = Fixtures.url("statfiles/survey.sav")
    let dta = Fixtures.url("statfiles/survey.dta")

    @Test func detectsFormatsByMagicBytes() {
        #expect(StatFile.format(of: sav) == .spss)
        #expect(StatFile.format(of: Fixtures.url("statfiles/survey.zsav")) == .spss)
        #expect(StatFile.format(of: dta) == .stata)
        #expect(StatFile.format(of: Fixtures.url("statfiles/latin1.dta")) == .stata)
        #expect(StatFile.format(of: Fixtures.url("statfiles/survey.por")) == .spssPortable)
        #expect(StatFile.format(of: Fixtures.url("statfiles/survey.tab")) == nil)
        #expect(!StatFile.isStatFile(Fixtures.url("statfiles/make_fixtures.py")))
    }

    @Test func spssVariablesLabelsAndFormats() throws {
        let book = try StatFile.codebook(sav)
        #expect(book.study.title == "Microdata test survey (SPSS)")
        #expect(book.variables.map(\.name) == ["ID", "PWT", "SEX", "AGE", "INCOME", "REGION", "NAME", "COMMENT"])
        #expect(book.files.first?.caseCount == 10)
        #expect(book.files.first?.variableCount == 8)
        #expect(book.files.first?.charset == "UTF-8")
        let income = try #require(book.variable(named: "INCOME"))
        #expect(income.label == "Gross income (£ per year)")
        #expect(income.format == "F10.2")
        #expect(income.decimals == 2)
        #expect(income.nature == "interval")
        #expect(income.interval == "contin")
        #expect(income.type == .numeric)
        let region = try #require(book.variable(named: "REGION"))
        #expect(region.label == "Region <UK & \"NI\">")
        #expect(region.nature == "nominal")
        #expect(region.categories.map(\.value) == ["1", "2", "3", "4"])
        #expect(region.categories[0].label == "Ynys Môn / Isle of Anglesey")
        #expect(region.categories[1].label == "Île & <Londres> \"centre\" 'quoted'")
        #expect(region.categories[2].label == "Scotland – Highlands")
    }

    @Test func spssStringWidthsInBytes() throws {
        let book = try StatFile.codebook(sav)
        let name = try #require(book.variable(named: "NAME"))
        #expect(name.type == .character)
        // pyreadstat declares the width of the longest value ("O'Brien & Sons", 14 bytes), not the A20 asked for;
        // SPSS stores it in 16 bytes, but the width is the declared one.
        #expect(name.width == 14)
        #expect(name.format == "A14")
        let comment = try #require(book.variable(named: "COMMENT"))
        #expect(comment.width == 300)
        #expect(comment.type == .character)
    }

    @Test func spssUserMissingValuesAndRanges() throws {
        let book = try StatFile.codebook(sav)
        let sex = try #require(book.variable(named: "SEX"))
        #expect(sex.missingValues.values == ["-9"])
        #expect(sex.categories.first { $0.value == "-9" }?.isMissing == true)
        #expect(sex.categories.first { $0.value == "1" }?.isMissing == false)
        let age = try #require(book.variable(named: "AGE"))
        #expect(age.missingValues.ranges == [ValueRange(min: -9, max: -1)])
        // Labelled codes inside the range are flagged missing and listed, as the DDI parser lists them.
        #expect(age.categories.filter(\.isMissing).map(\.value).sorted() == ["-1", "-9"])
        #expect(age.isMissing(-5) && !age.isMissing(0))
        let income = try #require(book.variable(named: "INCOME"))
        #expect(income.missingValues.ranges == [ValueRange(min: -99, max: -1)])
        #expect(income.missingValues.values.contains("999999"))
        #expect(income.categories.first { $0.value == "999999" }?.label == "Not applicable")
        let name = try #require(book.variable(named: "NAME"))
        #expect(name.missingValues.values == ["XX"])
    }

    @Test func spssWeightFromFileHeader() throws {
        let book = try StatFile.codebook(sav)
        #expect(book.weightVariables.map(\.name) == ["PWT"])
        let zsav = try StatFile.codebook(Fixtures.url("statfiles/survey.zsav"))
        #expect(zsav.weightVariables.map(\.name) == ["PWT"])
    }

    @Test func zsavHasTheSameVariablesAsSav() throws {
        let a = try StatFile.codebook(sav)
        let b = try StatFile.codebook(Fixtures.url("statfiles/survey.zsav"))
        #expect(a.variables == b.variables)
        #expect(b.files.first?.format == "SPSS compressed system file (zsav)")
    }

    @Test func stataExtendedMissingAndLabels() throws {
        let (book, warnings) = try StatFile.codebookWithWarnings(dta)
        #expect(warnings.isEmpty)
        #expect(book.study.title == "Microdata test survey (Stata)")
        #expect(book.files.first?.format == "Stata dta format 118")
        #expect(book.files.first?.charset == "UTF-8")
        let income = try #require(book.variable(named: "income"))
        #expect(income.format == "%10.2f")
        #expect(income.decimals == 2)
        #expect(income.categories.map(\.value) == [".a", ".b"])
        #expect(income.categories.map(\.label) == ["Refused", "Don't know"])
        #expect(income.categories.filter { !$0.isMissing }.isEmpty)
        #expect(income.missingValues.values == [".a", ".b"])
        let sex = try #require(book.variable(named: "sex"))
        #expect(sex.categories.map(\.value) == ["1", "2"])
        #expect(sex.categories.map(\.label) == ["Male", "Female"])
        let comment = try #require(book.variable(named: "comment"))
        #expect(comment.width == 301)  // pyreadstat declares str301 for the 300-byte value
        #expect(book.weightVariables.isEmpty)  // Stata files carry no weight flag
    }

    @Test func latin1StataTextIsDecoded() throws {
        let book = try StatFile.codebook(Fixtures.url("statfiles/latin1.dta"))
        #expect(book.study.title == "Données test (Latin-1)")
        #expect(book.files.first?.charset == "WINDOWS-1252")
        #expect(book.variable(named: "town")?.label == "Ville (£)")
        #expect(book.variable(named: "grade")?.categories.map(\.label) == ["Élevé", "Moyen"])
    }

    @Test func undefinedLabelSetIsAWarning() throws {
        let (book, warnings) = try StatFile.codebookWithWarnings(Fixtures.url("statfiles/bad_labels.dta"))
        #expect(book.variable(named: "sex")?.categories.isEmpty == true)
        let kinds = warnings.map(\.kind)
        #expect(kinds.contains(.undefinedLabelSet))
        #expect(kinds.contains(.unusedLabelSet))
        #expect(warnings.first { $0.kind == .undefinedLabelSet }?.variable == "sex")
        #expect(warnings.first { $0.kind == .unusedLabelSet }?.labelSet == "sex0")
        // The other sets still attach.
        #expect(book.variable(named: "region")?.categories.count == 4)
    }

    @Test func portableFile() throws {
        let book = try StatFile.codebook(Fixtures.url("statfiles/survey.por"))
        #expect(book.variables.map(\.name) == ["ID", "PWT", "AGE", "REGION"])
        #expect(book.variable(named: "AGE")?.label == "Age in years")
    }
}
