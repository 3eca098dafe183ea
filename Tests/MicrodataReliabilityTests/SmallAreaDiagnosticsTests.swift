import Foundation
import MicrodataReaders
import MicrodataTestSupport
import Testing

/// The diagnostics of `sae` outputs: the normality test in the metadata, and the HTML chart of direct and model
/// estimates with their intervals, areas ordered by sample size.
@Suite(.timeLimit(.minutes(1))) struct SmallAreaDiagnosticsTests {
    /// Fixtures/sae/persons.csv with three persons added in LA07 (an area without sample): too few to publish.
    static func data() throws -> URL {
        let data = try Fixtures.temporaryDirectory().appendingPathComponent("persons.csv")
        var text = try String(contentsOf: Fixtures.url("sae/persons.csv"), encoding: .utf8)
        text += "9001,\"LA07\",\"N\",\"LA07-1\",100,30.5,1\n9002,\"LA07\",\"N\",\"LA07-1\",120,25.1,0\n9003,\"LA07\",\"N\",\"LA07-1\",90,28,1\n"
        try text.write(to: data, atomically: true, encoding: .utf8)
        return data
    }

    /// The interval chart's figure of an HTML report.
    static func chart(_ html: String) throws -> String {
        let start = try #require(html.range(of: "interval chart"))
        let end = try #require(html.range(of: "</figure>", range: start.upperBound..<html.endIndex))
        return String(html[start.lowerBound..<end.lowerBound])
    }

    /// The area labels of the chart, top to bottom.
    static func order(_ chart: String) -> [String] {
        chart.components(separatedBy: "<text class=\"area\"").dropFirst().map {
            let label = $0.drop { $0 != ">" }.dropFirst()
            return String(label.prefix { $0 != "<" })
        }
    }

    @Test func areasAreOrderedBySampleSizeAndWithheldDirectEstimatesAreNotDrawn() throws {
        var args = SmallAreaCLITests.survey + ["--mean", "y", "--format", "html"]
        args[2] = try Self.data().path
        let r = try CLIFailureTests.run(args)
        #expect(r.status == 0, "\(r.stderr)")
        let chart = try Self.chart(r.stdout)
        var csvArgs = args
        csvArgs[csvArgs.count - 1] = "csv"
        let rows = SmallAreaCLITests.areas(try CLIFailureTests.run(csvArgs).stdout)
        let withheld = rows.filter { $0.value["direct"] == "[c]" }.keys.sorted()
        #expect(withheld.contains("LA07"))

        // Sample sizes of the published direct estimates (every person has y).
        var n: [String: Int] = [:]
        for r in try DelimitedRecords(contentsOf: URL(fileURLWithPath: args[2])).records.dropFirst() { n[r.fields[1], default: 0] += 1 }
        let tableOrder = rows.keys.sorted()
        let unpublished = tableOrder.filter { rows[$0]?["kind"] == "synthetic" }
        #expect(unpublished == (withheld + ["LA18", "LA29"]).sorted())
        let published = tableOrder.filter { rows[$0]?["kind"] == "eblup" }.sorted { (n[$0]!, $0) < (n[$1]!, $1) }
        #expect(Set(published.map { n[$0]! }).count > 5)
        // Areas without a published direct estimate (so without a published n) first, in table order; then by n.
        #expect(Self.order(chart) == unpublished + published)

        // Two intervals per fitted area, one (the model's) for the others; no direct value of a withheld area.
        #expect(chart.components(separatedBy: "<path d=\"M").count - 1 == 2 * published.count + unpublished.count + 1)
        for area in unpublished {
            #expect(chart.contains("<title>\(area), Model estimate:"))
            #expect(!chart.contains("<title>\(area), Direct estimate:"), "\(area)")
        }
        #expect(chart.contains("Direct estimate: \(withheld.count) of 30 withheld by disclosure control and not drawn."))
        #expect(chart.contains("Direct estimate: 2 of 30 not available."))
        // LA07's direct mean, (100 × 30.5 + 120 × 25.1 + 90 × 28) / 310, appears nowhere in the report.
        #expect(String(format: "%.4f", 8582.0 / 310) == "27.6839")
        #expect(!r.stdout.contains("27.6839") && !r.stdout.contains("27.68"))
    }

    @Test func theNormalityTestIsInTheJSONMetadataAndNotes() throws {
        let r = try CLIFailureTests.run(SmallAreaCLITests.survey + ["--mean", "y", "--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let metadata = try #require(object["metadata"] as? [[String: String]])
        let text = try #require(metadata.first { $0["key"] == "Normality of the standardised residuals" }?["value"])
        #expect(text.contains("over the 27 fitted areas (R shapiro.test)"), "\(text)")
        // R shapiro.test on R's residuals of the same fit (Fixtures/sae/expected-normality.csv).
        let expected = try DelimitedRecords(contentsOf: Fixtures.url("sae/expected-normality.csv")).records
            .filter { $0.fields[0] == "residuals_y_REML" }
        for (name, statistic) in [("W = ", "W"), ("p = ", "p"), ("skewness ", "skewness"), ("kurtosis ", "kurtosis")] {
            let start = try #require(text.range(of: name)).upperBound
            let shown = text[start...].prefix { "0123456789.e-".contains($0) }
            let r = try #require(expected.first { $0.fields[1] == statistic }.flatMap { Double($0.fields[2]) })
            SmallAreaCLITests.near(String(shown), r, statistic)
        }
        let notes = try #require(object["notes"] as? [String])
        #expect(notes.contains { $0.hasPrefix("Normality of the standardised residuals") })
    }
}
