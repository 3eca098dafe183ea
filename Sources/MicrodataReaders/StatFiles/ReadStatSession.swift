import CReadStat
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// One variable as ReadStat's variable handler describes it.
struct StatVariableInfo: Sendable {
    var index: Int
    var name: String
    var label: String
    var format: String
    var isText: Bool
    /// Width in bytes: the declared width (SPSS `A14` is 14, not its 16-byte storage; long strings whole;
    /// Stata `str301` is 301).
    var storageWidth: Int
    var displayWidth: Int
    var decimals: Int
    var measure: readstat_measure_t
    /// The value-label set the variable names, if any.
    var labelSet: String?
    /// SPSS user-missing values and ranges (`lo == hi` for a single value); infinite bounds for LO/HI.
    var missingRanges: [(lo: Double, hi: Double)]
    var missingTexts: [String]
}

/// One value label: a numeric key, a Stata/SAS tagged missing key (`.a`), or a text key.
struct StatValueLabel: Sendable {
    enum Key: Sendable, Hashable {
        case number(Double)
        case tagged(Character)
        case text(String)
    }

    var key: Key
    var label: String
}

/// ReadStat parser state shared with the C callbacks through their `void *ctx`: the I/O position (for error
/// offsets), the metadata collected, and the data sink when rows are read.
final class ReadStatSession: @unchecked Sendable {
    let path: String
    let format: StatFile.Format
    let encoding: String?

    // I/O: reads go through a 1 MiB buffer (ReadStat asks for one row at a time), positioned with pread.
    var fd: Int32 = -1
    /// The logical position in the file (seeks move it; they are not progress: ReadStat seeks to the end to
    /// learn the size, and to offsets a corrupt or cut header names).
    var offset: Int64 = 0
    var fileSize: Int64 = 0
    /// The last read that returned bytes: where it started and ended. Errors report its start, where the
    /// bytes ReadStat rejected lie.
    var lastRead: (start: Int64, end: Int64)?
    /// The last read asked for bytes past the end of the file: where it asked from, and how many it got.
    /// `nil` when the last read was satisfied in full.
    var lastShortRead: (start: Int64, requested: Int, got: Int)?
    static let bufferCapacity = 1 << 20
    private var buffer: UnsafeMutableRawPointer?
    private var bufferStart: Int64 = 0
    private var bufferCount = 0

    // Metadata
    var rowCount = -1
    var variableCount = 0
    var fileLabel: String?
    var fileEncoding: String?
    var formatVersion = 0
    var variables: [StatVariableInfo] = []
    var labelSets: [String: [StatValueLabel]] = [:]
    var labelSetOrder: [String] = []
    var weightIndex: Int?
    var notes: [String] = []
    var errorMessages: [String] = []

    /// Set when reading rows.
    var sink: StatDataSink?

    init(path: String, format: StatFile.Format, encoding: String?) {
        self.path = path
        self.format = format
        self.encoding = encoding
    }

    deinit { buffer?.deallocate() }

    /// Resets the buffer when the file is (re)opened.
    func resetBuffer() {
        bufferStart = 0
        bufferCount = 0
    }

    /// Copies up to `count` bytes from the logical position; -1 on an I/O error before any byte.
    func read(into destination: UnsafeMutableRawPointer, count: Int) -> Int {
        var copied = 0
        let start = offset
        defer {
            if copied > 0 { lastRead = (start, offset) }
            lastShortRead = copied < count ? (start, count, copied) : nil
        }
        while copied < count {
            let available = Int(bufferStart + Int64(bufferCount) - offset)
            if offset >= bufferStart, available > 0 {
                let n = min(available, count - copied)
                (destination + copied).copyMemory(from: buffer! + Int(offset - bufferStart), byteCount: n)
                copied += n
                offset += Int64(n)
                continue
            }
            if count - copied >= Self.bufferCapacity {
                let n = pread(fd, destination + copied, count - copied, off_t(offset))
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { return copied > 0 ? copied : n }
                copied += n
                offset += Int64(n)
                continue
            }
            if buffer == nil {
                buffer = UnsafeMutableRawPointer.allocate(byteCount: Self.bufferCapacity, alignment: 16)
            }
            let n = pread(fd, buffer!, Self.bufferCapacity, off_t(offset))
            if n < 0 && errno == EINTR { continue }
            if n <= 0 {
                bufferCount = 0
                return copied > 0 ? copied : n
            }
            bufferStart = offset
            bufferCount = n
        }
        return copied
    }

    /// Runs ReadStat over the file. With `sink` nil only the metadata is read.
    func run(rowLimit: Int? = nil) throws {
        guard let parser = readstat_parser_init() else {
            throw StatFileError(kind: .open, message: "ReadStat could not allocate a parser", file: path)
        }
        defer { readstat_parser_free(parser) }
        let ctx = Unmanaged.passUnretained(self).toOpaque()
        readstat_set_open_handler(parser, statOpen)
        readstat_set_close_handler(parser, statClose)
        readstat_set_seek_handler(parser, statSeek)
        readstat_set_read_handler(parser, statRead)
        readstat_set_update_handler(parser, statUpdate)
        readstat_set_io_ctx(parser, ctx)
        readstat_set_metadata_handler(parser, statMetadata)
        readstat_set_note_handler(parser, statNote)
        readstat_set_variable_handler(parser, statVariable)
        readstat_set_fweight_handler(parser, statWeight)
        readstat_set_value_label_handler(parser, statValueLabel)
        readstat_set_error_handler(parser, statErrorMessage)
        if sink != nil { readstat_set_value_handler(parser, statValue) }
        // ReadStat keeps the pointer, not a copy, until the parse ends: a Swift String's temporary C string
        // would dangle (seen as an intermittent "unsupported character set").
        let encodingName = encoding.flatMap { strdup($0) }
        defer { free(encodingName) }
        if let encodingName { readstat_set_file_character_encoding(parser, encodingName) }
        if let rowLimit, rowLimit > 0 { readstat_set_row_limit(parser, rowLimit) }

        let status: readstat_error_t = withExtendedLifetime(self) {
            switch format {
            case .spss: readstat_parse_sav(parser, path, ctx)
            case .spssPortable: readstat_parse_por(parser, path, ctx)
            case .stata: readstat_parse_dta(parser, path, ctx)
            case .sas: readstat_parse_sas7bdat(parser, path, ctx)
            }
        }
        if fd >= 0 {
            close(fd)
            fd = -1
        }
        if status != READSTAT_OK {
            if status == READSTAT_ERROR_USER_ABORT, sink?.cancelled == true { return }
            throw makeError(status)
        }
        if format == .stata { try StataCompleteness.check(self) }
        if let sink {
            try sink.finish(session: self, rowLimit: rowLimit)
        }
    }

    /// Where an error is located: for a read cut short by the end of the file, the end of what it got
    /// (≤ the file size); otherwise the start of the last read that returned bytes (0 before any read).
    var errorOffset: Int64 {
        let position: Int64
        if let short = lastShortRead {
            position = short.start + Int64(short.got)
        } else {
            position = lastRead?.start ?? 0
        }
        return max(0, min(position, fileSize))
    }

    /// The reason to add to a message when the last read ran into the end of the file, else `nil`.
    var truncationNote: String? {
        guard let short = lastShortRead, short.start + Int64(short.requested) > fileSize else { return nil }
        if short.start >= fileSize {
            return "the file ended after \(fileSize) bytes, but \(short.requested) bytes were needed at byte offset "
                + "\(short.start) (truncated?)"
        }
        return "the file ended after \(fileSize) bytes, inside \(short.requested) bytes needed from byte offset "
            + "\(short.start) (truncated?)"
    }

    /// The 1-based row being read, when the error came after the first data value.
    var errorRow: Int? {
        guard let sink, sink.startedData else { return nil }
        return sink.rowsRead + 1
    }

    private func makeError(_ status: readstat_error_t) -> StatFileError {
        let base = String(cString: readstat_error_message(status))
        var message = base
        if !errorMessages.isEmpty { message += " (" + errorMessages.joined(separator: "; ") + ")" }
        var kind: StatFileError.Kind
        switch status {
        case READSTAT_ERROR_OPEN: kind = .open
        case READSTAT_ERROR_READ, READSTAT_ERROR_SEEK: kind = .truncated
        case READSTAT_ERROR_UNSUPPORTED_COMPRESSION, READSTAT_ERROR_UNSUPPORTED_CHARSET,
            READSTAT_ERROR_UNSUPPORTED_FILE_FORMAT_VERSION:
            kind = .unsupported
        case READSTAT_ERROR_CONVERT, READSTAT_ERROR_CONVERT_BAD_STRING, READSTAT_ERROR_CONVERT_SHORT_STRING,
            READSTAT_ERROR_CONVERT_LONG_STRING:
            kind = .encoding
        default: kind = .corrupt
        }
        if kind == .open {
            message += ": " + String(cString: strerror(errno))
        } else if let note = truncationNote, kind == .corrupt || kind == .truncated {
            // ReadStat reports a short read as a read error, or (SPSS data) as a row-count mismatch.
            kind = .truncated
            message += "; " + note
        } else if kind == .truncated {
            // A read or seek error without a short read: the I/O failed, the file is not known to be cut.
            kind = .corrupt
        }
        return StatFileError(
            kind: kind, message: message, file: path, byteOffset: kind == .open ? nil : Int(errorOffset),
            fileSize: kind == .open ? nil : Int(fileSize), row: errorRow)
    }
}

// MARK: - C callbacks

@inline(__always)
private func session(_ ctx: UnsafeMutableRawPointer?) -> ReadStatSession {
    Unmanaged<ReadStatSession>.fromOpaque(ctx!).takeUnretainedValue()
}

private func string(_ p: UnsafePointer<CChar>?) -> String {
    guard let p else { return "" }
    return String(cString: p)
}

/// A string ReadStat hands over in a fixed-size entry that need not end in NUL: at most `limit` bytes.
private func string(_ p: UnsafePointer<CChar>?, limit: Int) -> String {
    guard let p else { return "" }
    let n = strnlen(p, limit)
    return p.withMemoryRebound(to: UInt8.self, capacity: n) { String(decoding: UnsafeBufferPointer(start: $0, count: n), as: UTF8.self) }
}

/// The size of a Stata value-label-name entry (ReadStat passes a pointer into a table of these, unterminated
/// when the name fills it): 9 bytes before format 110, 33 before 118, 129 from 118.
private func stataLabelNameLength(version: Int) -> Int {
    version < 110 ? 9 : (version < 118 ? 33 : 129)
}

private let statOpen: readstat_open_handler = { path, ctx in
    let s = session(ctx)
    let fd = open(path!, O_RDONLY)
    s.fd = fd
    s.offset = 0
    s.lastRead = nil
    s.lastShortRead = nil
    s.resetBuffer()
    if fd >= 0 {
        var info = stat()
        if fstat(fd, &info) == 0 { s.fileSize = Int64(info.st_size) }
    }
    return fd
}

private let statClose: readstat_close_handler = { ctx in
    let s = session(ctx)
    guard s.fd >= 0 else { return 0 }
    let r = close(s.fd)
    s.fd = -1
    return r
}

private let statSeek: readstat_seek_handler = { offset, whence, ctx in
    let s = session(ctx)
    let position: Int64
    switch whence {
    case READSTAT_SEEK_CUR: position = s.offset + Int64(offset)
    case READSTAT_SEEK_END: position = s.fileSize + Int64(offset)
    default: position = Int64(offset)
    }
    guard position >= 0 else {
        errno = EINVAL
        return -1
    }
    s.offset = position
    return off_t(position)
}

private let statRead: readstat_read_handler = { buffer, count, ctx in
    guard let buffer else { return -1 }
    return session(ctx).read(into: buffer, count: count)
}

private let statUpdate: readstat_update_handler = { _, _, _, _ in READSTAT_OK }

private let statMetadata: readstat_metadata_handler = { metadata, ctx in
    let s = session(ctx)
    s.rowCount = Int(readstat_get_row_count(metadata))
    s.variableCount = Int(readstat_get_var_count(metadata))
    let label = string(readstat_get_file_label(metadata))
    s.fileLabel = label.isEmpty ? nil : label
    let encoding = string(readstat_get_file_encoding(metadata))
    s.fileEncoding = encoding.isEmpty ? nil : encoding
    s.formatVersion = Int(readstat_get_file_format_version(metadata))
    return Int32(READSTAT_HANDLER_OK)
}

private let statNote: readstat_note_handler = { _, note, ctx in
    session(ctx).notes.append(string(note))
    return Int32(READSTAT_HANDLER_OK)
}

private let statVariable: readstat_variable_handler = { index, variable, labelSet, ctx in
    let s = session(ctx)
    guard let variable else { return Int32(READSTAT_HANDLER_OK) }
    var ranges: [(lo: Double, hi: Double)] = []
    var texts: [String] = []
    for i in 0..<readstat_variable_get_missing_ranges_count(variable) {
        let lo = readstat_variable_get_missing_range_lo(variable, i)
        let hi = readstat_variable_get_missing_range_hi(variable, i)
        if readstat_value_type_class(lo) == READSTAT_TYPE_CLASS_STRING {
            texts.append(string(readstat_string_value(lo)))
        } else {
            ranges.append((readstat_double_value(lo), readstat_double_value(hi)))
        }
    }
    let set = s.format == .stata ? string(labelSet, limit: stataLabelNameLength(version: s.formatVersion))
        : string(labelSet)
    let format = string(readstat_variable_get_format(variable))
    var width = Int(readstat_variable_get_storage_width(variable))
    // SPSS stores strings in 8-byte segments (A14 takes 16 bytes): the declared width is the format's.
    if s.format != .stata, format.hasPrefix("A"), let declared = Int(format.dropFirst()), declared > 0 {
        width = declared
    }
    let info = StatVariableInfo(
        index: Int(index), name: string(readstat_variable_get_name(variable)),
        label: string(readstat_variable_get_label(variable)), format: format,
        isText: readstat_variable_get_type_class(variable) == READSTAT_TYPE_CLASS_STRING,
        storageWidth: width,
        displayWidth: Int(readstat_variable_get_display_width(variable)), decimals: Int(variable.pointee.decimals),
        measure: readstat_variable_get_measure(variable), labelSet: set.isEmpty ? nil : set,
        missingRanges: ranges, missingTexts: texts)
    s.variables.append(info)
    if let sink = s.sink {
        return sink.isSelected(Int(index)) ? Int32(READSTAT_HANDLER_OK) : Int32(READSTAT_HANDLER_SKIP_VARIABLE)
    }
    return Int32(READSTAT_HANDLER_OK)
}

private let statWeight: readstat_fweight_handler = { variable, ctx in
    if let variable { session(ctx).weightIndex = Int(readstat_variable_get_index(variable)) }
    return Int32(READSTAT_HANDLER_OK)
}

private let statValueLabel: readstat_value_label_handler = { setName, value, label, ctx in
    let s = session(ctx)
    let name = string(setName)
    let key: StatValueLabel.Key
    if readstat_value_is_tagged_missing(value) != 0 {
        key = .tagged(Character(Unicode.Scalar(UInt8(bitPattern: readstat_value_tag(value)))))
    } else if readstat_value_type_class(value) == READSTAT_TYPE_CLASS_STRING {
        key = .text(string(readstat_string_value(value)))
    } else {
        key = .number(readstat_double_value(value))
    }
    if s.labelSets[name] == nil { s.labelSetOrder.append(name) }
    s.labelSets[name, default: []].append(StatValueLabel(key: key, label: string(label)))
    return Int32(READSTAT_HANDLER_OK)
}

private let statErrorMessage: readstat_error_handler = { message, ctx in
    let text = string(message).trimmingCharacters(in: .whitespacesAndNewlines)
    if !text.isEmpty { session(ctx).errorMessages.append(text) }
}

private let statValue: readstat_value_handler = { row, variable, value, ctx in
    let s = session(ctx)
    guard let sink = s.sink, let variable else { return Int32(READSTAT_HANDLER_OK) }
    return sink.accept(row: Int(row), variable: variable, value: value)
        ? Int32(READSTAT_HANDLER_OK) : Int32(READSTAT_HANDLER_ABORT)
}
