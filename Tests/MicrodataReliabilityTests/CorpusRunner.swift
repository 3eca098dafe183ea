import Foundation
import MicrodataCodebook
import MicrodataDisclosure
import MicrodataHarmonise
import MicrodataReaders
import MicrodataMobility
import MicrodataTestSupport

/// One row of `Fixtures/malformed/MANIFEST.tsv`: an input, the component that reads it and the error expected.
struct CorpusCase: CustomStringConvertible, Sendable {
    var name: String
    var component: String
    var inputs: [String]
    var errorType: String
    var expected: [String]

    var description: String { name }

    /// The manifest's rows (`#` lines are comments).
    static func manifest() throws -> [CorpusCase] {
        let text = try String(contentsOf: Fixtures.url("malformed/MANIFEST.tsv"), encoding: .utf8)
        return text.split(separator: "\n").dropFirst().compactMap { line in
            if line.hasPrefix("#") || line.trimmingCharacters(in: .whitespaces).isEmpty { return nil }
            let f = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard f.count == 5 else { return nil }
            return CorpusCase(
                name: f[0], component: f[1], inputs: f[2].split(separator: " ").map(String.init), errorType: f[3],
                expected: f[4].components(separatedBy: " && ").filter { !$0.isEmpty })
        }
    }
}

/// What reading an input gave: the error's type and text, and how many batches came out before it.
struct Outcome {
    var errorType: String
    var message: String
    var batchesBeforeError = 0
}

/// Runs one component on its inputs the way the CLI does, and reports the first error (or "none").
func run(_ c: CorpusCase) -> Outcome {
    let urls = c.inputs.map { Fixtures.url("malformed/" + $0) }
    var batches = 0
    do {
        switch c.component {
        case "ddi":
            _ = try DDIParser(knownWeightNames: []).parse(contentsOf: urls[0])
        case "ddi-warnings":
            let (_, warnings) = try DDIParser(knownWeightNames: []).parseWithWarnings(contentsOf: urls[0])
            return Outcome(errorType: "CodebookWarning", message: warnings.map { "\($0)" }.joined(separator: "; "))
        case "fixedwidth", "fixedwidth-strict":
            let codebook = try DDIParser(knownWeightNames: []).parse(contentsOf: urls[0])
            let options = ReadOptions(strict: c.component == "fixedwidth-strict", format: .fixedWidth)
            var source = try DataReader.open(data: urls[1], codebook: codebook, options: options)
            while try source.nextBatch() != nil { batches += 1 }
            let s = source.statistics
            return Outcome(
                errorType: "none",
                message: "rows \(s.rows); unknown record types "
                    + s.unknownRecordTypes.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
                    .joined(separator: ","),
                batchesBeforeError: batches)
        case "csv":
            var source = try DataReader.open(data: urls[0], codebook: nil)
            while try source.nextBatch() != nil { batches += 1 }
        case "csv-codebook":
            let codebook = try DDIParser(knownWeightNames: []).parse(contentsOf: urls[0])
            var source = try DataReader.open(data: urls[1], codebook: codebook)
            while try source.nextBatch() != nil { batches += 1 }
        case "crosswalk":
            _ = try CrosswalkRegistry(folders: [urls[0]])
        case "order":
            _ = try ClassScheme.order(contentsOf: urls[0])
        case "rules":
            _ = try DisclosureRules.load(defaults: urls[0])
        case "rules-override":
            _ = try DisclosureRules.load(
                defaults: Fixtures.codebook("disclosure/default-rules.json"), overrides: urls[0])
        default:
            return Outcome(errorType: "unknown component \(c.component)", message: "")
        }
    } catch {
        return Outcome(errorType: "\(type(of: error))", message: "\(error)", batchesBeforeError: batches)
    }
    return Outcome(errorType: "none", message: "", batchesBeforeError: batches)
}
