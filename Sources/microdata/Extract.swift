import ArgumentParser

/// `microdata extract`: not built yet.
struct Extract: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Not built yet.")
    func run() throws { throw ValidationError("microdata extract is not built yet") }
}
