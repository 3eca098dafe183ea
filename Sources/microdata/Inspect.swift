import ArgumentParser
import MicrodataCodebook

/// `microdata inspect CODEBOOK`: placeholder until the DDI parser lands.
struct Inspect: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Summarise a codebook.")
    @Argument(help: "A DDI codebook.") var codebook: String
    func run() throws { print(codebook) }
}
