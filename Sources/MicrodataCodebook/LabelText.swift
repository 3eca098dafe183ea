/// Label text made safe for the place it is written: a spreadsheet cell, a Markdown table, a terminal.
/// Labels come from codebooks and data, so any of them may be hostile.
public enum LabelText {
    /// Whether CSV writers prefix formula-like labels with `'` (on unless `--allow-csv-formulas`); set once by
    /// the command line before any output.
    nonisolated(unsafe) public static var guardsCSVFormulas = true

    /// `field` as a CSV cell a spreadsheet will not run: a label (not a number) starting with `=`, `+`, `-`,
    /// `@`, tab or CR gets a leading `'` (OWASP CSV-injection guidance) while `guardsCSVFormulas` is on.
    public static func csvCell(_ field: String) -> String {
        guard guardsCSVFormulas, let first = field.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first),
            Double(field) == nil
        else { return field }
        return "'" + field
    }

    /// `text` as one Markdown table cell: `\`, `|` and `` ` `` escaped with `\`, `<`, `>` and `&` as entities
    /// (no raw HTML), line breaks and tabs as spaces, terminal controls removed (``terminalSafe(_:)``).
    public static func markdownCell(_ text: String) -> String {
        var out = ""
        for scalar in terminalSafe(text).unicodeScalars {
            switch scalar {
            case "\\", "|", "`": out += "\\" + String(scalar)
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "&": out += "&amp;"
            case "\n", "\t", "\u{2028}", "\u{2029}": out += " "
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// `text` without terminal control sequences: ESC sequences (CSI `ESC [ … final`, OSC `ESC ] … BEL/ST`, and
    /// two-character ones) removed whole, and every other C0/C1 control and DEL removed, except `\n` and `\t`.
    public static func terminalSafe(_ text: String) -> String {
        let scalars = Array(text.unicodeScalars)
        var out = String.UnicodeScalarView()
        var i = 0
        func isControl(_ v: UInt32) -> Bool { v < 0x20 || (v >= 0x7F && v <= 0x9F) }
        while i < scalars.count {
            let v = scalars[i].value
            if v == 0x0A || v == 0x09 {
                out.append(scalars[i])
                i += 1
            } else if v == 0x1B || v == 0x9B || v == 0x9D {  // ESC, or C1 CSI / OSC
                var kind = v == 0x9B ? UInt32(0x5B) : v == 0x9D ? UInt32(0x5D) : 0
                i += 1
                if kind == 0, i < scalars.count {
                    kind = scalars[i].value
                    i += 1
                }
                if kind == 0x5B {  // CSI: parameters and intermediates up to a final byte 0x40–0x7E
                    while i < scalars.count, !(0x40...0x7E).contains(scalars[i].value) { i += 1 }
                    i += 1
                } else if kind == 0x5D || kind == 0x50 || kind == 0x5F || kind == 0x5E {  // OSC, DCS, APC, PM: to BEL or ST
                    while i < scalars.count {
                        let c = scalars[i].value
                        i += 1
                        if c == 0x07 || c == 0x9C { break }
                        if c == 0x1B, i < scalars.count, scalars[i].value == 0x5C { i += 1; break }
                    }
                }
            } else if isControl(v) {
                i += 1
            } else {
                out.append(scalars[i])
                i += 1
            }
        }
        return String(out)
    }
}
