import Foundation

/// The text summary of `microdata inspect`: one line per variable, as people read it in a terminal.
public enum CodebookSummary {
    /// The summary: the study, its files and record types, the variable count and weights, one line per
    /// variable in `variables` (name, position, type, decimals, categories, `W` for a weight, label, missing
    /// codes), the `warnings`, and a line per code list; terminal control sequences removed.
    public static func text(_ book: Codebook, variables: [Variable], warnings: [MetadataWarning], codeLists: [CodeList]) -> String {
        var out = ""
        let study = book.study
        out += "Study:     \(study.title ?? "(untitled)")\n"
        if let id = study.idNumber { out += "ID:        \(id)\(study.idAgency.map { " (\($0))" } ?? "")\n" }
        if let doi = study.doi { out += "DOI:       \(doi)\n" }
        if let series = study.seriesName { out += "Series:    \(series)\n" }
        if let date = study.producerDate { out += "Produced:  \(date)\n" }
        if !study.samples.isEmpty { out += "Samples:   \(study.samples.joined(separator: "; "))\n" }
        for file in book.files {
            var line = "File:      \(file.id ?? "-") \(file.name ?? "(no name)") \(file.structure.rawValue)"
            if let charset = file.charset { line += " charset=\(charset)" }
            if let cases = file.caseCount { line += " cases=\(cases)" }
            if let count = file.variableCount { line += " vars=\(count)" }
            out += line + "\n"
            for type in file.recordTypes {
                var rt = "  record type \(type.code.isEmpty ? "-" : type.code)"
                if let label = type.label { rt += " \"\(label)\"" }
                if let id = type.idVariable { rt += " id=\(id)" }
                if !type.keyVariables.isEmpty { rt += " keys=\(type.keyVariables.joined(separator: " "))" }
                out += rt + "\n"
            }
        }
        let weights = book.weightVariables.map(\.name)
        out += "Variables: \(book.variables.count)"
        if !weights.isEmpty { out += " (weights: \(weights.joined(separator: ", ")))" }
        out += "\n"
        let nameWidth = min(max(variables.map(\.name.count).max() ?? 4, 4), 24)
        for v in variables {
            let position: String
            if let start = v.start, let end = v.end {
                position = "\(start)-\(end)"
            } else if let width = v.width {
                position = "w\(width)"
            } else {
                position = "-"
            }
            let missing = Self.displayedMissing(v)
            var line = Self.pad(v.name, nameWidth)
            line += "  " + Self.pad(position, 11)
            line += " " + (v.type == .numeric ? "num" : "chr")
            line += " d\(v.decimals)"
            line += Self.pad(" \(v.categories.count)c", 6)
            line += v.isWeight ? " W " : "   "
            line += v.label ?? ""
            if !missing.isEmpty {
                let shown = missing.prefix(6).joined(separator: ",") + (missing.count > 6 ? ",…" : "")
                line += "  [missing: \(shown)]"
            }
            out += line + "\n"
        }
        for warning in warnings { out += "\(warning)\n" }
        for list in codeLists {
            let name = list.labels.first?.text ?? list.id ?? "(unnamed)"
            let levels = list.levelCounts.map(String.init).joined(separator: "/")
            out += "Code list: \(name): \(list.allCodes.count) codes, levels \(levels)\n"
        }
        return LabelText.terminalSafe(out)
    }

    /// The missing codes of `v` as shown in the text summary: the discrete values, then the ranges as
    /// `min..max` (an open bound left empty). A numeric value inside one of the ranges is left out, since the
    /// range already says it is missing (SPSS files list a labelled code such as AGE -9 as well as its range
    /// -9..-1); text values, and values outside every range, are always shown. The JSON output keeps them all.
    public static func displayedMissing(_ v: Variable) -> [String] {
        let ranges = v.missingValues.ranges
        let values = v.missingValues.values.filter { value in
            guard v.type == .numeric, !ranges.isEmpty,
                let x = Double(value.trimmingCharacters(in: .whitespaces)), x.isFinite
            else { return true }
            return !ranges.contains { $0.contains(x) }
        }
        return values + ranges.map { range in
            "\(range.min.map(Self.number) ?? "")..\(range.max.map(Self.number) ?? "")"
        }
    }

    /// `text` followed by spaces up to `width` characters (never truncated).
    static func pad(_ text: String, _ width: Int) -> String {
        let count = text.count
        return count >= width ? text : text + String(repeating: " ", count: width - count)
    }

    static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }
}
