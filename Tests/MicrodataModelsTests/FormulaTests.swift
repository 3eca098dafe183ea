import MicrodataLink
import MicrodataModels
import MicrodataReaders
import MicrodataWeighting
import Testing

@Suite("Formula parsing and model matrix")
struct FormulaTests {
    @Test func termsAreOrderedByDegreeAndNamedAsR() throws {
        let f = try Formula("y ~ a:b + log(c) + I(d >= 3) + e*f - f")
        #expect(f.terms.map(\.label) == ["log(c)", "I(d >= 3)", "e", "a:b", "e:f"])
        #expect(f.intercept)
        #expect(try !Formula("y ~ x - 1").intercept)
        #expect(try !Formula("y ~ 0 + x").intercept)
        #expect(try Formula("y ~ I(x/10) + poly").terms.map(\.label) == ["I(x/10)", "poly"])
    }

    @Test func syntaxErrorsPointAtTheCharacter() {
        #expect(throws: FormulaError.self) { try Formula("y ~ a + (b") }
        do {
            _ = try Formula("y ~ a + $b")
            Issue.record("no error")
        } catch let e as FormulaError {
            #expect(e.position == 8)
            #expect(e.description.contains("unexpected character '$'"))
            #expect(e.description.hasSuffix("\n          ^"))
        } catch { Issue.record("\(error)") }
        do {
            _ = try Formula("y ~ a / b")
            Issue.record("no error")
        } catch let e as FormulaError {
            #expect(e.position == 4)
            #expect(e.message.contains("'/'"))
        } catch { Issue.record("\(error)") }
        #expect(throws: FormulaError.self) { try Formula("y + x") }
    }

    /// Three rows per level of g (levels 1, 2, 10 sort numerically), with an interaction of the factor.
    private var data: ModelData {
        ModelData(columns: [
            Column(name: "y", storage: .real([1, 2, 3, 4, 5, 6, 7, 8, .nan])),
            Column(name: "g", storage: .real([10, 2, 1, 10, 2, 1, 10, 2, 1])),
            Column(name: "x", storage: .real([0.5, 1, 2, 3, 4, 5, 6, 7, 8])),
            Column(name: "s", storage: .text(["a", "b", "a", "b", "a", "b", "a", "b", "a"])),
        ])
    }

    @Test func numericInteractionsAndPolynomialsByFactorFillEveryColumn() throws {
        let z: [Double] = [2, 0, -1, 3, 1, 0, 4, -2, 5]
        var columns = [data.column("y")!, data.column("g")!, data.column("x")!]
        columns.append(Column(name: "z", storage: .real(z)))
        let m = try DesignMatrix(formula: Formula("y ~ x:z + poly(x, 2, raw = TRUE):factor(g)"), text: "",
                                 data: ModelData(columns: columns))
        let poly = "poly(x, 2, raw = TRUE)"
        var names = ["(Intercept)", "x:z"]
        for level in ["1", "2", "10"] { names += ["\(poly)1:factor(g)\(level)", "\(poly)2:factor(g)\(level)"] }
        #expect(m.names == names)
        let p = m.names.count
        let g: [Double] = [10, 2, 1, 10, 2, 1, 10, 2, 1], x: [Double] = [0.5, 1, 2, 3, 4, 5, 6, 7, 8]
        for r in 0..<8 {
            // The polynomial's powers vary fastest, then the factor's levels (R's model.matrix order).
            var expected: [Double] = [1, x[r] * z[r]]
            for level: Double in [1, 2, 10] {
                expected += g[r] == level ? [x[r], x[r] * x[r]] : [0, 0]
            }
            #expect(Array(m.x[(r * p)..<(r * p + p)]) == expected, "row \(r)")
        }
        #expect(!m.domain[8])
    }

    @Test func treatmentContrastsUseTheFirstSortedLevelAndMissingRowsLeave() throws {
        let m = try DesignMatrix(formula: Formula("y ~ factor(g) + s + x:factor(g)"), text: "", data: data)
        // Without an x main effect, x:factor(g) has a slope for every level (R's contrast rule); components are
        // named in order of first appearance. Names checked with R 4.2 model.matrix.
        #expect(m.names == ["(Intercept)", "factor(g)2", "factor(g)10", "sb", "factor(g)1:x", "factor(g)2:x", "factor(g)10:x"])
        #expect(m.missingRows == 1)
        #expect(m.domain == [true, true, true, true, true, true, true, true, false])
        let p = m.names.count
        // Row 0: g = 10, s = a, x = 0.5.
        #expect(Array(m.x[0..<p]) == [1, 0, 1, 0, 0, 0, 0.5])
        #expect(m.isIndicator == [false, true, true, true, true, true, true])
        let withMain = try DesignMatrix(formula: Formula("y ~ x + factor(g) + factor(g):x"), text: "", data: data)
        #expect(withMain.names == ["(Intercept)", "x", "factor(g)2", "factor(g)10", "x:factor(g)2", "x:factor(g)10"])
    }

    @Test func unknownReferenceLevelIsAnError() {
        #expect(throws: FormulaError.self) {
            try DesignMatrix(formula: Formula("y ~ factor(g, ref = \"7\")"), text: "y ~ factor(g, ref = \"7\")", data: data)
        }
    }

    @Test func checksWithholdThinIndicatorsAndFailLowResidualDF() throws {
        let m = try SurveyModel(formula: "y ~ factor(g) + x", family: .gaussian, data: data,
                                design: SurveyDesign(weight: nil == nil ? "x" : nil))
        let checks = ModelChecks(threshold: 3, minimumResidualDegreesOfFreedom: 10)
        #expect(m.residualDF == 4)  // 8 rows - 1 + 1 - 4 parameters
        #expect(checks.failure(m)?.contains("minimumResidualDegreesOfFreedom") == true)
        #expect(ModelChecks(threshold: 3, minimumResidualDegreesOfFreedom: 4).failure(m) == nil)
        // factor(g)2 rests on 3 rows, factor(g)10 on 3; with threshold 4 both are withheld, x is not.
        let strict = ModelChecks(threshold: 4, minimumResidualDegreesOfFreedom: 0)
        let rows = ModelReport.rows([ModelReport.Group(by: [:], model: m)], byVariables: [], exponentiate: false,
                                    checks: strict)
        #expect(rows.map { $0[1] == ModelReport.suppressed } == [false, true, true, false])
        #expect(ModelReport.rows([ModelReport.Group(by: [:], model: m)], byVariables: [], exponentiate: false,
                                 checks: checks).allSatisfy { $0[1] != ModelReport.suppressed })
    }

    @Test func separationIsReportedNamingTheCoefficient() throws {
        let data = ModelData(columns: [
            Column(name: "y", storage: .real([0, 0, 0, 0, 1, 1, 1, 1])),
            Column(name: "x", storage: .real([1, 2, 3, 4, 5, 6, 7, 8])),
            Column(name: "z", storage: .real([1, 0, 1, 0, 1, 0, 1, 1])),
        ])
        let m = try SurveyModel(formula: "y ~ x + z", family: .binomial, data: data, design: SurveyDesign(weight: "x"))
        #expect(m.warnings.contains { $0.contains("separation on x") })
        let fine = try SurveyModel(formula: "y ~ z", family: .binomial, data: data, design: SurveyDesign(weight: "x"))
        #expect(fine.warnings.isEmpty)
    }

    @Test func subpopUsesThreeValuedLogicAsR() throws {
        let data = ModelData(columns: [
            Column(name: "a", storage: .real([1, .nan, 3, .nan])),
            Column(name: "b", storage: .text(["x", "y", nil, "x"])),
        ])
        func rows(_ text: String) throws -> [Bool] { try RowExpression(parsing: text).select(data.batch) }
        #expect(try rows("a >= 2 | b == 'x'") == [true, false, true, true])
        #expect(try rows("a >= 1 & b == 'x'") == [true, false, false, false])
        #expect(try rows("!(a > 2)") == [true, false, false, false])
        #expect(throws: RowExpressionError.self) { try rows("a >= ") }
    }
}
