import MicrodataReaders
import MicrodataTestSupport
import Testing

@testable import MicrodataWeighting

/// Calibration with a distance and g-weight bounds (R `calibrate()` solved by `grake`) on apiclus1, against
/// Fixtures/rsurvey/calibration_bounds_expected.csv, written by calibration_bounds.R (see PROVENANCE.txt).
struct BoundedCalibrationTests {
    /// `calibration_bounds_expected.csv` keyed by "case|statistic|term".
    static let expected: [String: Double] = {
        let records = try! DelimitedRecords(contentsOf: Fixtures.url("rsurvey/calibration_bounds_expected.csv")).records
        var out: [String: Double] = [:]
        for r in records.dropFirst() { out["\(r.fields[0])|\(r.fields[2])|\(r.fields[3])"] = Double(r.fields[4]) }
        return out
    }()

    static func r(_ key: String, sourceLocation: SourceLocation = #_sourceLocation) -> Double {
        guard let v = expected[key] else {
            Issue.record("calibration_bounds_expected.csv has no \(key)", sourceLocation: sourceLocation)
            return .nan
        }
        return v
    }

    /// The apipop totals of ~stype + api99.
    static let terms: [Calibration.Term] = [
        .intercept(total: 6194), .level(column: "stype", value: "H", total: 755),
        .level(column: "stype", value: "M", total: 1018), .numeric(column: "api99", total: 3914069),
    ]

    static func design(_ distance: Calibration.Distance, _ bounds: ClosedRange<Double>, maxIterations: Int = 50)
        -> SurveyDesign
    {
        var d = Designs.dclus1
        d.calibration = Calibration(terms: terms, distance: distance, bounds: bounds, maxIterations: maxIterations)
        return d
    }

    /// Checks svymean(~api00), svytotal(~enroll), svymean(~sch.wide), svyby(~api00, ~sch.wide) and the
    /// g-weight range of case `id`.
    func check(_ id: String, _ design: SurveyDesign, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let r = { (key: String) in Self.r("\(id)|\(key)", sourceLocation: sourceLocation) }
        let est = try Designs.apiclus1.estimate(design, [.mean("api00"), .total("enroll"), .mean("sch.wide")])
        let c = est.table.cells
        expectClose(c[0].estimate, r("estimate|api00"), "\(id) mean api00", sourceLocation: sourceLocation)
        expectClose(c[0].standardError, r("SE|api00"), "\(id) SE api00", sourceLocation: sourceLocation)
        expectClose(c[1].estimate, r("estimate|enroll"), "\(id) total enroll", sourceLocation: sourceLocation)
        expectClose(c[1].standardError, r("SE|enroll"), "\(id) SE enroll", sourceLocation: sourceLocation)
        for (k, level) in ["No", "Yes"].enumerated() {
            #expect(c[2 + k].level == level, sourceLocation: sourceLocation)
            expectClose(c[2 + k].estimate, r("estimate|sch.wide\(level)"), "\(id) sch.wide \(level)",
                        sourceLocation: sourceLocation)
            expectClose(c[2 + k].standardError, r("SE|sch.wide\(level)"), "\(id) SE sch.wide \(level)",
                        sourceLocation: sourceLocation)
        }
        let summary = try #require(est.calibration, sourceLocation: sourceLocation)
        expectClose(summary.smallestG, r("g|min"), "\(id) smallest g", sourceLocation: sourceLocation)
        expectClose(summary.largestG, r("g|max"), "\(id) largest g", sourceLocation: sourceLocation)
        for (k, term) in ["(Intercept)", "stypeH", "stypeM", "api99"].enumerated() {
            expectClose(summary.achievedTotals[k], r("total|\(term)"), "\(id) calibrated total \(term)",
                        sourceLocation: sourceLocation)
        }

        let by = try Designs.apiclus1.estimate(design, [.mean("api00")], EstimationOptions(by: ["sch.wide"]))
        for (k, level) in ["No", "Yes"].enumerated() {
            #expect(by.table.cells[k].byValues == [level], sourceLocation: sourceLocation)
            expectClose(by.table.cells[k].estimate, r("estimate|api00:\(level)"), "\(id) api00 in \(level)",
                        sourceLocation: sourceLocation)
            expectClose(by.table.cells[k].standardError, r("SE|api00:\(level)"), "\(id) SE api00 in \(level)",
                        sourceLocation: sourceLocation)
        }
    }

    @Test func logitCalibrationWithinBoundsMatchesR() throws {
        try check("G01", Self.design(.logit, 0.7...1.7))
    }

    @Test func unboundedRakingCalibrationMatchesR() throws {
        try check("G02", Self.design(.raking, -Double.infinity...Double.infinity))
    }

    @Test func truncatedLinearCalibrationReachesItsLowerBoundAsInR() throws {
        try check("G03", Self.design(.linear, 0.5...2))
        #expect(Self.r("G03|g|min") == 0.5)
    }

    @Test func boundedRakingCalibrationReachesItsUpperBoundAsInR() throws {
        try check("G04", Self.design(.raking, 0.5...1.8))
        #expect(Self.r("G04|g|max") == 1.8)
    }

    @Test func unitInputWeightsAreRescaledBeforeIteratingAsInR() throws {
        // Every total is more than 20 times its sample total, so grake first scales d by the mean ratio.
        var frame = Designs.apiclus1
        frame.add("one", [Double](repeating: 1, count: frame.rowCount))
        var design = SurveyDesign(weight: "one", clusters: ["dnum"])
        design.calibration = Calibration(terms: Self.terms, distance: .raking)
        let est = try frame.estimate(design, [.mean("api00"), .total("enroll")])
        let c = est.table.cells
        expectClose(c[0].estimate, Self.r("G07|estimate|api00"), "mean api00")
        expectClose(c[0].standardError, Self.r("G07|SE|api00"), "SE api00")
        expectClose(c[1].estimate, Self.r("G07|estimate|enroll"), "total enroll")
        expectClose(c[1].standardError, Self.r("G07|SE|enroll"), "SE enroll")
        expectClose(try #require(est.calibration).smallestG, Self.r("G07|g|min"), "smallest g")
        expectClose(try #require(est.calibration).largestG, Self.r("G07|g|max"), "largest g")
    }

    @Test func designDescriptionNamesDistanceBoundsAndIterations() throws {
        let est = try Designs.apiclus1.estimate(Self.design(.logit, 0.7...1.7), [.mean("api00")])
        #expect(est.table.designDescription.contains("calibrated (logit, g in [0.7, 1.7]) on 4 totals"))
        let iterations = try #require(est.calibration?.iterations)
        #expect(est.table.designDescription.contains("converged in \(iterations) iterations"))
    }

    @Test func calibrationThatDoesNotConvergeNamesIterationsAndLargestGap() throws {
        let error = #expect(throws: WeightingError.self) {
            _ = try Designs.apiclus1.estimate(Self.design(.logit, 0.7...1.7, maxIterations: 3), [.mean("api00")])
        }
        guard case .calibrationDidNotConverge(let iterations, let term, _, let relative, let epsilon)? = error else {
            Issue.record("expected calibrationDidNotConverge, got \(String(describing: error))")
            return
        }
        // R warns "Failed to converge: eps=<largest relative gap> in 4 iterations" (its count after the third step).
        #expect(iterations == 3)
        #expect(Self.r("G05|failed|iterations") == 4)
        expectClose(relative, Self.r("G05|failed|eps"), "largest relative gap")
        #expect(epsilon == 1e-7)
        #expect(["intercept", "stype=H", "stype=M", "api99"].contains(term))
        #expect(error!.description.contains("did not converge in 3 iterations"))
        #expect(error!.description.contains("'\(term)'"))
    }

    @Test func infeasibleBoundsNameTheTermAndItsReachableRange() throws {
        // 14 high schools weigh 473.86; within [0.8, 1.2] they reach at most 568.63, not 755 (R: fails after
        // 50 iterations with "Calibration failed").
        let error = #expect(throws: WeightingError.self) {
            _ = try Designs.apiclus1.estimate(Self.design(.linear, 0.8...1.2), [.mean("api00")])
        }
        guard case .infeasibleCalibrationBounds(let term, let total, let lowest, let highest, let lower, let upper)?
            = error
        else {
            Issue.record("expected infeasibleCalibrationBounds, got \(String(describing: error))")
            return
        }
        let sample = Self.r("G06|sample|stypeH")
        #expect(term == "stype=H")
        #expect(total == 755)
        expectClose(lowest, 0.8 * sample, "lowest reachable")
        expectClose(highest, 1.2 * sample, "highest reachable")
        #expect(lower == 0.8 && upper == 1.2)
        #expect(Self.r("G06|failed|iterations") == 51)
    }

    @Test func boundsMustContainOneAndLogitNeedsFiniteBounds() throws {
        #expect(throws: WeightingError.invalidDesign("logit calibration requires finite bounds L < 1 < U")) {
            _ = try SurveyEstimator(design: Self.design(.logit, -Double.infinity...Double.infinity),
                                    analyses: [.mean("api00")])
        }
        #expect(throws: WeightingError.self) {
            _ = try SurveyEstimator(design: Self.design(.raking, 1.1...2), analyses: [.mean("api00")])
        }
    }

    @Test func pseudoInverseDropsTheNullSpaceLikeGinv() {
        // [[2, 2], [2, 2]] has eigenvalues 4 and 0; its Moore–Penrose inverse is [[1, 1], [1, 1]] / 8.
        let inverse = pseudoInverse(symmetric: [2, 2, 2, 2], 2)
        for v in inverse { expectClose(v, 0.125, relative: 1e-14, "ginv element") }
        let full = pseudoInverse(symmetric: [4, 1, 1, 3], 2)
        let expected = [3.0 / 11, -1.0 / 11, -1.0 / 11, 4.0 / 11]
        for (v, e) in zip(full, expected) { expectClose(v, e, relative: 1e-14, "inverse element") }
    }
}
