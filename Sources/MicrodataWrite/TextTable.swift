import Foundation
import MicrodataCodebook

/// A table of text fields as people read it in a terminal or a Markdown file.
public enum TextTable {
    /// Columns padded to their widest field, two spaces apart; fields made terminal-safe.
    public static func aligned(header: [String], rows: [[String]]) -> String {
        let all = ([header] + rows).map { $0.map(LabelText.terminalSafe) }
        var widths = header.map { _ in 0 }
        for r in all { for (k, f) in r.enumerated() where k < widths.count { widths[k] = max(widths[k], f.count) } }
        return all.map { r in
            r.enumerated().map { k, f in f.padding(toLength: widths[min(k, widths.count - 1)], withPad: " ", startingAt: 0) }
                .joined(separator: "  ").trimmingCharacters(in: .whitespaces)
        }.joined(separator: "\n") + "\n"
    }

    /// A Markdown pipe table; fields escaped for Markdown.
    public static func markdown(header: [String], rows: [[String]]) -> String {
        var out = "| " + header.map(LabelText.markdownCell).joined(separator: " | ") + " |\n|"
            + header.map { _ in " --- |" }.joined() + "\n"
        for row in rows { out += "| " + row.map(LabelText.markdownCell).joined(separator: " | ") + " |\n" }
        return out
    }
}
