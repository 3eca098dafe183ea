import CReadStat
import Foundation
import MicrodataCodebook

/// Turns the metadata ReadStat reported into the codebook model.
enum StatCodebookBuilder {
    static let fileID = "F1"

    /// Upper-cased known weight names (`Codebooks/weights/known-weight-names.csv`), used as the DDI parser
    /// uses them when the file flags no weight (always for Stata and SAS).
    static let knownWeightNames: Set<String> = {
        guard let url = KnownWeightNames.bundledURL() else { return [] }
        return (try? KnownWeightNames.load(from: url)) ?? []
    }()

    static func build(session s: ReadStatSession) -> (codebook: Codebook, warnings: [StatFileWarning]) {
        var warnings: [StatFileWarning] = []
        var usedSets = Set<String>()
        var variables: [Variable] = []
        for info in s.variables {
            var v = Variable(name: info.name, id: "V\(info.index + 1)", files: [fileID])
            if !info.label.isEmpty { v.labels = [LocalizedText(info.label)] }
            v.type = info.isText ? .character : .numeric
            if info.isText { v.width = info.storageWidth }
            if !info.format.isEmpty { v.format = info.format }
            v.decimals = info.decimals > 0 ? info.decimals : decimals(inFormat: info.format)
            switch info.measure {
            case READSTAT_MEASURE_NOMINAL: (v.nature, v.interval) = ("nominal", "discrete")
            case READSTAT_MEASURE_ORDINAL: (v.nature, v.interval) = ("ordinal", "discrete")
            case READSTAT_MEASURE_SCALE: (v.nature, v.interval) = ("interval", "contin")
            default: break
            }
            // SPSS user-missing: single values as items, the rest as ranges (LO/HI as open bounds).
            for r in info.missingRanges {
                if r.lo == r.hi {
                    v.missingValues.values.append(number(r.lo))
                } else {
                    v.missingValues.ranges.append(
                        ValueRange(min: r.lo.isInfinite ? nil : r.lo, max: r.hi.isInfinite ? nil : r.hi))
                }
            }
            v.missingValues.values += info.missingTexts
            if let set = info.labelSet {
                if let labels = s.labelSets[set] {
                    usedSets.insert(set)
                    for entry in labels {
                        guard let category = category(entry, variable: info, warnings: &warnings, set: set) else {
                            continue
                        }
                        v.categories.append(category)
                    }
                } else {
                    warnings.append(
                        StatFileWarning(
                            .undefinedLabelSet, variable: info.name, labelSet: set,
                            message: "\(s.path): variable \(info.name) uses value-label set \"\(set)\", "
                                + "which the file does not define; the variable has no value labels"))
                }
            }
            // As the DDI parser does: missing-flagged categories join the missing codes.
            for c in v.categories where c.isMissing && !v.missingValues.values.contains(c.value) {
                v.missingValues.values.append(c.value)
            }
            if s.weightIndex == info.index { v.isWeight = true }
            variables.append(v)
        }
        for set in s.labelSetOrder where !usedSets.contains(set) {
            let count = s.labelSets[set]?.count ?? 0
            warnings.append(
                StatFileWarning(
                    .unusedLabelSet, labelSet: set,
                    message: "\(s.path): value-label set \"\(set)\" (\(count) labels) refers to no variable in the "
                        + "file; its labels are not in the codebook"))
        }
        if !s.notes.isEmpty {
            warnings.append(
                StatFileWarning(
                    .notesNotKept,
                    message: "\(s.path): \(s.notes.count) file note(s) are not carried into the codebook model"))
        }
        if !variables.contains(where: \.isWeight) {
            for i in variables.indices where knownWeightNames.contains(variables[i].name.uppercased()) {
                variables[i].isWeight = true
            }
        }
        var study = Study()
        study.title = s.fileLabel
        let file = DataFile(
            id: fileID, name: URL(fileURLWithPath: s.path).lastPathComponent, structure: .rectangular,
            charset: charset(s), format: formatName(s), caseCount: s.rowCount >= 0 ? s.rowCount : nil,
            variableCount: s.variables.count)
        let codebook = Codebook(study: study, files: [file], variables: variables, source: s.path)
        return (codebook, warnings)
    }

    private static func category(
        _ entry: StatValueLabel, variable: StatVariableInfo, warnings: inout [StatFileWarning], set: String
    ) -> Category? {
        let value: String
        let missing: Bool
        switch entry.key {
        case .number(let x):
            guard !variable.isText else {
                warnings.append(mismatch(entry, variable, set))
                return nil
            }
            value = number(x)
            missing = variable.missingRanges.contains { x >= $0.lo && x <= $0.hi }
        case .tagged(let tag):
            value = "." + String(tag)
            missing = true
        case .text(let text):
            guard variable.isText else {
                warnings.append(mismatch(entry, variable, set))
                return nil
            }
            value = text
            missing = variable.missingTexts.contains(text)
        }
        return Category(value: value, label: entry.label, isMissing: missing, labels: [LocalizedText(entry.label)])
    }

    private static func mismatch(_ entry: StatValueLabel, _ v: StatVariableInfo, _ set: String) -> StatFileWarning {
        StatFileWarning(
            .mismatchedLabel, variable: v.name, labelSet: set,
            message: "value label \"\(entry.label)\" of set \"\(set)\" has a key of the wrong type for "
                + "\(v.isText ? "text" : "numeric") variable \(v.name); it is not in the codebook")
    }

    /// A number as a category value or missing code: `1`, `-9`, `25000.5`.
    static func number(_ x: Double) -> String {
        if x == x.rounded(), abs(x) < 1e15 { return String(Int64(x)) }
        return String(x)
    }

    /// Digits after the point of an SPSS (`F8.2`) or Stata (`%10.2f`) format.
    static func decimals(inFormat format: String) -> Int {
        guard let dot = format.firstIndex(of: ".") else { return 0 }
        return Int(format[format.index(after: dot)...].prefix { $0.isNumber }) ?? 0
    }

    private static func charset(_ s: ReadStatSession) -> String? {
        if let encoding = s.encoding { return encoding }
        if let encoding = s.fileEncoding { return encoding }
        switch s.format {
        case .stata: return s.formatVersion >= 118 ? "UTF-8" : "WINDOWS-1252"
        default: return nil
        }
    }

    private static func formatName(_ s: ReadStatSession) -> String {
        switch s.format {
        case .spss:
            return URL(fileURLWithPath: s.path).pathExtension.lowercased() == "zsav"
                ? "SPSS compressed system file (zsav)" : "SPSS system file"
        case .spssPortable: return "SPSS portable file"
        case .stata: return "Stata dta format \(s.formatVersion)"
        case .sas: return "SAS7BDAT"
        }
    }
}
