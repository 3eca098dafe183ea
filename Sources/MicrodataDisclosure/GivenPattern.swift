import Foundation
import MicrodataReaders

/// A cell status given with a table protected elsewhere (a tau-ARGUS status variable, a status column,
/// or `--primary-cells`).
public enum GivenStatus: Sendable, Hashable {
    case safe
    /// A primary (tau-ARGUS `U`): must be protected.
    case primary
    /// A secondary suppression made elsewhere (tau-ARGUS `M`).
    case secondary
    /// Must be published, never a secondary (tau-ARGUS `P`).
    case protected
    /// An empty cell (tau-ARGUS `E` or `Z`).
    case empty

    /// Reads a status: tau-ARGUS letters (`S`, `U`, `P`, `M`, `E`, `Z`, or the letters an `.rda` file
    /// declares), sdcTable letters (`s`, `u`, `x`, `z`) or this tool's labels (`safe`, `primary...`,
    /// `secondary`, `protected`, `empty`); `nil` when it is none of these.
    public init?(_ text: String, safe: String = "S", unsafe: String = "U", protect: String = "P") {
        let t = text.trimmingCharacters(in: .whitespaces)
        switch t {
        case safe: self = .safe
        case unsafe: self = .primary
        case protect: self = .protected
        default:
            switch t.lowercased() {
            case "s", "safe", "": self = .safe
            case "u", "primary", "unsafe": self = .primary
            case "m", "x", "secondary": self = .secondary
            case "p", "protected", "publish": self = .protected
            case "e", "z", "empty": self = .empty
            default:
                if t.lowercased().hasPrefix("primary:") { self = .primary } else { return nil }
            }
        }
    }
}

/// Statuses and protection levels given per cell, keyed by the cell's codes (one per dimension).
public struct GivenPattern: Sendable {
    public var statuses: [[String]: GivenStatus] = [:]
    /// Lower and upper protection levels of primaries, in the table's main measure.
    public var levels: [[String]: (lower: Double, upper: Double)] = [:]
    /// Where each key was given, for error messages.
    public var lines: [[String]: Int] = [:]
    /// The file the pattern came from.
    public var source: String

    public init(source: String) { self.source = source }

    /// Reads a primary-cells CSV: one column per dimension (named as the dimensions), an optional
    /// `status` column (default `primary`) and optional `lower` and `upper` protection levels.
    ///
    /// - Throws: `DisclosureError.table` naming the file, line and column of a bad field.
    public static func read(csv url: URL, dimensions: [String]) throws -> GivenPattern {
        let text: String
        do { text = try String(contentsOf: url, encoding: .utf8) } catch {
            throw DisclosureError.table(source: url.path, line: nil, reason: "cannot read: \(error.localizedDescription)")
        }
        var pattern = GivenPattern(source: url.path)
        let records = try DelimitedRecords(text: text, source: url.path).records
        guard let header = records.first?.fields.map({ $0.trimmingCharacters(in: .whitespaces) }) else {
            throw DisclosureError.table(source: url.path, line: 1, reason: "empty file")
        }
        let dimColumns = try dimensions.map { name in
            guard let i = header.firstIndex(of: name) else {
                throw DisclosureError.table(
                    source: url.path, line: 1, reason: "no column '\(name)' (columns: \(header.joined(separator: ", ")))")
            }
            return i
        }
        let status = header.firstIndex(of: "status"), lower = header.firstIndex(of: "lower"), upper = header.firstIndex(of: "upper")
        guard (lower == nil) == (upper == nil) else {
            throw DisclosureError.table(source: url.path, line: 1, reason: "give both 'lower' and 'upper' protection levels, or neither")
        }
        for record in records.dropFirst() where !record.fields.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) {
            let n = record.line - 1
            let f = record.fields.map { $0.trimmingCharacters(in: .whitespaces) }
            guard f.count == header.count else {
                throw DisclosureError.table(source: url.path, line: n + 1, reason: "expected \(header.count) fields, found \(f.count)")
            }
            let key = dimColumns.map { f[$0] }
            let given = try status.map { c -> GivenStatus in
                guard let s = GivenStatus(f[c]) else {
                    throw DisclosureError.table(
                        source: url.path, line: n + 1,
                        reason: "column status: '\(f[c])' is not a status (primary, secondary, protected, safe, empty or S/U/P/M/E)")
                }
                return s
            } ?? .primary
            if let lower, let upper {
                guard let l = Double(f[lower]), let u = Double(f[upper]), l.isFinite, u.isFinite, l >= 0, u >= 0 else {
                    throw DisclosureError.table(
                        source: url.path, line: n + 1,
                        reason: "columns lower, upper: '\(f[lower])', '\(f[upper])' are not non-negative protection levels")
                }
                if given == .primary { pattern.levels[key] = (l, u) }
            }
            try pattern.set(key, given, line: n + 1)
        }
        return pattern
    }

    /// Records `status` for `key`; a key given twice is an error.
    public mutating func set(_ key: [String], _ status: GivenStatus, line: Int) throws {
        if let first = lines[key] {
            throw DisclosureError.table(source: source, line: line, reason: "cell \(key) is given twice (first on line \(first))")
        }
        statuses[key] = status
        lines[key] = line
    }

    /// The given pattern on `table`: primaries with their protection requirements (given levels, else
    /// the rules' frequency protection on counts or `pPercent`% of a magnitude), secondaries, and cells
    /// that must be published.
    public func resolve(in table: ProtectionTable, hasMagnitude: Bool, rules: DisclosureRules) throws
        -> (primaries: [Int: [ProtectionRequirement]], secondaries: Set<Int>, protected: Set<Int>)
    {
        let index = Dictionary(table.cells.enumerated().map { ($1.key, $0) }, uniquingKeysWith: { a, _ in a })
        var primaries: [Int: [ProtectionRequirement]] = [:]
        var secondaries = Set<Int>(), protected = Set<Int>()
        for (key, status) in statuses.sorted(by: { lines[$0.key, default: 0] < lines[$1.key, default: 0] }) {
            guard let i = index[key] else {
                throw DisclosureError.table(source: source, line: lines[key], reason: "cell \(key) is not in the table")
            }
            switch status {
            case .primary:
                let measure: Measure = hasMagnitude ? .value : .count
                let level: (lower: Double, upper: Double)
                if let given = levels[key] {
                    level = given
                } else if hasMagnitude {
                    let l = rules.pPercent / 100 * abs(table.cells[i].evidence.value)
                    level = (l, l)
                } else {
                    let l = max(rules.frequencyProtectionMinimum, rules.frequencyProtectionPercent / 100 * Double(table.cells[i].evidence.units))
                    level = (l, l)
                }
                primaries[i] = [ProtectionRequirement(measure: measure, lower: level.lower, upper: level.upper, rule: "given")]
            case .secondary: secondaries.insert(i)
            case .protected: protected.insert(i)
            case .safe, .empty: break
            }
        }
        return (primaries, secondaries, protected)
    }
}

extension DisclosureControl {
    /// Audits a suppression pattern made elsewhere, as given: `primaries` with their requirements and
    /// `secondaries` are suppressed, nothing is added, and the rendered table is audited.
    ///
    /// - Throws: `DisclosureError.auditFailed` when a given primary can be recovered.
    public func audit(
        _ table: ProtectionTable, hasMagnitude: Bool, primaries: [Int: [ProtectionRequirement]], secondaries: Set<Int>
    ) throws -> CheckedTable {
        var (statuses, _) = primaryStatuses(table, hasMagnitude: hasMagnitude)
        for i in statuses.indices where statuses[i].isPrimary { statuses[i] = .safe }
        for (i, reqs) in primaries { statuses[i] = .primary(reqs.map(\.rule).joined(separator: "+")) }
        for i in secondaries where primaries[i] == nil { statuses[i] = .secondary }
        return try render(table, statuses: statuses, requirements: primaries, hasMagnitude: hasMagnitude)
    }
}
