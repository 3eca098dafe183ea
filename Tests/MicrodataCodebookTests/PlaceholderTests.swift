import Testing
@testable import MicrodataCodebook

struct CodebookPlaceholderTests {
    @Test func moduleLinks() { #expect(Bool(true)) }
}
