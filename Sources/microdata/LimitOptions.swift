import ArgumentParser
import MicrodataCodebook
import MicrodataReaders

/// The resource caps of the parsers, raisable from the command line: `--max-line-length`, `--max-label-bytes`,
/// `--max-xml-depth`, `--max-categories`,
/// `--max-xml-attributes`. Each cap, when hit, is an error naming it.
struct LimitOptions: ParsableArguments {
    @Option(name: .customLong("max-line-length"), help: "Longest data line or record, in bytes (default 8 MiB).")
    var maxLineLength: Int = ReadOptions.defaultMaxLineLength
    @Option(name: .customLong("max-label-bytes"), help: "Largest codebook text (label, note), in bytes (default 1 MiB).")
    var maxLabelBytes: Int = DDILimits().maxLabelBytes
    @Option(name: .customLong("max-xml-depth"), help: "Deepest XML element nesting in a codebook (default 64).")
    var maxXMLDepth: Int = DDILimits().maxDepth
    @Option(name: .customLong("max-categories"), help: "Most categories of one codebook variable (default 100,000).")
    var maxCategories: Int = DDILimits().maxCategoriesPerVariable
    @Option(name: .customLong("max-xml-attributes"), help: "Most attributes on one codebook XML element (default 256).")
    var maxXMLAttributes: Int = DDILimits().maxAttributes

    func validate() throws {
        for (name, value) in [("--max-line-length", maxLineLength), ("--max-label-bytes", maxLabelBytes),
                              ("--max-xml-depth", maxXMLDepth), ("--max-categories", maxCategories),
                              ("--max-xml-attributes", maxXMLAttributes)] where value < 1 {
            throw ValidationError("\(name) must be at least 1, found \(value)")
        }
    }

    /// Makes these caps the ones every codebook parse and data read of this process uses.
    func apply() {
        Limits.ddi = DDILimits(maxDepth: maxXMLDepth, maxLabelBytes: maxLabelBytes,
                               maxCategoriesPerVariable: maxCategories, maxAttributes: maxXMLAttributes)
        Limits.maxLineLength = maxLineLength
    }
}

/// The caps in force for this run of the command (set once, by `LimitOptions.apply()`, before any work).
enum Limits {
    nonisolated(unsafe) static var ddi = DDILimits()
    nonisolated(unsafe) static var maxLineLength = ReadOptions.defaultMaxLineLength
}
