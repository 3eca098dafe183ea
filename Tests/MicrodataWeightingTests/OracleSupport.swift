import Foundation
import MicrodataReaders
import MicrodataTestSupport
import Testing

@testable import MicrodataWeighting

/// A fixture CSV held as columns, cut into batches for the estimator.
struct Frame {
    var names: [String]
    var columns: [Column.Storage]
    var rowCount: Int

    /// Loads `Fixtures/rsurvey/<name>`; columns whose values all parse as numbers (or are NA) are real.
    init(_ name: String) throws {
        let records = try DelimitedRecords(contentsOf: Fixtures.url("rsurvey/\(name)")).records
        names = records[0].fields
        rowCount = records.count - 1
        columns = []
        for k in names.indices {
            let raw = records.dropFirst().map { $0.fields[k] }
            let missing: (String) -> Bool = { $0 == "NA" || $0.isEmpty }
            if raw.allSatisfy({ missing($0) || Double($0) != nil }) && names[k] != "cds" {
                columns.append(.real(raw.map { missing($0) ? .nan : Double($0)! }))
            } else {
                columns.append(.text(raw.map { missing($0) ? nil : $0 }))
            }
        }
    }

    /// Adds the columns of another fixture with the same rows.
    mutating func append(_ other: Frame) {
        precondition(other.rowCount == rowCount)
        names += other.names
        columns += other.columns
    }

    /// Adds a real column.
    mutating func add(_ name: String, _ values: [Double]) {
        names.append(name)
        columns.append(.real(values))
    }

    func doubles(_ name: String) -> [Double] {
        guard case .real(let v) = columns[names.firstIndex(of: name)!] else { return [] }
        return v
    }

    func texts(_ name: String) -> [String?] {
        guard case .text(let v) = columns[names.firstIndex(of: name)!] else { return [] }
        return v
    }

    /// Keeps the rows where `keep` is true.
    func filter(_ keep: (Int) -> Bool) -> Frame {
        var f = self
        let rows = (0..<rowCount).filter(keep)
        f.rowCount = rows.count
        f.columns = columns.map { c in
            switch c {
            case .real(let v): return .real(rows.map { v[$0] })
            case .text(let v): return .text(rows.map { v[$0] })
            case .integer(let v, let m): return .integer(rows.map { v[$0] }, missing: rows.map { m[$0] })
            }
        }
        return f
    }

    /// The rows cut into batches of `size` (several batches, to exercise streaming).
    func batches(size: Int = 64) -> [Batch] {
        stride(from: 0, to: rowCount, by: size).map { start in
            let end = min(start + size, rowCount)
            let cols = names.indices.map { k -> Column in
                let storage: Column.Storage
                switch columns[k] {
                case .real(let v): storage = .real(Array(v[start..<end]))
                case .text(let v): storage = .text(Array(v[start..<end]))
                case .integer(let v, let m): storage = .integer(Array(v[start..<end]), missing: Array(m[start..<end]))
                }
                return Column(name: names[k], storage: storage)
            }
            return Batch(columns: cols, rowCount: end - start)
        }
    }

    func estimate(_ design: SurveyDesign, _ analyses: [Analysis], _ options: EstimationOptions = EstimationOptions())
        throws -> Estimates
    {
        var e = try SurveyEstimator(design: design, analyses: analyses, options: options)
        for b in batches() { try e.add(b) }
        return try e.finish()
    }
}

/// The values of `expected.csv`, keyed by case, statistic and term.
struct Oracle {
    static let shared: Oracle = try! Oracle()
    var values: [String: Double] = [:]
    var cases: Set<String> = []

    init() throws {
        let records = try DelimitedRecords(contentsOf: Fixtures.url("rsurvey/expected.csv")).records
        for r in records.dropFirst() {
            let f = r.fields
            cases.insert(f[0])
            values["\(f[0])|\(f[2])|\(f[3])"] = Double(f[4])
        }
    }

    func callAsFunction(_ caseID: String, _ statistic: String, _ term: String) -> Double {
        guard let v = values["\(caseID)|\(statistic)|\(term)"] else {
            Issue.record("oracle has no \(caseID) \(statistic) \(term)")
            return .nan
        }
        return v
    }
}

/// Expects `actual` within `relative` of `expected` (values are printed with 10 significant digits).
func expectClose(
    _ actual: Double, _ expected: Double, relative: Double = 1e-8, _ what: String = "",
    sourceLocation: SourceLocation = #_sourceLocation
) {
    let ok = expected == 0 ? abs(actual) < 1e-8 : abs(actual - expected) <= relative * abs(expected)
    #expect(ok, "\(what): got \(actual), expected \(expected)", sourceLocation: sourceLocation)
}

enum Designs {
    static let apistrat = try! Frame("apistrat.csv")
    static let apiclus1 = try! Frame("apiclus1.csv")
    static let apiclus2 = try! Frame("apiclus2.csv")
    static let apisrs = try! Frame("apisrs.csv")

    static let dstrat = SurveyDesign(weight: "pw", strata: "stype", fpc: ["fpc"])
    static let dclus1 = SurveyDesign(weight: "pw", clusters: ["dnum"], fpc: ["fpc"])
    static let dclus2 = SurveyDesign(weight: nil, clusters: ["dnum", "snum"], fpc: ["fpc1", "fpc2"])
    static let dsrs = SurveyDesign(weight: "pw", fpc: ["fpc"])
    static let dclus1wr = SurveyDesign(weight: "pw", clusters: ["dnum"])
    static let dclus2wr = SurveyDesign(weight: "pw", clusters: ["dnum", "snum"])
}
