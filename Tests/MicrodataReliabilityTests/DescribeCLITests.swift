import Foundation
import MicrodataTestSupport
import Testing

/// `microdata describe` through the built binary: disclosure control on by default, text/Markdown rounded, JSON
/// with nulls, standard input.
@Suite(.timeLimit(.minutes(2))) struct DescribeCLITests {
    @Test func describeWithholdsExtremesAndADominatedMeanUnlessControlIsOff() throws {
        let file = try TabulateSideDoorTests.dataFile()
        let r = try CLIFailureTests.run(["describe", file, "--weight", "w"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.hasPrefix("Variables of people.csv\n99 rows, 8 variables\n"), "\(r.stdout)")
        let earn = try #require(r.stdout.split(separator: "\n").first { $0.hasPrefix("earn ") })
        #expect(earn.contains("dominance") && !earn.contains("500000") && !earn.contains("5351"), "\(earn)")
        #expect(!r.stdout.contains("699.5"), "a maximum is one respondent's value")
        let income = try #require(r.stdout.split(separator: "\n").first { $0.hasPrefix("income ") })
        #expect(income.contains(" 449.5 ") && income.contains("[c]"), "\(income)")
        let open = try CLIFailureTests.run(["describe", file, "--weight", "w", "--no-disclosure-control"])
        #expect(open.stdout.contains("500000") && open.stderr.contains("NOT DISCLOSURE CONTROLLED"))
        let json = try CLIFailureTests.run(["describe", file, "--format", "json", "--title", "People"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(object["title"] as? String == "People")
        let variables = try #require((object["description"] as? [String: Any])?["variables"] as? [[String: Any]])
        let earnJSON = try #require(variables.first { $0["name"] as? String == "earn" })
        #expect(earnJSON["mean"] is NSNull && earnJSON["maximum"] is NSNull && earnJSON["valid"] as? Int == 99)
        let piped = try CommandLineTests.run(["describe", "-", "--weight", "w"], input: try Data(contentsOf: URL(fileURLWithPath: file)))
        #expect(piped.status == 0 && piped.stdout.hasPrefix("Variables of standard input\n"), "\(piped.stderr)")
        #expect(piped.stdout.contains(String(income)), "the same numbers from standard input")
    }

    @Test func describeWritesTheSidecarReleaseChecksAndStampsItWhenControlIsOff() throws {
        let file = try TabulateSideDoorTests.dataFile()
        let folder = try Fixtures.temporaryDirectory()
        for (name, extra) in [("checked.txt", [String]()), ("open.txt", ["--no-disclosure-control"])] {
            let output = folder.appendingPathComponent(name).path
            let r = try CLIFailureTests.run(["describe", file, "--weight", "w", "--output", output] + extra)
            #expect(r.status == 0, "\(r.stderr)")
            let sidecar = try Data(contentsOf: URL(fileURLWithPath: output + ".audit.json"))
            let object = try #require(try JSONSerialization.jsonObject(with: sidecar) as? [String: Any])
            let checks = try #require(object["checks"] as? [[String: Any]])
            if extra.isEmpty {
                #expect(object["stamp"] is NSNull || object["stamp"] == nil, "\(object)")
                #expect(checks.count == 1 && checks[0]["rule"] as? String == "describe" && checks[0]["status"] as? String == "pass")
            } else {
                #expect((object["stamp"] as? String)?.contains("NOT DISCLOSURE CONTROLLED") == true, "\(object)")
                #expect(checks.contains { $0["status"] as? String == "fail" })
            }
        }
    }
}
