import ArgumentParser

/// `microdata tabulate`: not built yet.
struct Tabulate: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Not built yet.")
    func run() throws { throw ValidationError("microdata tabulate is not built yet") }
}
