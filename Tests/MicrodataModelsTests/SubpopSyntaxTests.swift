import MicrodataLink
import MicrodataModels
import MicrodataReaders
import Testing

/// `model --subpop` (the formula parser) and `tabulate --subpop` (`RowExpression`) select the same rows.
struct SubpopSyntaxTests {
    static let columns = [
        Column(name: "REGION", storage: .real([1, 2, 3, .nan, 2])),
        Column(name: "PAY", storage: .real([100, .nan, 300, 400, .nan])),
        Column(name: "SEX", storage: .text(["m", "f", nil, "f", "m"])),
    ]

    @Test func modelSubpopAcceptsInListsAndMissingAsTabulateSubpopDoes() throws {
        let data = ModelData(columns: Self.columns)
        let batch = Batch(columns: Self.columns, rowCount: 5)
        for text in [
            "REGION in (1, 2)", "REGION in (3)", "!missing(PAY)", "missing(PAY)", "SEX in ('f')",
            "REGION in (1, 2) & !missing(PAY)", "missing(REGION) | REGION in (3)", "!(REGION in (2))",
        ] {
            let model = try data.rows(where: text)
            let tabulate = try RowExpression(parsing: text).select(batch)
            #expect(model == tabulate, "\(text): model \(model), tabulate \(tabulate)")
        }
        #expect(try data.rows(where: "REGION in (1, 2)") == [true, true, false, false, true])
        #expect(try data.rows(where: "!missing(PAY)") == [true, false, true, true, false])
    }
}
