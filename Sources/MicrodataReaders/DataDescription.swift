import MicrodataCodebook

/// What a data file holds, from one streaming pass (`microdata describe`): per variable its type, codebook label
/// and missing codes, the rows with a value and without, and the unweighted and weighted mean, minimum and maximum
/// of a numeric variable.
public struct DataDescription: Sendable, Hashable, Codable {
    /// One variable's summary; a `nil` number is one not defined (a text variable's mean) or withheld.
    public struct Variable: Sendable, Hashable, Codable {
        public var name: String
        /// `integer`, `real` or `text`, as read.
        public var type: String
        public var label: String?
        /// The codebook's missing codes, as written (`9999`, `-9..-1`).
        public var missingCodes: [String]
        /// Rows with a value (missing codes already turned into missing).
        public var valid: Int?
        /// Rows without one.
        public var missing: Int?
        public var mean: Double?
        public var weightedMean: Double?
        /// Sum of weights over the rows with a value.
        public var weightedCount: Double?
        public var minimum: Double?
        public var maximum: Double?
        /// `safe`, or why numbers are withheld (`threshold`, `threshold-missing`, `dominance`, `minimum-maximum`).
        public var status: String

        enum CodingKeys: String, CodingKey {
            case name, type, label, missingCodes, valid, missing, mean, weightedMean, weightedCount, minimum, maximum, status
        }

        /// Every key, `null` for a number not defined or withheld.
        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(name, forKey: .name)
            try c.encode(type, forKey: .type)
            try c.encode(label, forKey: .label)
            try c.encode(missingCodes, forKey: .missingCodes)
            try c.encode(valid, forKey: .valid)
            try c.encode(missing, forKey: .missing)
            try c.encode(mean, forKey: .mean)
            try c.encode(weightedMean, forKey: .weightedMean)
            try c.encode(weightedCount, forKey: .weightedCount)
            try c.encode(minimum, forKey: .minimum)
            try c.encode(maximum, forKey: .maximum)
            try c.encode(status, forKey: .status)
        }
    }

    /// The file, as given.
    public var file: String
    public var rows: Int
    public var weight: String?
    public var variables: [Variable]
    /// How the numbers were protected (the rules in force), or the bypass stamp.
    public var disclosure: String

    /// The columns of ``rows`` (text and Markdown tables).
    public static let header = ["variable", "type", "label", "missing_codes", "n", "missing", "mean", "weighted_mean",
                                "weighted_n", "min", "max", "status"]

    /// The columns of numbers in ``tableRows``.
    public static let numericColumns: Set<String> = ["n", "missing", "mean", "weighted_mean", "weighted_n", "min", "max"]

    /// The variables as text fields, numbers at full precision (shortest round-trip form), withheld ones `[c]`.
    public var tableRows: [[String]] {
        variables.map { v in
            func number(_ x: Double?, defined: Bool = true) -> String {
                guard let x else { return defined && v.status != "safe" ? "[c]" : "" }
                return x == x.rounded() && abs(x) < 1e15 ? String(Int64(x)) : String(x)
            }
            let numeric = v.type != "text"
            let counts = [v.valid, v.missing].map { $0.map(String.init) ?? "[c]" }
            return [v.name, v.type, v.label ?? "", v.missingCodes.joined(separator: " ")] + counts + [
                number(v.mean, defined: numeric), number(v.weightedMean, defined: numeric && weight != nil),
                number(v.weightedCount, defined: weight != nil), number(v.minimum, defined: numeric),
                number(v.maximum, defined: numeric), v.status,
            ]
        }
    }

    /// This description as it may be published: a variable with fewer than `threshold` rows with a value shows no
    /// count, mean or extreme; fewer than `threshold` rows without one hide both counts; a mean whose `nkN` largest absolute contributions make more than `nkK` percent of
    /// the total is withheld (dominance); minimum and maximum, each one respondent's value, are always withheld.
    public func protected(threshold: Int, nkN: Int, nkK: Double, rulesInForce: String) -> DataDescription {
        var out = self
        out.disclosure = "rules in force: " + rulesInForce + "; minimum and maximum withheld (one respondent's value each)"
        for i in out.variables.indices {
            var v = out.variables[i]
            v.minimum = nil
            v.maximum = nil
            v.status = v.type == "text" ? "safe" : "minimum-maximum"
            let valid = v.valid ?? 0, missing = v.missing ?? 0
            if valid < threshold {
                v = Variable(name: v.name, type: v.type, label: v.label, missingCodes: v.missingCodes, status: "threshold")
            } else {
                // A few rows without a value are a small count too (and rows − valid would give it away).
                if missing > 0 && missing < threshold { (v.valid, v.missing, v.status) = (nil, nil, "threshold-missing") }
                if let shares = dominance[v.name], shares.total > 0,
                   shares.largest.prefix(nkN).reduce(0, +) > nkK / 100 * shares.total {
                    (v.mean, v.weightedMean, v.status) = (nil, nil, "dominance")
                }
            }
            out.variables[i] = v
        }
        return out
    }

    /// Per numeric variable: the largest absolute (weighted) values and their total, for the dominance rule.
    var dominance: [String: (largest: [Double], total: Double)] = [:]

    enum CodingKeys: String, CodingKey { case file, rows, weight, variables, disclosure }

    public static func == (a: DataDescription, b: DataDescription) -> Bool {
        a.file == b.file && a.rows == b.rows && a.weight == b.weight && a.variables == b.variables && a.disclosure == b.disclosure
    }

    public func hash(into hasher: inout Hasher) { hasher.combine(file); hasher.combine(variables) }
}

/// Builds a ``DataDescription`` batch by batch: memory is one accumulator per variable, whatever the file's size.
public struct DataDescriber {
    private struct Accumulator {
        var type = "integer"
        var valid = 0
        var missing = 0
        var sum = 0.0
        var weightedSum = 0.0
        var weights = 0.0
        var minimum = Double.infinity
        var maximum = -Double.infinity
        var largest: [Double] = []
        var absoluteTotal = 0.0
    }

    private let file: String
    private let weight: String?
    private let codebook: Codebook?
    private let keep: Int
    private var names: [String] = []
    private var accumulators: [String: Accumulator] = [:]
    private var rows = 0

    /// `keep` is how many of the largest contributions are kept per variable (the dominance rule's N).
    public init(file: String, weight: String?, codebook: Codebook?, keep: Int = 2) {
        self.file = file
        self.weight = weight
        self.codebook = codebook
        self.keep = max(1, keep)
    }

    /// Adds a batch.
    ///
    /// - Throws: `ReadError` when the weight variable is not in the data.
    public mutating func add(_ batch: Batch) throws {
        var weights: Column?
        if let weight {
            guard let column = batch.columns.first(where: { $0.name.lowercased() == weight.lowercased() }) else {
                throw ReadError(message: "the weight variable \(weight) is not in the data", file: file)
            }
            weights = column
        }
        rows += batch.rowCount
        for column in batch.columns {
            if accumulators[column.name] == nil { names.append(column.name) }
            var a = accumulators[column.name] ?? Accumulator()
            switch column.storage {
            case .integer: break
            case .real: if a.type == "integer" { a.type = "real" }
            case .text: a.type = "text"
            }
            for row in 0..<batch.rowCount {
                guard let text = column.text(at: row) else {
                    a.missing += 1
                    continue
                }
                a.valid += 1
                guard a.type != "text", let x = column.double(at: row) else { _ = text; continue }
                let w = weights?.double(at: row) ?? 1
                a.sum += x
                a.weightedSum += w * x
                a.weights += w
                a.minimum = min(a.minimum, x)
                a.maximum = max(a.maximum, x)
                let size = abs(w * x)
                a.absoluteTotal += size
                if a.largest.count < keep || size > (a.largest.last ?? 0) {
                    a.largest.append(size)
                    a.largest.sort(by: >)
                    if a.largest.count > keep { a.largest.removeLast() }
                }
            }
            accumulators[column.name] = a
        }
    }

    /// The description, unprotected: pass it through ``DataDescription/protected(threshold:nkN:nkK:rulesInForce:)``
    /// before publishing.
    public func finish() -> DataDescription {
        var dominance: [String: (largest: [Double], total: Double)] = [:]
        let variables = names.map { name -> DataDescription.Variable in
            let a = accumulators[name]!
            let meta = codebook?.variable(named: name)
            var codes = meta?.missingValues.values ?? []
            for range in meta?.missingValues.ranges ?? [] {
                codes.append("\(range.min.map(Self.number) ?? "")..\(range.max.map(Self.number) ?? "")")
            }
            codes += (meta?.categories ?? []).filter { $0.isMissing && !codes.contains($0.value) }.map(\.value)
            let numeric = a.type != "text" && a.valid > 0
            if numeric { dominance[name] = (a.largest, a.absoluteTotal) }
            return DataDescription.Variable(
                name: name, type: a.type, label: meta?.label, missingCodes: codes, valid: a.valid, missing: a.missing,
                mean: numeric ? a.sum / Double(a.valid) : nil,
                weightedMean: numeric && weight != nil && a.weights != 0 ? a.weightedSum / a.weights : nil,
                weightedCount: weight != nil && numeric ? a.weights : nil,
                minimum: numeric ? a.minimum : nil, maximum: numeric ? a.maximum : nil, status: "safe")
        }
        var out = DataDescription(file: file, rows: rows, weight: weight, variables: variables,
                                  disclosure: "NOT DISCLOSURE CONTROLLED: written with --no-disclosure-control")
        out.dominance = dominance
        return out
    }

    private static func number(_ x: Double) -> String { x == x.rounded() && abs(x) < 1e15 ? String(Int64(x)) : String(x) }
}
