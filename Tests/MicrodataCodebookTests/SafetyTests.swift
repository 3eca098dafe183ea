import Foundation
import MicrodataTestSupport
import Testing

@testable import MicrodataCodebook

/// Hostile XML is refused: no entity expansion, no external entity or DTD is read, nothing leaks.
@Suite struct SafetyTests {
    let parser = DDIParser()

    @Test func billionLaughsIsRefused() throws {
        var xml = "<?xml version=\"1.0\"?>\n<!DOCTYPE codeBook [\n<!ENTITY lol0 \"lol\">\n"
        for level in 1...9 {
            let previous = "&lol\(level - 1);"
            xml += "<!ENTITY lol\(level) \"\(String(repeating: previous, count: 10))\">\n"
        }
        xml += "]>\n<codeBook><stdyDscr><citation><titlStmt><titl>&lol9;</titl></titlStmt></citation></stdyDscr></codeBook>"
        let started = Date()
        let error = try #require(throws: CodebookError.self) {
            try parser.parse(data: Data(xml.utf8), source: "laughs.xml")
        }
        #expect(error.code == .forbiddenDoctype, "\(error)")
        #expect(error.file == "laughs.xml")
        #expect(!error.message.contains("lollol"))
        #expect(Date().timeIntervalSince(started) < 2)
    }

    @Test func externalEntityPointingAtLocalFileIsRefused() throws {
        let directory = try Fixtures.temporaryDirectory()
        let secret = directory.appendingPathComponent("secret.txt")
        let marker = "TOP-SECRET-\(UUID().uuidString)"
        try Data(marker.utf8).write(to: secret)
        let xml = """
            <?xml version="1.0"?>
            <!DOCTYPE codeBook [<!ENTITY xxe SYSTEM "\(secret.absoluteString)">]>
            <codeBook><stdyDscr><citation><titlStmt><titl>&xxe;</titl></titlStmt></citation></stdyDscr></codeBook>
            """
        let file = directory.appendingPathComponent("xxe.xml")
        try Data(xml.utf8).write(to: file)

        for attempt in [
            { try parser.parse(contentsOf: file) },
            { try parser.parse(data: Data(xml.utf8), source: "xxe.xml") },
        ] {
            do {
                let book = try attempt()
                Issue.record("expected refusal, got title \(book.study.title ?? "nil")")
                #expect(book.study.title?.contains(marker) != true)
            } catch let error as CodebookError {
                #expect(error.code == .forbiddenDoctype)
                #expect(!error.description.contains(marker))
            }
        }
    }

    @Test func externalDTDIsNotLoaded() throws {
        let directory = try Fixtures.temporaryDirectory()
        let dtd = directory.appendingPathComponent("evil.dtd")
        let marker = "DTD-SECRET-\(UUID().uuidString)"
        try Data("<!ENTITY leak \"\(marker)\">".utf8).write(to: dtd)
        let xml = """
            <?xml version="1.0"?>
            <!DOCTYPE codeBook SYSTEM "\(dtd.absoluteString)">
            <codeBook><stdyDscr><citation><titlStmt><titl>&leak;</titl></titlStmt></citation></stdyDscr></codeBook>
            """
        let error = try #require(throws: CodebookError.self) {
            try parser.parse(data: Data(xml.utf8), source: "dtd.xml")
        }
        #expect(error.code == .forbiddenDoctype, "\(error)")
        #expect(!error.description.contains(marker))
    }

    @Test func undefinedEntityIsAnError() throws {
        let xml = "<codeBook><stdyDscr><citation><titlStmt><titl>&nope;</titl></titlStmt></citation></stdyDscr></codeBook>"
        let error = try #require(throws: CodebookError.self) {
            try parser.parse(data: Data(xml.utf8), source: "undefined.xml")
        }
        #expect(error.line == 1)
    }
}
