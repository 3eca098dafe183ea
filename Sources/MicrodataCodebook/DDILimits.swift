/// Caps that bound the resources a codebook can make the parser use. Each, when exceeded, is a
/// `CodebookError` of kind `limitExceeded` naming the cap and how to raise it.
///
/// ```swift
/// var limits = DDILimits()
/// limits.maxCategoriesPerVariable = 1_000_000
/// let parser = DDIParser(limits: limits)
/// ```
public struct DDILimits: Sendable, Hashable {
    /// Deepest element nesting accepted (the root is depth 1). DDI codebooks nest about 10 deep.
    public var maxDepth: Int
    /// Largest text, in UTF-8 bytes, collected for one element (a label, a category value, a note).
    public var maxLabelBytes: Int
    /// Most categories (`catgry`) accepted for one variable.
    public var maxCategoriesPerVariable: Int
    /// Most attributes on one element. DDI elements carry about a dozen; thousands only make lookups slow.
    public var maxAttributes: Int

    /// Defaults: depth 64, labels of 1 MiB, 100,000 categories per variable, 256 attributes per element.
    public init(
        maxDepth: Int = 64, maxLabelBytes: Int = 1 << 20, maxCategoriesPerVariable: Int = 100_000,
        maxAttributes: Int = 256
    ) {
        self.maxDepth = maxDepth
        self.maxLabelBytes = maxLabelBytes
        self.maxCategoriesPerVariable = maxCategoriesPerVariable
        self.maxAttributes = maxAttributes
    }

    /// The implied decimals (`var/@dcml`) accepted: a Double holds 15 significant decimal digits exactly, so a
    /// field scaled by more places than that cannot be read as written.
    public static let impliedDecimals = 0...15
}
