import ArgumentParser
import Foundation
import MicrodataDisclosure
import MicrodataWrite

/// `microdata release`: the hand-over bundle for the output checker.
struct Release: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "release",
        abstract: "Re-verify outputs against their audits and write a release bundle for the output checker.",
        discussion: """
            Each OUTPUT needs its audit sidecar (OUTPUT.audit.json, written by every command). An output whose \
            bytes no longer match its audit fails; one stamped NOT DISCLOSURE CONTROLLED, without an audit, with a \
            failed check or differencing another output (a domain and its complement, a cell withheld in one \
            output and published in another) fails unless --exception gives a reason, which sends it to review. \
            BUNDLE gets the outputs that pass or need review (with their audits), summary.json and index.html. \
            Exit status 0 when every output passes, 3 when any fails or needs review.
            """)

    @Argument(help: "The outputs to release.") var outputs: [String]
    @Option(name: .customLong("output-dir"), help: "The bundle folder (created if missing).") var outputDirectory: String
    @Option(parsing: .singleValue, help: "'FILE: reason' for an output the checker should review; repeatable.")
    var exception: [String] = []
    @Option(help: "The researcher's name, for the summary.") var researcher: String?
    @Option(help: "The project identifier, for the summary.") var project: String?
    @Option(help: "Rules file overriding Codebooks/disclosure/default-rules.json (its threshold is used for differencing).")
    var rules: String?

    func run() throws {
        let loaded = try DisclosureOutputOptions.loadRules(rules)
        let release: MicrodataDisclosure.Release
        do {
            release = try MicrodataDisclosure.Release(
                outputs: outputs, exceptions: try exception.map(ReleaseException.init(parsing:)), researcher: researcher,
                project: project, threshold: loaded.threshold)
        } catch let error as ReleaseError {
            throw ValidationError(error.description)
        }
        let summary = release.assess()
        try release.write(summary, to: outputDirectory)
        for line in summary.consoleLines { FileHandle.standardError.write(Data((line + "\n").utf8)) }
        FileHandle.standardError.write(Data("wrote \(outputDirectory)/summary.json and index.html\n".utf8))
        if !summary.allPass { throw ExitCode.needsReview }
    }
}
