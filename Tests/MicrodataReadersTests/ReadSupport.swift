import Foundation
import MicrodataCodebook
import MicrodataReaders
import MicrodataTestSupport

/// Every batch of a read, concatenated per column, for assertions.
struct ReadResult {
    var names: [String] = []
    var columns: [String: [Column]] = [:]
    var batchRowCounts: [Int] = []
    var recordTypes: [String] = []
    var statistics = ReadStatistics()
    /// Per-record-type shape: rows per record type and that table's column names.
    var tables: [String: (rows: Int, names: [String])] = [:]

    var rowCount: Int { batchRowCounts.reduce(0, +) }

    func doubles(_ name: String) -> [Double?] {
        (columns[name] ?? []).flatMap { c in (0..<c.count).map { c.double(at: $0) } }
    }
    func texts(_ name: String) -> [String?] {
        (columns[name] ?? []).flatMap { c in (0..<c.count).map { c.text(at: $0) } }
    }
    /// Values of `name` in the table of record type `type` (per-record-type shape).
    var byType: [String: [String: [Column]]] = [:]
    func doubles(_ type: String, _ name: String) -> [Double?] {
        (byType[type]?[name] ?? []).flatMap { c in (0..<c.count).map { c.double(at: $0) } }
    }
    func texts(_ type: String, _ name: String) -> [String?] {
        (byType[type]?[name] ?? []).flatMap { c in (0..<c.count).map { c.text(at: $0) } }
    }
}

func readAll(_ url: URL, _ codebook: Codebook?, _ options: ReadOptions = ReadOptions()) throws -> ReadResult {
    var source = try DataReader.open(data: url, codebook: codebook, options: options)
    var result = ReadResult()
    while let batch = try source.nextBatch() {
        if let type = batch.recordType {
            var t = result.tables[type] ?? (0, batch.columns.map(\.name))
            t.rows += batch.rowCount
            result.tables[type] = t
            for c in batch.columns { result.byType[type, default: [:]][c.name, default: []].append(c) }
        } else {
            if result.names.isEmpty { result.names = batch.columns.map(\.name) }
            for c in batch.columns { result.columns[c.name, default: []].append(c) }
        }
        result.batchRowCounts.append(batch.rowCount)
        result.recordTypes += batch.recordTypes
        for c in batch.columns { precondition(c.count == batch.rowCount) }
    }
    result.statistics = source.statistics
    return result
}

/// Writes `text` to a fresh temporary file.
func temporaryFile(_ bytes: [UInt8], name: String = "data.dat") throws -> URL {
    let url = try Fixtures.temporaryDirectory().appendingPathComponent(name)
    try Data(bytes).write(to: url)
    return url
}

func temporaryFile(_ text: String, name: String = "data.dat") throws -> URL {
    try temporaryFile(Array(text.utf8), name: name)
}

func parseDDI(_ path: String) throws -> Codebook {
    try DDIParser().parse(contentsOf: Fixtures.url(path))
}

/// Shorthand for a positioned variable.
func fw(
    _ name: String, _ start: Int, _ width: Int, _ type: Variable.ValueType = .numeric, decimals: Int = 0,
    rectypes: [String] = [], categories: [MicrodataCodebook.Category] = [], missing: MissingValues = MissingValues()
) -> Variable {
    Variable(name: name, start: start, end: start + width - 1, width: width, decimals: decimals, type: type,
             recordTypes: rectypes, categories: categories, missingValues: missing)
}

/// hipread's toy layout (test-basic.dat): H = rt hhnum hh_char hh_dbl hh_impdbl; P = rt hhnum pernum per_dbl per_mix.
func hipreadCodebook(declared: [String] = ["H", "P"]) -> Codebook {
    let file = DataFile(
        name: "test-basic.dat", structure: .hierarchical, charset: "UTF-8",
        recordTypes: declared.map { RecordType(code: $0, idVariable: "rt") })
    return Codebook(
        files: [file],
        variables: [
            fw("rt", 1, 1, .character, rectypes: ["H", "P"]),
            fw("hhnum", 2, 3, .character, rectypes: ["H", "P"]),
            fw("hh_char", 5, 3, .character, rectypes: ["H"]),
            fw("hh_dbl", 8, 3, rectypes: ["H"]),
            fw("hh_impdbl", 11, 2, decimals: 1, rectypes: ["H"]),
            fw("pernum", 5, 1, rectypes: ["P"]),
            fw("per_dbl", 6, 3, rectypes: ["P"]),
            fw("per_mix", 9, 1, .character, rectypes: ["P"]),
        ], source: "hipread-test")
}
