/// The field delimiters of delimited text: comma, tab, semicolon and pipe.
public enum Delimiter {
    /// The delimiters sniffed for, in the order that breaks a tie.
    public static let candidates: [UInt8] = [UInt8(ascii: ","), 0x09, UInt8(ascii: ";"), UInt8(ascii: "|")]

    /// The delimiter of a header line: the candidate found most often outside double quotes; a comma when
    /// none is found, and the earlier of ``candidates`` on a tie.
    public static func sniff(_ line: UnsafeBufferPointer<UInt8>) -> UInt8 {
        var counts = [Int](repeating: 0, count: candidates.count)
        var quoted = false
        for byte in line {
            if byte == UInt8(ascii: "\"") { quoted.toggle() }
            if quoted { continue }
            if let k = candidates.firstIndex(of: byte) { counts[k] += 1 }
        }
        var best = 0
        for k in counts.indices where counts[k] > counts[best] { best = k }
        return candidates[best]
    }

    /// The delimiter `name` stands for: `,` `;` `|`, or a tab as `tab`, `\t` or the character itself; `nil` for
    /// anything else.
    public static func named(_ name: String) -> UInt8? {
        switch name.lowercased() {
        case ",", "comma": return UInt8(ascii: ",")
        case ";", "semicolon": return UInt8(ascii: ";")
        case "|", "pipe": return UInt8(ascii: "|")
        case "tab", "\\t", "\t": return 0x09
        default: return nil
        }
    }
}
