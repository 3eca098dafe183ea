import Foundation
import MicrodataCodebook
import MicrodataReaders

/// An ordered set of classes (highest first) with labels and the tiers that give moves their direction.
///
/// Shipped schemes (NS-SEC 8, 5 and 3 classes) are read from `Codebooks/mobility/class-schemes.csv`; a table
/// on raw codes builds its scheme from the codes in the data.
public struct ClassScheme: Sendable, Hashable {
    /// One class.
    public struct Class: Sendable, Hashable {
        public var code: String
        public var label: String
        /// A label short enough for a table heading.
        public var shortLabel: String
        /// Moves to a lower tier are upward; within a tier, neither.
        public var tier: Int

        public init(code: String, label: String, shortLabel: String? = nil, tier: Int) {
            self.code = code
            self.label = label
            self.shortLabel = shortLabel ?? label
            self.tier = tier
        }
    }

    /// The scheme's name (`NSSEC8`), or `raw`.
    public var name: String
    /// Classes, highest first.
    public var classes: [Class]

    public init(name: String, classes: [Class]) {
        self.name = name
        self.classes = classes
    }

    /// The shipped schemes in `file` (columns `scheme, code, label, short_label, rank, tier`).
    ///
    /// - Throws: `ReadError` for a malformed file, naming its line.
    public static func load(from file: URL) throws -> [String: ClassScheme] {
        let records = try DelimitedRecords(contentsOf: file).records
        guard let header = records.first?.fields,
            let s = header.firstIndex(of: "scheme"), let c = header.firstIndex(of: "code"),
            let l = header.firstIndex(of: "label"), let sl = header.firstIndex(of: "short_label"),
            let r = header.firstIndex(of: "rank"),
            let t = header.firstIndex(of: "tier")
        else {
            throw ReadError(
                message: "expected the columns scheme, code, label, short_label, rank, tier", file: file.path, line: 1)
        }
        var ranked: [String: [(Int, Class)]] = [:]
        for record in records.dropFirst() {
            let f = record.fields
            guard f.count == header.count, let rank = Int(f[r]), let tier = Int(f[t]) else {
                throw ReadError(
                    message: "expected \(header.count) fields with whole-number rank and tier", file: file.path,
                    line: record.line, found: f.joined(separator: ","))
            }
            ranked[f[s].uppercased(), default: []].append((rank, Class(code: f[c], label: f[l], shortLabel: f[sl], tier: tier)))
        }
        return ranked.mapValues { list in
            ClassScheme(name: "", classes: list.sorted { $0.0 < $1.0 }.map(\.1))
        }.reduce(into: [:]) { out, entry in
            var scheme = entry.value
            scheme.name = entry.key
            out[entry.key] = scheme
        }
    }

    /// The directions of moves between classes: by tier, or strictly by order with `strict`.
    public func directions(strict: Bool = false) -> [[MoveDirection]] {
        classes.indices.map { i in
            classes.indices.map { j in
                let (a, b) = strict ? (i, j) : (classes[i].tier, classes[j].tier)
                return b < a ? .up : b > a ? .down : .none
            }
        }
    }

    /// The index of `code`, or `nil`.
    public func index(of code: String) -> Int? {
        classes.firstIndex { $0.code == code }
    }
}
