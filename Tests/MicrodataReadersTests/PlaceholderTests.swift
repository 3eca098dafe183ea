import Testing
@testable import MicrodataReaders

struct ReadersPlaceholderTests {
    @Test func moduleLinks() { #expect(Bool(true)) }
}
