import ArgumentParser

/// `microdata crosswalk`: not built yet.
struct Crosswalk: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Not built yet.")
    func run() throws { throw ValidationError("microdata crosswalk is not built yet") }
}
