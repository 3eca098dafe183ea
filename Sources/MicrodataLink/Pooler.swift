import Foundation
import MicrodataReaders

/// One input of a pool: its path (for messages) and a way to open it, called once per pass.
public struct PoolInput {
    public var path: String
    public var open: () throws -> any BatchSource

    public init(path: String, open: @escaping () throws -> any BatchSource) {
        self.path = path
        self.open = open
    }
}

/// Stacks survey periods into one sample (see ``PoolSpec``).
///
/// ``plan(_:spec:)`` reads every input once, keeping only the period, id, weight and stratum of each row: it checks
/// that the inputs have the same columns (after renaming), finds the persons in several periods and chooses the
/// row to keep. ``PoolPlan/source()`` then streams the inputs again, writing the kept rows with `period`,
/// `pool_weight` and `pool_stratum` added, so memory holds the ids, not the data.
public enum Pooler {
    /// Reads the inputs once and decides which rows the pooled file keeps.
    ///
    /// - Throws: ``LinkError`` naming the file (and row or column) for: a period count that is not the file
    ///   count, repeated period labels, a missing id/weight/stratum/period column or value, a person twice in
    ///   one period, columns that differ between inputs (without ``PoolSpec/union``), an added column's name
    ///   already taken; and the readers' errors for an unreadable input.
    public static func plan(_ inputs: [PoolInput], spec: PoolSpec) throws -> PoolPlan {
        guard !inputs.isEmpty else { throw LinkError("give at least one input file") }
        if case .labels(let labels) = spec.periods {
            guard labels.count == inputs.count else {
                throw LinkError("\(inputs.count) input files but \(labels.count) periods in --periods (give one per file, in order)")
            }
            if let repeated = labels.first(where: { l in labels.filter { $0 == l }.count > 1 }) {
                throw LinkError("period \(repeated) is given twice in --periods")
            }
        }
        var scan = Scan(spec: spec)
        for (k, input) in inputs.enumerated() { try scan.read(input, index: k) }
        return try scan.finish(inputs)
    }

    /// The kind of storage a column needs to hold the values of every input.
    enum ValueKind: Int, Comparable {
        case integer, real, text

        init(_ column: Column) {
            switch column.storage {
            case .integer: self = .integer
            case .real: self = .real
            case .text: self = .text
            }
        }

        static func < (a: ValueKind, b: ValueKind) -> Bool { a.rawValue < b.rawValue }
    }

    /// One row of a person: its period (index into the labels seen), input and row.
    struct Occurrence {
        var label: Int32
        var input: Int32
        var row: Int32
    }

    /// The first pass.
    struct Scan {
        let spec: PoolSpec
        var labels: [String] = []
        var labelIndex: [String: Int32] = [:]
        var rowsByLabel: [Int] = []
        var occurrences: [[String]: [Occurrence]] = [:]
        var rowCounts: [Int] = []
        /// Output columns in order (first input's, then any met later with `union`), by lowercased name.
        var columns: [(name: String, kind: ValueKind)] = []
        var columnIndex: [String: Int] = [:]
        var namesByInput: [Set<String>] = []
        var firstFile = ""

        init(spec: PoolSpec) {
            self.spec = spec
            if case .labels(let given) = spec.periods {
                labels = given
                for (i, l) in given.enumerated() { labelIndex[l] = Int32(i) }
                rowsByLabel = [Int](repeating: 0, count: given.count)
            }
        }

        mutating func read(_ input: PoolInput, index k: Int) throws {
            var source = try input.open()
            var row = 0
            var names: Set<String>?
            let file = input.path
            while let raw = try source.nextBatch() {
                let batch = try spec.renames.apply(raw, file: file)
                if names == nil {
                    names = try schema(batch, file: file, first: k == 0)
                }
                for c in batch.columns {
                    let i = columnIndex[c.name.lowercased()]!
                    columns[i].kind = max(columns[i].kind, ValueKind(c))
                }
                let weight = try batch.requiredColumn(spec.weight, file: file, role: "weight")
                let strata = try spec.strata.map { try batch.requiredColumn($0, file: file, role: "stratum") }
                let ids = try spec.id.map { try batch.requiredColumn($0, file: file, role: "id") }
                var periodColumn: Column?
                if case .column(let name) = spec.periods {
                    periodColumn = try batch.requiredColumn(name, file: file, role: "period")
                }
                for r in 0..<batch.rowCount {
                    let at = row + r + 1
                    guard weight.double(at: r) != nil else {
                        throw LinkError("data row \(at): weight \(weight.name) is missing or not a number", file: file)
                    }
                    if let strata, strata.text(at: r) == nil {
                        throw LinkError("data row \(at): stratum \(strata.name) is missing", file: file)
                    }
                    let label: Int32
                    if let periodColumn {
                        guard let text = periodColumn.text(at: r) else {
                            throw LinkError("data row \(at): period \(periodColumn.name) is missing", file: file)
                        }
                        label = labelIndex[text] ?? addLabel(text)
                    } else {
                        label = Int32(k)
                    }
                    rowsByLabel[Int(label)] += 1
                    guard !ids.isEmpty else { continue }
                    var key: [String] = []
                    for c in ids {
                        guard let t = c.text(at: r) else {
                            throw LinkError("data row \(at): id \(c.name) is missing", file: file)
                        }
                        key.append(t)
                    }
                    let occurrence = Occurrence(label: label, input: Int32(k), row: Int32(row + r))
                    if let same = occurrences[key]?.first(where: { $0.label == label }) {
                        throw LinkError(
                            "id \(key.joined(separator: ",")) is twice in period \(labels[Int(label)]) "
                                + "(data rows \(same.row + 1) and \(at)\(same.input == Int32(k) ? "" : " of two files"))",
                            file: file)
                    }
                    occurrences[key, default: []].append(occurrence)
                }
                row += batch.rowCount
            }
            guard let names else { throw LinkError("has no data rows", file: file) }
            namesByInput.append(names)
            rowCounts.append(row)
        }

        mutating func addLabel(_ text: String) -> Int32 {
            labels.append(text)
            rowsByLabel.append(0)
            labelIndex[text] = Int32(labels.count - 1)
            return Int32(labels.count - 1)
        }

        /// Checks a file's columns against the first file's; returns its lowercased names.
        mutating func schema(_ batch: Batch, file: String, first: Bool) throws -> Set<String> {
            let names = batch.columns.map(\.name)
            let lower = Set(names.map { $0.lowercased() })
            var periodIsData = false
            if case .column(let name) = spec.periods, name.lowercased() == PoolSpec.periodColumn { periodIsData = true }
            for added in [PoolSpec.periodColumn, PoolSpec.weightColumn, PoolSpec.stratumColumn]
            where lower.contains(added) && !(added == PoolSpec.periodColumn && periodIsData) {
                throw LinkError("already has a column named \(added), which pool writes; rename it with --rename", file: file)
            }
            if first {
                firstFile = file
                for c in batch.columns {
                    columnIndex[c.name.lowercased()] = columns.count
                    columns.append((c.name, ValueKind(c)))
                }
                return lower
            }
            let missing = columns.map(\.name).filter { !lower.contains($0.lowercased()) }
            let extra = names.filter { columnIndex[$0.lowercased()] == nil }
            if !spec.union, !missing.isEmpty || !extra.isEmpty {
                var parts: [String] = []
                if !missing.isEmpty { parts.append("lacks \(Self.list(missing)) (in \(firstFile))") }
                if !extra.isEmpty { parts.append("has \(Self.list(extra)) (not in \(firstFile))") }
                throw LinkError(
                    "columns differ from the first input: " + parts.joined(separator: "; ")
                        + ". Give --rename OLD>NEW for a renamed variable, or --union to keep every column (missing where a file lacks it)",
                    file: file)
            }
            for c in batch.columns where columnIndex[c.name.lowercased()] == nil {
                columnIndex[c.name.lowercased()] = columns.count
                columns.append((c.name, ValueKind(c)))
            }
            return lower
        }

        static func list(_ names: [String]) -> String {
            names.count <= 8 ? names.joined(separator: ", ") : names.prefix(8).joined(separator: ", ") + " and \(names.count - 8) more"
        }

        /// Orders the periods and chooses the row kept for each repeated person.
        func finish(_ inputs: [PoolInput]) throws -> PoolPlan {
            // Period order: as given; from a column, numerically when every value is a number, else as text.
            var order = Array(labels.indices)
            if case .column = spec.periods {
                let numbers = labels.map { Double($0) }
                if numbers.allSatisfy({ $0 != nil }) {
                    order.sort { numbers[$0]! < numbers[$1]! }
                } else {
                    order.sort { labels[$0] < labels[$1] }
                }
            }
            var rank = [Int](repeating: 0, count: labels.count)
            for (r, l) in order.enumerated() { rank[l] = r }
            var keep = rowCounts.map { [Bool](repeating: true, count: $0) }
            var dropped = [Int](repeating: 0, count: labels.count)
            for (_, list) in occurrences where list.count > 1 {
                let sorted = list.sorted { rank[Int($0.label)] < rank[Int($1.label)] }
                let chosen = spec.keep == .first ? 0 : sorted.count - 1
                for (i, o) in sorted.enumerated() where i != chosen {
                    keep[Int(o.input)][Int(o.row)] = false
                    dropped[Int(o.label)] += 1
                }
            }
            let lacking = inputs.indices.compactMap { k -> PoolReport.Lacking? in
                let missing = columns.map(\.name).filter { !namesByInput[k].contains($0.lowercased()) }
                return missing.isEmpty ? nil : PoolReport.Lacking(file: inputs[k].path, columns: missing)
            }
            let periods = order.map {
                PoolReport.Period(label: labels[$0], rows: rowsByLabel[$0], dropped: dropped[$0])
            }
            let report = PoolReport(periods: periods, lacking: lacking, spec: spec)
            return PoolPlan(inputs: inputs, spec: spec, report: report, columns: columns, keep: keep,
                            labels: labels, periodCount: labels.count)
        }
    }
}
