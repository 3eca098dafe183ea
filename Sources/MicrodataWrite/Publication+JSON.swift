import Foundation

extension Publication {
    /// The whole publication as JSON: title, metadata (design, mode, rules, audit, crosswalk versions), notes
    /// and every table with its cells. Suppressed cells carry `"marker": "[c]"` and no numbers.
    public func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        return String(decoding: try encoder.encode(self), as: UTF8.self) + "\n"
    }
}
