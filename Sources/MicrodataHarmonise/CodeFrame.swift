import Foundation
import MicrodataReaders
/// A classification's code frame: every code with its level, title and parent (unit → minor → sub-major → major).
public struct CodeFrame: Sendable {
    /// One code of the frame.
    public struct Entry: Sendable, Hashable {
        public var code: String
        public var level: String
        public var title: String
        public var parent: String?
    }

    public let scheme: String
    /// Entries in file order.
    public let entries: [Entry]
    private let index: [String: Int]

    init(scheme: String, table: CSVTable) throws {
        let code = try table.column("code"), level = try table.column("level")
        let title = try table.column("title"), parent = try table.column("parent")
        var entries: [Entry] = []
        var index: [String: Int] = [:]
        for row in table.rows {
            let c = row.fields[code]
            guard !c.isEmpty else { throw HarmoniseError("empty code", file: table.file, line: row.line) }
            if index[c] != nil {
                throw HarmoniseError("code \(c) is listed twice", file: table.file, line: row.line)
            }
            index[c] = entries.count
            let p = row.fields[parent]
            entries.append(Entry(code: c, level: row.fields[level], title: row.fields[title], parent: p.isEmpty ? nil : p))
        }
        self.scheme = scheme
        self.entries = entries
        self.index = index
    }

    /// Builds a frame of unit codes only, for schemes known only through a crosswalk (SOC90, SOC2000).
    init(scheme: String, unitCodes: [String], titles: [String: String] = [:]) {
        self.scheme = scheme
        entries = unitCodes.map { Entry(code: $0, level: "unit", title: titles[$0] ?? "", parent: nil) }
        index = Dictionary(unitCodes.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
    }

    /// The entry for `code`, if the frame has it.
    public func entry(_ code: String) -> Entry? { index[code].map { entries[$0] } }

    /// Whether `code` is in the frame at any level.
    public func contains(_ code: String) -> Bool { index[code] != nil }

    /// The codes at `level` (`unit`, `minor`, `sub_major`, `major`).
    public func codes(level: String) -> [String] { entries.filter { $0.level == level }.map(\.code) }
}
