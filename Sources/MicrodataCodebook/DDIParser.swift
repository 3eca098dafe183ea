import Foundation

/// Reads DDI codebooks (DDI-Codebook 1.2.2 to 2.6, every dialect seen in the wild) and DDI 3.x code lists.
///
/// Streams with libxml2's `xmlTextReader`, matches local element names, ignores namespaces and detects the
/// encoding from the BOM or declaration (UTF-16LE NADA files read as well as UTF-8). It is safe on hostile input:
/// no network, no DTD loading, no external entities (a deny-all loader is installed), and any DOCTYPE is refused.
///
/// ```swift
/// let parser = DDIParser()
/// let codebook = try parser.parse(contentsOf: URL(fileURLWithPath: "cps_00157.xml"))
/// let (checked, warnings) = try parser.parseWithWarnings(contentsOf: url)
/// ```
public struct DDIParser: Sendable {
    /// Upper-cased names that mark a variable as a weight when the codebook flags none (IPUMS).
    public let knownWeightNames: Set<String>?
    /// Caps on nesting depth, label size and categories per variable.
    public var limits: DDILimits

    /// A parser using `Codebooks/weights/known-weight-names.csv` when it can be found.
    public init(limits: DDILimits = DDILimits()) {
        knownWeightNames = KnownWeightNames.bundledURL().flatMap { try? KnownWeightNames.load(from: $0) }
        self.limits = limits
    }

    /// A parser with an explicit list of weight names (`nil`: never flag weights by name).
    public init(knownWeightNames: Set<String>?, limits: DDILimits = DDILimits()) {
        self.knownWeightNames = knownWeightNames.map { Set($0.map { $0.uppercased() }) }
        self.limits = limits
    }

    /// Parses a DDI codebook file (`.xml`, or `.xml.gz`).
    public func parse(contentsOf url: URL) throws -> Codebook {
        try read(contentsOf: url).codebook
    }

    /// Parses a DDI codebook held in memory; `source` names it in errors.
    public func parse(data: Data, source: String) throws -> Codebook {
        try read(data: data, source: source).codebook
    }

    /// Parses a codebook and returns it with its consistency warnings (see `Codebook.validate()`).
    public func parseWithWarnings(contentsOf url: URL) throws -> (codebook: Codebook, warnings: [CodebookWarning]) {
        let (codebook, readWarnings) = try read(contentsOf: url)
        return (codebook, readWarnings + warnings(for: codebook))
    }

    /// Parses an in-memory codebook and returns it with its consistency warnings.
    public func parseWithWarnings(data: Data, source: String) throws -> (
        codebook: Codebook, warnings: [CodebookWarning]
    ) {
        let (codebook, readWarnings) = try read(data: data, source: source)
        return (codebook, readWarnings + warnings(for: codebook))
    }

    /// Reads the code lists (`CodeList`, or DDI 3.1 `CodeScheme`) of a DDI 3.x document, with category labels
    /// resolved from their references.
    public func parseCodeLists(contentsOf url: URL) throws -> [CodeList] {
        var builder = DDICodeListBuilder()
        try XMLStream.run(file: url, limits: limits, handler: &builder)
        return builder.resolved()
    }

    /// Reads the code lists of an in-memory DDI 3.x document.
    public func parseCodeLists(data: Data, source: String) throws -> [CodeList] {
        var builder = DDICodeListBuilder()
        try XMLStream.run(data: data, source: source, limits: limits, handler: &builder)
        return builder.resolved()
    }

    private func read(contentsOf url: URL) throws -> (codebook: Codebook, warnings: [CodebookWarning]) {
        var builder = DDICodebookBuilder()
        builder.limits = limits
        builder.source = url.path
        try XMLStream.run(file: url, limits: limits, handler: &builder)
        return (try finish(&builder, source: url.path), builder.warnings)
    }

    private func read(data: Data, source: String) throws -> (codebook: Codebook, warnings: [CodebookWarning]) {
        var builder = DDICodebookBuilder()
        builder.limits = limits
        builder.source = source
        try XMLStream.run(data: data, source: source, limits: limits, handler: &builder)
        return (try finish(&builder, source: source), builder.warnings)
    }

    private func finish(_ builder: inout DDICodebookBuilder, source: String) throws -> Codebook {
        guard builder.sawCodeBook || builder.sawDDI3 else {
            throw CodebookError(.notACodebook, file: source, message: "no DDI codeBook element found")
        }
        builder.finish(knownWeightNames: knownWeightNames)
        var codebook = builder.codebook
        codebook.source = source
        return codebook
    }

    private func warnings(for codebook: Codebook) -> [CodebookWarning] {
        var warnings = codebook.validate()
        let hasFlags = codebook.variables.contains(where: \.isWeight)
        if knownWeightNames == nil && !hasFlags && !codebook.variables.isEmpty {
            warnings.append(
                CodebookWarning(
                    .weightNamesUnavailable,
                    message: "no weight is flagged and Codebooks/weights/known-weight-names.csv was not found"))
        }
        return warnings
    }
}
