import Foundation
import MicrodataReaders
/// A versioned, weighted many-to-many crosswalk from one code frame to another, loaded from a CSV file.
///
/// Each source code has one or more links; each link has a weight per basis (e.g. LFS men, LFS women,
/// Census, pooled, coding-index entries). A file without weight columns is a one-to-one code list.
public struct Crosswalk: Sendable {
    /// One link from a source code to a target code.
    public struct Link: Sendable, Hashable {
        public var target: String
        /// Weight per basis, in the order of ``Crosswalk/bases``; 0 for an empty cell.
        public var weights: [Double]
        /// The link count (``ManifestEntry/countColumn``), or 0.
        public var count: Double
        /// The 1-based line of the link in its file.
        public var line: Int
    }

    public let entry: ManifestEntry
    public var name: String { entry.name }
    public var fromScheme: String { entry.from ?? "" }
    public var toScheme: String { entry.to ?? "" }
    /// Basis names, in the order of ``Link/weights``.
    public let bases: [String]
    /// Source codes in file order.
    public let sourceCodes: [String]
    /// Links of each source code, in file order.
    public let links: [String: [Link]]
    /// Whether every output through this crosswalk must be labelled approximate.
    public var isApproximate: Bool { entry.approximate ?? false }

    /// Loads and validates a crosswalk.
    ///
    /// - Throws: ``HarmoniseError`` naming the file and line for a duplicate source code with conflicting
    ///   targets, a repeated link, a target code missing from `targetFrame`, a weight that is not a
    ///   non-negative number, or weights whose sum is outside the manifest's tolerance.
    init(entry: ManifestEntry, table: CSVTable, targetFrame: CodeFrame?) throws {
        guard let fromName = entry.fromColumn, let toName = entry.toColumn, entry.from != nil, entry.to != nil else {
            throw HarmoniseError("crosswalk entry '\(entry.name)' needs from, to, fromColumn and toColumn", file: table.file)
        }
        let fromColumn = try table.column(fromName), toColumn = try table.column(toName)
        let bases = (entry.weights ?? [:]).keys.sorted()
        let weightColumns = try bases.map { try table.column(entry.weights![$0]!) }
        let countColumn = try entry.countColumn.map { try table.column($0) }
        var links: [String: [Link]] = [:]
        var order: [String] = []
        let filter = try (entry.filter ?? [:]).sorted { $0.key < $1.key }.map { (try table.column($0.key), $0.value) }
        let byLabel = entry.keyedBy == "label"
        if let k = entry.keyedBy, !byLabel {
            throw HarmoniseError("crosswalk entry '\(entry.name)': keyedBy must be 'label', found '\(k)'", file: table.file)
        }
        for row in table.rows where filter.allSatisfy({ row.fields[$0.0] == $0.1 }) {
            let written = row.fields[fromColumn].trimmingCharacters(in: .whitespaces)
            let source = byLabel ? Self.labelKey(written) : written
            let target = row.fields[toColumn].trimmingCharacters(in: .whitespaces)
            if source.isEmpty || target.isEmpty {
                throw HarmoniseError("empty \(source.isEmpty ? fromName : toName) code", file: table.file, line: row.line)
            }
            if let frame = targetFrame, !frame.contains(target) {
                throw HarmoniseError(
                    "unknown target code \(target): not in the \(frame.scheme) code frame", file: table.file,
                    line: row.line)
            }
            var weights: [Double] = []
            for (b, c) in zip(bases, weightColumns) {
                let text = row.fields[c].trimmingCharacters(in: .whitespaces)
                if text.isEmpty || text == "_" { weights.append(0); continue }
                guard let w = Double(text), w.isFinite, w >= 0 else {
                    throw HarmoniseError(
                        "weight '\(text)' for basis \(b) (column \(entry.weights![b]!)) is not a non-negative number",
                        file: table.file, line: row.line)
                }
                weights.append(w)
            }
            let count = countColumn.flatMap { Double(row.fields[$0]) } ?? 0
            if let existing = links[source] {
                if let same = existing.first(where: { $0.target == target }) {
                    let kind = same.weights == weights ? "repeats" : "conflicts with"
                    throw HarmoniseError(
                        "link \(source) → \(target) \(kind) the link on line \(same.line)", file: table.file,
                        line: row.line)
                }
                if bases.isEmpty {
                    throw HarmoniseError(
                        "source code \(source) has conflicting targets \(existing[0].target) (line \(existing[0].line)) "
                            + "and \(target), and the crosswalk has no weights to split them",
                        file: table.file, line: row.line)
                }
            } else {
                order.append(source)
            }
            links[source, default: []].append(Link(target: target, weights: weights, count: count, line: row.line))
        }
        self.entry = entry
        self.bases = bases
        self.sourceCodes = order
        self.links = links
        if let check = entry.check { try validateSums(check, file: table.file) }
    }

    private func validateSums(_ check: ManifestEntry.WeightCheck, file: String) throws {
        guard check.groupBy == "from" || check.groupBy == "to" else {
            throw HarmoniseError("check.groupBy must be 'from' or 'to', found '\(check.groupBy)'", file: file)
        }
        for (b, basis) in bases.enumerated() {
            // Sum per group, remembering the first line of each group for the message.
            var sums: [String: (sum: Double, line: Int)] = [:]
            for source in sourceCodes {
                for link in links[source]! {
                    let key = check.groupBy == "from" ? source : link.target
                    let old = sums[key] ?? (0, link.line)
                    sums[key] = (old.sum + link.weights[b], min(old.line, link.line))
                }
            }
            for (key, value) in sums.sorted(by: { $0.value.line < $1.value.line }) {
                if value.sum == 0, check.allowEmpty == true { continue }
                let low = check.allowBelow == true ? 0 : check.total - check.tolerance
                if value.sum < low || value.sum > check.total + check.tolerance {
                    throw HarmoniseError(
                        "weights of \(check.groupBy == "from" ? "source" : "target") code \(key) for basis \(basis) sum "
                            + "to \(value.sum), expected \(check.total) ± \(check.tolerance)",
                        file: file, line: value.line)
                }
            }
        }
    }

    /// Whether source codes are value labels (``ManifestEntry/keyedBy`` `label`).
    public var isKeyedByLabel: Bool { entry.keyedBy == "label" }

    /// A value label reduced to lower-case letters and digits, so spelling of punctuation, spacing and
    /// apostrophes in different releases ("Don't know", "Don¿t know") does not matter.
    public static func labelKey(_ label: String) -> String {
        String(String.UnicodeScalarView(label.lowercased().unicodeScalars.filter {
            ("a"..."z").contains($0) || ("0"..."9").contains($0)
        }))
    }

    /// The index of basis `name` in ``bases``.
    public func basisIndex(_ name: String) -> Int? { bases.firstIndex(of: name) }

    /// The links of `code` under basis `basis` as (target, share) with shares summing to 1, largest first
    /// (ties in file order); `nil` when the code has no links or all its weights under that basis are zero.
    /// A crosswalk without weights gives its single link with share 1.
    public func distribution(of code: String, basis: Int?) -> [(target: String, share: Double)]? {
        guard let list = links[code] else { return nil }
        guard let basis else { return list.count == 1 ? [(list[0].target, 1)] : nil }
        let total = list.reduce(0) { $0 + $1.weights[basis] }
        guard total > 0 else { return nil }
        let pairs = list.enumerated().filter { $0.element.weights[basis] > 0 }
            .sorted { a, b in
                a.element.weights[basis] != b.element.weights[basis]
                    ? a.element.weights[basis] > b.element.weights[basis] : a.offset < b.offset
            }
        return pairs.map { ($0.element.target, $0.element.weights[basis] / total) }
    }

    /// Target → [(source, share)] from the link counts, for reversing the crosswalk; shares sum to 1 per target.
    public func reversedByCount() -> [String: [(source: String, share: Double)]] {
        var byTarget: [String: [(String, Double)]] = [:]
        for source in sourceCodes {
            for link in links[source]! where link.count > 0 { byTarget[link.target, default: []].append((source, link.count)) }
        }
        return byTarget.mapValues { list in
            let total = list.reduce(0) { $0 + $1.1 }
            return list.map { ($0.0, $0.1 / total) }
        }
    }
}
