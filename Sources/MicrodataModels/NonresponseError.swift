/// Why attrition weights could not be made; each case names the column, rows and values concerned.
public enum NonresponseError: Error, Equatable, CustomStringConvertible {
    /// A column the model, the design or the ids need is not in the data.
    case missingColumn(String)
    /// The base weight is needed (`--weight`): the adjusted weight is `W0 / p̂`.
    case noBaseWeight
    /// The design cannot carry the adjustment (replicate weights would need the model refitted per replicate).
    case unsupportedDesign(String)
    /// The response indicator holds values other than 0 and 1: `count` rows, the first as (1-based row, value).
    case responseNotBinary(column: String, count: Int, examples: [Example])
    /// Every row has the same response: there is nothing to model.
    case responseConstant(column: String, value: Int)
    /// An id is missing (1-based row).
    case missingID(column: String, row: Int)
    /// Ids repeat: `count` ids; each example's value is the id with the 1-based rows it is on.
    case repeatedIDs(column: String, count: Int, examples: [Example])
    /// Perfect or quasi-perfect separation: fitted propensities of 0 or 1, the coefficient diverging.
    case separation(term: String, patterns: [String])

    /// A row and the value found there (for ids: the id and its rows).
    public struct Example: Equatable, Sendable {
        public var row: Int
        public var value: String
        public init(row: Int, value: String) {
            self.row = row
            self.value = value
        }
    }

    public var description: String {
        switch self {
        case let .missingColumn(name): return "no column '\(name)' in the data"
        case .noBaseWeight: return "--weight is needed: the adjusted weight is the base weight over the propensity"
        case let .unsupportedDesign(why): return why
        case let .responseNotBinary(column, count, examples):
            let shown = examples.map { "row \($0.row): \($0.value)" }.joined(separator: ", ")
            return "--respond \(column) must be 0 or 1 on every row; \(count) rows are not (\(shown)"
                + (count > examples.count ? ", …)" : ")")
        case let .responseConstant(column, value):
            return "--respond \(column) is \(value) on every row: no response model can be fitted"
        case let .missingID(column, row): return "--id \(column) is missing on row \(row)"
        case let .repeatedIDs(column, count, examples):
            let shown = examples.map(\.value).joined(separator: "; ")
            return "--id \(column) must identify rows; \(count) ids repeat (\(shown)"
                + (count > examples.count ? "; …)" : ")")
        case let .separation(term, patterns):
            return "perfect separation in the response model: fitted propensities of 0 or 1 (the coefficient of "
                + "\(term) diverges) for " + patterns.joined(separator: "; ")
                + ". Merge the categories concerned or drop the variable from --model"
        }
    }
}
