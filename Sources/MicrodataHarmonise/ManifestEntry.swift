/// One file of a crosswalk folder as described by its `manifest.json`.
///
/// A folder's manifest is `{"format": 1, "entries": [ManifestEntry...]}`. Shipped and user folders use the
/// same format; a user entry may leave out `sha256` (the loader then reports the computed one).
public struct ManifestEntry: Sendable, Hashable, Codable {
    /// How the sums of a crosswalk's weights are checked.
    public struct WeightCheck: Sendable, Hashable, Codable {
        /// `from`: weights of each source code sum to `total`; `to`: weights into each target code do.
        public var groupBy: String
        public var total: Double
        public var tolerance: Double
        /// A group whose weights are all empty or zero (no base for that source) is allowed.
        public var allowEmpty: Bool?
        /// Sums below `total` are allowed (suppressed small cells), sums above are not.
        public var allowBelow: Bool?
    }

    /// The name used on the command line (`crosswalk show NAME`).
    public var name: String
    /// `codeframe`, `crosswalk`, `nssec-derivation`, `nssec-simplified`, `nssec-classes`, `nssec-status`,
    /// `nssec-status-input`, `nssec-status-codings`, `nssec-status-rules`, `qualification-levels`, `nations` or `table` (shipped for reference only).
    public var kind: String
    /// The CSV file, relative to the manifest's folder.
    public var file: String
    /// The scheme a code frame or NS-SEC table is keyed by.
    public var scheme: String?
    /// Crosswalk source and target schemes.
    public var from: String?
    public var to: String?
    public var fromColumn: String?
    public var toColumn: String?
    /// Weight basis name → column holding that basis's link weights; absent for a one-to-one code list.
    public var weights: [String: String]?
    public var defaultBasis: String?
    /// Sex-specific bases: `male` / `female` → basis name.
    public var sexBases: [String: String]?
    /// A column of link counts, used to reverse the crosswalk (target → source shares).
    public var countColumn: String?
    public var check: WeightCheck?
    /// `label`: source codes are value labels, matched after ``Crosswalk/labelKey(_:)`` (lower case, letters
    /// and digits only), so a survey's numeric codes are read through its codebook's value labels.
    public var keyedBy: String?
    /// Only rows whose columns hold these values are links (several crosswalks in one file).
    public var filter: [String: String]?
    /// Links are an approximation and every output through them says so.
    public var approximate: Bool?
    public var approxNote: String?
    /// A published official table (shipped ONS NS-SEC tables); outputs through other tables are labelled `user`.
    public var official: Bool?
    public var linkLevel: String?
    public var source: String
    public var issued: String
    public var sha256: String?
    public var licence: String
}

/// A folder's manifest.
public struct Manifest: Sendable, Hashable, Codable {
    public var format: Int
    public var note: String?
    public var entries: [ManifestEntry]
}
