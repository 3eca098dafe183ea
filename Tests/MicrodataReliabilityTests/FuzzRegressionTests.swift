import Foundation
import MicrodataCodebook
import MicrodataDisclosure
import MicrodataHarmonise
import MicrodataReaders
import MicrodataTestSupport
import Testing

/// Replays every input the fuzzers kept (`Fixtures/malformed/regressions/<target>/`, written by `Fuzz/run.sh`)
/// through the same entry point as its fuzz target: each must finish with a result or a typed error.
@Suite struct FuzzRegressionTests {
    static func inputs(_ target: String) -> [URL] {
        let dir = Fixtures.url("malformed/regressions/\(target)")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        return names.sorted().map { dir.appendingPathComponent($0) }
    }

    /// Every error a replay may end in is one of the typed errors of the modules.
    static func isTyped(_ error: any Error) -> Bool {
        error is CodebookError || error is ReadError || error is HarmoniseError || error is DisclosureError
    }

    @Test(arguments: inputs("ddi") + inputs("fixedwidth"))
    func ddiInput(_ url: URL) throws {
        let data = try Data(contentsOf: url)
        do { _ = try DDIParser(knownWeightNames: []).parseWithWarnings(data: data, source: url.lastPathComponent) } catch {
            #expect(Self.isTyped(error), "\(error)")
        }
    }

    @Test(arguments: inputs("csv") + inputs("gzip"))
    func delimitedInput(_ url: URL) throws {
        do {
            var source = try DataReader.open(data: url, codebook: nil, options: ReadOptions(format: .delimited(delimiter: nil)))
            while try source.nextBatch() != nil {}
        } catch {
            #expect(Self.isTyped(error), "\(error)")
        }
    }

    @Test(arguments: inputs("rules"))
    func rulesInput(_ url: URL) throws {
        do { _ = try DisclosureRules.load(defaults: url) } catch { #expect(Self.isTyped(error), "\(error)") }
    }
}
