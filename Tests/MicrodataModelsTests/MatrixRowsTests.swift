import MicrodataReaders
import MicrodataWeighting
import Testing

@testable import MicrodataModels

/// The per-term form of the model rows (factor levels and numbers, padded with a spare column in the IRLS sums)
/// gives the same matrix and the same fit, bit for bit, as compressed rows.
struct MatrixRowsTests {
    /// One factor and numbers with zeros (ell is 0 on 13 rows), with and without an intercept, a logical indicator.
    @Test(arguments: [
        ("api00 ~ ell + meals + factor(stype)", GLMFamily.gaussian),
        ("I(sch.wide == 'Yes') ~ factor(stype) + ell + factor(awards)", .binomial),
        ("api00 ~ factor(stype) + ell - 1", .poisson),
        ("I(sch.wide == 'Yes') ~ I(ell > 10) + meals", .binomial),
    ])
    func perTermRowsFitExactlyAsCompressedRows(formula: String, family: GLMFamily) throws {
        let api = try data("apistrat.csv")
        let parsed = try Formula(formula)
        let perTerm = try DesignMatrix(formula: parsed, text: formula, data: api, subset: nil, compressed: false)
        let compressed = try DesignMatrix(formula: parsed, text: formula, data: api, subset: nil, compressed: true)
        #expect(!perTerm.rows.compressed && compressed.rows.compressed)
        #expect(perTerm.x == compressed.x)
        let x = perTerm.x
        #expect(x.contains(0))
        #expect(x.contains { $0 != 0 && $0 != 1 })
        let weights = try #require(api.column("pw")).doubles
        let rows = Array(0..<api.rowCount)
        let a = try IRLS(perTerm, family: family, weights: weights, rows: rows)
        let b = try IRLS(compressed, family: family, weights: weights, rows: rows)
        #expect(a.converged && a.iterations == b.iterations)
        #expect(a.solution.beta == b.solution.beta)
        #expect(a.solution.inverse == b.solution.inverse)
        #expect(a.mu == b.mu)
        #expect(a.muEta == b.muEta)
        #expect(a.working == b.working)
    }

    /// The spare column (for reference levels and zeros) is one past the last and never reaches a coefficient.
    @Test func spareColumnStaysOutOfTheCoefficients() throws {
        let api = try data("apistrat.csv")
        let formula = "api00 ~ factor(stype)"
        let m = try DesignMatrix(formula: Formula(formula), text: formula, data: api)
        #expect(m.rows.spare == Int32(m.names.count))
        #expect(m.rows.paddedTable.contains(m.rows.spare) && !m.rows.table.contains(m.rows.spare))
        let fit = try IRLS(m, family: .gaussian, weights: try #require(api.column("pw")).doubles,
                           rows: Array(0..<api.rowCount))
        #expect(fit.solution.kept == Array(0..<m.names.count))
    }
}
