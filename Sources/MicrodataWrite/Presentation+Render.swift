import Foundation

extension Presentation {
    /// A table of full-precision text fields as text (aligned) or Markdown: rounded to ``digits`` in its `numeric`
    /// columns, under the title and `lines`, over the source and notes.
    public func render(
        header: [String], rows: [[String]], lines: [String], markdown: Bool,
        numeric: Set<String> = DisplayDigits.numericColumns
    ) -> String {
        let shown = digits.rounded(header: header, rows: rows, numeric: numeric)
        if markdown { return markdownHeader(lines: lines) + TextTable.markdown(header: header, rows: shown) + markdownFooter() }
        return textHeader(lines: lines) + "\n" + TextTable.aligned(header: header, rows: shown) + textFooter()
    }

    /// `value` as pretty JSON under `key`, with the `title`, `source` and `notes` beside it.
    public func json<Value: Encodable>(_ value: Value, key: String) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(PresentedDocument(presentation: self, key: key, value: value)), as: UTF8.self) + "\n"
    }
}

/// A value with the presentation's title, source and notes as sibling keys.
private struct PresentedDocument<Value: Encodable>: Encodable {
    var presentation: Presentation
    var key: String
    var value: Value
    struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        try c.encode(presentation.title, forKey: Key(stringValue: "title"))
        try c.encode(presentation.source, forKey: Key(stringValue: "source"))
        try c.encode(presentation.notes, forKey: Key(stringValue: "notes"))
        try c.encode(value, forKey: Key(stringValue: key))
    }
}
