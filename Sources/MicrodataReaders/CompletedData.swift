/// One completed dataset of a multiply imputed set, as batches: a whole file (Stata `mi` wide sets exported one
/// file per imputation), or the rows of one imputation of a long file (R `mice` `.imp`, Stata `mi` flong
/// `_mi_m`), selected by its imputation number.
///
/// While it streams, it keeps the values of the `checked` columns (the design variables, the weight, the id) in
/// its ``recorder``, so that ``CompletedDataCheck`` can show after the passes that every imputation has the same
/// rows (the source itself may be wrapped by joins and filters by then).
public struct CompletedDataSource: BatchSource {
    private var source: any BatchSource
    private let column: String?
    private let imputation: String?
    /// The rows read and the checked columns' values (as text) in order.
    public let recorder: CompletedDataRecorder

    /// `column`/`imputation`: keep only the rows whose `column` equals `imputation` (compared as text, so `1`
    /// matches `1.0`); `nil` keeps every row.
    public init(_ source: any BatchSource, imputationColumn column: String? = nil, imputation: String? = nil, checked: [String]) {
        self.source = source
        self.column = column
        self.imputation = imputation
        recorder = CompletedDataRecorder(CompletedDataRecord(columns: checked, values: checked.map { _ in [] }))
    }

    public var statistics: ReadStatistics { source.statistics }

    /// - Throws: the source's errors, and ``ImputationError/missingColumn(_:)`` for a checked or imputation
    ///   column that is not read.
    public mutating func nextBatch() throws -> Batch? {
        while var batch = try source.nextBatch() {
            if let column, let imputation {
                guard let c = batch.column(named: column) else { throw ImputationError.missingColumn(column) }
                let keep = (0..<batch.rowCount).filter { c.text(at: $0) == imputation }
                if keep.count < batch.rowCount {
                    batch.columns = batch.columns.map { $0.rows(keep) }
                    batch.rowCount = keep.count
                    if !batch.recordTypes.isEmpty { batch.recordTypes = keep.map { batch.recordTypes[$0] } }
                }
                if keep.isEmpty { continue }
            }
            for (k, name) in recorder.record.columns.enumerated() {
                guard let c = batch.column(named: name) else { throw ImputationError.missingColumn(name) }
                recorder.record.values[k] += (0..<batch.rowCount).map { c.text(at: $0) }
            }
            recorder.record.rows += batch.rowCount
            return batch
        }
        return nil
    }

    /// The distinct values of `column` in `source`, in numeric order when all are numbers (else as text), with
    /// the number of rows of each: the imputations of a long file.
    public static func imputations(in source: any BatchSource, column: String) throws -> [(value: String, rows: Int)] {
        var source = source
        var counts: [String: Int] = [:]
        while let batch = try source.nextBatch() {
            guard let c = batch.column(named: column) else { throw ImputationError.missingColumn(column) }
            for r in 0..<batch.rowCount {
                guard let v = c.text(at: r) else { throw ImputationError.missingImputationNumber(column: column) }
                counts[v, default: 0] += 1
            }
        }
        let values = counts.keys.sorted { a, b in
            if let x = Double(a), let y = Double(b) { return x < y }
            return a < b
        }
        return values.map { ($0, counts[$0]!) }
    }
}

/// Holds the record of a ``CompletedDataSource`` while the source is wrapped by others.
public final class CompletedDataRecorder: @unchecked Sendable {
    /// The record so far (complete once the source has returned `nil`).
    public internal(set) var record: CompletedDataRecord
    init(_ record: CompletedDataRecord) { self.record = record }
}

/// What a pass over one completed dataset saw of the columns that must not differ between imputations.
public struct CompletedDataRecord: Sendable, Hashable {
    /// The rows read.
    public var rows = 0
    /// The checked columns, and each one's values (text; `nil` missing) by row.
    public var columns: [String]
    public var values: [[String?]]
}

/// The check that imputations are of the same data: the same number of rows, the same ids in the same order
/// (with an id column), the same design variables and weights on every row.
public enum CompletedDataCheck {
    /// Compares every record with the first; `labels` name the imputations in errors, `id` is the id column
    /// (among the checked ones) or `nil`.
    ///
    /// - Throws: ``ImputationError`` naming the first difference: the imputation, the variable and the row.
    public static func check(_ records: [CompletedDataRecord], labels: [String], id: String?) throws(ImputationError) {
        guard let first = records.first else { return }
        let idColumn = id.flatMap { name in first.columns.firstIndex { $0.lowercased() == name.lowercased() } }
        for (k, other) in records.enumerated().dropFirst() {
            guard other.rows == first.rows else {
                throw .rowCount(imputation: labels[k], rows: other.rows, first: labels[0], expected: first.rows)
            }
            if let c = idColumn, let r = (0..<first.rows).first(where: { first.values[c][$0] != other.values[c][$0] }) {
                throw .idMismatch(column: first.columns[c], row: r + 1, first: labels[0], expected: first.values[c][r],
                                  imputation: labels[k], found: other.values[c][r])
            }
            for (c, name) in first.columns.enumerated() where c != idColumn {
                guard let r = (0..<first.rows).first(where: { first.values[c][$0] != other.values[c][$0] }) else { continue }
                throw .variableDiffers(
                    column: name, row: r + 1, id: idColumn.flatMap { first.values[$0][r] }, first: labels[0],
                    expected: first.values[c][r], imputation: labels[k], found: other.values[c][r])
            }
        }
    }
}

/// Why a set of imputations cannot be analysed together.
public enum ImputationError: Error, Hashable, CustomStringConvertible {
    /// A column the imputations are selected or checked by is not in the data.
    case missingColumn(String)
    /// A row of a long file without an imputation number.
    case missingImputationNumber(column: String)
    /// Fewer than two completed datasets.
    case tooFew(Int, source: String)
    /// An imputation with another number of rows than the first.
    case rowCount(imputation: String, rows: Int, first: String, expected: Int)
    /// Ids that differ at `row` (1-based, within the imputation).
    case idMismatch(column: String, row: Int, first: String, expected: String?, imputation: String, found: String?)
    /// A variable that must be the same in every imputation (a design variable or weight) differs at `row`.
    case variableDiffers(
        column: String, row: Int, id: String?, first: String, expected: String?, imputation: String, found: String?)

    public var description: String {
        func show(_ v: String?) -> String { v.map { "'\($0)'" } ?? "missing" }
        switch self {
        case .missingColumn(let c): return "column '\(c)' is not in the data"
        case .missingImputationNumber(let c): return "a row has no imputation number in '\(c)'"
        case .tooFew(let m, let source):
            return "multiple imputation needs at least 2 completed datasets; \(source) gives \(m)"
        case .rowCount(let k, let rows, let first, let expected):
            return "\(k) has \(rows) rows but \(first) has \(expected): every imputation must hold the same rows"
        case .idMismatch(let c, let row, let first, let expected, let k, let found):
            return "ids differ at row \(row): '\(c)' is \(show(expected)) in \(first) but \(show(found)) in \(k) "
                + "(every imputation must hold the same rows in the same order)"
        case .variableDiffers(let c, let row, let id, let first, let expected, let k, let found):
            return "'\(c)' differs between imputations at row \(row)\(id.map { " (id \($0))" } ?? ""): \(show(expected)) in "
                + "\(first), \(show(found)) in \(k); design variables and weights must be the same in every imputation"
        }
    }
}

extension Column {
    /// The values at `rows`, in order.
    func rows(_ rows: [Int]) -> Column {
        switch storage {
        case .integer(let v, let missing):
            return Column(name: name, storage: .integer(rows.map { v[$0] }, missing: rows.map { missing[$0] }))
        case .real(let v): return Column(name: name, storage: .real(rows.map { v[$0] }))
        case .text(let v): return Column(name: name, storage: .text(rows.map { v[$0] }))
        }
    }
}
