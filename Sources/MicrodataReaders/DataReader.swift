import Foundation
import MicrodataCodebook

#if canImport(Glibc)
    import Glibc
#endif

/// Opens a data file as a stream of batches.
public enum DataReader {
    /// The data file a command-line argument names: `-` is standard input (a pipe, FIFO or redirected file).
    public static func dataURL(_ argument: String) -> URL {
        URL(fileURLWithPath: argument == "-" ? "/dev/stdin" : argument)
    }

    /// Opens `data` for reading.
    ///
    /// With a codebook whose variables have positions, the file is read as fixed-width (flat or
    /// hierarchical, in one pass, dispatching on the record-type field); otherwise, or when the first line
    /// is a header naming codebook variables, as delimited text with a header row, its delimiter (comma, tab,
    /// semicolon or pipe) sniffed from the header (``Delimiter/sniff(_:)``) unless given in
    /// ``ReadOptions/format``. Delimited columns take their type from the codebook variable of the same name (case-insensitive; text when absent) and are inferred from the values when there is no
    /// codebook. gzip is detected by its magic bytes and inflated on a second thread.
    ///
    /// Numeric fields are parsed strictly; without a `.` they are divided by 10^`dcml` (fixed-width only).
    /// A numeric column with no decimals is `.integer` until a value has a `.`, then `.real` for the rest
    /// of the read. Codebook missing codes become missing unless ``ReadOptions/keepRawMissing`` is set.
    /// ``BatchSource/statistics`` reports rows per record type, values set to missing and skipped lines.
    ///
    /// - Throws: `ReadError` naming the file, line (and record type), variable, byte columns and the text
    ///   found; a truncated or corrupt gzip stream is an error, never a short result.
    public static func open(data: URL, codebook: Codebook?, options: ReadOptions = ReadOptions()) throws
        -> any BatchSource
    {
        // Sniff for SPSS/Stata/SAS only on a regular file: on a FIFO or pipe the sniffed bytes would be lost.
        if options.skip < 0 { throw ReadError(message: "the number of lines to skip must be 0 or more", file: data.path) }
        var st = stat()
        let regular = stat(data.path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFREG
        if regular && StatFile.isStatFile(data) {
            if options.skip > 0 { throw skipNeedsFixedWidth(data) }
            return try StatFile.open(data, options: options)
        }
        // A delimited file without a codebook is read twice (once to type its columns); a pipe or FIFO can
        // be read only once, so it is first copied to a temporary file, unlinked once both reads are open.
        if !regular && codebook == nil && options.format != .fixedWidth && options.skip == 0 && stat(data.path, &st) == 0
            && (st.st_mode & S_IFMT) != S_IFDIR
        {
            let spool = try spoolToTemporaryFile(data.path)
            defer { unlink(spool) }
            let input = try ByteInput(path: spool, displayPath: data.path)
            if input.fileSize == 0 { throw ReadError(message: "the file is empty", file: data.path) }
            return try delimited(path: spool, displayPath: data.path, input: input, codebook: nil, options: options)
        }
        let input = try ByteInput(path: data.path)
        if input.isRegularFile && input.fileSize == 0 {
            throw ReadError(message: "the file is empty", file: data.path)
        }
        let format: ReadOptions.DataFormat
        if let given = options.format {
            format = given
        } else {
            format = try detectFormat(input: input, codebook: codebook)
        }
        switch format {
        case .delimited:
            if options.skip > 0 { throw skipNeedsFixedWidth(data) }
            return try delimited(path: data.path, displayPath: data.path, input: input, codebook: codebook, options: options)
        case .fixedWidth:
            guard let codebook else {
                throw ReadError(message: "a fixed-width file needs a codebook", file: data.path)
            }
            let plan = try FixedWidthPlan(codebook: codebook, dataPath: data.path, options: options)
            if options.recordType != nil && plan.recordTypeField == nil {
                throw ReadError(message: "a record type was asked for but the file is rectangular",
                                file: codebook.source ?? data.path)
            }
            return FixedWidthReader(input: input, plan: plan, options: options)
        }
    }

    static func skipNeedsFixedWidth(_ data: URL) -> ReadError {
        ReadError(message: "skipping leading lines is supported for fixed-width data only", file: data.path)
    }

    /// Copies a stream to a new file in the temporary directory, in 1 MiB chunks; returns its path.
    static func spoolToTemporaryFile(_ path: String) throws -> String {
        let source = Glibc.open(path, O_RDONLY)
        guard source >= 0 else {
            throw ReadError(message: "cannot open the file: \(String(cString: strerror(errno)))", file: path)
        }
        defer { close(source) }
        let directory = ProcessInfo.processInfo.environment["TMPDIR"] ?? "/tmp"
        var template = Array("\(directory)/microdata-spool-XXXXXX".utf8CString)
        let target = mkstemp(&template)
        guard target >= 0 else {
            throw ReadError(
                message: "cannot create a temporary copy of this stream in \(directory) (set TMPDIR): "
                    + String(cString: strerror(errno)), file: path)
        }
        defer { close(target) }
        let spool = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: 1 << 20, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            let got = Glibc.read(source, buffer, 1 << 20)
            if got < 0 && errno == EINTR { continue }
            if got < 0 {
                let reason = String(cString: strerror(errno))
                unlink(spool)
                throw ReadError(message: "cannot read the stream: \(reason)", file: path)
            }
            if got == 0 { return spool }
            var done = 0
            while done < got {
                let put = Glibc.write(target, buffer + done, got - done)
                if put < 0 && errno == EINTR { continue }
                if put <= 0 {
                    let reason = String(cString: strerror(errno))
                    unlink(spool)
                    throw ReadError(message: "cannot write a temporary copy of this stream to \(spool): \(reason)",
                                    file: path)
                }
                done += put
            }
        }
    }

    /// Delimited when there is no codebook, when the codebook has no positions, or when the first line is
    /// a header naming codebook variables (IPUMS CSV extracts come with a "fixed length fields" DDI).
    static func detectFormat(input: ByteInput, codebook: Codebook?) throws -> ReadOptions.DataFormat {
        guard let codebook, codebook.variables.contains(where: { $0.start != nil }) else {
            return .delimited(delimiter: nil)
        }
        while !input.atEOF && memchr(input.base + input.start, 0x0A, input.end - input.start) == nil {
            if try !input.refill() { break }
        }
        var k = input.start
        while k < input.end && input.base[k] != 0x0A { k += 1 }
        let line = UnsafeBufferPointer(start: input.base + input.start, count: k - input.start)
        let first = String(decoding: line, as: UTF8.self)
        let separator = Character(Unicode.Scalar(Delimiter.sniff(line)))
        let names = first.split(separator: separator, omittingEmptySubsequences: false).map {
            $0.trimmingCharacters(in: CharacterSet(charactersIn: "\" \r"))
        }
        let known = names.filter { codebook.variable(named: $0) != nil }.count
        return names.count > 1 && known * 2 >= names.count ? .delimited(delimiter: nil) : .fixedWidth
    }
}

extension DataReader {
    /// A delimited file from `input` (opened on `path`): in chunks on ``ReadOptions/parseWorkers`` threads when
    /// it is a plain regular file read without a row limit, otherwise on this thread.
    private static func delimited(
        path: String, displayPath: String, input: ByteInput, codebook: Codebook?, options: ReadOptions
    ) throws -> any BatchSource {
        let rereadPath = path == displayPath ? nil : path
        guard let workers = options.parseWorkers, !input.isGzip, input.isRegularFile, options.limit == nil else {
            return try DelimitedReader(path: displayPath, input: input, codebook: codebook, options: options, rereadPath: rereadPath)
        }
        let layout = try DelimitedLayout(path: displayPath, input: input, codebook: codebook, options: options, rereadPath: rereadPath)
        return try ParallelDelimitedSource(path: path, displayPath: displayPath, layout: layout, workers: workers)
    }
}
