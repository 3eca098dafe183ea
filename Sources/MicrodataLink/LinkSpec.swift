/// How rows without a partner are kept.
public enum JoinKind: String, Sendable, Hashable, CaseIterable, Codable {
    /// Only left rows with a match.
    case inner
    /// Every left row; right columns missing where there is no match.
    case left
    /// Every left row, then every right row no left row matched.
    case full
}

/// What to do with a key value on several right rows when there is no aggregate.
public enum DuplicatePolicy: String, Sendable, Hashable, CaseIterable {
    /// Stop: name the file, the key value and the rows (one-to-many needs `--aggregate`).
    case error
    /// Keep the first row of each key value and count the rest.
    case first
    /// Keep the last row of each key value and count the rest.
    case last
}

/// How key values compare.
public enum KeyType: String, Sendable, Hashable, CaseIterable, Codable {
    /// As text: "00123" ≠ "123"; numbers are written without a trailing `.0`.
    case string
    /// As numbers: 1 = 1.0; text that is not a number is a missing key.
    case number
}

/// One join step: a right file and the rules for matching it.
public struct LinkStep: Sendable, Hashable {
    /// The right file (its path, for messages, the audit and the stem of clashing names).
    public var path: String
    /// Key columns of the left side.
    public var keys: [String]
    /// Key columns of the right side, in the order of `keys` (default: the same names).
    public var rightKeys: [String]
    public var how: JoinKind
    public var duplicates: DuplicatePolicy
    /// Aggregates that collapse a one-to-many right side to one row per key value.
    public var aggregates: [Aggregate]
    /// Forces the key comparison type when the sides' key types differ.
    public var keyType: KeyType?

    public init(
        path: String, keys: [String], rightKeys: [String]? = nil, how: JoinKind = .left,
        duplicates: DuplicatePolicy = .error, aggregates: [Aggregate] = [], keyType: KeyType? = nil
    ) {
        self.path = path
        self.keys = keys
        self.rightKeys = rightKeys ?? keys
        self.how = how
        self.duplicates = duplicates
        self.aggregates = aggregates
        self.keyType = keyType
    }

    /// The file name without folders and extensions (`.gz` and then the data extension), for suffixes.
    public var stem: String {
        var name = path.split(separator: "/").last.map(String.init) ?? path
        if name.hasSuffix(".gz") { name.removeLast(3) }
        if let dot = name.lastIndex(of: "."), dot != name.startIndex { name = String(name[..<dot]) }
        return name
    }
}
