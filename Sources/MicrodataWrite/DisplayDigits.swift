import Foundation

/// How the formats people read (text, Markdown, HTML) show numbers: rounded to a few significant figures,
/// never the 17 digits of a `Double`. Machine formats (CSV, JSON, XLSX cells) keep full precision.
///
/// An estimate and its uncertainty (standard error, confidence bounds) are shown to one number of decimal
/// places: enough for `significant` figures of the larger of the estimate and its standard error. Other
/// numbers are rounded on their own to `significant` figures. Whole-number digits are never rounded away
/// (12,345.6 shows as `12346`, not `12350`), and a field that is not a decimal number (a marker such as
/// `[c]`, a label, `NA`, an integer count) is left as it is.
public struct DisplayDigits: Sendable, Hashable, Codable {
    /// Significant figures of an estimate (at least 1).
    public var significant: Int

    /// Four significant figures: what `--digits` defaults to.
    public static let standard = DisplayDigits(4)
    /// The most decimal places shown, however small the number.
    static let maxDecimals = 12

    public init(_ significant: Int) {
        self.significant = max(1, significant)
    }

    /// Decimal places that show `magnitude` to ``significant`` figures (0 for a number of that many whole
    /// digits or more, and for zero or a non-finite number).
    public func decimals(for magnitude: Double) -> Int {
        let size = abs(magnitude)
        guard size.isFinite, size > 0 else { return 0 }
        let exponent = Int(log10(size).rounded(.down))
        // log10 can land a hair under a power of ten: 10^exponent must not exceed the number.
        let leading = pow(10, Double(exponent + 1)) <= size ? exponent + 1 : exponent
        return min(DisplayDigits.maxDecimals, max(0, significant - 1 - leading))
    }

    /// `value` to ``significant`` figures; below 0.0001 or from 10^15 on, in scientific notation (`6.653e-13`).
    public func text(_ value: Double) -> String {
        let size = abs(value)
        if size.isFinite, size != 0, size < 1e-4 || size >= 1e15 {
            return String(format: "%.\(significant - 1)e", value)
        }
        return DisplayDigits.text(value, decimals: decimals(for: value))
    }

    /// `value` with exactly `decimals` places, without locale effects; `Inf`, `-Inf` and `NaN` as written.
    public static func text(_ value: Double, decimals: Int) -> String {
        guard value.isFinite else { return value.isNaN ? "NaN" : (value > 0 ? "Inf" : "-Inf") }
        let places = max(0, min(decimals, 17))
        var text = String(format: "%.\(places)f", value)
        if text.hasPrefix("-"), text.dropFirst().allSatisfy({ $0 == "0" || $0 == "." }) { text.removeFirst() }
        return text
    }

    /// The columns shown at the precision of an estimate column, by name: `se`, `ci_low` and `ci_high` follow
    /// `estimate`; `exp_ci_low` and `exp_ci_high` follow `exp_estimate`.
    public static let companions: [String: [String]] = [
        "estimate": ["se", "ci_low", "ci_high"],
        "exp_estimate": ["exp_ci_low", "exp_ci_high"],
    ]

    /// The columns of numbers that ``rounded(header:rows:numeric:)`` rounds by default: those of `tabulate`,
    /// `check` and `model` tables. Other columns (by-values, labels, status) are never touched.
    public static let numericColumns: Set<String> = [
        "estimate", "se", "ci_low", "ci_high", "deff", "df", "n", "weighted_n", "sum_w2", "kish_deff", "n_eff", "count",
        "value", "t", "p", "exp_estimate", "exp_ci_low", "exp_ci_high", "fmi",
    ]

    /// The rows of a rendered table (full-precision fields) as people should read them: each estimate with
    /// its ``companions`` at one precision, every other decimal number of a `numeric` column to ``significant``
    /// figures, everything else (labels, markers, integers, empty fields) unchanged. `header` names the columns.
    public func rounded(
        header: [String], rows: [[String]], numeric: Set<String> = DisplayDigits.numericColumns
    ) -> [[String]] {
        let index = Dictionary(header.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        let grouped = Set(DisplayDigits.companions.values.joined())
        return rows.map { row in
            var out = row
            for (k, field) in row.enumerated()
            where k < header.count && numeric.contains(header[k]) && !grouped.contains(header[k]) {
                guard let names = DisplayDigits.companions[header[k]] else {
                    if let value = DisplayDigits.decimalNumber(field) { out[k] = text(value) }
                    continue
                }
                // An estimate may be a whole number whose standard error is not.
                guard let value = DisplayDigits.decimalNumber(field) ?? DisplayDigits.wholeNumber(field) else { continue }
                let columns = names.compactMap { index[$0] }.filter { $0 < row.count }
                let se = names.contains("se") ? index["se"].flatMap { $0 < row.count ? Double(row[$0]) : nil } : nil
                let size = max(abs(value), se.flatMap { $0.isFinite ? abs($0) : nil } ?? 0)
                let places = decimals(for: size)
                out[k] = DisplayDigits.text(value, decimals: places)
                for c in columns {
                    if let v = DisplayDigits.decimalNumber(row[c]) ?? DisplayDigits.wholeNumber(row[c]) {
                        out[c] = DisplayDigits.text(v, decimals: places)
                    }
                }
            }
            return out
        }
    }

    /// The value of a field written as a decimal with a fraction or exponent (`0.125`, `1e-05`); `nil` for an
    /// integer, a marker, a label or an empty field, which are shown as written.
    static func decimalNumber(_ field: String) -> Double? {
        guard field.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }),
              field.allSatisfy({ $0.isASCII && ($0.isNumber || "+-.eE".contains($0)) }),
              let value = Double(field), value.isFinite
        else { return nil }
        return value
    }

    /// The value of a field written as a whole number (`-12`).
    static func wholeNumber(_ field: String) -> Double? {
        guard !field.isEmpty, field.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "-" || $0 == "+") }) else { return nil }
        return Double(field)
    }
}

extension PublishedRecords {
    /// The fields as Markdown and text show them: the numbers rounded by `digits` (``DisplayDigits/rounded(header:rows:numeric:)``,
    /// numeric columns being those holding a number), labels, markers and missing values as written.
    public func displayFields(_ digits: DisplayDigits) -> [[String]] {
        let numeric = columns.indices.filter { k in rows.contains { k < $0.count && $0[k].number != nil } }.map { columns[$0] }
        return digits.rounded(header: columns, rows: rows.map { $0.map(\.field) }, numeric: Set(numeric))
    }
}
