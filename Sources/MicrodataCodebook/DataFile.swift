/// A data file described by `fileDscr`.
public struct DataFile: Sendable, Hashable, Codable {
    /// How records are arranged in the file (`fileStrc/@type`).
    public enum Structure: String, Sendable, Hashable, Codable {
        case rectangular, hierarchical, relational, nested
    }

    /// `fileDscr/@ID`, the target of `var/@files`.
    public var id: String?
    /// `fileTxt/fileName`, trimmed.
    public var name: String?
    /// `fileDscr/@URI`.
    public var uri: String?
    public var structure: Structure
    /// `fileType/@charset`; `nil` when the codebook does not say (readers then assume UTF-8).
    public var charset: String?
    /// `fileTxt/format`, e.g. "fixed length fields".
    public var format: String?
    /// `dimensns/caseQnty`.
    public var caseCount: Int?
    /// `dimensns/varQnty`.
    public var variableCount: Int?
    /// `dimensns/recPrCas`.
    public var recordsPerCase: Int?
    /// Record types of a hierarchical file (`fileStrc/recGrp`), in document order.
    public var recordTypes: [RecordType]

    public init(
        id: String? = nil, name: String? = nil, uri: String? = nil, structure: Structure = .rectangular,
        charset: String? = nil, format: String? = nil, caseCount: Int? = nil, variableCount: Int? = nil,
        recordsPerCase: Int? = nil, recordTypes: [RecordType] = []
    ) {
        self.id = id
        self.name = name
        self.uri = uri
        self.structure = structure
        self.charset = charset
        self.format = format
        self.caseCount = caseCount
        self.variableCount = variableCount
        self.recordsPerCase = recordsPerCase
        self.recordTypes = recordTypes
    }
}

/// One record type of a hierarchical file (`recGrp`).
public struct RecordType: Sendable, Hashable, Codable {
    /// The code written in the record-type field (`@rectype`), e.g. `H`, `P`, `1`.
    public var code: String
    /// `recGrp/labl`, e.g. "Household Record".
    public var label: String?
    /// The variable holding the code (`@recidvar`), e.g. `RECTYPE`.
    public var idVariable: String?
    /// Variables linking this record to its parent (`@keyvar`), names or IDs as written.
    public var keyVariables: [String]
    /// Child record groups (`recGrp/@recGrp`), by ID.
    public var children: [String]

    public init(
        code: String, label: String? = nil, idVariable: String? = nil, keyVariables: [String] = [],
        children: [String] = []
    ) {
        self.code = code
        self.label = label
        self.idVariable = idVariable
        self.keyVariables = keyVariables
        self.children = children
    }
}
