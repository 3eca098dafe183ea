import Testing
@testable import MicrodataTables

struct TablesPlaceholderTests {
    @Test func moduleLinks() { #expect(Bool(true)) }
}
