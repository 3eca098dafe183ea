/// A metadata inconsistency in an SPSS or Stata file that does not stop it being read.
public struct StatFileWarning: Sendable, Hashable, CustomStringConvertible {
    /// What was found.
    public enum Kind: String, Sendable, Hashable {
        /// A variable names a value-label set the file does not define.
        case undefinedLabelSet
        /// A value-label set that no variable uses (its labels are not attached to any variable).
        case unusedLabelSet
        /// A value label whose value does not fit the variable's type (a text key on a numeric variable).
        case mismatchedLabel
        /// File-level notes (SPSS documents, Stata notes) that the codebook model has no place for.
        case notesNotKept
    }

    public var kind: Kind
    /// The variable concerned, if any.
    public var variable: String?
    /// The value-label set concerned, if any.
    public var labelSet: String?
    /// A sentence naming the file, the variable and the set.
    public var message: String

    public init(_ kind: Kind, variable: String? = nil, labelSet: String? = nil, message: String) {
        self.kind = kind
        self.variable = variable
        self.labelSet = labelSet
        self.message = message
    }

    public var description: String { "warning: \(message)" }
}
