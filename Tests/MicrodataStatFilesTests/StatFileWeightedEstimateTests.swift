import Foundation
import MicrodataCodebook
import MicrodataReaders
import MicrodataTestSupport
import MicrodataWeighting
import Testing

/// The survey estimator gives the same weighted mean and standard error from the .sav and from its tab twin.
@Suite struct StatFileWeightedEstimateTests {
    @Test func weightedMeanFromSavEqualsTab() throws {
        let sav = Fixtures.url("statfiles/survey.sav")
        let codebook = try StatFile.codebook(sav)
        let options = ReadOptions(variables: ["INCOME", "PWT"])
        var fromSav = try StatFile.open(sav, options: options)
        var fromTab = try DataReader.open(
            data: Fixtures.url("statfiles/survey.tab"), codebook: codebook, options: options)
        let design = SurveyDesign.weightsOnly(weight: "PWT")
        // (SurveyEstimator.estimate(source: &anySource) crashes swift-frontend 6.3.1 in IRGen: loop by hand.)
        func estimate(_ source: inout any BatchSource) throws -> Estimates {
            var estimator = try SurveyEstimator(design: design, analyses: [.mean("INCOME")])
            while let batch = try source.nextBatch() { try estimator.add(batch) }
            return try estimator.finish()
        }
        let a = try estimate(&fromSav)
        let b = try estimate(&fromTab)
        let cellA = try #require(a.table.cells.first)
        let cellB = try #require(b.table.cells.first)
        // Oracle: sum(w*x)/sum(w) = 263065.4375 / 7.875 over the 7 non-missing incomes.
        #expect(abs(cellA.estimate - 263065.4375 / 7.875) < 1e-9)
        #expect(cellA.unweightedCount == 7)
        #expect(cellA.estimate == cellB.estimate)
        #expect(cellA.standardError == cellB.standardError)
    }
}
