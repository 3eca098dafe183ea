import Foundation
import MicrodataCodebook

/// The perturbation table (ptable) of the cell-key method for counts: for each original count, the noise values
/// with their probabilities, each owning an interval of cell keys in [0, 1).
///
/// Rows are original counts `0 … last`; the last row serves every larger count. Read from
/// `Codebooks/disclosure/cell-key-ptable.json` (see the README there for its construction, D, V and js).
public struct PerturbationTable: Sendable, Equatable {
    /// One transition `count → target` with its probability and cell-key interval `[lower, upper)`.
    public struct Entry: Sendable, Equatable {
        public var count: Int
        public var target: Int
        public var probability: Double
        public var lower: Double
        public var upper: Double
        public var noise: Int { target - count }
    }

    /// A name such as `D3V200js2`.
    public var label: String
    /// D: the largest absolute noise.
    public var maximumNoise: Int
    /// V: the noise variance of the rows where it can be reached.
    public var variance: Double
    /// js: positive counts up to this are never published (no target in `1…js`).
    public var blockedSmallCounts: Int
    /// Entries by original count (index), in increasing target order.
    public var rows: [[Entry]]
    public var source: String
    public var date: String
    public var licence: String

    private struct File: Decodable {
        struct Row: Decodable { var i: Int; var j: Int; var p: Double }
        var _source: String
        var _date: String
        var _licence: String
        var label: String
        var maximumNoise: Int
        var variance: Double
        var blockedSmallCounts: Int
        var rows: [Row]
    }

    /// Reads and validates a ptable file (`CellKeyError.ptable` otherwise): rows `0…last` all present, probabilities in (0, 1] summing to 1 per
    /// row, zero mean, `|noise| ≤ D`, no target below 0 or in `1…js`, and 0 → 0.
    public static func load(from url: URL) throws -> PerturbationTable {
        let name = url.lastPathComponent
        func fail(_ reason: String) -> CellKeyError { .ptable(file: name, reason: reason) }
        let file: File
        do { file = try JSONDecoder().decode(File.self, from: Data(contentsOf: url)) } catch {
            throw fail("not a ptable: \(error)")
        }
        let last = file.rows.map(\.i).max() ?? -1
        guard last >= 1 else { throw fail("no rows") }
        var rows = [[Entry]](repeating: [], count: last + 1)
        for r in file.rows {
            guard r.i >= 0, r.p > 0, r.p <= 1 else { throw fail("row i=\(r.i) j=\(r.j): probability \(r.p) is not in (0, 1]") }
            guard abs(r.j - r.i) <= file.maximumNoise, r.j >= 0 else {
                throw fail("row i=\(r.i) j=\(r.j): noise beyond D = \(file.maximumNoise) or a negative count")
            }
            guard file.blockedSmallCounts <= 0 || !(1...file.blockedSmallCounts).contains(r.j) else {
                throw fail("row i=\(r.i): target \(r.j) is a blocked small count (js = \(file.blockedSmallCounts))")
            }
            rows[r.i].append(Entry(count: r.i, target: r.j, probability: r.p, lower: 0, upper: 0))
        }
        for i in rows.indices {
            rows[i].sort { $0.target < $1.target }
            let total = rows[i].reduce(0) { $0 + $1.probability }
            let mean = rows[i].reduce(0) { $0 + $1.probability * Double($1.noise) }
            guard !rows[i].isEmpty, abs(total - 1) < 1e-9 else { throw fail("row i=\(i): probabilities sum to \(total), not 1") }
            guard abs(mean) < 1e-6 else { throw fail("row i=\(i): mean noise \(mean), not 0") }
            var cumulative = 0.0
            for k in rows[i].indices {
                rows[i][k].lower = cumulative
                cumulative += rows[i][k].probability
                rows[i][k].upper = k == rows[i].count - 1 ? 1 : cumulative
            }
        }
        guard rows[0].map(\.target) == [0] else { throw fail("row i=0: a zero must stay zero") }
        return PerturbationTable(
            label: file.label, maximumNoise: file.maximumNoise, variance: file.variance,
            blockedSmallCounts: file.blockedSmallCounts, rows: rows, source: file._source, date: file._date,
            licence: file._licence)
    }

    /// `Codebooks/disclosure/cell-key-ptable.json`.
    public static func defaultURL() throws -> URL {
        do { return try CodebooksFolder.file("disclosure/cell-key-ptable.json") } catch let error as CodebooksFolderError {
            throw CellKeyError.ptable(file: "Codebooks/disclosure/cell-key-ptable.json", reason: "\(error)")
        }
    }

    /// The row that serves `count`.
    public func row(for count: Int) -> [Entry] { rows[min(max(count, 0), rows.count - 1)] }

    /// The noise for a cell of `count` contributors whose cell key is `fraction` (in [0, 1)).
    public func noise(count: Int, cellKey fraction: Double) -> Int {
        let row = row(for: count)
        return (row.first { fraction < $0.upper } ?? row[row.count - 1]).noise
    }
}
