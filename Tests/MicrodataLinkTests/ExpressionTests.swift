import MicrodataReaders
import Testing

@testable import MicrodataLink

/// The expression language of `--subpop` and `--aggregate … where`.
struct ExpressionTests {
    /// Five rows: an integer column with a missing value, a real column, a text column.
    static let batch = Batch(
        columns: [
            Column(name: "AGE", storage: .integer([20, 35, 0, 50, 64], missing: [false, false, true, false, false])),
            Column(name: "INCOME", storage: .real([100, -5.5, 30, .nan, 2e3])),
            Column(name: "REGION", storage: .text(["N", "S", nil, "N", "W"])),
            Column(name: "ID", storage: .text(["007", "7", "10", "x", nil])),
        ], rowCount: 5)

    func select(_ text: String) throws -> [Bool] { try RowExpression(parsing: text).select(Self.batch) }

    @Test func numericComparisonsSkipMissingValues() throws {
        #expect(try select("AGE >= 35") == [false, true, false, true, true])
        #expect(try select("AGE < 35") == [true, false, false, false, false])
        #expect(try select("INCOME <= 30") == [false, true, true, false, false])
        #expect(try select("INCOME != 30") == [true, true, false, false, true])
        #expect(try select("age == 20") == [true, false, false, false, false], "names match case-insensitively")
    }

    @Test func textComparisonsAndInLists() throws {
        #expect(try select("REGION == \"N\"") == [true, false, false, true, false])
        #expect(try select("REGION in ('N', 'W')") == [true, false, false, true, true])
        #expect(try select("AGE in (20, 64)") == [true, false, false, false, true])
        #expect(try select("ID == '007'") == [true, false, false, false, false], "text ids keep leading zeros")
        #expect(try select("ID == 7") == [true, true, false, false, false], "text against a number compares numerically")
    }

    @Test func logicIsThreeValuedAsInR() throws {
        // Row 3 has AGE missing: AGE > 30 is unknown, so its negation is unknown too and the row is not selected.
        #expect(try select("!(AGE > 30)") == [true, false, false, false, false])
        #expect(try select("AGE > 30 | REGION == 'N'") == [true, true, false, true, true])
        #expect(try select("AGE > 30 & REGION == 'N'") == [false, false, false, true, false])
        #expect(try select("missing(AGE) | missing(INCOME)") == [false, false, true, true, false])
        #expect(try select("!missing(REGION) & (AGE < 30 | INCOME > 1000)") == [true, false, false, false, true])
        #expect(try select("AGE") == [true, true, false, true, true], "a bare number is true when non-zero")
    }

    @Test func parseErrorsPointAtTheCharacter() {
        let cases: [(String, Int, String)] = [
            ("AGE >= ", 7, "expected a column"),
            ("AGE == 'N", 7, "unterminated string"),
            ("(AGE > 1", 8, "expected ')'"),
            ("AGE in (1, X)", 11, "expected a number"),
            ("AGE > 1 ) ", 8, "unexpected ')'"),
            ("AGE # 3", 4, "unexpected '#'"),
        ]
        for (text, offset, message) in cases {
            do {
                _ = try RowExpression(parsing: text)
                Issue.record("\(text) parsed")
            } catch {
                #expect(error.offset == offset, "\(text)")
                #expect(error.message.contains(message), "\(text): \(error.message)")
                #expect(error.description.hasSuffix("\n  " + String(repeating: " ", count: offset) + "^"))
            }
        }
    }

    @Test func unknownColumnsNameCloseMatches() throws {
        let e = try RowExpression(parsing: "INCOM > 3")
        #expect(e.columns == ["INCOM"])
        #expect(throws: RowExpressionError.self) { try e.select(Self.batch) }
        do { _ = try e.select(Self.batch) } catch {
            #expect(error.message == "no column 'INCOM' in the data; close matches: INCOME")
        }
        #expect(throws: RowExpressionError.self) { try RowExpression(parsing: "AGE == 'old'").select(Self.batch) }
    }
}
