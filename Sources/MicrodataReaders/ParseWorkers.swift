import Foundation

extension ReadOptions {
    /// The environment variable that sets ``parseWorkers`` for the commands that parse in chunks (`1` parses on
    /// one thread with the same chunks, so the results are the same bit for bit).
    public static let parseWorkersVariable = "MICRODATA_PARSE_WORKERS"

    /// The parsing threads a command uses: ``parseWorkersVariable`` when it holds a whole number from 1 to 64,
    /// otherwise the active processors, at most 4.
    public static func defaultParseWorkers(environment: [String: String] = ProcessInfo.processInfo.environment) -> Int {
        if let text = environment[parseWorkersVariable], let n = Int(text), (1...64).contains(n) { return n }
        return min(max(ProcessInfo.processInfo.activeProcessorCount, 1), 4)
    }
}
