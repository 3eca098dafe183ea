import Foundation
import MicrodataTestSupport
import Testing

/// `microdata inspect` through the built binary: the JSON keys other tools rely on, and its errors.
@Suite(.timeLimit(.minutes(1))) struct InspectCLITests {
    @Test func jsonOfAHierarchicalIPUMSCodebook() throws {
        let r = try CLIFailureTests.run(["inspect", "--format", "json", Fixtures.path("ddi/ipumsr/cps_00159.xml")])
        #expect(r.status == 0, "\(r.stderr)")
        let root = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(Set(root.keys).isSuperset(of: ["source", "study", "files", "variables", "warnings"]))
        let files = try #require(root["files"] as? [[String: Any]])
        #expect(files.count == 1)
        let file = files[0]
        #expect(file["id"] as? String == "ExtractData")
        #expect(file["name"] as? String == "cps_00159.dat")
        #expect(file["structure"] as? String == "hierarchical")
        #expect(file["charset"] as? String == "ISO-8859-1")
        let types = try #require(file["recordTypes"] as? [[String: Any]])
        #expect(types.map { $0["code"] as? String } == ["P", "H"])
        #expect(types.map { $0["idVariable"] as? String } == ["RECTYPE", "RECTYPE"])
        #expect(types.map { $0["keyVariables"] as? [String] } == [["SERIAL"], []])

        let variables = try #require(root["variables"] as? [[String: Any]])
        let first = variables[0]
        #expect(first["name"] as? String == "RECTYPE")
        #expect(first["start"] as? Int == 1)
        #expect(first["end"] as? Int == 1)
        #expect(first["width"] as? Int == 1)
        #expect(first["decimals"] as? Int == 0)
        #expect(first["type"] as? String == "character")
        #expect(first["recordTypes"] as? [String] == ["H", "P"])
        #expect(first["isWeight"] as? Bool == false)
        let categories = try #require(first["categories"] as? [[String: Any]])
        #expect(categories.map { $0["value"] as? String } == ["H", "P"])
        #expect(categories.map { $0["label"] as? String } == ["Household Record", "Person Record"])
        #expect(categories.map { $0["missing"] as? Bool } == [false, false])
        let missing = try #require(first["missingValues"] as? [String: Any])
        #expect((missing["values"] as? [Any])?.isEmpty == true)
        #expect((missing["ranges"] as? [Any])?.isEmpty == true)
        #expect(missing.count == 2)
    }

    @Test func inspectAndExtractShareTheErrorPrefix() throws {
        let absent = try Fixtures.temporaryDirectory().appendingPathComponent("absent.xml").path
        let inspect = try CLIFailureTests.run(["inspect", absent])
        let extract = try CLIFailureTests.run(["extract", "--codebook", absent])
        #expect(inspect.status == 1 && extract.status == 1)
        #expect(inspect.stderr.hasPrefix("error: \(absent): "), "\(inspect.stderr)")
        #expect(inspect.stderr == extract.stderr)
        let codebook = Fixtures.path("ddi/ipumsr/cps_00157.xml")
        let unknown = try CLIFailureTests.run(["extract", "--codebook", codebook, "--variables", "NOPE"])
        #expect(unknown.status == 1)
        #expect(unknown.stderr == "error: \(codebook), variable NOPE: variable is not in the codebook\n")
        let inspectUnknown = try CLIFailureTests.run(["inspect", codebook, "--variables", "NOPE"])
        #expect(inspectUnknown.status == 1)
        #expect(inspectUnknown.stderr == unknown.stderr)
    }
}
