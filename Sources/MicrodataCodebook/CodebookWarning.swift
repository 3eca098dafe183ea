/// A consistency problem in a codebook that does not stop it being used.
public struct CodebookWarning: Sendable, Hashable, Codable, CustomStringConvertible {
    /// What kind of inconsistency was found.
    public enum Kind: String, Sendable, Hashable, Codable {
        /// Two variables of the same file, record segment and record type share bytes.
        case overlappingPositions
        /// `sumStat` vald + invd differs from the file's `caseQnty`.
        case caseCountMismatch
        /// Two variables of the same file have the same name.
        case duplicateName
        /// A `recGrp` record type that no variable belongs to.
        case unreferencedRecordType
        /// A numeric field (position, decimals, statistic, count, range bound) that is not a number; it is ignored.
        case unreadableNumber
        /// The list of known weight names could not be loaded, so IPUMS-style weights are not flagged.
        case weightNamesUnavailable
    }

    public var kind: Kind
    /// The variable concerned, if any.
    public var variable: String?
    public var message: String

    public init(_ kind: Kind, variable: String? = nil, message: String) {
        self.kind = kind
        self.variable = variable
        self.message = message
    }

    public var description: String { "warning: \(message)" }
}
