import ArgumentParser
import Foundation
import MicrodataWrite

/// The `microdata` command: codebook → read → harmonise → estimate → disclosure check → write.
@main
struct Microdata: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "microdata",
        abstract: "Read, harmonise, weight and disclosure-check UK survey microdata.",
        discussion: exitStatuses,
        version: buildVersion,
        subcommands: [Inspect.self, Describe.self, Extract.self, Harmonise.self, Tabulate.self, Combine.self, Check.self, Crosswalk.self, CodebookCommand.self, Mobility.self, Link.self, Pool.self, Model.self, SmallArea.self, Weights.self, Release.self, Demo.self]
    )
}
