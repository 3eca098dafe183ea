import Testing
@testable import MicrodataWeighting

struct WeightingPlaceholderTests {
    @Test func moduleLinks() { #expect(Bool(true)) }
}
