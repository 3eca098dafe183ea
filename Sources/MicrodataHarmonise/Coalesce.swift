import Foundation
import MicrodataReaders

/// One harmonised column from several source columns, chosen per record by a year or version variable:
/// `OCC=SOC10M@SOC2010 if YEAR<2021; SOC20M@SOC2020 if YEAR>=2021` on the command line.
///
/// The output `OUT` holds the chosen column's code and `OUT_scheme` the branch's scheme. A later `--map` of
/// `OUT` maps only the rows of its source scheme (rows already in the target scheme pass through), and
/// `--nssec` on `OUT` derives each row with the table of its own scheme, so SOC2010 rows keep the official
/// SOC2010 NS-SEC instead of going through SOC2020.
public struct CoalesceSpec: Sendable, Hashable {
    /// `VAR[@SCHEME] if SELECTOR OP VALUE[,VALUE...]`.
    public struct Branch: Sendable, Hashable {
        public var variable: String
        public var scheme: String?
        public var selector: String
        /// `<`, `<=`, `>`, `>=`, `==`, `!=` (numeric when both sides are numbers) or `in` (any of `values`).
        public var op: String
        public var values: [String]

        public init(variable: String, scheme: String?, selector: String, op: String, values: [String]) {
            self.variable = variable
            self.scheme = scheme
            self.selector = selector
            self.op = op
            self.values = values
        }

        /// Whether the selector value `text` satisfies the condition.
        public func selects(_ text: String) -> Bool {
            let x = Double(text)
            func compare(_ v: String) -> Int? {
                if let x, let y = Double(v) { return x < y ? -1 : x > y ? 1 : 0 }
                return text < v ? -1 : text > v ? 1 : 0
            }
            switch op {
            case "in", "==": return values.contains { compare($0) == 0 }
            case "!=": return compare(values[0]) != 0
            case "<": return compare(values[0]).map { $0 < 0 } ?? false
            case "<=": return compare(values[0]).map { $0 <= 0 } ?? false
            case ">": return compare(values[0]).map { $0 > 0 } ?? false
            case ">=": return compare(values[0]).map { $0 >= 0 } ?? false
            default: return false
            }
        }

        public var description: String {
            "\(variable)\(scheme.map { "@\($0)" } ?? "") if \(selector)\(op == "in" ? " in " : op)\(values.joined(separator: ","))"
        }
    }

    public var output: String
    public var branches: [Branch]

    public init(output: String, branches: [Branch]) {
        self.output = output
        self.branches = branches
    }

    /// Parses `OUT=VAR[@SCHEME] if SEL<VALUE; VAR[@SCHEME] if SEL>=VALUE; ...` (`SEL in A,B` for version codes).
    public init(parsing text: String) throws {
        let usage = "--coalesce '\(text)': expected OUT=VAR@SCHEME if YEAR<2021; VAR@SCHEME if YEAR>=2021"
        guard let eq = text.firstIndex(of: "=") else { throw HarmoniseError(usage) }
        let output = text[..<eq].trimmingCharacters(in: .whitespaces)
        var branches: [Branch] = []
        for part in text[text.index(after: eq)...].split(separator: ";") {
            let halves = part.components(separatedBy: " if ")
            guard !output.isEmpty, halves.count == 2 else { throw HarmoniseError(usage) }
            let source = halves[0].trimmingCharacters(in: .whitespaces).split(separator: "@").map(String.init)
            let condition = halves[1].trimmingCharacters(in: .whitespaces)
            var found: (String, String, String)? = nil
            if let r = condition.range(of: " in ") {
                found = (String(condition[..<r.lowerBound]), "in", String(condition[r.upperBound...]))
            } else {
                for op in ["<=", ">=", "==", "!=", "<", ">"] {
                    if let r = condition.range(of: op) {
                        found = (String(condition[..<r.lowerBound]), op, String(condition[r.upperBound...]))
                        break
                    }
                }
            }
            guard let (selector, op, rest) = found, (1...2).contains(source.count), !source[0].isEmpty else {
                throw HarmoniseError(usage)
            }
            let values = rest.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            let sel = selector.trimmingCharacters(in: .whitespaces)
            guard !sel.isEmpty, !values.isEmpty, values.allSatisfy({ !$0.isEmpty }), op == "in" || values.count == 1 else {
                throw HarmoniseError(usage)
            }
            branches.append(Branch(variable: source[0], scheme: source.count == 2 ? source[1].uppercased() : nil,
                                   selector: sel, op: op, values: values))
        }
        guard !branches.isEmpty else { throw HarmoniseError(usage) }
        self.init(output: output, branches: branches)
    }

    /// The name of the scheme column, `OUT_scheme`.
    public var schemeColumn: String { output + "_scheme" }
}

/// A coalescing step: picks each row's branch, appends `OUT` and `OUT_scheme`, and counts per branch.
struct CompiledCoalesce: Sendable {
    let spec: CoalesceSpec
    var audit = HarmoniseAudit.Coalesce()

    init(_ spec: CoalesceSpec) {
        self.spec = spec
        audit.output = spec.output
        audit.branches = spec.branches.map { HarmoniseAudit.Coalesce.Branch(branch: $0.description, scheme: $0.scheme) }
    }

    mutating func apply(_ batch: Batch, firstOfRecord: [Bool]?) throws -> Batch {
        let selectors = try spec.branches.map { try Harmoniser.column($0.selector, in: batch) }
        let sources = try spec.branches.map { try Harmoniser.column($0.variable, in: batch) }
        var codes = [String?](repeating: nil, count: batch.rowCount), schemes = codes
        for r in 0..<batch.rowCount {
            let one = firstOfRecord.map { $0[r] ? 1 : 0 } ?? 1
            audit.records += one
            guard let b = spec.branches.indices.first(where: { i in selectors[i].text(at: r).map { spec.branches[i].selects($0) } ?? false })
            else {
                audit.noBranch += one
                continue
            }
            audit.branches[b].records += one
            guard let code = sources[b].text(at: r) else { audit.branches[b].missing += one; continue }
            codes[r] = code
            schemes[r] = spec.branches[b].scheme
        }
        var result = batch
        try Harmoniser.append(Column(name: spec.output, storage: .text(codes)), to: &result)
        try Harmoniser.append(Column(name: spec.schemeColumn, storage: .text(schemes)), to: &result)
        return result
    }
}
