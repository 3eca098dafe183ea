import ArgumentParser
import Foundation
import MicrodataDisclosure

/// `--rules`, `--audit`, `--audit-private` and `--no-disclosure-control`: how a published table's disclosure
/// control is set and audited, in `tabulate`, `combine`, `mobility` and `check`.
struct DisclosureOutputOptions: ParsableArguments {
    @Option(help: "Rules file overriding Codebooks/disclosure/default-rules.json.")
    var rules: String?
    @Option(help: """
        Write the public disclosure audit (JSON: bounds and pass/fail, no true values) here (the output's own \
        checks are in <output>.audit.json).
        """)
    var audit: String?
    @Option(name: .customLong("audit-private"),
            help: "Write the full audit (true values of suppressed cells; NOT FOR RELEASE) here, outside the output folder.")
    var auditPrivate: String?
    @Flag(name: .customLong("no-disclosure-control"),
          help: "Turn disclosure control off: the output is stamped NOT DISCLOSURE CONTROLLED.")
    var noDisclosureControl = false

    /// `--rules` as `Tabulate.write` takes it: `nil` with checks off, empty for the default rules.
    var writeRules: String? { noDisclosureControl ? nil : rules ?? "" }

    /// Refuses `--audit-private` inside any of `outputFolders` (or at `--audit`); call before any work.
    func checkPrivateLocation(outputFolders: [URL]) throws {
        if let auditPrivate { try AuditFiles.checkPrivateLocation(auditPrivate, outputFolders: outputFolders, publicPath: audit) }
    }

    /// ``checkPrivateLocation(outputFolders:)`` for one output file (standard output: no folder).
    func checkPrivateLocation(output: String?) throws {
        try checkPrivateLocation(outputFolders: output.map { [URL(fileURLWithPath: $0).deletingLastPathComponent()] } ?? [])
    }

    /// The default rules with `--rules` over them.
    func loadRules() throws -> DisclosureRules { try Self.loadRules(rules) }

    /// The default rules with the rules file `path` over them (`disclosureControl: false` for the record of a run
    /// with checks off).
    static func loadRules(_ path: String?, disclosureControl: Bool = true) throws -> DisclosureRules {
        try DisclosureRules.load(
            defaults: DisclosureRules.defaultRulesURL(), overrides: path.map { URL(fileURLWithPath: $0) },
            disclosureControl: disclosureControl)
    }
}
