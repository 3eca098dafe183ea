/// Value labels hidden in IPUMS `codInstr` text, such as `Codes99999999 = N.I.U. (Not in Universe).`
///
/// ipumsr merges these into the value labels (ipumsr issue #94); Microdata does the same for numeric variables,
/// marking them `isFromCodingInstructions` and never overriding a `catgry`.
enum CodingInstructionLabels {
    /// Lines of the form `[Codes]<number> = <label>`.
    static func parse(_ text: String) -> [(value: String, label: String)] {
        var result: [(value: String, label: String)] = []
        for rawLine in text.split(whereSeparator: \.isNewline) {
            var line = Substring(String(rawLine).trimmingWhitespace)
            if line.hasPrefix("Codes") { line = line.dropFirst(5) }
            var value = ""
            var rest = line[...]
            if rest.first == "-" {
                value.append("-")
                rest = rest.dropFirst()
            }
            let digits = rest.prefix { $0.isASCII && ($0.isNumber || $0 == "." || $0 == ",") }
            guard let first = digits.first, first.isNumber else { continue }
            value += digits.filter { $0 != "," }
            rest = rest.dropFirst(digits.count).drop { $0 == " " || $0 == "\t" }
            guard rest.first == "=" else { continue }
            let label = String(rest.dropFirst()).trimmingWhitespace
            guard !label.isEmpty, label != value, Double(value) != nil else { continue }
            result.append((value, label))
        }
        return result
    }

    /// Adds the mined labels of a numeric variable as categories, unless a category already has the value.
    static func merge(into variable: inout Variable) {
        guard variable.type == .numeric, let text = variable.codingInstructions, text.contains("=") else { return }
        for (value, label) in parse(text) {
            let number = Double(value)
            if variable.categories.contains(where: { $0.value == value || Double($0.value) == number }) { continue }
            variable.categories.append(
                Category(value: value, label: label, labels: [LocalizedText(label)], isFromCodingInstructions: true))
        }
    }
}
