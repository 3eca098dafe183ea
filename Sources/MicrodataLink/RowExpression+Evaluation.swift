import Foundation
import MicrodataReaders

extension RowExpression {
    /// The rows of `batch` where the expression is true (false where it is false or unknown).
    ///
    /// Evaluated a node at a time over whole columns; numeric columns are compared as `Double`s without
    /// making a String per row.
    ///
    /// - Throws: ``RowExpressionError`` for a column not in the batch (with close matches) or a numeric column
    ///   compared with text that is not a number.
    public func select(_ batch: Batch) throws(RowExpressionError) -> [Bool] {
        try truth(batch).map { $0 == Truth.yes }
    }

    enum Truth {
        static let no: UInt8 = 0, yes: UInt8 = 1, unknown: UInt8 = 2
    }

    /// Values of an operand: numbers (NaN missing), texts (nil missing), or one literal.
    enum Values {
        case numbers([Double], name: String)
        case texts([String?], name: String)
        case constant(Literal)
    }

    func truth(_ batch: Batch) throws(RowExpressionError) -> [UInt8] {
        let n = batch.rowCount
        switch self {
        case .and(let a, let b):
            let x = try a.truth(batch), y = try b.truth(batch)
            return (0..<n).map { i in
                x[i] == Truth.no || y[i] == Truth.no ? Truth.no : (x[i] == Truth.yes && y[i] == Truth.yes ? Truth.yes : Truth.unknown)
            }
        case .or(let a, let b):
            let x = try a.truth(batch), y = try b.truth(batch)
            return (0..<n).map { i in
                x[i] == Truth.yes || y[i] == Truth.yes ? Truth.yes : (x[i] == Truth.no && y[i] == Truth.no ? Truth.no : Truth.unknown)
            }
        case .not(let a):
            return try a.truth(batch).map { $0 == Truth.unknown ? Truth.unknown : 1 - $0 }
        case .missing(let name):
            let c = try Self.column(name, in: batch)
            switch c.storage {
            case .integer(_, let missing): return missing.map { $0 ? Truth.yes : Truth.no }
            case .real(let v): return v.map { $0.isNaN ? Truth.yes : Truth.no }
            case .text(let v): return v.map { $0 == nil ? Truth.yes : Truth.no }
            }
        case .isIn(let a, let list):
            var out = [UInt8](repeating: Truth.no, count: n)
            var anyKnown = [Bool](repeating: false, count: n)
            let operand = try a.values(batch)
            for l in list {
                let t = try Self.compare(.equal, operand, .constant(l), count: n)
                for i in 0..<n {
                    if t[i] == Truth.yes { out[i] = Truth.yes }
                    if t[i] != Truth.unknown { anyKnown[i] = true }
                }
            }
            for i in 0..<n where !anyKnown[i] { out[i] = Truth.unknown }
            return out
        case .compare(let op, let a, let b):
            return try Self.compare(op, try a.values(batch), try b.values(batch), count: n)
        case .column, .literal, .arithmetic, .negate, .function:
            // A bare operand is true when it is a non-zero number (R's as.logical).
            switch try values(batch) {
            case .numbers(let v, _): return v.map { $0.isNaN ? Truth.unknown : ($0 != 0 ? Truth.yes : Truth.no) }
            case .texts(_, let name):
                throw RowExpressionError(message: "text column '\(name)' used as a condition; compare it with a value")
            case .constant(.number(let x)): return [UInt8](repeating: x != 0 ? Truth.yes : Truth.no, count: n)
            case .constant(.text(let s)):
                throw RowExpressionError(message: "the text \"\(s)\" used as a condition")
            }
        }
    }

    func values(_ batch: Batch) throws(RowExpressionError) -> Values {
        switch self {
        case .literal(let l): return .constant(l)
        case .column(let name):
            let c = try Self.column(name, in: batch)
            switch c.storage {
            case .text(let v): return .texts(v, name: c.name)
            case .real(let v): return .numbers(v, name: c.name)
            case .integer: return .numbers(c.doubles, name: c.name)
            }
        case .arithmetic(let op, let a, let b):
            let x = try a.numbers(batch), y = try b.numbers(batch)
            return .numbers(zip(x, y).map { op.apply($0, $1) }, name: "arithmetic")
        case .negate(let a): return .numbers(try a.numbers(batch).map { -$0 }, name: "arithmetic")
        case .function(let f, let a): return .numbers(try a.numbers(batch).map(f.apply), name: f.rawValue)
        default:
            let t = try truth(batch)
            return .numbers(t.map { $0 == Truth.unknown ? .nan : Double($0) }, name: "condition")
        }
    }

    /// The operand as one number per row (NaN for missing); text is an error.
    func numbers(_ batch: Batch) throws(RowExpressionError) -> [Double] {
        switch try values(batch) {
        case .numbers(let v, _): return v
        case .constant(.number(let x)): return [Double](repeating: x, count: batch.rowCount)
        case .texts(_, let name):
            throw RowExpressionError(message: "text column '\(name)' used in arithmetic")
        case .constant(.text(let s)):
            throw RowExpressionError(message: "the text \"\(s)\" used in arithmetic")
        }
    }

    /// The value of the expression on every row of `batch`.
    ///
    /// - Throws: ``RowExpressionError`` for a column not in the batch, text in arithmetic or a numeric column
    ///   compared with text that is not a number.
    public func evaluate(_ batch: Batch) throws(RowExpressionError) -> RowValues {
        if isCondition { return .logicals(try truth(batch).map { $0 == Truth.unknown ? nil : $0 == Truth.yes }) }
        switch try values(batch) {
        case .numbers(let v, _): return .numbers(v)
        case .texts(let t, _): return .texts(t)
        case .constant(.number(let x)): return .numbers([Double](repeating: x, count: batch.rowCount))
        case .constant(.text(let s)): return .texts([String?](repeating: s, count: batch.rowCount))
        }
    }

    static func column(_ name: String, in batch: Batch) throws(RowExpressionError) -> Column {
        if let c = batch.column(named: name) { return c }
        let close = NameSuggestions.closeMatches(to: name, in: batch.columns.map(\.name))
        throw RowExpressionError(
            message: "no column '\(name)' in the data" + (close.isEmpty ? "" : "; close matches: " + close.joined(separator: ", ")))
    }

    static func compare(_ op: Comparison, _ a: Values, _ b: Values, count n: Int) throws(RowExpressionError) -> [UInt8] {
        func numeric(_ v: Values, other: Values) throws(RowExpressionError) -> ((Int) -> Double)? {
            switch v {
            case .numbers(let x, _): return { x[$0] }
            case .constant(.number(let x)): return { _ in x }
            case .constant(.text(let s)):
                guard case .numbers(_, let name) = other else { return nil }
                guard let x = Double(s) else {
                    throw RowExpressionError(message: "numeric column '\(name)' compared with the text \"\(s)\"")
                }
                return { _ in x }
            case .texts(let t, _):
                switch other {
                case .numbers, .constant(.number): return { t[$0].flatMap { Double($0) } ?? .nan }
                default: return nil
                }
            }
        }
        if let x = try numeric(a, other: b), let y = try numeric(b, other: a) {
            var out = [UInt8](repeating: Truth.unknown, count: n)
            for i in 0..<n {
                let u = x(i), v = y(i)
                if u.isNaN || v.isNaN { continue }
                out[i] = op.holds(u, v) ? Truth.yes : Truth.no
            }
            return out
        }
        func text(_ v: Values) -> (Int) -> String? {
            switch v {
            case .texts(let t, _): return { t[$0] }
            case .constant(.text(let s)): return { _ in s }
            case .constant(.number(let x)): let s = x == x.rounded() && abs(x) < 1e15 ? String(Int64(x)) : String(x)
                return { _ in s }
            case .numbers: return { _ in nil }  // not reached: numbers pair with numbers above
            }
        }
        let x = text(a), y = text(b)
        var out = [UInt8](repeating: Truth.unknown, count: n)
        for i in 0..<n {
            guard let u = x(i), let v = y(i) else { continue }
            out[i] = op.holds(u, v) ? Truth.yes : Truth.no
        }
        return out
    }
}

extension RowExpression.Comparison {
    func holds<T: Comparable>(_ a: T, _ b: T) -> Bool {
        switch self {
        case .equal: a == b
        case .notEqual: a != b
        case .less: a < b
        case .lessOrEqual: a <= b
        case .greater: a > b
        case .greaterOrEqual: a >= b
        }
    }
}

/// The values of a ``RowExpression`` on the rows of a batch; `nil` and NaN are missing.
public enum RowValues: Sendable, Hashable {
    case numbers([Double])
    case texts([String?])
    case logicals([Bool?])
}

extension RowExpression.Arithmetic {
    func apply(_ a: Double, _ b: Double) -> Double {
        switch self {
        case .add: a + b
        case .subtract: a - b
        case .multiply: a * b
        case .divide: a / b
        case .power: pow(a, b)
        }
    }
}

extension RowExpression.Function {
    func apply(_ x: Double) -> Double {
        switch self {
        case .log: Foundation.log(x)
        case .exp: Foundation.exp(x)
        case .sqrt: x.squareRoot()
        case .abs: Swift.abs(x)
        case .log10: Foundation.log10(x)
        case .log2: Foundation.log2(x)
        }
    }
}
