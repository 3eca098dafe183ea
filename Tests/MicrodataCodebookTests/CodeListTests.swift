import Foundation
import MicrodataTestSupport
import Testing

@testable import MicrodataCodebook

/// DDI 3.x code lists (Colectica): nested levels, resolved category references.
@Suite struct CodeListTests {
    let parser = DDIParser()

    @Test func soc2010() throws {
        let lists = try parser.parseCodeLists(contentsOf: Fixtures.url("ddi/colectica_classifications/soc2010.ddi3.xml"))
        let soc = try #require(lists.first)
        #expect(lists.count == 1)
        #expect(soc.id == "327fe81d-2a53-4d5e-92cd-7ff64135dcbc")
        #expect(soc.agency == "int.example")
        #expect(soc.levelCounts == [9, 25, 90, 369])
        #expect(soc.allCodes.count == 493)
        #expect(soc.codes.count == 9)
        let managers = try #require(soc.code("1"))
        #expect(managers.label == "MANAGERS, DIRECTORS AND SENIOR OFFICIALS")
        #expect(managers.labels.first?.language == "en-GB")
        #expect(managers.children.first?.value == "11")
        #expect(soc.code("1115")?.level == 4)
        #expect(soc.allCodes.allSatisfy { $0.label != nil })
    }

    @Test func isco88Trilingual() throws {
        let lists = try parser.parseCodeLists(contentsOf: Fixtures.url("ddi/colectica_classifications/isco.ddi3.xml"))
        let isco = try #require(lists.first)
        #expect(isco.levelCounts == [10, 27, 111, 372])
        #expect(isco.allCodes.count == 520)
        let top = try #require(isco.code("1"))
        #expect(top.label(language: "en") == "LEGISLATORS, SENIOR OFFICIALS AND MANAGERS")
        #expect(top.label(language: "de")?.hasPrefix("ANGEHÖRIGE GESETZGEBENDER") == true)
        #expect(isco.code("111")?.description?.hasPrefix("Senior government officials") == true)
        #expect(isco.allCodes.allSatisfy { !$0.labels.isEmpty })
    }
}
