import Foundation
import MicrodataCodebook

/// Codes to treat as missing, per variable: `--missing VAR=CODE[,CODE...]` on the command line, for files
/// whose codebook does not declare its missing values (IPUMS `99999999 = N.I.U.`, UKDS `-9 Missing`).
public struct MissingCodes: Sendable, Hashable {
    /// Variable name (as given) to codes (as written).
    public private(set) var codes: [String: [String]] = [:]

    public init() {}

    /// Parses `VAR=CODE[,CODE...]` items; a variable given twice gets the codes of both.
    ///
    /// - Throws: `MissingCodesError` for an item without `=`, a variable or a code.
    public init(parsing items: [String]) throws {
        for item in items {
            guard let eq = item.firstIndex(of: "=") else { throw MissingCodesError(item: item) }
            let name = item[..<eq].trimmingCharacters(in: .whitespaces)
            let list = item[item.index(after: eq)...].split(separator: ",")
                .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            guard !name.isEmpty, !list.isEmpty else { throw MissingCodesError(item: item) }
            codes[name, default: []] += list
        }
    }

    public var isEmpty: Bool { codes.isEmpty }
}

/// A `--missing` item that is not `VAR=CODE[,CODE...]`.
public struct MissingCodesError: Error, Hashable, CustomStringConvertible {
    public var item: String
    public var description: String { "--missing takes VAR=CODE[,CODE...], got '\(item)'" }
}

/// Wraps a source: sets the user's ``MissingCodes`` to missing in every batch, and counts the rows holding
/// watched codes (labelled sentinels the codebook does not declare missing) so that they can be warned about.
///
/// Numeric columns compare codes as numbers (`-9` matches `-9.0`), text columns as written.
public struct MissingCodeFilter: BatchSource {
    private var source: any BatchSource
    private let missing: [String: [String]]
    private let watched: [String: [(code: String, label: String)]]
    private var checkedColumns = false
    /// Values set to missing, per variable.
    public private(set) var masked: [String: Int] = [:]
    /// Rows holding a watched code, per variable and code.
    public private(set) var seen: [String: [String: Int]] = [:]

    /// `watch` maps a variable to its labelled sentinel codes.
    public init(_ source: any BatchSource, missing: MissingCodes,
                watch: [String: [(code: String, label: String)]] = [:]) {
        self.source = source
        self.missing = missing.codes
        self.watched = watch
    }

    public var statistics: ReadStatistics { source.statistics }

    /// - Throws: the source's errors, and `ReadError` when a `--missing` variable is not among the columns read.
    public mutating func nextBatch() throws -> Batch? {
        guard var batch = try source.nextBatch() else { return nil }
        if !checkedColumns {
            checkedColumns = true
            for name in missing.keys.sorted() where batch.column(named: name) == nil {
                throw ReadError(message: "--missing names a variable that is not read (columns: "
                                    + batch.columns.map(\.name).joined(separator: ", ") + ")",
                                file: "", variable: name)
            }
        }
        for (k, column) in batch.columns.enumerated() {
            let lower = column.name.lowercased()
            if let codes = missing.first(where: { $0.key.lowercased() == lower })?.value {
                let (column, n) = MissingCodeFilter.mask(column, codes)
                batch.columns[k] = column
                if n > 0 { masked[column.name, default: 0] += n }
            }
            if let codes = watched.first(where: { $0.key.lowercased() == lower })?.value {
                for (code, n) in MissingCodeFilter.count(batch.columns[k], codes.map(\.code)) where n > 0 {
                    seen[column.name, default: [:]][code, default: 0] += n
                }
            }
        }
        return batch
    }

    /// One warning line per watched variable whose sentinel codes were met, and one note per variable the
    /// user's codes were applied to.
    public var warnings: [String] {
        var lines: [String] = []
        for (name, codes) in seen.sorted(by: { $0.key < $1.key }) {
            let labels = watched.first { $0.key.lowercased() == name.lowercased() }?.value ?? []
            let found = codes.sorted(by: { $0.key < $1.key }).map { code, n in
                let label = labels.first { $0.code == code }?.label ?? ""
                return "\(code) \"\(label)\" in \(n) rows"
            }
            lines.append("warning: \(name): " + found.joined(separator: ", ")
                + ": labelled as missing but not declared missing in the codebook, so used as values; give --missing "
                + "\(name)=" + codes.keys.sorted().joined(separator: ","))
        }
        for (name, n) in masked.sorted(by: { $0.key < $1.key }) {
            lines.append("note: \(name): \(n) values set to missing by --missing")
        }
        return lines
    }

    static func numbers(_ codes: [String]) -> Set<Double> { Set(codes.compactMap { Double($0) }) }

    /// `column` with the values in `codes` missing, and how many were.
    static func mask(_ column: Column, _ codes: [String]) -> (Column, Int) {
        var out = column
        var n = 0
        switch column.storage {
        case .integer(var v, var missing):
            let set = numbers(codes)
            for i in v.indices where !missing[i] && set.contains(Double(v[i])) {
                missing[i] = true
                v[i] = 0
                n += 1
            }
            out.storage = .integer(v, missing: missing)
        case .real(var v):
            let set = numbers(codes)
            for i in v.indices where set.contains(v[i]) {
                v[i] = .nan
                n += 1
            }
            out.storage = .real(v)
        case .text(var v):
            let set = Set(codes)
            for i in v.indices where v[i].map(set.contains) == true {
                v[i] = nil
                n += 1
            }
            out.storage = .text(v)
        }
        return (out, n)
    }

    /// How many values of `column` equal each code.
    static func count(_ column: Column, _ codes: [String]) -> [String: Int] {
        var out: [String: Int] = [:]
        let byNumber = Dictionary(codes.compactMap { c in Double(c).map { ($0, c) } }, uniquingKeysWith: { a, _ in a })
        switch column.storage {
        case .integer(let v, let missing):
            for i in v.indices where !missing[i] {
                if let c = byNumber[Double(v[i])] { out[c, default: 0] += 1 }
            }
        case .real(let v):
            for x in v { if let c = byNumber[x] { out[c, default: 0] += 1 } }
        case .text(let v):
            let set = Set(codes)
            for s in v { if let s, set.contains(s) { out[s, default: 0] += 1 } }
        }
        return out
    }
}

extension MissingCodeFilter {
    /// `source` with `missing` applied and the undeclared labelled sentinels of `variables` in `codebook`
    /// (``SentinelLabels/shipped()``) watched, except for variables `missing` names.
    ///
    /// - Throws: `CodebooksFolderError` or `CodebookError` when the shipped patterns cannot be read.
    public static func reading(_ source: any BatchSource, codebook: Codebook?, missing: MissingCodes, variables: [String])
        throws -> MissingCodeFilter
    {
        var watch: [String: [(code: String, label: String)]] = [:]
        if let codebook {
            let sentinels = try SentinelLabels.shipped()
            let given = Set(missing.codes.keys.map { $0.lowercased() })
            for name in Set(variables) where !given.contains(name.lowercased()) {
                guard let v = codebook.variable(named: name) else { continue }
                let found = sentinels.undeclaredSentinels(of: v).map { ($0.value, $0.label ?? "") }
                if !found.isEmpty { watch[v.name] = found }
            }
        }
        return MissingCodeFilter(source, missing: missing, watch: watch)
    }
}
