import Testing
@testable import MicrodataDisclosure

struct DisclosurePlaceholderTests {
    @Test func moduleLinks() { #expect(Bool(true)) }
}
