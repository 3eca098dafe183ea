import MicrodataReaders
import MicrodataWeighting

/// The cell keys of one `tabulate` analysis, built in the same pass as the estimates: for every cell, the sum
/// (modulo 2⁶⁴) of its contributors' record keys and their number.
///
/// A cell's contributors are the rows the estimator counts in it: a non-zero weight, every by-value present,
/// and, for a categorical analysis, every part of the level present (the cell is domain × level; the domain
/// itself, the denominator of a proportion, is the sum of its levels); for a numeric one the analysis
/// variable(s) present. Because keys add, a cell reached as a margin of a finer table gets the same key, and so
/// the same noise, as the cell published directly.
public struct CellKeyAccumulator: Sendable {
    /// What identifies a record: one or more columns (`--record-id`, such as a household serial and a person
    /// number), or all of a row's fields.
    public enum Identity: Sendable, Hashable {
        case columns([String])
        case allFields
    }

    /// A cell: domain (by-values) and, for a categorical analysis, level (`nil`: the whole domain).
    public typealias Cell = DomainCell

    public let generator: RecordKeyGenerator
    public let identity: Identity
    public let by: [String]
    public let analysis: Analysis
    public let weight: String?
    private var categorical: Bool?
    /// Per cell: the sum of record keys (wrapping) and the number of contributors.
    public private(set) var cells: [Cell: (key: UInt64, count: Int)] = [:]
    private var rowsSeen = 0

    public init(generator: RecordKeyGenerator, identity: Identity, by: [String], analysis: Analysis, weight: String?) {
        self.generator = generator
        self.identity = identity
        self.by = by
        self.analysis = analysis
        self.weight = weight
    }

    /// The variables the pass must read (`nil`: all of them, when records are identified by all their fields).
    public func variables(adding needed: [String]?) -> [String]? {
        switch identity {
        case .allFields: return nil
        case .columns(let names): return needed.map { Array(Set($0 + names)) }
        }
    }

    /// Adds one batch's rows to their cells.
    ///
    /// - Throws: `CellKeyError` for a missing column or a record without an identifier.
    public mutating func add(_ batch: Batch) throws {
        func column(_ name: String) throws -> Column {
            guard let c = batch.column(named: name) else { throw CellKeyError.missingColumn(name) }
            return c
        }
        let byColumns = try by.map(column)
        let analysisColumns = try analysis.variables.map(column)
        let weights = try weight.map { try column($0).doubles }
        var idColumns: [Column] = []
        if case .columns(let names) = identity { idColumns = try names.map(column) }
        if categorical == nil {
            categorical = ContributingRows.isCategorical(analysis, firstColumn: analysisColumns.first)
        }
        let rows = ContributingRows(
            byColumns: byColumns, analysisColumns: analysisColumns, weights: weights, perLevel: categorical!)
        for row in 0..<batch.rowCount {
            defer { rowsSeen += 1 }
            guard let (byValues, level) = rows.cell(row) else { continue }
            let key: UInt64
            if idColumns.count == 1 {
                guard let id = idColumns[0].text(at: row) else {
                    throw CellKeyError.missingRecordID(column: idColumns[0].name, row: rowsSeen + 1)
                }
                key = generator.key(identifier: id)
            } else if !idColumns.isEmpty {
                var parts: [String?] = []
                for c in idColumns {
                    guard let id = c.text(at: row) else {
                        throw CellKeyError.missingRecordID(column: c.name, row: rowsSeen + 1)
                    }
                    parts.append(id)
                }
                key = generator.key(fields: parts)
            } else {
                key = generator.key(fields: batch.columns.map { $0.text(at: row) })
            }
            let cell = Cell(byValues: byValues, level: level)
            let old = cells[cell] ?? (0, 0)
            cells[cell] = (old.key &+ key, old.count + 1)
        }
    }

    /// The key and count of a cell; for a categorical analysis `level: nil` is the whole domain (the sum of its
    /// levels). `nil` when no row contributes.
    public func cell(byValues: [String], level: String?) -> (key: UInt64, count: Int)? {
        if let found = cells[Cell(byValues: byValues, level: level)] { return found }
        guard level == nil, categorical == true else { return nil }
        var sum: (key: UInt64, count: Int)? = nil
        for (cell, value) in cells where cell.byValues == byValues {
            sum = ((sum?.key ?? 0) &+ value.key, (sum?.count ?? 0) + value.count)
        }
        return sum
    }

    /// Whether the analysis is per level (known after the first batch).
    public var isCategorical: Bool { categorical ?? false }
}

/// Errors of the cell-key method.
public enum CellKeyError: Error, Equatable, CustomStringConvertible {
    case missingColumn(String)
    /// The ptable file cannot be read or breaks its design.
    case ptable(file: String, reason: String)
    case missingRecordID(column: String, row: Int)
    /// The published count of a cell is not the number of contributors the keys were summed over: the cell's
    /// noise cannot be derived (fail closed).
    case contributorMismatch(cell: String, published: Int, keyed: Int)

    public var description: String {
        switch self {
        case .missingColumn(let name): "cell-key perturbation: column '\(name)' is not in the data"
        case let .ptable(file, reason): "ptable \(file): \(reason)"
        case let .missingRecordID(column, row): "cell-key perturbation: row \(row) has no \(column) (--record-id)"
        case let .contributorMismatch(cell, published, keyed):
            "cell-key perturbation: cell \(cell) counts \(published) respondents but \(keyed) record keys; nothing written"
        }
    }
}
