import Foundation
import MicrodataCodebook
import MicrodataHarmonise
import MicrodataReaders
import MicrodataTestSupport
import MicrodataWeighting
import Testing

@testable import MicrodataMobility

/// The whole pass on the bundled synthetic LFS-style example against R (readr + survey, households as
/// clusters): Fixtures/mobility/lfs_mobility_expected.csv.
struct MobilityPipelineTests {
    static let expected: [String: (estimate: Double, se: Double?)] = {
        let records = try! DelimitedRecords(contentsOf: Fixtures.url("mobility/lfs_mobility_expected.csv"))
        var out: [String: (Double, Double?)] = [:]
        for r in records.records.dropFirst() {
            out["\(r.fields[0])|\(r.fields[1])|\(r.fields[2])"] = (Double(r.fields[3])!, Double(r.fields[4]))
        }
        return out
    }()

    static func run(by: [String] = [], strict: Bool = true) throws -> (MobilityPass, MobilityResults) {
        let folder = Fixtures.codebook("examples/lfs-synthetic")
        let book = try DDIParser().parse(contentsOf: folder.appendingPathComponent("lfs_synthetic_js2024.xml"))
        let registry = try CrosswalkRegistry(folders: [Fixtures.codebook("crosswalks")])
        let schemes = try ClassScheme.load(from: Fixtures.codebook("mobility/class-schemes.csv"))
        var estimator = try MobilityEstimator(
            origin: ClassSpec(parsing: "SM_NSEC20:NSSEC-OP>NSSEC8", option: "--origin"),
            destination: ClassSpec(parsing: "NSECM20:NSSEC-OP>NSSEC8", option: "--destination"), by: by,
            design: .householdClusters(weight: "PWT24", household: "HSERIALP"), registry: registry, codebook: book)
        var source = try DataReader.open(
            data: folder.appendingPathComponent("lfs_synthetic_js2024.dat.gz"), codebook: book,
            options: ReadOptions(variables: estimator.requiredVariables))
        while let batch = try source.nextBatch() { try estimator.add(batch) }
        let pass = try estimator.finish(schemes: schemes)
        let results = pass.totals.mobilityResults(
            classes: pass.classes.classes.map(\.code), groups: pass.groups,
            direction: pass.classes.directions(strict: strict))
        return (pass, results)
    }

    static func check(_ key: String, _ value: MobilityEstimate?, sourceLocation: SourceLocation = #_sourceLocation) {
        guard let (estimate, se) = expected[key], let value else {
            Issue.record("missing \(key)", sourceLocation: sourceLocation)
            return
        }
        #expect(MobilityMeasureTests.close(value.estimate, estimate), "\(key)", sourceLocation: sourceLocation)
        if let se { #expect(MobilityMeasureTests.close(value.standardError, se), "\(key) SE", sourceLocation: sourceLocation) }
    }

    @Test func outflowRatesAndOddsRatioMatchRWithHouseholdClusters() throws {
        let (pass, results) = try Self.run()
        #expect(pass.rows == 100_000)
        #expect(pass.validRows == Int(Self.expected["valid_rows||"]!.estimate))
        #expect(pass.classes.classes.map(\.code) == ["1.1", "1.2", "2", "3", "4", "5", "6", "7", "8"])
        let table = results.tables[0]
        for i in 0..<9 { for j in 0..<9 { Self.check("outflow|\(i + 1)|\(j + 1)", table.outflow[i][j]) } }
        Self.check("imm||", table.rates["immobile"])
        Self.check("up||", table.rates["upward"])
        Self.check("down||", table.rates["downward"])
        Self.check("up_down_ratio||", table.rates["upward:downward"])
        let or18 = table.logOddsRatios.first { $0.originA == 0 && $0.originB == 7 && $0.destinationA == 0 && $0.destinationB == 7 }
        Self.check("log_odds_ratio|1:8|1:8", or18?.logOddsRatio)
        let test = try #require(table.independenceTest)
        #expect(MobilityMeasureTests.close(test.f, Self.expected["rao_scott_F||"]!.estimate))
        #expect(MobilityMeasureTests.close(test.numeratorDF, Self.expected["rao_scott_ndf||"]!.estimate))
        #expect(MobilityMeasureTests.close(test.denominatorDF, Self.expected["rao_scott_ddf||"]!.estimate))
    }

    @Test func nationsShareHouseholdsSoTheirDifferenceUsesTheCovariance() throws {
        let (pass, results) = try Self.run(by: ["COUNTRY"])
        // LFS COUNTRY: 4 is Scotland north of the Caledonian Canal, 5 Northern Ireland (issue 24).
        #expect(pass.groups == ["England", "Wales", "Scotland", "Scotland North of Caledonian Canal", "Northern Ireland"])
        for (g, code) in ["1", "2", "3", "4", "5"].enumerated() {
            Self.check("immobile_by_country|\(code)|", results.tables[g].rates["immobile"])
        }
        let difference = results.differences.first { $0.measure == "immobile" && $0.groupA == "England" && $0.groupB == "Scotland" }
        Self.check("immobile_difference|1-3|", difference?.difference)
    }
}
