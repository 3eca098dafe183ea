import CReadStat
import Foundation
import MicrodataCodebook

/// Writes batches as a Stata (.dta, format 118, UTF-8) or SPSS (.sav) file through ReadStat's writer, with
/// each column's codebook metadata: the variable label, value labels and missing-value declarations.
///
/// The bytes go to a sink (an `OutputFile`, so the target is written whole or not at all). ReadStat writes the
/// row count and the string widths in the header, so the rows are held in memory until ``write(_:variables:to:)``.
///
/// Missing values:
/// - `.sav`: declared codes (up to three values, or one range and one value) are SPSS user-missing values and the
///   values are written as they are; a value missing in the data (`NaN`, `nil`) is system-missing.
/// - `.dta`: Stata has no user-missing codes. Each declared missing code present in the data or labelled is
///   written as an extended missing value `.a`, `.b`, … (in the order of declaration) carrying the code's label;
///   codes beyond 26, and values in a declared range that are not listed codes, become `.`.
public struct StatFileWriter {
    /// The file format written.
    public enum Format: String, Sendable, Hashable, CaseIterable {
        case dta, sav
    }

    public let format: Format
    /// The file label (Stata's data label, SPSS's file label).
    public var fileLabel: String?

    public init(format: Format, fileLabel: String? = nil) {
        self.format = format
        self.fileLabel = fileLabel
    }

    /// Writes `batches` (same columns in each) with `variables[name]` (matched case-insensitively) describing
    /// the column of that name; a column without a variable gets no labels.
    ///
    /// - Returns: Warnings about metadata the format cannot hold (labels shortened, text value labels in Stata, …).
    /// - Throws: ``StatFileWriteError`` naming the variable (an invalid name, a string too wide), or the sink's error.
    public func write(_ batches: [Batch], variables: [String: Variable], to sink: (UnsafeRawBufferPointer) throws -> Void)
        throws -> [String]
    {
        let columns = batches.first?.columns.map(\.name) ?? []
        let rowCount = batches.reduce(0) { $0 + $1.rowCount }
        let lower = Dictionary(variables.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { a, _ in a })
        var plans: [StatColumnPlan] = []
        var warnings: [String] = []
        for (k, name) in columns.enumerated() {
            let variable = variables[name] ?? lower[name.lowercased()]
            plans.append(try StatColumnPlan(name: name, column: batches.map { $0.columns[k] }, variable: variable,
                                        format: format, warnings: &warnings))
        }
        try withoutActuallyEscaping(sink) { sink in
            try write(plans, batches: batches, rowCount: rowCount, box: SinkBox(sink))
        }
        return warnings
    }

    private func write(_ plans: [StatColumnPlan], batches: [Batch], rowCount: Int, box: SinkBox) throws {
        guard let writer = readstat_writer_init() else { throw StatFileWriteError("ReadStat could not start a writer") }
        defer { readstat_writer_free(writer) }
        try check(readstat_set_data_writer(writer, statWriteBytes), variable: nil)
        if let fileLabel { try check(readstat_writer_set_file_label(writer, Self.prefix(fileLabel, bytes: 80)), variable: nil) }
        if format == .sav { try check(readstat_writer_set_compression(writer, READSTAT_COMPRESS_ROWS), variable: nil) }
        var handles: [UnsafeMutablePointer<readstat_variable_t>] = []
        for plan in plans {
            handles.append(try plan.declare(in: writer, format: format))
        }
        let context = Unmanaged.passUnretained(box).toOpaque()
        try withExtendedLifetime(box) {
            switch format {
            case .dta:
                try check(readstat_writer_set_file_format_version(writer, 118), variable: nil)
                try check(readstat_begin_writing_dta(writer, context, rowCount), variable: nil)
            case .sav:
                try check(readstat_begin_writing_sav(writer, context, rowCount), variable: nil)
            }
            for (plan, handle) in zip(plans, handles) {
                try check(readstat_validate_variable(writer, handle), variable: plan.name)
            }
            try check(readstat_validate_metadata(writer), variable: nil)
            for batch in batches {
                for row in 0..<batch.rowCount {
                    try check(readstat_begin_row(writer), variable: nil, box: box)
                    for (k, plan) in plans.enumerated() {
                        try check(plan.insert(batch.columns[k], row: row, writer: writer, handle: handles[k]),
                                  variable: plan.name, box: box)
                    }
                    try check(readstat_end_row(writer), variable: nil, box: box)
                }
            }
            try check(readstat_end_writing(writer), variable: nil, box: box)
        }
    }

    private func check(_ status: readstat_error_t, variable: String?, box: SinkBox? = nil) throws {
        if let error = box?.error { throw error }
        guard status != READSTAT_OK else { return }
        throw StatFileWriteError(String(cString: readstat_error_message(status)), variable: variable, format: format)
    }

    /// The longest prefix of `text` of at most `bytes` UTF-8 bytes that ends on a character boundary.
    static func prefix(_ text: String, bytes: Int) -> String {
        if text.utf8.count <= bytes { return text }
        var out = ""
        var used = 0
        for c in text {
            let n = String(c).utf8.count
            if used + n > bytes { break }
            out.append(c)
            used += n
        }
        return out
    }
}

/// The C data writer's context: the sink, and the first error it threw.
private final class SinkBox {
    let sink: (UnsafeRawBufferPointer) throws -> Void
    var error: (any Error)?

    init(_ sink: @escaping (UnsafeRawBufferPointer) throws -> Void) { self.sink = sink }
}

private let statWriteBytes: readstat_data_writer = { data, length, ctx in
    let box = Unmanaged<SinkBox>.fromOpaque(ctx!).takeUnretainedValue()
    if box.error != nil { return -1 }
    do {
        try box.sink(UnsafeRawBufferPointer(start: data, count: length))
        return length
    } catch {
        box.error = error
        return -1
    }
}
