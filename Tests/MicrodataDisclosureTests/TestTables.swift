import Foundation
import MicrodataTestSupport
@testable import MicrodataDisclosure

/// Helpers shared by the disclosure tests.
enum TestTables {
    static func rules(_ change: (inout DisclosureRules) -> Void = { _ in }) throws -> DisclosureRules {
        var rules = try DisclosureRules.load(defaults: Fixtures.codebook("disclosure/default-rules.json"))
        change(&rules)
        return rules
    }

    /// A two-way table with margins coded `Total` from inner counts (and optional values).
    static func twoWay(
        rows: [String], cols: [String], counts: [[Int]], values: [[Double]]? = nil,
        rowName: String = "row", colName: String = "col"
    ) throws -> ProtectionTable {
        var given: [[String]: (evidence: CellEvidence, line: Int)] = [:]
        for (i, r) in rows.enumerated() {
            for (j, c) in cols.enumerated() {
                given[[r, c]] = (CellEvidence(units: counts[i][j], value: values?[i][j] ?? Double(counts[i][j])), 0)
            }
        }
        return try ProtectionTable.grid(
            dimensions: [
                TableDimension(name: rowName, codes: rows, total: "Total"),
                TableDimension(name: colName, codes: cols, total: "Total"),
            ], given: given)
    }

    static func index(_ table: ProtectionTable, _ key: [String]) -> Int {
        table.cells.firstIndex { $0.key == key }!
    }

    /// Reads a CSV fixture into rows of fields (simple files without quoted commas).
    static func csv(_ name: String) throws -> [[String]] {
        let text = try String(contentsOf: Fixtures.url("sdc/\(name)"), encoding: .utf8)
        return text.split(whereSeparator: \.isNewline).map {
            $0.split(separator: ",", omittingEmptySubsequences: false).map {
                String($0).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            }
        }
    }

    /// Suppressed cell keys of a checked table.
    static func suppressed(_ checked: CheckedTable, dimensions: Int) -> Set<[String]> {
        Set(checked.rows.indices.filter { checked.statuses[$0].isSuppressed }.map { Array(checked.rows[$0].prefix(dimensions)) })
    }
}
