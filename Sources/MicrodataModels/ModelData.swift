import Foundation
import MicrodataReaders

/// The columns a model reads, held in memory (a model needs every row at each IRLS iteration).
public struct ModelData: Sendable {
    public private(set) var columns: [String: Column] = [:]
    public private(set) var rowCount = 0
    /// Column names in file order.
    public private(set) var names: [String] = []

    public init() {}

    /// Reads every batch of `source`, keeping the columns named in `variables` (case-insensitively; `nil`: all).
    public init(source: any BatchSource, variables: [String]? = nil) throws {
        var source = source
        let wanted = variables.map { Set($0.map { $0.lowercased() }) }
        var parts: [String: [Column]] = [:]
        while let batch = try source.nextBatch() {
            for c in batch.columns where wanted?.contains(c.name.lowercased()) ?? true {
                if parts[c.name] == nil { names.append(c.name) }
                parts[c.name, default: []].append(c)
            }
            rowCount += batch.rowCount
        }
        for (name, list) in parts { columns[name] = ModelData.concatenate(name, list) }
    }

    /// Data from whole columns (all of the same length).
    public init(columns list: [Column]) {
        for c in list { columns[c.name] = c }
        names = list.map(\.name)
        rowCount = list.first?.count ?? 0
    }

    /// The column called `name`, matched exactly, then case-insensitively.
    public func column(_ name: String) -> Column? {
        columns[name] ?? columns.first { $0.key.lowercased() == name.lowercased() }?.value
    }

    static func concatenate(_ name: String, _ list: [Column]) -> Column {
        if list.count == 1 { return list[0] }
        if list.allSatisfy({ if case .text = $0.storage { return true } else { return false } }) {
            var all: [String?] = []
            for c in list { if case .text(let v) = c.storage { all += v } }
            return Column(name: name, storage: .text(all))
        }
        if list.contains(where: { if case .text = $0.storage { return true } else { return false } }) {
            return Column(name: name, storage: .text(list.flatMap { c in (0..<c.count).map { c.text(at: $0) } }))
        }
        return Column(name: name, storage: .real(list.flatMap(\.doubles)))
    }
}

/// One value of an evaluated expression.
enum Value: Equatable {
    case number(Double), text(String), logical(Bool), missing

    var double: Double? {
        switch self {
        case .number(let v): return v.isNaN ? nil : v
        case .logical(let b): return b ? 1 : 0
        case .text(let s): return Double(s)
        case .missing: return nil
        }
    }
}

extension Expression {
    /// The value on `row`; `text` is the formula, for errors.
    func evaluate(_ data: ModelData, row: Int, text: String) throws -> Value {
        switch self {
        case .number(let v, _): return .number(v)
        case .string(let s, _): return .text(s)
        case .variable(let n, let p):
            guard let c = data.column(n) else {
                throw FormulaError(text: text, position: p, message: "no column '\(n)' in the data")
            }
            if case .text(let v) = c.storage { return v[row].map { .text($0) } ?? .missing }
            return c.double(at: row).map { .number($0) } ?? .missing
        case .parenthesised(let e, _): return try e.evaluate(data, row: row, text: text)
        case .unary(let op, let e, _):
            let v = try e.evaluate(data, row: row, text: text)
            if v == .missing { return .missing }
            if op == "!" { return .logical(v.double == 0) }
            guard let x = v.double else { return .missing }
            return .number(op == "-" ? -x : x)
        case .binary(let op, let a, let b, let p):
            let x = try a.evaluate(data, row: row, text: text)
            let y = try b.evaluate(data, row: row, text: text)
            // Three-valued logic as R: FALSE & NA is FALSE, TRUE | NA is TRUE.
            if op == "&" || op == "&&", x.double == 0 || y.double == 0 { return .logical(false) }
            if op == "|" || op == "||", (x.double ?? 0) != 0 || (y.double ?? 0) != 0 { return .logical(true) }
            if x == .missing || y == .missing { return .missing }
            switch op {
            case "==", "!=", "<", ">", "<=", ">=":
                let order: Int
                if let u = x.double, let v = y.double {
                    order = u < v ? -1 : (u > v ? 1 : 0)
                } else if case .text(let s) = x, case .text(let t) = y {
                    order = s < t ? -1 : (s > t ? 1 : 0)
                } else {
                    return .logical(op == "!=")
                }
                switch op {
                case "==": return .logical(order == 0)
                case "!=": return .logical(order != 0)
                case "<": return .logical(order < 0)
                case ">": return .logical(order > 0)
                case "<=": return .logical(order <= 0)
                default: return .logical(order >= 0)
                }
            case "&", "&&": return .logical(x.double != 0 && y.double != 0)
            case "|", "||": return .logical(x.double != 0 || y.double != 0)
            default:
                guard let u = x.double, let v = y.double else { return .missing }
                switch op {
                case "+": return .number(u + v)
                case "-": return .number(u - v)
                case "*": return .number(u * v)
                case "/": return .number(u / v)
                case "^": return .number(pow(u, v))
                default:
                    throw FormulaError(text: text, position: p, message: "operator '\(op)' cannot be evaluated")
                }
            }
        case .call(let f, let args, _, let p):
            let functions: [String: (Double) -> Double] = ["log": log, "sqrt": { $0.squareRoot() }, "exp": exp,
                                                           "abs": abs, "log10": log10, "log2": log2]
            if f == "I", args.count == 1 { return try args[0].evaluate(data, row: row, text: text) }
            // The `--subpop` forms shared with `RowExpression`: `missing(V)` and `V in (a, b)`.
            if f == "missing", args.count == 1 { return .logical(try args[0].evaluate(data, row: row, text: text) == .missing) }
            if f == "in", args.count >= 2 {
                if try args[0].evaluate(data, row: row, text: text) == .missing { return .missing }
                for item in args.dropFirst()
                where try Expression.binary("==", args[0], item, position: p).evaluate(data, row: row, text: text) == .logical(true) {
                    return .logical(true)
                }
                return .logical(false)
            }
            guard let fn = functions[f], args.count == 1 else {
                throw FormulaError(text: text, position: p, message: "unknown function '\(f)'")
            }
            guard let x = try args[0].evaluate(data, row: row, text: text).double else { return .missing }
            return .number(fn(x))
        }
    }
}
