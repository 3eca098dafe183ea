import Foundation
import MicrodataCodebook
import MicrodataDisclosure
import MicrodataHarmonise
import MicrodataReaders
import MicrodataMobility
import MicrodataTestSupport
import Testing

/// Replays every input the fuzzers kept (`Fixtures/malformed/regressions/<target>/`, written by `Fuzz/run.sh`)
/// through the same entry point as its fuzz target: each must finish with a result or a typed error.
@Suite struct FuzzRegressionTests {
    /// One kept input: its fuzz target (the folder name) and file.
    struct Kept: CustomTestStringConvertible, Sendable {
        var target: String
        var url: URL
        var testDescription: String { "\(target)/\(url.lastPathComponent)" }
    }

    /// Every kept input of every target, in one list, so a target the fuzzers have kept nothing for (`ddi`, so far)
    /// adds no empty, skipped test.
    static func kept() -> [Kept] {
        let root = Fixtures.url("malformed/regressions")
        let targets = ((try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []).sorted()
        return targets.flatMap { target in
            let dir = root.appendingPathComponent(target)
            let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
            return names.sorted().map { Kept(target: target, url: dir.appendingPathComponent($0)) }
        }
    }

    @Test(arguments: kept())
    func keptInputEndsInAResultOrATypedError(_ input: Kept) throws {
        switch input.target {
        case "ddi": try ddiInput(input.url)
        case "fixedwidth": try fixedWidthInput(input.url)
        case "crosswalk": try crosswalkInput(input.url)
        case "csv", "gzip": try delimitedInput(input.url)
        case "rules": try rulesInput(input.url)
        case "stat": try statInput(input.url)
        case "order": try orderInput(input.url)
        default: Issue.record("no replay for fuzz target \(input.target)")
        }
    }

    /// Every error a replay may end in is one of the typed errors of the modules.
    static func isTyped(_ error: any Error) -> Bool {
        error is CodebookError || error is ReadError || error is StatFileError || error is HarmoniseError
            || error is DisclosureError
    }

    /// Splits `data` at each occurrence of `marker` (as `Fuzz/Targets/FuzzSupport.swift` does).
    static func split(_ data: Data, on marker: String) -> [Data] {
        let m = Data(marker.utf8)
        var parts: [Data] = []
        var rest = data[...]
        while let r = rest.range(of: m) {
            parts.append(Data(rest[rest.startIndex..<r.lowerBound]))
            rest = rest[r.upperBound...]
        }
        parts.append(Data(rest))
        return parts
    }

    func ddiInput(_ url: URL) throws {
        let data = try Data(contentsOf: url)
        do { _ = try DDIParser(knownWeightNames: []).parseWithWarnings(data: data, source: url.lastPathComponent) } catch {
            #expect(Self.isTyped(error), "\(error)")
        }
    }

    /// A codebook, the line `#DATA#`, then data read through it (`Fuzz/Targets/fixedwidth.swift`), lenient and
    /// strict.
    func fixedWidthInput(_ url: URL) throws {
        let parts = Self.split(try Data(contentsOf: url), on: "\n#DATA#\n")
        try #require(parts.count == 2)
        guard let codebook = try? DDIParser(knownWeightNames: []).parse(data: parts[0], source: "fuzz.xml") else { return }
        let dir = try Fixtures.temporaryDirectory()
        let data = dir.appendingPathComponent("data.dat")
        try parts[1].write(to: data)
        for strict in [false, true] {
            do {
                let options = ReadOptions(batchSize: 7, strict: strict, format: .fixedWidth, maxLineLength: 1 << 16)
                var source = try DataReader.open(data: data, codebook: codebook, options: options)
                while try source.nextBatch() != nil {}
            } catch {
                #expect(Self.isTyped(error), "\(error)")
            }
        }
    }

    /// A manifest and the tables it names, separated by `#FILE <name>#` lines (`Fuzz/Targets/crosswalk.swift`).
    func crosswalkInput(_ url: URL) throws {
        let parts = Self.split(try Data(contentsOf: url), on: "\n#FILE ")
        let folder = try Fixtures.temporaryDirectory()
        try parts[0].write(to: folder.appendingPathComponent("manifest.json"))
        for part in parts.dropFirst() {
            guard let close = part.range(of: Data("#\n".utf8)) else { continue }
            let name = String(decoding: part[part.startIndex..<close.lowerBound], as: UTF8.self)
            guard !name.isEmpty, !name.contains("/"), name != "manifest.json", !name.hasPrefix(".") else { continue }
            try Data(part[close.upperBound...]).write(to: folder.appendingPathComponent(name))
        }
        do {
            let registry = try CrosswalkRegistry(folders: [folder])
            for cw in registry.crosswalks.values {
                for code in cw.sourceCodes.prefix(20) { _ = cw.distribution(of: code, basis: nil) }
            }
        } catch {
            #expect(Self.isTyped(error), "\(error)")
        }
    }

    func delimitedInput(_ url: URL) throws {
        do {
            var source = try DataReader.open(data: url, codebook: nil, options: ReadOptions(format: .delimited(delimiter: nil)))
            while try source.nextBatch() != nil {}
        } catch {
            #expect(Self.isTyped(error), "\(error)")
        }
    }

    func rulesInput(_ url: URL) throws {
        do { _ = try DisclosureRules.load(defaults: url) } catch { #expect(Self.isTyped(error), "\(error)") }
    }

    /// An SPSS/Stata/SAS file (`Fuzz/Targets/stat.swift`): its codebook and every batch, or a typed error.
    func statInput(_ url: URL) throws {
        let copy = try Fixtures.temporaryDirectory().appendingPathComponent("data.bin")
        try Data(contentsOf: url).write(to: copy)
        var file = copy
        if !StatFile.isStatFile(file) {
            file = copy.deletingPathExtension().appendingPathExtension("por")
            try Data(contentsOf: url).write(to: file)
        }
        guard StatFile.isStatFile(file) else { return }
        do {
            _ = try StatFile.codebookWithWarnings(file)
            var source = try StatFile.open(file, options: ReadOptions(batchSize: 7))
            while try source.nextBatch() != nil {}
        } catch {
            #expect(Self.isTyped(error), "\(error)")
        }
    }

    /// A `--order` class-order file (`Fuzz/Targets/order.swift`).
    func orderInput(_ url: URL) throws {
        do { _ = try ClassScheme.order(contentsOf: url) } catch { #expect(Self.isTyped(error), "\(error)") }
    }

    /// Every fuzz target's seed corpus holds every file of `Fixtures/malformed/` (`Fuzz/seeds.py`), but for the
    /// kept ReadStat input, which only the `stat` target gets (RELIABILITY.md §11).
    @Test(arguments: ["ddi", "csv", "stat", "order"])
    func everyFuzzCorpusHoldsEveryMalformedFile(_ target: String) throws {
        let python = ["/usr/bin/python3", "/usr/local/bin/python3"].first { FileManager.default.isExecutableFile(atPath: $0) }
        guard let python else { return }
        let out = try Fixtures.temporaryDirectory()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["Fuzz/seeds.py", target, out.path, "16777216"]
        process.currentDirectoryURL = Fixtures.packageRoot
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let seeds = Set(try FileManager.default.contentsOfDirectory(atPath: out.path).map {
            try Data(contentsOf: out.appendingPathComponent($0))
        })
        let root = Fixtures.url("malformed")
        let files = FileManager.default.enumerator(atPath: root.path)?.compactMap { $0 as? String } ?? []
        var checked = 0
        for name in files where !name.hasSuffix(".py") && name != "MANIFEST.tsv" {
            var isDirectory: ObjCBool = false
            let url = root.appendingPathComponent(name)
            guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue
            else { continue }
            if name.hasPrefix("regressions/stat/") && target != "stat" { continue }
            #expect(seeds.contains(try Data(contentsOf: url)), "\(target): \(name) is not in the corpus")
            checked += 1
        }
        #expect(checked > 50)
    }
}
