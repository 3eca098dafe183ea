import Foundation
import MicrodataReaders
import MicrodataTestSupport
import Testing

/// Columns the caller uses only as numbers skip the typing pass (ReadOptions.numericVariables/numericPattern).
@Suite struct NumericColumnTests {
    @Test func namedAndPatternColumnsAreReadAsNumbersWhileOthersAreStillTyped() throws {
        // Leading zeros would make a typed column text; a weight or replicate column is a number regardless.
        let url = try temporaryFile("id,w,rep1,rep2\n007,010.5,01,2\n008,3,1.5,NA\n", name: "n.csv")
        var options = ReadOptions()
        options.numericVariables = ["W"]
        options.numericPattern = "^rep[0-9]+$"
        let r = try readAll(url, nil, options)
        #expect(r.texts("id") == ["007", "008"])
        #expect(r.doubles("w") == [10.5, 3])
        #expect(r.doubles("rep1") == [1, 1.5])
        #expect(r.doubles("rep2") == [2, nil])
        #expect(r.statistics.warnings.contains { $0.contains("rep2") && $0.contains("NA") })
    }

    @Test func aNonNumberInANumericColumnIsAnErrorNamingTheLineAndVariable() throws {
        let url = try temporaryFile("id,w\n1,2.5\n2,heavy\n", name: "bad.csv")
        var options = ReadOptions()
        options.numericVariables = ["w"]
        #expect {
            _ = try readAll(url, nil, options)
        } throws: { error in
            let e = try #require(error as? ReadError)
            return e.line == 3 && e.variable == "w" && e.description.contains("heavy")
        }
    }
}
