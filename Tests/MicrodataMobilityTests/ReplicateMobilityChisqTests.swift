import Foundation
import MicrodataReaders
import MicrodataTestSupport
import MicrodataWeighting
import Testing

@testable import MicrodataMobility

/// The Rao–Scott test of a mobility table under replicate weights and the design-built jackknife, against R
/// `svychisq.svyrep.design` (survey 4.1.1; Fixtures/mobility/replicate_chisq_mobility.R): the replicate
/// covariance of the cell proportions, not the linearisation of the totals' covariance.
struct ReplicateMobilityChisqTests {
    /// group|key → value.
    static let expected: [String: Double] = {
        let records = try! DelimitedRecords(contentsOf: Fixtures.url("mobility/replicate_chisq_mobility_expected.csv"))
        var out: [String: Double] = [:]
        for r in records.records.dropFirst() { out["\(r.fields[0])|\(r.fields[1])"] = Double(r.fields[2]) }
        return out
    }()

    static let jk1 = SurveyDesign(
        weight: "pw", replicates: ReplicateWeights(pattern: "^rw[0-9]+$", type: .jk1, scale: 0.9148392779))

    static func tests(_ file: String, _ design: SurveyDesign, by: [String] = []) throws -> [String: RaoScottTest] {
        var estimator = try MobilityEstimator(
            origin: ClassSpec(parsing: "o", option: "--origin"), destination: ClassSpec(parsing: "d", option: "--destination"),
            by: by, design: design, registry: nil)
        var source = try DataReader.open(data: Fixtures.url("mobility/\(file)"), codebook: nil)
        while let batch = try source.nextBatch() { try estimator.add(batch) }
        let pass = try estimator.finish(schemes: [:])
        var out: [String: RaoScottTest] = [:]
        for (g, name) in pass.groups.enumerated() { out[name] = pass.totals.raoScottTest(group: g) }
        return out
    }

    static func expectClose(_ value: Double?, _ key: String, sourceLocation: SourceLocation = #_sourceLocation) {
        guard let want = expected[key], let value else {
            Issue.record("missing \(key)", sourceLocation: sourceLocation)
            return
        }
        #expect(abs(value - want) <= 1e-8 * abs(want), "\(key): \(value) vs \(want)", sourceLocation: sourceLocation)
    }

    static func expectAll(_ t: RaoScottTest?, _ group: String, sourceLocation: SourceLocation = #_sourceLocation) {
        expectClose(t?.f, "\(group)|F", sourceLocation: sourceLocation)
        expectClose(t?.numeratorDF, "\(group)|ndf", sourceLocation: sourceLocation)
        expectClose(t?.denominatorDF, "\(group)|ddf", sourceLocation: sourceLocation)
        expectClose(t?.pValue, "\(group)|p", sourceLocation: sourceLocation)
        expectClose(t?.pearson, "\(group)|X2", sourceLocation: sourceLocation)
        expectClose(t?.chiSquarePValue, "\(group)|chisq_p", sourceLocation: sourceLocation)
    }

    @Test func raoScottTestUnderReplicateWeightsMatchesSvychisq() throws {
        Self.expectAll(try Self.tests("api_jk1_bands.csv", Self.jk1)["All"], "All")
    }

    @Test func raoScottTestUnderTheDesignBuiltJackknifeMatchesSvychisq() throws {
        var design = SurveyDesign(weight: "pw", clusters: ["dnum"], fpc: ["fpc"])
        design.jackknife = true
        Self.expectAll(try Self.tests("api_clus1_bands.csv", design)["All"], "JK")
    }

    /// Each group's test uses the replicate covariance of its own cell proportions. F and its numerator df do
    /// not depend on R's N or the subset's df; the denominator df is the design's (14), which is R's degf of the
    /// subset for "Yes" but not for "No" (9), and X² is scaled to every row of the design, not the subset's.
    @Test func eachGroupsTestUsesItsOwnReplicateProportions() throws {
        let tests = try Self.tests("api_jk1_bands.csv", Self.jk1, by: ["sch.wide"])
        for group in ["No", "Yes"] {
            Self.expectClose(tests[group]?.f, "\(group)|F")
            Self.expectClose(tests[group]?.numeratorDF, "\(group)|ndf")
            Self.expectClose(tests[group]?.chiSquarePValue, "\(group)|chisq_p")
        }
        Self.expectClose(tests["Yes"]?.denominatorDF, "Yes|ddf")
        Self.expectClose(tests["Yes"]?.pValue, "Yes|p")
    }
}
