import Foundation
import MicrodataTestSupport
import Testing

/// `microdata weights nonresponse` end to end: the README's attrition example as written, and bad input.
@Suite(.timeLimit(.minutes(5))) struct WeightsNonresponseCLITests {
    /// A temporary folder holding the linking example's files.
    static func exampleFolder() throws -> URL {
        let dir = try Fixtures.temporaryDirectory()
        let examples = Fixtures.codebook("examples/linking")
        for name in try FileManager.default.contentsOfDirectory(atPath: examples.path) {
            try FileManager.default.copyItem(at: examples.appendingPathComponent(name), to: dir.appendingPathComponent(name))
        }
        return dir
    }

    @Test func readmeAttritionCommandsRunAndGiveTheQuotedTables() throws {
        let commands = try ReadmeModelTests.commands(after: "## Attrition and missing data in cohort studies", expanding: [:])
        #expect(commands.count == 4 && commands.allSatisfy { $0.first == "microdata" })
        let dir = try Self.exampleFolder()
        for command in commands {
            let r = try CLIFailureTests.run(Array(command.dropFirst()), in: dir)
            #expect(r.status == 0, "\(command): \(r.stderr)")
            if command.contains("nonresponse") {
                #expect(r.stderr.contains("1212 weights written to weights42.csv; 13 capped at 2.2075808"))
                #expect(r.stderr.contains("treated as fixed"))
            }
        }
        let weights = try String(contentsOf: dir.appendingPathComponent("weights42.csv"), encoding: .utf8)
        #expect(weights.hasPrefix("BCSID,propensity,W42\nB00002,"))
        let report = try String(contentsOf: dir.appendingPathComponent("weights42.md"), encoding: .utf8)
        #expect(report.contains("| FCLASS0 = 3 | 0.4300 | 0.3746 | 0.4296 |"))
        #expect(report.contains("Kish design effect"))
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("weights42.md.audit.json").path))
        // The quoted outflow rows: complete case and attrition-weighted, to one decimal.
        func outflow(_ file: String) throws -> [String] {
            let text = try String(contentsOf: dir.appendingPathComponent(file), encoding: .utf8)
            return text.split(separator: "\n").filter { $0.hasPrefix("outflow,") }.map { line in
                let estimate = Double(line.split(separator: ",")[5])!
                return String(format: "%.1f", estimate)
            }
        }
        #expect(try outflow("outflow-complete-case.csv") == ["54.3", "25.3", "20.4", "40.5", "29.7", "29.7", "29.6", "22.2", "48.1"])
        #expect(try outflow("outflow-weighted.csv") == ["54.3", "25.2", "20.6", "40.2", "30.1", "29.7", "29.7", "22.0", "48.3"])
    }

    @Test func badResponseAndContradictoryCapsAreUsageErrors() throws {
        let dir = try Self.exampleFolder()
        let base = ["weights", "nonresponse", "--data", "bcs70_birth.csv", "--join", "bcs70_response.csv:BCSID",
                    "--model", "factor(SEX)", "--weight", "W0", "--id", "BCSID", "--output", "w.csv"]
        let notBinary = try CLIFailureTests.run(base + ["--respond", "FCLASS0"], in: dir)
        #expect(notBinary.status == 64 || notBinary.status == 2)
        #expect(notBinary.stderr.contains("--respond FCLASS0 must be 0 or 1 on every row"))
        #expect(notBinary.stderr.contains("row 1: '2'") || notBinary.stderr.contains("row 2: '2'"))
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("w.csv").path))
        let both = try CLIFailureTests.run(base + ["--respond", "RESP42", "--trim-quantile", "0.99", "--trim-max", "3"], in: dir)
        #expect(both.status == 64 || both.status == 2)
        #expect(both.stderr.contains("not both"))
        let duplicated = try CLIFailureTests.run(
            ["weights", "nonresponse", "--data", "bcs70_age42.csv", "--respond", "B9HIQUAL", "--model", "factor(REGION)",
             "--weight", "B9NRWT", "--id", "BCSID", "--output", "w.csv"], in: dir)
        #expect(duplicated.stderr.contains("B00022 on rows"), "\(duplicated.stderr)")
    }
}
