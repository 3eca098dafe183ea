import Foundation
import MicrodataTestSupport
import Testing

/// Issue 22: the CLI target parses flags and calls library code; every table cell is formatted by a writer in
/// MicrodataWrite, never in `Sources/microdata/`.
struct CLIFormatsNoCellsTests {
    /// Writer code: number formatting, CSV quoting, JSON built as strings, Markdown pipes, padded text columns.
    static let writerPatterns = [
        "String(format:", #""\"\"""#, #"replacingOccurrences(of: "\"""#, "JSONSerialization",
        #"": \("#, "markdownCell", #"" | ""#, "padding(toLength", "csvCell", ".csv()", "TableDocument",
        #"UInt8(ascii: "\"")"#,
    ]

    /// Lines of `text` holding writer code.
    static func writerLines(_ text: String) -> [String] {
        text.split(separator: "\n", omittingEmptySubsequences: false).enumerated().compactMap { n, line in
            let code = line.trimmingCharacters(in: .whitespaces)
            guard !code.hasPrefix("//"), Self.writerPatterns.contains(where: { code.contains($0) }) else { return nil }
            return "\(n + 1): \(code)"
        }
    }

    @Test func noFileOfTheCLIFormatsATableCell() throws {
        let folder = Fixtures.packageRoot.appendingPathComponent("Sources/microdata")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".swift") }
        #expect(files.contains("Tabulate.swift") && files.contains("Mobility.swift") && files.contains("Check.swift"))
        for file in files.sorted() {
            let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
            #expect(Self.writerLines(text) == [], "\(file) formats output itself")
        }
    }

    /// The rule can fail: the renderers `tabulate` had before issue 22 are caught.
    @Test func theRuleCatchesHandWrittenCSVJSONAndMarkdown() {
        #expect(Self.writerLines(#"return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"""#).count == 1)
        #expect(Self.writerLines(#"parts.append("\"estimate\": \(x)")"#).count == 1)
        #expect(Self.writerLines(#"out += "| " + row.joined(separator: " | ") + " |\n""#).count == 1)
        #expect(Self.writerLines(#"let s = String(format: "%.6g", x)"#).count == 1)
        #expect(Self.writerLines("try OutputFile.write(try publication.rendered(as: format), to: output)") == [])
    }

    /// The lines that made `crosswalk`, `harmonise`, `extract` and `inspect --format json` format their own output
    /// (before they moved to MicrodataHarmonise, MicrodataReaders and MicrodataCodebook) are caught.
    @Test func theRuleCatchesTheListingsAndByteWritersThatMoved() {
        #expect(Self.writerLines(#"c?.class5 ?? "?", c?.class3 ?? "?", String(format: "%.3f", cell.share)].joined(separator: "\t"))"#).count == 1)
        #expect(Self.writerLines(#"case 0..<32: buffer.append(contentsOf: Array(String(format: "\\u%04x", b).utf8))"#).count == 1)
        #expect(Self.writerLines(#"bytes.append(UInt8(ascii: "\""))"#).count == 1)
    }
}
