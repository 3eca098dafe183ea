import Testing
@testable import MicrodataHarmonise

struct HarmonisePlaceholderTests {
    @Test func moduleLinks() { #expect(Bool(true)) }
}
