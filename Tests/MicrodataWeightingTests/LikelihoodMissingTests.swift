import MicrodataReaders
import MicrodataTestSupport
import Testing

@testable import MicrodataWeighting

/// The likelihood interval of a proportion when the variable has missing values and in domains, against R
/// survey 4.1.1: R's svyglm scales the weights by their mean over every row of the design (missing values
/// and rows outside the domain included). Fixtures/rsurvey/likelihood_missing.R (see PROVENANCE.txt).
struct LikelihoodMissingTests {
    struct Expected {
        var p: Double, se: Double, low: Double, high: Double
    }

    /// Keyed by "case|domain".
    static let expected: [String: Expected] = {
        let records = try! DelimitedRecords(contentsOf: Fixtures.url("rsurvey/likelihood_missing_expected.csv")).records
        var out: [String: Expected] = [:]
        for r in records.dropFirst() {
            let f = r.fields
            out["\(f[0])|\(f[1])"] = Expected(p: Double(f[2])!, se: Double(f[3]) ?? .nan, low: Double(f[4])!,
                                              high: Double(f[5])!)
        }
        return out
    }()

    static let frame = try! Frame("apiclus1_hi.csv")

    /// `df`: R's degf of each domain's subset design, keyed by domain (svyciprop's default df).
    func check(_ id: String, by: String?, variable: String, level: String, df: [String: Double],
               sourceLocation: SourceLocation = #_sourceLocation) throws {
        var cells: [CellEstimate] = []
        for (domain, degrees) in df.sorted(by: { $0.key < $1.key }) {
            let options = EstimationOptions(by: by.map { [$0] } ?? [], ciMethod: .likelihood, degreesOfFreedom: degrees)
            let est = try Self.frame.estimate(Designs.dclus1, [.proportion(variable)], options)
            cells += est.table.cells.filter { $0.level == level && ($0.byValues.first ?? "") == domain }
        }
        #expect(cells.count == df.count, sourceLocation: sourceLocation)
        for c in cells {
            let key = "\(id)|\(c.byValues.first ?? "")"
            guard let e = Self.expected[key] else {
                Issue.record("no expected value for \(key)", sourceLocation: sourceLocation)
                continue
            }
            // R's estimate is glm's IRLS coefficient, converged to about 1e-10.
            expectClose(c.estimate, e.p, relative: 1e-9, "\(key) p", sourceLocation: sourceLocation)
            if !e.se.isNaN { expectClose(c.standardError, e.se, "\(key) SE", sourceLocation: sourceLocation) }
            expectClose(c.ciLow, e.low, "\(key) lower", sourceLocation: sourceLocation)
            expectClose(c.ciHigh, e.high, "\(key) upper", sourceLocation: sourceLocation)
        }
    }

    @Test func likelihoodIntervalWithMissingValuesMatchesR() throws {
        try check("L01", by: nil, variable: "hi", level: "yes", df: ["": 14])
    }

    @Test func likelihoodIntervalInDomainsWithMissingValuesMatchesR() throws {
        try check("L02", by: "stype", variable: "hi", level: "yes", df: ["E": 14, "H": 7, "M": 11])
    }

    @Test func likelihoodIntervalInDomainsScalesByEveryRowOfTheDesign() throws {
        // Rows with a missing by-value are outside every domain but still rows of R's design.
        try check("L03", by: "hi", variable: "stype", level: "E", df: ["no": 9, "yes": 9])
    }
}
