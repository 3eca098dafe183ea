import Foundation
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

    /// Streams `source` to `path` whole or not at all (see `OutputFile`: a temporary file renamed at the end,
    /// so a failed join leaves the target as it was), keeping only `variables` when given (matched
    /// case-insensitively).
    public static func write(_ source: inout any BatchSource, to path: String, format: LinkedWriter.Format,
                             variables: [String]? = nil) throws -> Int {
        var writer = try LinkedWriter(path: path, format: format)
        do {
            var wanted: [String]?
            while var batch = try source.nextBatch() {
                if let variables {
                    if wanted == nil {
                        wanted = try variables.map { try batch.requiredColumn($0, file: "the linked data", role: "--variables").name }
                    }
                    batch.columns = wanted!.map { name in batch.columns.first { $0.name == name }! }
                }
                try writer.write(batch)
            }
            try writer.close()
        } catch {
            writer.discard()
            throw error
        }
        return writer.rows
    }

    /// Writes the audit JSON to `path`, whole or not at all (see `OutputFile`).
    public static func writeAudit(_ audit: LinkAudit, to path: String) throws {
        try OutputFile.write(audit.json(), to: path)
    }
}
