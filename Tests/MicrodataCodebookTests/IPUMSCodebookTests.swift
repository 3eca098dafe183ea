import Foundation
import MicrodataTestSupport
import Testing

@testable import MicrodataCodebook

/// IPUMS DDI 2.5 values asserted by ipumsr's and ipumspy's own tests (docs/ddi.md §6.2).
@Suite struct IPUMSCodebookTests {
    let parser = DDIParser()

    func load(_ path: String) throws -> Codebook {
        try parser.parse(contentsOf: Fixtures.url("ddi/" + path))
    }

    @Test func cps00157Rectangular() throws {
        let book = try load("ipumsr/cps_00157.xml")
        #expect(book.variables.count == 8)
        #expect(book.variables.prefix(3).map(\.name) == ["YEAR", "SERIAL", "MONTH"])
        #expect(book.study.seriesName == "IPUMS CPS")
        #expect(book.files.count == 1)
        #expect(book.files[0].structure == .rectangular)
        #expect(book.files[0].charset == "ISO-8859-1")
        #expect(book.files[0].format == "fixed length fields")

        let year = try #require(book.variable(named: "YEAR"))
        #expect(year.label == "Survey year")
        #expect(
            year.description
                == "YEAR reports the year in which the survey was conducted.  YEARP is repeated on person records.")
        #expect(year.start == 1 && year.end == 4 && year.width == 4 && year.decimals == 0)
        #expect(year.type == .numeric)

        let weight = try #require(book.variable(named: "ASECWTH"))
        #expect(weight.start == 12 && weight.end == 22 && weight.width == 11)
        #expect(weight.decimals == 4)
        #expect(weight.isWeight)
        #expect(book.weightVariables.map(\.name) == ["ASECWTH", "ASECWT"])

        let state = try #require(book.variable(named: "STATEFIP"))
        #expect(state.categories.count == 75)
        #expect(state.categories[0].value == "01")
        #expect(state.categories[0].label == "Alabama")
        #expect(state.categories[1].value == "02")
        #expect(state.categories[1].label == "Alaska")
        #expect(state.category(for: "1")?.label == "Alabama")

        let month = try #require(book.variable(named: "MONTH"))
        let months = [
            "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
            "November", "December",
        ]
        #expect(month.categories.map(\.label) == months)
        #expect(month.categories.compactMap { Int($0.value) } == Array(1...12))

        // INCTOT: 9 digits; its missing codes are only written in codInstr.
        let income = try #require(book.variable(named: "INCTOT"))
        #expect(income.width == 9)
        #expect(income.category(for: "999999998")?.label?.hasPrefix("Missing.") == true)
        #expect(income.category(for: "999999998")?.isFromCodingInstructions == true)
    }

    @Test func cps00006OldICPSRNamespace() throws {
        let book = try load("ipumspy/cps_00006.xml")
        #expect(book.study.doi == "DOI:10.18128/D030.V5.0")
        #expect(book.variables.count == 8)
        #expect(book.files[0].format == "fixed length fields")
        #expect(book.files[0].structure == .rectangular)
        #expect(book.variables.allSatisfy { $0.type == .numeric })
        #expect(book.variable(named: "INCTOT")?.width == 8)
        #expect(book.variable(named: "HWTSUPP")?.decimals == 4)
        #expect(Set(book.weightVariables.map(\.name)) == ["HWTSUPP", "WTSUPP"])
        let month = try #require(book.variable(named: "MONTH"))
        #expect(month.category(for: "1")?.label == "January")
        #expect(month.category(for: "12")?.label == "December")
    }

    @Test func cps00421Hierarchical() throws {
        let book = try load("ipumspy/cps_00421.xml")
        #expect(book.study.doi == "DOI:10.18128/D030.V10.0")
        #expect(book.study.samples == ["IPUMS-CPS, January 2022", "IPUMS-CPS, January 2023"])
        let file = try #require(book.files.first)
        #expect(file.structure == .hierarchical)
        #expect(file.recordTypes.map(\.code) == ["P", "H"])
        #expect(file.recordTypes.map(\.label) == ["Person Record", "Household Record"])
        #expect(file.recordTypes.allSatisfy { $0.idVariable == "RECTYPE" })
        #expect(file.recordTypes[0].keyVariables == ["SERIAL"])
        #expect(file.recordTypes[1].keyVariables == [])
        #expect(book.variable(named: "YEAR")?.recordTypes == ["H", "P"])
        let rectype = try #require(book.variable(named: "RECTYPE"))
        #expect(rectype.type == .character)
        #expect(rectype.start == 1 && rectype.width == 1)
        #expect(rectype.category(for: "H")?.label == "Household Record")
        #expect(rectype.category(for: "P")?.label == "Person Record")
    }

    @Test func cps00159RecordLayouts() throws {
        let book = try load("ipumsr/cps_00159.xml")
        #expect(book.variables.count == 9)
        let household = book.variables.filter { $0.recordTypes.contains("H") }.map(\.name)
        let person = book.variables.filter { $0.recordTypes.contains("P") }.map(\.name)
        #expect(household == ["RECTYPE", "YEAR", "SERIAL", "MONTH", "ASECWTH", "STATEFIP"])
        #expect(person == ["RECTYPE", "YEAR", "SERIAL", "PERNUM", "ASECWT", "INCTOT"])
        #expect(book.files[0].recordTypes.first { $0.code == "P" }?.keyVariables == ["SERIAL"])
        // H and P variables share columns 11-32 but never the same record type.
        #expect(book.validate().filter { $0.kind == .overlappingPositions }.isEmpty)
    }

    @Test func atus00040FourRecordTypes() throws {
        let book = try load("ipumspy/atus_00040.xml")
        #expect(book.study.doi == "DOI:10.18128/D060.V3.3")
        #expect(book.study.samples == ["ATUS 2024"])
        let types = try #require(book.files.first?.recordTypes)
        #expect(types.map(\.code) == ["1", "2", "3", "4"])
        #expect(types[1].keyVariables == ["CASEID"])
        #expect(types.dropFirst().allSatisfy { $0.keyVariables == ["CASEID"] })
        #expect(book.variable(named: "CASEID")?.width == 14)
        #expect(book.variable(named: "WT06")?.isWeight == true)
    }

    @Test func meps00045MultiVariableKey() throws {
        let book = try load("ipumspy/meps_00045.xml")
        let types = try #require(book.files.first?.recordTypes)
        #expect(types.map(\.code) == ["P", "R", "M", "F"])
        #expect(types.allSatisfy { $0.keyVariables == ["YEAR", "SERIAL", "PERNUM"] })
        #expect(book.variable(named: "PID")?.type == .character)
    }

    @Test func labelsMinedFromCodingInstructions() throws {
        let cps = try load("ipumsr/cps_00111.xml")
        let county = try #require(cps.variable(named: "COUNTY"))
        #expect(county.categories.count == 1)
        #expect(county.category(for: "0")?.label == "Not identified")
        let farm = try #require(cps.variable(named: "OINCFARM"))
        #expect(farm.categories.map(\.value) == ["99999999"])
        #expect(farm.categories.map(\.label) == ["N.I.U. (Not in Universe)."])

        let international = try load("ipumsr/ipumsi_00987.xml")
        let density = try #require(international.variable(named: "POPDENSGEO1"))
        #expect(density.categories.map(\.label) == ["Unknown."])
        #expect(density.category(for: "0")?.label == "Unknown.")
    }

    @Test func mtusCharacterCategories() throws {
        let book = try load("ipumsr/mtus_00002.xml")
        #expect(book.variables.count == 27)
        let sample = try #require(book.variable(named: "SAMPLE"))
        #expect(sample.type == .character)
        #expect(sample.categories.count == 57)
        #expect(sample.category(for: "UK2014")?.label == "United Kingdom 2014")
        #expect(book.variable(named: "PROPWT")?.isWeight == true)
    }

    @Test func atus00025RecordTypeLabelsDeduplicated() throws {
        let book = try load("ipumsr/atus_00025.xml")
        let rectype = try #require(book.variable(named: "RECTYPE"))
        #expect(rectype.categories.map(\.value) == ["1", "2", "3", "4", "5"])
        #expect(
            rectype.categories.map(\.label) == [
                "Household Record", "Person Record", "Activity Record", "Who Record", "Elder Care Record",
            ])
        let region = try #require(book.variable(named: "REGION"))
        #expect(region.categories.map(\.value) == ["1", "2", "3", "4"])
        #expect(region.categories.map(\.label) == ["Northeast", "Midwest", "South", "West"])
        #expect(book.files[0].recordTypes.count == 5)
    }

    @Test func usaWeightsHaveTwoDecimals() throws {
        let book = try load("ipumsr/usa_00468.xml")
        #expect(book.variables.count == 10)
        #expect(book.weightVariables.map(\.name) == ["HHWT", "PERWT"])
        #expect(book.weightVariables.map(\.decimals) == [2, 2])
        #expect(book.variable(named: "CBSERIAL")?.width == 13)
    }

    @Test func everyIPUMSCodebookParses() throws {
        let counts: [String: Int] = [
            "ipumsr/cps_00097.xml": 14, "ipumsr/cps_00158.xml": 8, "ipumsr/cps_00160.xml": 15,
            "ipumspy/cps_00361.xml": 12, "ipumspy/meps_00019.xml": 23, "ipumspy/atus_00034.xml": 13,
        ]
        for (path, count) in counts {
            let book = try load(path)
            #expect(book.variables.count == count, "\(path)")
            #expect(book.variables.allSatisfy { $0.start != nil && $0.width != nil }, "\(path)")
        }
        let health = try #require(try load("ipumsr/cps_00160.xml").variable(named: "HEALTH"))
        #expect(health.categories.count == 5)
    }
}
