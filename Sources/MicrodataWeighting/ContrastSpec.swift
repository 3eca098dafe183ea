import Foundation

/// A named linear combination of the estimates of one analysis (`tabulate --contrast`), as R `svycontrast`
/// on `svyby(..., covmat = TRUE)`.
///
/// Written `NAME=TERM ± TERM ...`; a term is `[C*]DOMAIN[\[LEVEL\]]`: `C` a number or `A/B`, `DOMAIN` the
/// by-values joined by `.` (R's `svyby` row names; empty without `--by`), `LEVEL` a level of a categorical.
/// For example `gap=Yes - No`, `avg=1/3*E + 1/3*H + 1/3*M`, `d=E.Yes[1] - E.No[1]`; a label holding `+`, `-`
/// or `*` is quoted with backticks (`` `16-24` - `25-34` ``).
public struct ContrastSpec: Sendable, Hashable {
    public var name: String
    /// Coefficients keyed by cell label (`DOMAIN` or `DOMAIN[LEVEL]`).
    public var terms: [(label: String, coefficient: Double)] { coefficients }
    var coefficients: [(label: String, coefficient: Double)]

    public static func == (a: ContrastSpec, b: ContrastSpec) -> Bool {
        a.name == b.name && a.coefficients.map(\.label) == b.coefficients.map(\.label)
            && a.coefficients.map(\.coefficient) == b.coefficients.map(\.coefficient)
    }

    public func hash(into h: inout Hasher) {
        h.combine(name)
        for t in coefficients { h.combine(t.label); h.combine(t.coefficient) }
    }

    /// Parses `NAME=EXPRESSION`.
    public init(parsing text: String) throws {
        guard let eq = text.firstIndex(of: "="), !text[..<eq].trimmingCharacters(in: .whitespaces).isEmpty else {
            throw WeightingError.invalidRequest("contrast '\(text)': expected NAME=TERM - TERM ...")
        }
        name = text[..<eq].trimmingCharacters(in: .whitespaces)
        var terms: [(String, Double)] = []
        var current = "", sign = 1.0, depth = 0
        func flush() throws {
            let term = current.trimmingCharacters(in: .whitespaces)
            current = ""
            guard !term.isEmpty else {
                throw WeightingError.invalidRequest("contrast '\(text)': an empty term")
            }
            var coefficient = 1.0, label = term
            if let star = term.firstIndex(of: "*") {
                let c = term[..<star].trimmingCharacters(in: .whitespaces)
                let parts = c.split(separator: "/").map { Double($0.trimmingCharacters(in: .whitespaces)) }
                guard !parts.isEmpty, parts.count <= 2, let num = parts[0], (parts.count == 1 || parts[1] != nil),
                      num.isFinite
                else { throw WeightingError.invalidRequest("contrast '\(text)': '\(c)' is not a coefficient") }
                coefficient = parts.count == 2 ? num / parts[1]! : num
                label = term[term.index(after: star)...].trimmingCharacters(in: .whitespaces)
            }
            label = label.replacingOccurrences(of: "`", with: "")  // quotes around a label or a level
            terms.append((label, sign * coefficient))
        }
        var quoted = false
        for ch in text[text.index(after: eq)...] {
            if ch == "`" { quoted.toggle() }
            if !quoted && ch == "[" { depth += 1 } else if !quoted && ch == "]" { depth -= 1 }
            if !quoted && depth == 0 && (ch == "+" || ch == "-") {
                let t = current.trimmingCharacters(in: .whitespaces)
                if t.isEmpty && terms.isEmpty {  // a leading sign
                    sign = ch == "-" ? -sign : sign
                    continue
                }
                if !t.isEmpty {
                    try flush()
                    sign = ch == "-" ? -1 : 1
                    continue
                }
            }
            current.append(ch)
        }
        try flush()
        coefficients = terms
    }

    /// The coefficient of each cell of `cells` (indices into `table`) that the contrast names; an error names
    /// a label that matches no cell.
    public func resolve(in table: EstimateTable, cells: Range<Int>) throws -> [Int: Double] {
        var index: [String: Int] = [:]
        for i in cells { index[Self.label(of: table.cells[i])] = i }
        var out: [Int: Double] = [:]
        for (label, c) in coefficients {
            guard let i = index[label] else {
                let known = cells.prefix(8).map { Self.label(of: table.cells[$0]) }.joined(separator: ", ")
                throw WeightingError.invalidRequest(
                    "contrast '\(name)': no estimate '\(label)' (estimates are named like \(known))")
            }
            out[i, default: 0] += c
        }
        return out
    }

    /// The label a contrast uses for a cell: its by-values joined by `.`, then `[level]` for a level.
    public static func label(of cell: CellEstimate) -> String {
        cell.byValues.joined(separator: ".") + (cell.level.map { "[\($0)]" } ?? "")
    }
}
