import Foundation
import MicrodataReaders
import MicrodataTestSupport
import Testing

@testable import MicrodataWeighting

/// Inequality and poverty measures against R convey 1.0.1 (Fixtures/inequality, cases PI01–PI10).
struct InequalityTests {
    static let oracle: [String: Double] = {
        var values: [String: Double] = [:]
        for file in ["expected.csv", "more_cases_expected.csv"] {
            let records = try! DelimitedRecords(contentsOf: Fixtures.url("inequality/\(file)")).records
            for r in records.dropFirst() { values["\(r.fields[0])|\(r.fields[2])|\(r.fields[3])"] = Double(r.fields[4]) }
        }
        return values
    }()

    static let jk1: Frame = {
        var f = Designs.apiclus1
        f.append(try! Frame("rep_dclus1_JK1.csv"))
        return f
    }()
    static let djk = SurveyDesign(weight: "pw", replicates: ReplicateWeights(pattern: "^rw[0-9]+$", type: .jk1,
                                                                             scale: 0.9148392779))
    static let weightsOnly = SurveyDesign(weight: "pw")

    func o(_ id: String, _ statistic: String, _ term: String) -> Double {
        guard let v = Self.oracle["\(id)|\(statistic)|\(term)"] else {
            Issue.record("no oracle value \(id) \(statistic) \(term)")
            return .nan
        }
        return v
    }

    func check(_ cell: CellEstimate, _ id: String, _ statistic: String, _ term: String) {
        expectClose(cell.estimate, o(id, statistic, term), "\(id) \(term)")
        expectClose(cell.standardError, o(id, "SE", term), "\(id) \(term) SE")
    }

    @Test func giniUnderClusterAndStratifiedDesigns() throws {
        let a = try Designs.apiclus1.estimate(Designs.dclus1, [.inequality("api00", .gini)]).table.cells
        #expect(a.count == 1 && a[0].statistic == "gini")
        check(a[0], "PI01", "gini", "api00")
        let b = try Designs.apistrat.estimate(Designs.dstrat, [.inequality("enroll", .gini)]).table.cells
        check(b[0], "PI02", "gini", "enroll")
    }

    @Test func giniByDomain() throws {
        let cells = try Designs.apistrat.estimate(
            Designs.dstrat, [.inequality("enroll", .gini)], EstimationOptions(by: ["stype"])).table.cells
        #expect(cells.map(\.byValues) == [["E"], ["H"], ["M"]])
        for c in cells { check(c, "PI09", "gini", "stype=\(c.byValues[0])") }
    }

    @Test func giniUnderJK1ReplicateWeights() throws {
        check(try Self.jk1.estimate(Self.djk, [.inequality("api00", .gini)]).table.cells[0], "PI10", "gini", "api00")
    }

    @Test func lorenzOrdinatesAndTopShare() throws {
        let ps = [0.2, 0.5, 0.8, 0.9]
        let e = try Designs.apistrat.estimate(Designs.dstrat, [.inequality("enroll", .lorenz(ps))])
        #expect(e.table.cells.map(\.level) == ["0.2", "0.5", "0.8", "0.9"])
        for (k, p) in ps.enumerated() { check(e.table.cells[k], "PI06", "lorenz", "L(\(p))") }
        // Covariances between ordinates of one domain are kept (svylorenz's variance matrix).
        #expect(e.covariance(0, 3)! > 0)
        let top = try Designs.apistrat.estimate(Designs.dstrat, [.inequality("enroll", .topShare(0.1))]).table.cells[0]
        #expect(top.statistic == "top_share" && top.level == "0.1")
        expectClose(top.estimate, 1 - o("PI06", "lorenz", "L(0.9)"), "top 10%")
        expectClose(top.standardError, o("PI06", "SE", "L(0.9)"), "top 10% SE")
    }

    @Test func quintileShareRatio() throws {
        let c = try Designs.apistrat.estimate(
            Designs.dstrat, [.inequality("enroll", .quantileShareRatio(top: 0.8, bottom: 0.2))]).table.cells[0]
        #expect(c.statistic == "qsr")
        check(c, "PI03", "qsr", "enroll")
    }

    @Test func povertyThresholdAndRate() throws {
        let t = try Designs.apistrat.estimate(
            Designs.dstrat, [.inequality("enroll", .povertyThreshold(percent: 0.6, quantile: 0.5))]).table.cells[0]
        #expect(t.statistic == "arpt")
        check(t, "PI05", "arpt", "enroll")
        let r = try Designs.apistrat.estimate(
            Designs.dstrat, [.inequality("enroll", .povertyRate(percent: 0.6, quantile: 0.5))]).table.cells[0]
        #expect(r.statistic == "arpr")
        check(r, "PI04", "arpr", "enroll")
    }

    @Test func weightsOnlyDesign() throws {
        let f = Designs.apistrat
        check(try f.estimate(Self.weightsOnly, [.inequality("enroll", .gini)]).table.cells[0], "IQ01", "gini", "enroll")
        check(try f.estimate(Self.weightsOnly, [.inequality("enroll", .quantileShareRatio(top: 0.8, bottom: 0.2))])
                .table.cells[0], "IQ02", "qsr", "enroll")
        check(try f.estimate(Self.weightsOnly, [.inequality("enroll", .povertyRate(percent: 0.6, quantile: 0.5))])
                .table.cells[0], "IQ03", "arpr", "enroll")
    }

    @Test func povertyRateByDomainUsesTheWholeSampleThreshold() throws {
        let cells = try Designs.apistrat.estimate(
            Designs.dstrat, [.inequality("enroll", .povertyRate(percent: 0.6, quantile: 0.5))],
            EstimationOptions(by: ["stype"])).table.cells
        #expect(cells.count == 3)
        for c in cells { check(c, "IQ04", "arpr", "stype=\(c.byValues[0])") }
    }

    @Test func thresholdAndRatioByDomainUnderClusters() throws {
        let t = try Designs.apiclus1.estimate(
            Designs.dclus1, [.inequality("api00", .povertyThreshold(percent: 0.6, quantile: 0.5))],
            EstimationOptions(by: ["stype"])).table.cells
        for c in t { check(c, "IQ05", "arpt", "stype=\(c.byValues[0])") }
        let q = try Designs.apiclus1.estimate(
            Designs.dclus1, [.inequality("api00", .quantileShareRatio(top: 0.8, bottom: 0.2))],
            EstimationOptions(by: ["stype"])).table.cells
        for c in q { check(c, "IQ06", "qsr", "stype=\(c.byValues[0])") }
        let l = try Designs.apiclus1.estimate(Designs.dclus1, [.inequality("api00", .lorenz([0.5, 0.9]))]).table.cells
        check(l[0], "IQ11", "lorenz", "L(0.5)")
        check(l[1], "IQ11", "lorenz", "L(0.9)")
    }

    @Test func replicateWeightsReestimateEachMeasure() throws {
        let f = Self.jk1, d = Self.djk
        check(try f.estimate(d, [.inequality("api00", .quantileShareRatio(top: 0.8, bottom: 0.2))]).table.cells[0],
              "IQ07", "qsr", "api00")
        check(try f.estimate(d, [.inequality("enroll", .povertyRate(percent: 0.6, quantile: 0.5))]).table.cells[0],
              "IQ08", "arpr", "enroll")
        check(try f.estimate(d, [.inequality("api00", .povertyThreshold(percent: 0.6, quantile: 0.5))]).table.cells[0],
              "IQ09", "arpt", "api00")
        let l = try f.estimate(d, [.inequality("api00", .lorenz([0.5, 0.9]))]).table.cells
        check(l[0], "IQ10", "lorenz", "L(0.5)")
        check(l[1], "IQ10", "lorenz", "L(0.9)")
    }

    @Test func bootstrapReplicateWeights() throws {
        var f = Designs.apiclus1
        f.append(try Frame("rep_dclus1_boot50_seed42.csv"))
        let d = SurveyDesign(weight: "pw", replicates: ReplicateWeights(pattern: "^rw[0-9]+$", type: .bootstrap,
                                                                       scale: 0.02186588921))
        check(try f.estimate(d, [.inequality("api00", .gini)]).table.cells[0], "IQ16", "gini", "api00")
        check(try f.estimate(d, [.inequality("api00", .quantileShareRatio(top: 0.8, bottom: 0.2))]).table.cells[0],
              "IQ17", "qsr", "api00")
    }

    @Test func sharesRecordTheUnitsOnEachSideOfTheirQuantile() throws {
        // apistrat has 200 schools: a top-1% share rests on about two of them.
        let c = try Designs.apistrat.estimate(Designs.dstrat, [.inequality("enroll", .topShare(0.01))]).table.cells[0]
        let sides = try #require(c.quantileSides)
        #expect(sides.above < 10 && sides.below > 150)
        let g = try Designs.apistrat.estimate(Designs.dstrat, [.inequality("enroll", .gini)]).table.cells[0]
        #expect(g.quantileSides == nil && g.unweightedCount == 200)
    }

    @Test func povertyRateRecordsThePoorAndTheRest() throws {
        // IQ04: 2% of the 50 middle schools are below the threshold: one school.
        let cells = try Designs.apistrat.estimate(
            Designs.dstrat, [.inequality("enroll", .povertyRate(percent: 0.6, quantile: 0.5))],
            EstimationOptions(by: ["stype"])).table.cells
        #expect(cells.map(\.quantileSides) == [QuantileSides(below: 17, above: 83), QuantileSides(below: 3, above: 47),
                                               QuantileSides(below: 1, above: 49)])
    }

    @Test func optionTextParsesToMeasures() throws {
        #expect(try InequalityMeasure.parse(option: "gini", "wealth") == ("wealth", .gini))
        #expect(try InequalityMeasure.parse(option: "quantile-share-ratio", "w").measure
                    == .quantileShareRatio(top: 0.8, bottom: 0.2))
        #expect(try InequalityMeasure.parse(option: "poverty-rate", "w:50,0.5").measure
                    == .povertyRate(percent: 0.5, quantile: 0.5))
        #expect(try InequalityMeasure.parse(option: "top-share", "w:0.1").measure == .topShare(0.1))
        #expect(throws: WeightingError.self) { try InequalityMeasure.parse(option: "lorenz", "w:1.5") }
        #expect(throws: WeightingError.self) { try InequalityMeasure.parse(option: "top-share", "w") }
    }

    @Test func atkinsonAndGeneralisedEntropy() throws {
        check(try Designs.apistrat.estimate(Designs.dstrat, [.inequality("enroll", .atkinson(0.5))]).table.cells[0],
              "PI07", "atkinson", "enroll")
        check(try Designs.apistrat.estimate(Designs.dstrat, [.inequality("enroll", .gei(1))]).table.cells[0],
              "PI08", "gei", "enroll")
        check(try Designs.apistrat.estimate(Designs.dstrat, [.inequality("enroll", .atkinson(1))]).table.cells[0],
              "IQ12", "atkinson", "enroll")
        check(try Designs.apiclus1.estimate(Designs.dclus1, [.inequality("api00", .gei(0))]).table.cells[0],
              "IQ13", "gei", "api00")
        check(try Designs.apiclus1.estimate(Designs.dclus1, [.inequality("api00", .gei(2))]).table.cells[0],
              "IQ14", "gei", "api00")
        let byType = try Designs.apistrat.estimate(Designs.dstrat, [.inequality("enroll", .atkinson(2))],
                                                   EstimationOptions(by: ["stype"])).table.cells
        for c in byType { check(c, "IQ15", "atkinson", "stype=\(c.byValues[0])") }
    }

    @Test func atkinsonAndEntropyRefuseValuesNotAboveZero() throws {
        var f = Designs.apistrat
        let enroll = f.doubles("enroll")
        f.add("shifted", enroll.map { $0 - 200 })
        let nonPositive = enroll.filter { $0 - 200 <= 0 }.count
        #expect(nonPositive > 0)
        for measure in [InequalityMeasure.atkinson(1), .gei(0)] {
            #expect(throws: WeightingError.invalidRequest(
                "\(measure.statistic) is defined for positive values only: \(nonPositive) rows of 'shifted' are ≤ 0; "
                    + "restrict to shifted > 0 first (for example --subpop 'shifted > 0')")) {
                try f.estimate(Designs.dstrat, [.inequality("shifted", measure)])
            }
        }
        // The Gini coefficient is defined with negative values.
        #expect(try f.estimate(Designs.dstrat, [.inequality("shifted", .gini)]).table.cells[0].estimate.isFinite)
    }

    @Test func aPSUWhoseRunningScoreSumPassesZeroCountsOnce() throws {
        // Equal weights make poverty-threshold scores ±c, which cancel part-way through a PSU (IQ05 stype=M).
        let structure = DesignStructure(
            strataCount: 1, psuStratum: [0, 0], unitPSU: nil, nh: [2], fh: [0], mi: [], fi: [], twoStage: false,
            lonely: .fail, domainLonely: false, stratumColumn: "s", stratumLabels: ["1"], psuLabels: ["a", "b"])
        var scores = Scores()
        for v in [1.0, -1, 2] { scores.append(unit: 0, estimate: 0, value: v) }
        scores.append(unit: 1, estimate: 0, value: 4)
        // PSU totals 2 and 4: 2/(2−1) · ((2−3)² + (4−3)²) = 4.
        #expect(try structure.covariance(estimates: 1, scores: scores, present: nil) == [4])
    }
}
