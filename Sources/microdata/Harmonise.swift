import ArgumentParser

/// `microdata harmonise`: not built yet.
struct Harmonise: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Not built yet.")
    func run() throws { throw ValidationError("microdata harmonise is not built yet") }
}
