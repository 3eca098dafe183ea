import Foundation
import MicrodataTestSupport
import Testing

/// The `microdata` binary on the SPSS and Stata fixtures (`Fixtures/statfiles`): every subcommand that takes a
/// codebook or data file accepts a .sav/.dta in either role, and gives the same numbers as the library.
@Suite(.timeLimit(.minutes(2))) struct StatFileCLITests {
    static let sav = Fixtures.path("statfiles/survey.sav")
    static let dta = Fixtures.path("statfiles/survey.dta")
    static let tab = Fixtures.path("statfiles/survey.tab")
    /// The weighted mean of INCOME over the 7 non-missing incomes (make_fixtures.py values), as asserted by
    /// `StatFileWeightedEstimateTests`: sum(w*x)/sum(w) = 263065.4375 / 7.875.
    static let weightedMeanIncome = 263065.4375 / 7.875

    /// Runs the built binary with `MICRODATA_CODEBOOKS` pointing at the package's Codebooks/ folder.
    static func run(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        let process = Process()
        process.executableURL = CLIFailureTests.binary
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["MICRODATA_CODEBOOKS"] = Fixtures.packageRoot.appendingPathComponent("Codebooks").path
        process.environment = environment
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Standard error is read on another thread so that neither pipe can fill up and block the child.
        let errData = LockedData()
        let reader = Thread { errData.set(err.fileHandleForReading.readDataToEndOfFile()) }
        reader.start()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        while !errData.isSet { usleep(1000) }
        return (process.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: errData.get(), as: UTF8.self))
    }

    /// The `estimate` column of the single row of a `tabulate` CSV (comment lines starting `#` skipped).
    static func estimate(inTabulateCSV text: String, sourceLocation: SourceLocation = #_sourceLocation) -> Double? {
        let lines = text.split(separator: "\n").filter { !$0.hasPrefix("#") }
        guard lines.count == 2 else {
            Issue.record("expected a header and one row, got:\n\(text)", sourceLocation: sourceLocation)
            return nil
        }
        let header = lines[0].split(separator: ",", omittingEmptySubsequences: false)
        let row = lines[1].split(separator: ",", omittingEmptySubsequences: false)
        guard let k = header.firstIndex(of: "estimate"), k < row.count else { return nil }
        return Double(row[k])
    }

    // MARK: - tabulate

    @Test func tabulateReadsASavAsData() throws {
        let r = try Self.run(["tabulate", "--data", Self.sav, "--weight", "PWT", "--mean", "INCOME",
                              "--no-disclosure-control"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(Self.estimate(inTabulateCSV: r.stdout) == Self.weightedMeanIncome)
    }

    @Test func tabulateTakesASavAsTheCodebookOfItsTabTwin() throws {
        let r = try Self.run(["tabulate", "--codebook", Self.sav, "--data", Self.tab, "--weight", "PWT",
                              "--mean", "INCOME", "--no-disclosure-control"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(!r.stderr.contains("Document is empty"), "\(r.stderr)")
        // The .sav's user-missing codes (999999, -8 in the range -99..-1) apply to the tab file too.
        #expect(Self.estimate(inTabulateCSV: r.stdout) == Self.weightedMeanIncome)
    }
}

/// Bytes handed from a reader thread to the test.
private final class LockedData: @unchecked Sendable {
    private let lock = NSLock()
    private var data: Data?
    var isSet: Bool { lock.withLock { data != nil } }
    func set(_ d: Data) { lock.withLock { data = d } }
    func get() -> Data { lock.withLock { data ?? Data() } }
}
