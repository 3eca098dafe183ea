import Foundation
import MicrodataTestSupport
import Testing

/// Issue 18: every output has an audit sidecar; `microdata release` re-verifies them, audits outputs
/// together for differencing and writes the bundle (summary.json, index.html, the outputs that may leave).
@Suite(.timeLimit(.minutes(5))) struct ReleaseCLITests {
    typealias T = TabulateSideDoorTests

    /// Runs a command that must succeed.
    static func ok(_ arguments: [String]) throws {
        let r = try CLIFailureTests.run(arguments)
        #expect(r.status == 0, "\(arguments): \(r.stderr)")
    }

    /// `tabulate` on the side-door data (one copy per folder, so outputs share their data file) into
    /// `folder/name`.
    static func tabulate(_ folder: URL, _ name: String, _ arguments: [String]) throws -> String {
        let data = folder.appendingPathComponent("people.csv")
        if !FileManager.default.fileExists(atPath: data.path) { try Data(T.data.utf8).write(to: data) }
        let output = folder.appendingPathComponent(name).path
        try ok(["tabulate", "--data", data.path, "--weight", "w", "--output", output] + arguments)
        return output
    }

    /// Runs `release`; returns the exit status and the summary's outputs keyed by file name.
    static func release(_ outputs: [String], bundle: URL, _ extra: [String] = []) throws
        -> (status: Int32, outputs: [String: [String: Any]], summary: [String: Any], stderr: String)
    {
        let r = try CLIFailureTests.run(["release"] + outputs + ["--output-dir", bundle.path] + extra)
        let data = try Data(contentsOf: bundle.appendingPathComponent("summary.json"))
        let summary = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let list = try #require(summary["outputs"] as? [[String: Any]])
        var byName: [String: [String: Any]] = [:]
        for o in list { byName[o["file"] as! String] = o }
        return (r.status, byName, summary, r.stderr)
    }

    static func copied(_ bundle: URL) throws -> Set<String> {
        Set(try FileManager.default.contentsOfDirectory(atPath: bundle.path))
    }

    @Test func everyOutputGetsASidecarWithCommandRulesChecksAndHash() throws {
        let folder = try Fixtures.temporaryDirectory()
        let output = try Self.tabulate(folder, "m.csv", ["--mean", "income", "--by", "region"])
        let sidecar = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: output + ".audit.json"))) as? [String: Any])
        #expect(sidecar["format"] as? String == "microdata output audit 1")
        #expect((sidecar["command"] as? [String])?.prefix(2) == ["microdata", "tabulate"])
        #expect((sidecar["rules"] as? String)?.hasPrefix("threshold 10;") == true)
        #expect((sidecar["sha256"] as? String)?.count == 64)
        let checks = try #require(sidecar["checks"] as? [[String: Any]])
        // C (4 people) fails the threshold and is withheld; A passes with its count as evidence.
        let c = checks.first { $0["subject"] as? String == "region=C mean income" && $0["rule"] as? String == "threshold" }
        #expect(c?["status"] as? String == "fail" && c?["withheld"] as? Bool == true)
        let a = checks.first { $0["subject"] as? String == "region=A mean income" && $0["rule"] as? String == "threshold" }
        #expect(a?["status"] as? String == "pass" && a?["evidence"] as? String == "30 units (at least 10)")
        // The model and extract commands write one too.
        let extract = folder.appendingPathComponent("rows.csv").path
        try Self.ok(["extract", "--data", try T.dataFile(), "--output", extract])
        #expect(FileManager.default.fileExists(atPath: extract + ".audit.json"))
        let model = folder.appendingPathComponent("model.csv").path
        try Self.ok(["model", "--data", try T.dataFile(), "--weight", "w", "--formula", "income ~ earn", "--output", model])
        let modelAudit = try String(contentsOfFile: model + ".audit.json", encoding: .utf8)
        #expect(modelAudit.contains("\"rule\" : \"residual-df\""))
    }

    @Test func aCheckedTablesSidecarHoldsItsAuditAndPasses() throws {
        let folder = try Fixtures.temporaryDirectory()
        let table = try CheckCommandTests.file(CheckCommandTests.singletonRow)
        let output = folder.appendingPathComponent("checked.csv").path
        try Self.ok(["check", table, "--count", "n", "--dimensions", "r,c", "--margins", "--output", output])
        let audit = try String(contentsOfFile: output + ".audit.json", encoding: .utf8)
        #expect(audit.contains("\"rule\" : \"audit\"") && audit.contains("0 of"), "\(audit)")
        // The singleton's true value (1) is nowhere in its check.
        #expect(!audit.contains("A/x = 1"))
        let r = try Self.release([output], bundle: folder.appendingPathComponent("b"))
        #expect(r.status == 0, "\(r.stderr)")
        let checks = r.outputs["checked.csv"]?["checks"] as? [[String: Any]] ?? []
        #expect(checks.contains { $0["rule"] as? String == "protection" && $0["withheld"] as? Bool == true })
    }

    @Test func theSidecarIsCheckedUpFrontAndSkippedForStandardOutput() throws {
        let folder = try Fixtures.temporaryDirectory()
        let data = folder.appendingPathComponent("people.csv")
        try Data(T.data.utf8).write(to: data)
        let output = folder.appendingPathComponent("m.csv").path
        // The public audit may not take the sidecar's place.
        let clash = try CLIFailureTests.run(
            ["tabulate", "--data", data.path, "--weight", "w", "--mean", "income", "--output", output,
             "--audit", output + ".audit.json"])
        #expect(clash.status == 2 && !FileManager.default.fileExists(atPath: output), "\(clash.stderr)")
        let piped = try CLIFailureTests.run(
            ["tabulate", "--data", data.path, "--weight", "w", "--mean", "income", "--output", "/dev/stdout"])
        #expect(piped.status == 0 && piped.stdout.hasPrefix("statistic,"), "\(piped.stderr)")
    }

    @Test func anEditedOutputFailsItsHash() throws {
        let folder = try Fixtures.temporaryDirectory()
        let output = try Self.tabulate(folder, "m.csv", ["--mean", "income", "--by", "region"])
        let clean = try Self.release([output], bundle: folder.appendingPathComponent("clean"))
        #expect(clean.status == 0, "\(clean.stderr)")
        #expect(clean.outputs["m.csv"]?["status"] as? String == "pass")
        #expect(try Self.copied(folder.appendingPathComponent("clean")).contains("m.csv"))
        // Put a number back in place of a suppression marker.
        let text = try String(contentsOfFile: output, encoding: .utf8)
        try Data(text.replacingOccurrences(of: "[c]", with: "412.5").utf8).write(to: URL(fileURLWithPath: output))
        let edited = try Self.release([output], bundle: folder.appendingPathComponent("edited"))
        #expect(edited.status == 3)
        #expect(edited.outputs["m.csv"]?["status"] as? String == "fail")
        let reasons = edited.outputs["m.csv"]?["reasons"] as? [String] ?? []
        #expect(reasons.contains { $0.contains("does not match its audit") }, "\(reasons)")
        #expect(!(try Self.copied(folder.appendingPathComponent("edited"))).contains("m.csv"))
        // No exception rescues an edited output.
        let excused = try Self.release(
            [output], bundle: folder.appendingPathComponent("excused"), ["--exception", "m.csv: I fixed a typo"])
        #expect(excused.outputs["m.csv"]?["status"] as? String == "fail")
    }

    @Test func aDomainAndItsComplementAcrossTwoOutputsAreFlagged() throws {
        let folder = try Fixtures.temporaryDirectory()
        // A+B+C (59 people) and A+B (55): each passes alone, but together they publish C's 4 people (a mean
        // and a median rest on the same people).
        let wide = try Self.tabulate(folder, "abc.csv", ["--mean", "income", "--subpop", "region != \"D\""])
        let narrow = try Self.tabulate(
            folder, "ab.csv", ["--quantile", "income:0.5", "--subpop", "region != \"D\" & region != \"C\""])
        let apart = try Self.release([wide], bundle: folder.appendingPathComponent("one"))
        #expect(apart.status == 0, "\(apart.stderr)")
        let together = try Self.release([wide, narrow], bundle: folder.appendingPathComponent("two"))
        #expect(together.status == 3)
        for name in ["abc.csv", "ab.csv"] {
            #expect(together.outputs[name]?["status"] as? String == "fail")
            let reasons = together.outputs[name]?["reasons"] as? [String] ?? []
            #expect(reasons.contains { $0.contains("differ by 4 units") }, "\(name): \(reasons)")
        }
        // Outputs far enough apart pass together: A+B+C and A alone differ by 29.
        let a = try Self.tabulate(folder, "a.csv", ["--mean", "income", "--subpop", "region == \"A\""])
        let fine = try Self.release([wide, a], bundle: folder.appendingPathComponent("fine"))
        #expect(fine.status == 0, "\(fine.stderr)")
    }

    @Test func aCellWithheldInOneOutputAndPublishedInAnotherIsFlagged() throws {
        let folder = try Fixtures.temporaryDirectory()
        let strict = try Self.tabulate(folder, "strict.csv", ["--mean", "income", "--by", "region"])
        let rules = try CheckCommandTests.file(#"{"threshold": 3}"#, name: "loose-rules.json")
        let loose = try Self.tabulate(folder, "loose.csv", ["--mean", "income", "--by", "region", "--rules", rules])
        let r = try Self.release([strict, loose], bundle: folder.appendingPathComponent("b"))
        #expect(r.status == 3)
        #expect(r.outputs["strict.csv"]?["status"] as? String == "pass")
        #expect(r.outputs["loose.csv"]?["status"] as? String == "fail")
        let reasons = r.outputs["loose.csv"]?["reasons"] as? [String] ?? []
        #expect(reasons.contains { $0.contains("region=C mean income is published here but withheld by strict.csv") }, "\(reasons)")
    }

    @Test func theSubpopRuleWithholdsAnAllButAFewOutput() throws {
        let folder = try Fixtures.temporaryDirectory()
        // Everybody but region C (4 people): "all" minus this would publish C.
        let output = try Self.tabulate(folder, "most.csv", ["--mean", "income", "--subpop", "region != \"C\""])
        let rows = try String(contentsOfFile: output, encoding: .utf8).split(separator: "\n")
        #expect(rows[1].contains("[c]") && rows[1].contains("primary:subpop-complement"), "\(rows)")
        let kept = try Self.tabulate(folder, "kept.csv", ["--mean", "income", "--subpop", "region != \"D\""])
        let keptRows = try String(contentsOfFile: kept, encoding: .utf8).split(separator: "\n")
        #expect(keptRows[1].hasSuffix(",safe"), "\(keptRows)")
    }

    @Test func releaseOnAMixOfOutputs() throws {
        let folder = try Fixtures.temporaryDirectory()
        let good = try Self.tabulate(folder, "good.csv", ["--mean", "income", "--by", "region"])
        let stamped = try Self.tabulate(folder, "stamped.csv", ["--mean", "earn", "--no-disclosure-control"])
        let excused = try Self.tabulate(folder, "excused.csv", ["--total", "one", "--no-disclosure-control"])
        let bare = try Self.tabulate(folder, "bare.csv", ["--mean", "earn"])
        try FileManager.default.removeItem(atPath: bare + ".audit.json")
        let rows = folder.appendingPathComponent("rows.csv").path
        try Self.ok(["extract", "--data", try T.dataFile(), "--output", rows])
        let bundle = folder.appendingPathComponent("bundle")
        let r = try Self.release(
            [good, stamped, excused, bare, rows], bundle: bundle,
            ["--exception", "excused.csv: the population count is published by ONS anyway",
             "--researcher", "A. Researcher <a@example.org>", "--project", "P-2026-018"])
        #expect(r.status == 3)
        let status = r.outputs.mapValues { $0["status"] as? String ?? "" }
        #expect(status == ["good.csv": "pass", "stamped.csv": "fail", "excused.csv": "review", "bare.csv": "fail", "rows.csv": "fail"])
        #expect(r.summary["researcher"] as? String == "A. Researcher <a@example.org>")
        #expect(r.summary["project"] as? String == "P-2026-018")
        #expect((r.summary["created"] as? String)?.hasSuffix("Z") == true)
        for (name, o) in r.outputs {
            for key in ["file", "status", "command", "rules", "checks", "reasons", "sha256"] {
                #expect(o.keys.contains(key), "\(name) lacks \(key)")
            }
        }
        #expect((r.outputs["excused.csv"]?["exception"] as? String)?.contains("published by ONS") == true)
        #expect((r.outputs["bare.csv"]?["reasons"] as? [String])?.first?.hasPrefix("no audit") == true)
        #expect((r.outputs["stamped.csv"]?["reasons"] as? [String])?.contains { $0.contains("NOT DISCLOSURE CONTROLLED") } == true)
        #expect(try Self.copied(bundle) == [
            "good.csv", "good.csv.audit.json", "excused.csv", "excused.csv.audit.json", "summary.json", "index.html",
        ])
        // All passing: exit 0.
        let clean = try Self.release([good], bundle: folder.appendingPathComponent("clean"))
        #expect(clean.status == 0)
        // An exception naming no output is a usage error.
        let wrong = try CLIFailureTests.run(
            ["release", good, "--output-dir", folder.appendingPathComponent("x").path, "--exception", "nope.csv: because"])
        #expect(wrong.status == 2 && wrong.stderr.contains("nope.csv"))
        try Self.checkPage(bundle.appendingPathComponent("index.html"))
    }

    /// The page's text as a reader sees it: rendered by headless Chromium when Debian's `chromium` is
    /// installed, else the markup parsed here (tags dropped, entities decoded).
    static func checkPage(_ page: URL) throws {
        let html = try String(contentsOf: page, encoding: .utf8)
        #expect(!html.contains("<script") && !html.contains("src=") && !html.contains("http"), "not self-contained")
        var text = renderedText(html)
        if let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first(where: FileManager.default.isExecutableFile) {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: chromium)
            process.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--dump-dom", page.absoluteString]
            let out = Pipe()
            process.standardOutput = out
            process.standardError = FileHandle.nullDevice
            try process.run()
            let dom = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            #expect(process.terminationStatus == 0 && dom.contains("</body>"), "chromium: \(dom.prefix(200))")
            text = renderedText(dom)
        }
        #expect(text.contains("5 outputs: 1 pass, 1 review, 3 fail."), "\(text)")
        #expect(text.contains("Researcher: A. Researcher <a@example.org>. Project: P-2026-018."))
        #expect(text.contains("excused.csv: review"))
        #expect(text.contains("Exception: the population count is published by ONS anyway"))
        #expect(text.contains("rows.csv: fail"))
        #expect(text.contains("good.csv: pass"))
    }

    /// Markup to text: tags removed, whitespace collapsed, the five entities decoded.
    static func renderedText(_ html: String) -> String {
        var text = html.replacingOccurrences(of: #"<style>[\s\S]*?</style>"#, with: "", options: .regularExpression)
        text = text.replacingOccurrences(of: #"<[^>]*>"#, with: "", options: .regularExpression)
        for (entity, ch) in [("&lt;", "<"), ("&gt;", ">"), ("&quot;", "\""), ("&#39;", "'"), ("&amp;", "&")] {
            text = text.replacingOccurrences(of: entity, with: ch)
        }
        return text.replacingOccurrences(of: #"\s+"#, with: " ", options: .regularExpression)
    }
}
