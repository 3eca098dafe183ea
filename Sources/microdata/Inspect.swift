import ArgumentParser
import Foundation
import MicrodataCodebook
import MicrodataReaders
import MicrodataWrite

/// `microdata inspect CODEBOOK [--format text|json] [--variables A,B]`: summarise a DDI codebook.
struct Inspect: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Summarise a codebook: DDI, or the metadata of an SPSS, Stata or SAS file (study, files, variables).",
        discussion: """
            text: one line per variable with name, position, type, decimals, label, number of categories, \
            missing codes and a weight marker (W). json: the whole model, plus consistency warnings.
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    @Argument(help: "A DDI codebook (.xml or .xml.gz), or an SPSS, Stata or SAS data file.") var codebook: String
    @Option(help: "Output format: text or json.") var format: Format = .text
    @Option(help: "Only these variables (comma-separated names, case-insensitive).") var variables: String?

    @OptionGroup(title: "Limits") var limits: LimitOptions

    func run() throws {
        limits.apply()
        let parsed: Codebook
        let warnings: [CodebookSource.Warning]
        do {
            (parsed, warnings) = try CodebookSource.load(URL(fileURLWithPath: codebook))
        } catch let error as CodebookError {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode.failure
        } catch let error as StatFileError {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode.failure
        }
        // A DDI 3.x document has no variables here; show its code lists instead (SOC2010, ISCO).
        let codeLists =
            parsed.variables.isEmpty && !StatFile.isStatFile(URL(fileURLWithPath: codebook))
            ? ((try? DDIParser(knownWeightNames: nil, limits: Limits.ddi).parseCodeLists(contentsOf: URL(fileURLWithPath: codebook))) ?? [])
            : []
        var selected = parsed.variables
        if let variables {
            let wanted = variables.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            var picked: [Variable] = []
            for name in wanted where !name.isEmpty {
                // Every variable with that name (relational files repeat names) or that ID.
                let lower = name.lowercased()
                let matches = parsed.variables.filter { $0.name.lowercased() == lower || $0.id == name }
                guard !matches.isEmpty else {
                    FileHandle.standardError.write(Data("error: \(codebook), variable \(name): variable is not in the codebook\n".utf8))
                    throw ExitCode.failure
                }
                picked += matches
            }
            selected = picked
        }
        switch format {
        case .json:
            var json = InspectJSONWriter()
            json.write(parsed, variables: selected, warnings: warnings, codeLists: codeLists)
            try StandardOutput.write(json.bytes)
        case .text:
            var text = textSummary(parsed, variables: selected, warnings: warnings)
            for list in codeLists {
                let name = list.labels.first?.text ?? list.id ?? "(unnamed)"
                let levels = list.levelCounts.map(String.init).joined(separator: "/")
                text += "Code list: \(name): \(list.allCodes.count) codes, levels \(levels)\n"
            }
            try StandardOutput.write(LabelText.terminalSafe(text))
        }
    }

    private func textSummary(_ book: Codebook, variables: [Variable], warnings: [CodebookSource.Warning]) -> String {
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
        return out
    }

    /// The missing codes of `v` as shown in the text summary: the discrete values, then the ranges as
    /// `min..max` (an open bound left empty). A numeric value inside one of the ranges is left out, since the
    /// range already says it is missing (SPSS files list a labelled code such as AGE -9 as well as its range
    /// -9..-1); text values, and values outside every range, are always shown. The JSON output keeps them all.
    static func displayedMissing(_ v: Variable) -> [String] {
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

