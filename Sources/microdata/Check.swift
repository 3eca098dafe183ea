import ArgumentParser

/// `microdata check`: not built yet.
struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Not built yet.")
    func run() throws { throw ValidationError("microdata check is not built yet") }
}
