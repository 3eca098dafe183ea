import Foundation
import MicrodataLink
import MicrodataModels
import MicrodataReaders
import Testing

/// `I(…)` in a formula, `model --subpop` and `tabulate --subpop` speak one language: ``RowExpression``.
struct SubpopSyntaxTests {
    static let columns = [
        Column(name: "y", storage: .real([1, 2, 3, 4, 5])),
        Column(name: "REGION", storage: .real([1, 2, 3, .nan, 2])),
        Column(name: "PAY", storage: .real([100, .nan, 300, 400, 50])),
        Column(name: "SEX", storage: .text(["m", "f", nil, "f", "m"])),
    ]
    static let data = ModelData(columns: columns)

    /// The model-matrix column of `I(text)` and the rows left in the domain.
    private func column(_ text: String) throws -> ([Double], [Bool]) {
        let m = try DesignMatrix(formula: Formula("y ~ I(\(text)) - 1"), text: "y ~ I(\(text)) - 1", data: Self.data)
        return (m.x, m.domain)
    }

    @Test func arithmeticInsideIIsTheSubpopLanguage() throws {
        let text = "PAY / 100 + 2 * REGION ^ 2 - -1"
        guard case .numbers(let shared) = try RowExpression(parsing: text).evaluate(Self.data.batch) else {
            Issue.record("not numeric"); return
        }
        #expect(shared[0] == 4 && shared[2] == 22 && shared[4] == 9.5)
        let (x, domain) = try column(text)
        #expect(domain == [true, false, true, false, true])
        for r in 0..<5 where domain[r] { #expect(x[r] == shared[r]) }
        #expect(try column("log(PAY) - sqrt(PAY)").0[0] == Foundation.log(100) - 10)
    }

    @Test func logicalInsideIIsAnIndicatorOfTheRowsSubpopSelects() throws {
        for text in ["REGION in (1, 2) & !missing(PAY)", "SEX == 'f' | PAY > 350", "!(REGION >= 2)"] {
            let selected = try RowExpression(parsing: text).select(Self.data.batch)
            let m = try DesignMatrix(formula: Formula("y ~ I(\(text))"), text: "y ~ I(\(text))", data: Self.data)
            let p = m.names.count
            #expect(m.names.last?.hasSuffix("TRUE") == true)
            for r in 0..<5 where m.domain[r] { #expect((m.x[r * p + p - 1] == 1) == selected[r], "\(text) row \(r)") }
        }
    }

    @Test func unknownColumnInsideIIsAFormulaErrorWithCloseMatches() throws {
        #expect {
            try DesignMatrix(formula: Formula("y ~ I(PAYY > 1)"), text: "y ~ I(PAYY > 1)", data: Self.data)
        } throws: { "\($0)".contains("no column 'PAYY'") && "\($0)".contains("PAY") }
    }
}
