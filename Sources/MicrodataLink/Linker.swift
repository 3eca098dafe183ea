import Foundation
import MicrodataCodebook
import MicrodataReaders
import MicrodataWrite

/// Chains joins and writes their result with the audit.
public enum Linker {
    /// `left` joined with each right side in turn (birth ⋈ age 10 ⋈ age 42).
    /// `leftName` names the left file in messages; `log` receives each step's audit as it finishes.
    public static func chain(left: any BatchSource, steps: [(LinkStep, any BatchSource)], auditBy: [String] = [],
                             leftName: String? = nil, log: LinkAuditLog? = nil) throws -> any BatchSource
    {
        var source = left
        for (k, (step, right)) in steps.enumerated() {
            var join = try JoinSource(left: source, right: right, step: step, auditBy: auditBy, leftName: k == 0 ? leftName : nil)
            join.log = log
            source = join
        }
        return source
    }

    /// The audit steps of a chain built by ``chain(left:steps:auditBy:)`` (empty for any other source).
    public static func audit(of source: any BatchSource) -> LinkAudit {
        LinkAudit(steps: (source as? JoinSource)?.steps ?? [])
    }

    /// What ``write(_:to:format:variables:codebooks:codebookOut:)`` wrote.
    public struct Written: Sendable {
        /// Rows written.
        public var rows: Int
        /// Metadata the output format could not hold (see `StatFileWriter`).
        public var warnings: [String]
    }

    /// Streams `source` to `path` whole or not at all (see `OutputFile`: a temporary file renamed at the end,
    /// so a failed join leaves the target as it was), keeping only `variables` when given (matched
    /// case-insensitively).
    ///
    /// `.dta` and `.sav` carry the variable labels, value labels and missing-value declarations of `codebooks`
    /// (see `StatFileWriter`); their rows are held in memory until written. `codebookOut` receives a DDI 2.5
    /// codebook of the output built from the same metadata (see ``LinkCodebooks/linked(_:columns:rows:file:format:)``).
    public static func write(_ source: inout any BatchSource, to path: String, format: LinkedWriter.Format,
                             variables: [String]? = nil, codebooks: LinkCodebooks = LinkCodebooks(),
                             codebookOut: String? = nil) throws -> Written {
        var wanted: [String]?
        func select(_ batch: Batch) throws -> Batch {
            guard let variables else { return batch }
            var batch = batch
            if wanted == nil {
                wanted = try variables.map { try batch.requiredColumn($0, file: "the linked data", role: "--variables").name }
            }
            batch.columns = wanted!.map { name in batch.columns.first { $0.name == name }! }
            return batch
        }
        let name = URL(fileURLWithPath: path).lastPathComponent
        if let stat = format.statFormat {
            var batches: [Batch] = []
            while let batch = try source.nextBatch() { batches.append(try select(batch)) }
            let columns = batches.first?.columns ?? []
            let rows = batches.reduce(0) { $0 + $1.rowCount }
            let book = codebooks.linked(source, columns: columns, rows: rows, file: name, format: format.description)
            let file = try OutputFile(path: path)
            do {
                let warnings = try StatFileWriter(format: stat, fileLabel: book.study.title).write(
                    batches, variables: Dictionary(book.variables.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
                ) { bytes in try file.write([UInt8](bytes)) }
                try file.commit()
                if let codebookOut { try OutputFile.write(DDIWriter().write(book), to: codebookOut) }
                return Written(rows: rows, warnings: warnings)
            } catch {
                file.discard()
                throw error
            }
        }
        var writer = try LinkedWriter(path: path, format: format)
        var first: [Column]?
        do {
            while let batch = try source.nextBatch() {
                let selected = try select(batch)
                if first == nil { first = selected.columns.map { $0.missingLike(count: 0) } }
                try writer.write(selected)
            }
            try writer.close()
        } catch {
            writer.discard()
            throw error
        }
        if let codebookOut {
            let book = codebooks.linked(source, columns: first ?? [], rows: writer.rows, file: name, format: format.description)
            try OutputFile.write(DDIWriter().write(book), to: codebookOut)
        }
        return Written(rows: writer.rows, warnings: [])
    }

    /// Writes the audit JSON to `path`, whole or not at all (see `OutputFile`).
    public static func writeAudit(_ audit: LinkAudit, to path: String) throws {
        try OutputFile.write(audit.json(), to: path)
    }
}
