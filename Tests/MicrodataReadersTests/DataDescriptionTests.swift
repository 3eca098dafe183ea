import Foundation
import MicrodataCodebook
import MicrodataReaders
import Testing

/// `microdata describe` (issue 22): one pass, per variable counts, means and extremes, unweighted and weighted,
/// and what disclosure control withholds.
@Suite struct DataDescriptionTests {
    static func describe(_ text: String, weight: String? = "w", codebook: Codebook? = nil) throws -> DataDescription {
        var source = try DataReader.open(data: try temporaryFile(text, name: "d.csv"), codebook: codebook,
                                         options: ReadOptions(batchSize: 7))
        var describer = DataDescriber(file: "d.csv", weight: weight, codebook: codebook)
        while let batch = try source.nextBatch() { try describer.add(batch) }
        return describer.finish()
    }

    /// 30 rows over several batches: x = 1...30 with weight 1 or 2, a text column, a column with 3 blanks and one
    /// with a dominant value.
    static let data: String = {
        var lines = ["id,w,x,kind,gap,big"]
        for i in 1...30 {
            lines.append("\(i),\(i % 2 == 0 ? 2 : 1),\(i),\(i % 3 == 0 ? "a" : "b"),\(i <= 3 ? "" : "5"),\(i == 1 ? 100000 : 1)")
        }
        return lines.joined(separator: "\n") + "\n"
    }()

    @Test func countsMeansAndExtremesUnweightedAndWeighted() throws {
        let d = try Self.describe(Self.data)
        #expect(d.rows == 30 && d.variables.map(\.name) == ["id", "w", "x", "kind", "gap", "big"])
        let x = try #require(d.variables.first { $0.name == "x" })
        #expect(x.type == "integer" && x.valid == 30 && x.missing == 0)
        #expect(x.mean == 15.5 && x.minimum == 1 && x.maximum == 30)
        // Σw·x / Σw with w = 2 on even x: (225 + 2·240) / 45.
        #expect(abs((x.weightedMean ?? 0) - 705.0 / 45.0) < 1e-12 && x.weightedCount == 45)
        let kind = try #require(d.variables.first { $0.name == "kind" })
        #expect(kind.type == "text" && kind.valid == 30 && kind.mean == nil)
        let gap = try #require(d.variables.first { $0.name == "gap" })
        #expect(gap.valid == 27 && gap.missing == 3 && gap.mean == 5)
    }

    @Test func theCodebookGivesLabelsAndMissingCodes() throws {
        var x = Variable(name: "x")
        x.labels = [LocalizedText("Age in years")]
        x.missingValues = MissingValues(values: ["99"], ranges: [ValueRange(min: -9, max: -1)])
        let d = try Self.describe("x,w\n1,1\n99,1\n-3,1\n5,1\n", codebook: Codebook(variables: [x, Variable(name: "w")]))
        let v = try #require(d.variables.first)
        #expect(v.label == "Age in years" && v.missingCodes == ["99", "-9..-1"])
        #expect(v.valid == 2 && v.missing == 2 && v.mean == 3)
    }

    @Test func protectionWithholdsSmallCountsDominatedMeansAndEveryExtreme() throws {
        let d = try Self.describe(Self.data).protected(threshold: 10, nkN: 2, nkK: 90, rulesInForce: "threshold 10")
        let x = try #require(d.variables.first { $0.name == "x" })
        #expect(x.minimum == nil && x.maximum == nil && x.mean == 15.5 && x.status == "minimum-maximum")
        let gap = try #require(d.variables.first { $0.name == "gap" })  // 3 rows without a value
        #expect(gap.valid == nil && gap.missing == nil && gap.mean == 5 && gap.status == "threshold-missing")
        let big = try #require(d.variables.first { $0.name == "big" })  // one row holds almost everything
        #expect(big.mean == nil && big.weightedMean == nil && big.status == "dominance")
        let few = try Self.describe("x,w\n1,1\n2,1\n3,1\n").protected(threshold: 10, nkN: 2, nkK: 90, rulesInForce: "")
        #expect(few.variables[0].valid == nil && few.variables[0].mean == nil && few.variables[0].status == "threshold")
        #expect(few.tableRows[0][4...10] == ["[c]", "[c]", "[c]", "[c]", "[c]", "[c]", "[c]"])
        let json = String(decoding: try JSONEncoder().encode(few), as: UTF8.self)
        #expect(json.contains("\"mean\":null") && !json.contains("\"mean\":2"))
    }

    @Test func aMissingWeightVariableIsAnError() throws {
        #expect(throws: ReadError.self) { try Self.describe("x\n1\n", weight: "w") }
    }
}
