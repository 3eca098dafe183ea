import Foundation

extension Publication {
    /// The publication as JSON (`microdata-table/2`, `docs/table.schema.json`): title, metadata (version, design,
    /// rules, audit, stamp), notes, the tables' titles, and the tidy records with numbers as numbers; a missing
    /// or suppressed value is `null` and its row's `status` says why.
    public func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(PublicationDocument(publication: self)), as: UTF8.self) + "\n"
    }
}
