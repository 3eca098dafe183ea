import Foundation
import MicrodataModels
import MicrodataReaders
import MicrodataTestSupport
import Testing

/// An oracle file of Fixtures/sae keyed `case|statistic|term` (the columns at `key`, the value last).
func saeExpected(_ file: String, key: [Int]) -> [String: Double] {
    let records = try! DelimitedRecords(contentsOf: Fixtures.url("sae/\(file)")).records
    var out: [String: Double] = [:]
    for r in records.dropFirst() { out[key.map { r.fields[$0] }.joined(separator: "|")] = Double(r.fields.last!)! }
    return out
}

/// R sae 1.3 eblupFH/mseFH on its milk data (Fixtures/sae/expected.csv).
private let milkExpected = saeExpected("expected.csv", key: [0, 2, 3])

/// The milk areas with `yi ~ as.factor(MajorArea)`, direct estimates and variances.
func milkData() throws -> SmallAreaData {
    let aux = try ModelData(source: DataReader.open(data: Fixtures.url("sae/milk.csv"), codebook: nil))
    var direct: [String: (estimate: Double, variance: Double)] = [:]
    let area = aux.column("SmallArea")!, y = aux.column("yi")!, v = aux.column("var")!
    for r in 0..<aux.rowCount { direct[area.text(at: r)!] = (y.double(at: r)!, v.double(at: r)!) }
    return try SmallAreaData(auxiliary: aux, area: "SmallArea", formula: "as.factor(MajorArea)", direct: direct)
}

func near(_ a: Double, _ b: Double?, _ what: String, tolerance: Double = 1e-8) {
    guard let b else { Issue.record("\(what): no expected value"); return }
    #expect(abs(a - b) <= tolerance * max(abs(b), 1e-12), "\(what): \(a) vs R \(b)")
}

@Suite struct FayHerriotOracleTests {
    @Test(arguments: [("PS_REML", FayHerriot.Method.reml), ("PS_ML", .ml), ("PS_FH", .fh)])
    func milkMatchesSaeEblupFHAndMseFH(_ id: String, _ method: FayHerriot.Method) throws {
        let fit = try FayHerriot(method: method).fit(milkData())
        near(fit.variance, milkExpected["\(id)|refvar|A"], "\(id) A")
        #expect(fit.coefficients.map(\.term) == ["(Intercept)", "as.factor(MajorArea)2", "as.factor(MajorArea)3", "as.factor(MajorArea)4"])
        for c in fit.coefficients {
            near(c.estimate, milkExpected["\(id)|beta|\(c.term)"], "\(id) beta \(c.term)")
            near(c.standardError, milkExpected["\(id)|beta_se|\(c.term)"], "\(id) se \(c.term)")
        }
        #expect(fit.areas.count == 43)
        for e in fit.areas {
            #expect(e.kind == .eblup)
            near(e.estimate, milkExpected["\(id)|eblup|\(e.area)"], "\(id) eblup \(e.area)")
            near(e.mse, milkExpected["\(id)|mse|\(e.area)"], "\(id) mse \(e.area)")
            near(e.gamma, milkExpected["\(id)|gamma|\(e.area)"], "\(id) gamma \(e.area)")
        }
        #expect(fit.iterations < 100)
        #expect(!fit.truncated)
    }
}
