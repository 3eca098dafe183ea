/// What to read from a data file and how.
public struct ReadOptions: Sendable, Hashable {
    /// Variables to read, by name (case-insensitive); `nil` reads all.
    ///
    /// The record-type variable and every key variable (`recGrp/@keyvar`) of a hierarchical file are always
    /// put first (record type, then keys) ahead of the selection in the order given, in the long shape as in
    /// the per-record-type one. This follows ipumspy; ipumsr adds the keys only in its list format, so its
    /// `n_max=100, vars=c(RECTYPE,STATEFIP)` on cps_00159 gives 100 × 2 where this reader gives 100 × 3
    /// (RECTYPE, SERIAL, STATEFIP).
    public var variables: [String]?
    /// Rows per batch.
    public var batchSize: Int
    /// Keep the codebook's missing codes as values instead of turning them into missing.
    public var keepRawMissing: Bool
    /// Make an unknown record type an error instead of a counted, reported skip, and a missing-value token
    /// (`NA`, `N/A`, `NaN`, ...) in an inferred numeric column an error instead of a counted missing value.
    public var strict: Bool
    /// Read only this record type of a hierarchical file.
    public var recordType: String?
    /// Stop after this many rows.
    public var limit: Int?
    /// Physical lines to skip at the start of a fixed-width file before reading (hipread's `skip`); blank
    /// lines count. Line numbers in errors stay those of the file. Only fixed-width data can skip lines.
    public var skip: Int
    /// Long (one table for all record types) or one table per record type.
    public var shape: Shape
    /// The data format; `nil` detects it from the first line.
    public var format: DataFormat?
    /// The longest line (or delimited record) accepted, in bytes; a longer one is an error naming this cap,
    /// so a file without line breaks cannot grow the line buffer without bound.
    public var maxLineLength: Int
    /// Delimited columns read as text whatever their values (`--string`), by name (case-insensitive); each
    /// must be in the header.
    public var textVariables: [String] = []
    /// Read every delimited column whose type would be inferred (no codebook, not in ``numericVariables``)
    /// as text, so a pass-through column is written back exactly as read (`0110`, `1.50`, `1e3`).
    public var inferredAsText = false
    /// Delimited columns the caller will use only as numbers (weights, replicate weights, FPC), by name
    /// (case-insensitive), or by a regular expression found in the name (``numericPattern``, as replicate
    /// weights are named). They skip the typing pass: a value that is not a number is an error naming the
    /// line. When every column read is numeric, the file is read once.
    public var numericVariables: [String] = []
    /// A regular expression; delimited columns whose names it matches are read as numbers (see
    /// ``numericVariables``).
    public var numericPattern: String?
    /// Threads that parse a plain (not gzip) delimited file in byte chunks, handed on in file order
    /// (``ParallelDelimitedSource``); `nil` reads it on one thread in batches of ``batchSize`` rows. The chunks
    /// depend only on ``parseChunkBytes``, so every number of workers gives the same batches.
    public var parseWorkers: Int? = nil
    /// Read the delimited columns whose type would be inferred as numbers at once, skipping the typing pass,
    /// when the file is a regular file (not a stream) and no such column is already text in the first block
    /// of records. A later value that would make a column text (letters, a leading zero) stops the read with
    /// ``TypingSpeculationFailed``; the caller must then discard what it read and read again without this.
    /// Integer and real columns come out as the typing pass would type them, except that a column may be
    /// `.integer` in the batches before its first decimal value and `.real` after it (equal as numbers).
    public var speculativeTyping = false
    /// The nominal size of a parsing chunk in bytes (each ends at the next line break).
    public var parseChunkBytes = 2 << 20

    /// Whether `name` is one of ``numericVariables`` or matches ``numericPattern`` (an invalid pattern
    /// matches nothing: the caller reports it).
    func readsAsNumber(_ name: String) -> Bool {
        if numericVariables.contains(where: { $0.lowercased() == name.lowercased() }) { return true }
        guard let numericPattern, let regex = try? Regex(numericPattern) else { return false }
        return name.firstMatch(of: regex) != nil
    }

    /// The default ``maxLineLength``: 8 MiB.
    public static let defaultMaxLineLength = 8 << 20

    /// How the rows of a hierarchical file are arranged in batches.
    public enum Shape: Sendable, Hashable {
        /// One table: every row has every column; columns of other record types are missing.
        case long
        /// Each batch holds rows of one record type (``Batch/recordType``) with that type's columns only.
        case perRecordType
    }

    /// The layout of a data file.
    public enum DataFormat: Sendable, Hashable {
        case fixedWidth
        /// Delimited text with a header row; `delimiter` `nil` detects comma or tab from the header.
        case delimited(delimiter: UInt8?)
    }

    public init(
        variables: [String]? = nil, batchSize: Int = 65_536, keepRawMissing: Bool = false, strict: Bool = false,
        recordType: String? = nil, limit: Int? = nil, skip: Int = 0, shape: Shape = .long,
        format: DataFormat? = nil, maxLineLength: Int = ReadOptions.defaultMaxLineLength
    ) {
        self.skip = skip
        self.maxLineLength = maxLineLength
        self.shape = shape
        self.format = format
        self.variables = variables
        self.batchSize = batchSize
        self.keepRawMissing = keepRawMissing
        self.strict = strict
        self.recordType = recordType
        self.limit = limit
    }
}
