import Foundation
import MicrodataCodebook

/// What a reader sees around a table: its title, where the data came from and numbered notes (`--title`,
/// `--source`, `--note`), and how many significant figures the text formats show (`--digits`).
///
/// Every format carries it: Markdown and text as a header and footer, JSON as keys, HTML and XLSX on the page
/// and cover sheet, CSV in its metadata sidecar (never a comment line, which breaks CSV readers).
public struct Presentation: Sendable, Hashable, Codable {
    public var title: String
    /// The input file, weight and design, unless given.
    public var source: String
    public var notes: [String]
    /// Significant figures in text and Markdown.
    public var digits: DisplayDigits

    public init(title: String, source: String, notes: [String] = [], digits: DisplayDigits = .standard) {
        self.title = title
        self.source = source
        self.notes = notes
        self.digits = digits
    }

    /// The default source line: the input file's name, the weight and the design.
    public static func defaultSource(file: String, weight: String?, design: String?) -> String {
        let name = file == "-" ? "standard input" : URL(fileURLWithPath: file).lastPathComponent
        var parts = [name, "weight: " + (weight ?? "none (every row counts 1)")]
        if let design, !design.isEmpty { parts.append(design.hasPrefix("design: ") ? design : "design: " + design) }
        return parts.joined(separator: "; ")
    }

    /// `# title`, then the lines (design, rules, stamp) the table is read with, in italics.
    public func markdownHeader(lines: [String] = []) -> String {
        var out = "# \(LabelText.markdownCell(title))\n\n"
        for line in lines where !line.isEmpty { out += "_\(LabelText.markdownCell(line))_\n\n" }
        return out
    }

    /// `Source: …` and the numbered notes.
    public func markdownFooter() -> String {
        var out = "\nSource: \(LabelText.markdownCell(source))\n"
        if !notes.isEmpty {
            out += "\nNotes:\n\n"
            for (i, note) in notes.enumerated() { out += "\(i + 1). \(LabelText.markdownCell(note))\n" }
        }
        return out
    }

    /// The title, then `lines`, one per line.
    public func textHeader(lines: [String] = []) -> String {
        ([LabelText.terminalSafe(title)] + lines.filter { !$0.isEmpty }.map(LabelText.terminalSafe))
            .joined(separator: "\n") + "\n"
    }

    /// `Source: …` and `Note N: …` lines.
    public func textFooter() -> String {
        var out = "\nSource: \(LabelText.terminalSafe(source))\n"
        for (i, note) in notes.enumerated() { out += "Note \(i + 1): \(LabelText.terminalSafe(note))\n" }
        return out
    }

    /// The file that describes the CSV at `csvPath`: `<csvPath>-metadata.json`, where a CSV on the Web
    /// (W3C CSVW) processor looks for it.
    public static func csvMetadataPath(for csvPath: String) -> String { csvPath + "-metadata.json" }

    /// CSVW metadata (W3C "Metadata Vocabulary for Tabular Data") for a CSV file named `csvFileName` with
    /// `columns`: the title (`dc:title`), source (`dc:source`), notes (`notes`, in order) and `extra` facts
    /// (design, rules in force, stamp) under `dc:description`.
    public func csvMetadata(csvFileName: String, columns: [String], extra: [(String, String)] = []) throws -> String {
        struct Column: Encodable { var name: String; var titles: String }
        struct Schema: Encodable { var columns: [Column] }
        struct Document: Encodable {
            var context = "http://www.w3.org/ns/csvw"
            var url: String
            var title: String
            var source: String
            var notes: [String]
            var description: [String: String]
            var tableSchema: Schema
            enum CodingKeys: String, CodingKey {
                case context = "@context", url, title = "dc:title", source = "dc:source", notes
                case description = "dc:description", tableSchema
            }
        }
        let document = Document(
            url: csvFileName, title: title, source: source, notes: notes,
            description: Dictionary(extra, uniquingKeysWith: { first, _ in first }),
            tableSchema: Schema(columns: columns.map { Column(name: $0, titles: $0) }))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(document), as: UTF8.self) + "\n"
    }
}
