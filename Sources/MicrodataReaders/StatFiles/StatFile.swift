import CReadStat
import Foundation

#if canImport(Glibc)
    import Glibc
#endif
import MicrodataCodebook

/// SPSS (`.sav`, `.zsav`, `.por`), Stata (`.dta`, versions 104–119) and SAS (`.sas7bdat`) files, read through
/// ReadStat: the metadata as a ``Codebook`` and the rows as ``Batch`` values.
///
/// ```swift
/// let codebook = try StatFile.codebook(url)
/// var source = try StatFile.open(url, options: ReadOptions(variables: ["AGE", "PWT"]))
/// while let batch = try source.nextBatch() { ... }
/// ```
public enum StatFile {
    /// The file formats ReadStat reads.
    public enum Format: String, Sendable, Hashable {
        /// SPSS system file, `.sav` or zlib-compressed `.zsav`.
        case spss = "sav"
        /// SPSS portable file.
        case spssPortable = "por"
        /// Stata, formats 104–119.
        case stata = "dta"
        /// SAS data set.
        case sas = "sas7bdat"
    }

    /// Whether `url` is a file ReadStat can read, by its magic bytes (and the `.por` extension).
    public static func isStatFile(_ url: URL) -> Bool { format(of: url) != nil }

    /// The format of `url`, detected from its first bytes; `.por` files (whose header is free text) by extension.
    /// Only a regular file is sniffed: reading the first bytes of a pipe (`--data -`) would lose them.
    public static func format(of url: URL) -> Format? {
        var st = stat()
        guard stat(url.path, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG,
              let handle = FileHandle(forReadingAtPath: url.path) else { return nil }
        defer { try? handle.close() }
        let head = [UInt8]((try? handle.read(upToCount: 32)) ?? Data())
        if head.starts(with: Array("$FL2".utf8)) || head.starts(with: Array("$FL3".utf8)) { return .spss }
        if head.starts(with: Array("<stata_dta>".utf8)) { return .stata }
        // Stata 104–115: release byte, byte order 1 (MSF) or 2 (LSF), file type 1.
        if head.count >= 4, (104...115).contains(head[0]), head[1] == 1 || head[1] == 2, head[2] == 1 {
            return .stata
        }
        let sasMagic: [UInt8] = [
            0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xC2, 0xEA, 0x81, 0x60, 0xB3, 0x14, 0x11, 0xCF, 0xBD, 0x92, 0x08, 0x00,
            0x09, 0xC7, 0x31, 0x8C, 0x18, 0x1F, 0x10, 0x11,
        ]
        if head.count == 32, head == sasMagic { return .sas }
        if url.pathExtension.lowercased() == "por", !head.isEmpty { return .spssPortable }
        return nil
    }

    /// The file's metadata as a codebook.
    ///
    /// - Parameter encoding: the file's character encoding when the file does not say or says wrongly
    ///   (an iconv name such as `WINDOWS-1252`); `nil` uses the file's own.
    /// - Throws: ``StatFileError``.
    public static func codebook(_ url: URL, encoding: String? = nil) throws -> Codebook {
        try codebookWithWarnings(url, encoding: encoding).codebook
    }

    /// The codebook and the inconsistencies found (value-label sets naming no variable, variables naming an
    /// undefined set, notes the model cannot hold).
    public static func codebookWithWarnings(_ url: URL, encoding: String? = nil) throws
        -> (codebook: Codebook, warnings: [StatFileWarning])
    {
        let session = try readMetadata(url, encoding: encoding)
        return StatCodebookBuilder.build(session: session)
    }

    /// Opens the file's rows as a stream of batches, reading only `options.variables` (case-insensitive, in the
    /// order given) when set.
    ///
    /// ReadStat parses on a background thread and hands over one batch at a time, so memory stays at about two
    /// batches whatever the file size. SPSS user-missing values become missing unless `keepRawMissing`; Stata
    /// extended missing (`.a`–`.z`, SAS `.A`–`.Z` and `._`) always does, whether or not the file labels the
    /// tag. Both are counted in ``ReadStatistics/missingByRule``; extended missing values are also counted per
    /// tag in ``ReadStatistics/extendedMissing``, since the codebook lists only the labelled tags.
    /// - Throws: ``StatFileError`` for an unreadable header or an unknown variable; errors in the rows are
    ///   thrown by ``BatchSource/nextBatch()`` after the batches before them.
    public static func open(_ url: URL, options: ReadOptions = ReadOptions(), encoding: String? = nil) throws
        -> any BatchSource
    {
        let metadata = try readMetadata(url, encoding: encoding)
        let variables = metadata.variables
        var selected: [Int] = []
        if let wanted = options.variables {
            for name in wanted {
                let lower = name.lowercased()
                guard let position = variables.firstIndex(where: { $0.name == name })
                    ?? variables.firstIndex(where: { $0.name.lowercased() == lower })
                else {
                    throw StatFileError(
                        kind: .unknownVariable, message: "no variable named \(name) in the file", file: url.path,
                        variable: name)
                }
                if !selected.contains(position) { selected.append(position) }
            }
        } else {
            selected = Array(variables.indices)
        }
        let channel = BatchChannel()
        if options.limit == 0 {  // ReadStat takes a row limit of 0 as "no limit"
            var stats = ReadStatistics()
            stats.stoppedAtLimit = metadata.rowCount != 0
            channel.finish(error: nil, statistics: stats)
            return StatFileReader(handle: StatFileReader.Handle(channel: channel))
        }
        let session = ReadStatSession(path: url.path, format: metadata.format, encoding: encoding)
        session.sink = StatDataSink(
            variables: variables, selected: selected, declaredRows: metadata.rowCount, options: options,
            channel: channel)
        let limit = options.limit
        let thread = Thread {
            do {
                try session.run(rowLimit: limit)
                channel.finish(error: nil, statistics: nil)
            } catch {
                channel.finish(error: error, statistics: nil)
            }
        }
        thread.stackSize = 8 << 20
        thread.start()
        return StatFileReader(handle: StatFileReader.Handle(channel: channel))
    }

    static func readMetadata(_ url: URL, encoding: String?) throws -> ReadStatSession {
        guard FileManager.default.isReadableFile(atPath: url.path) else {
            throw StatFileError(kind: .open, message: "cannot read the file", file: url.path)
        }
        guard let format = format(of: url) else {
            throw StatFileError(
                kind: .notAStatFile, message: "not an SPSS, Stata or SAS file (unrecognised first bytes)",
                file: url.path, byteOffset: 0)
        }
        let session = ReadStatSession(path: url.path, format: format, encoding: encoding)
        try session.run()
        return session
    }
}

/// The ``BatchSource`` over a ReadStat parse running on its own thread.
struct StatFileReader: BatchSource {
    /// Cancels the parse when the last copy of the reader goes away.
    final class Handle: @unchecked Sendable {
        let channel: BatchChannel
        init(channel: BatchChannel) { self.channel = channel }
        deinit { channel.cancel() }
    }

    let handle: Handle

    mutating func nextBatch() throws -> Batch? { try handle.channel.take() }

    var statistics: ReadStatistics { handle.channel.statistics }
}
