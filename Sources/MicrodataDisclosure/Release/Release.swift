import Foundation
import MicrodataWrite

/// `microdata release`: checks a set of outputs for the output checker and writes the bundle.
///
/// Each output's audit sidecar (`<output>.audit.json`) is re-verified: the output's SHA-256 must match
/// (an edited output fails), it must not be stamped NOT DISCLOSURE CONTROLLED, and no check on a
/// published part may have failed. The outputs are then audited together for differencing
/// (``ReleaseDifferencing``). Outputs that pass are copied; those with an exception go to `review` and
/// are copied; the rest `fail` and are not.
public struct Release: Sendable {
    public var outputs: [String]
    public var exceptions: [ReleaseException]
    public var researcher: String?
    public var project: String?
    /// The threshold used for differencing when an audit does not record its own.
    public var threshold: Int

    /// - Throws: ``ReleaseError`` for no outputs, two outputs with one name, or an exception naming no output.
    public init(
        outputs: [String], exceptions: [ReleaseException] = [], researcher: String? = nil, project: String? = nil,
        threshold: Int
    ) throws {
        guard !outputs.isEmpty else { throw ReleaseError.noOutputs }
        var names = Set<String>()
        for o in outputs where !names.insert(Self.name(o)).inserted { throw ReleaseError.duplicateName(Self.name(o)) }
        for e in exceptions where !outputs.contains(where: { $0 == e.file || Self.name($0) == e.file }) {
            throw ReleaseError.unknownException(file: e.file, outputs: outputs.map(Self.name))
        }
        self.outputs = outputs
        self.exceptions = exceptions
        self.researcher = researcher
        self.project = project
        self.threshold = threshold
    }

    static func name(_ path: String) -> String { URL(fileURLWithPath: path).lastPathComponent }

    /// One output as found on disk.
    struct Found {
        var path: String
        var audit: OutputAudit?
        var sha256: String?
        var checks: [OutputCheck] = []
        /// Reasons an exception may turn into `review`, and reasons it may not.
        var failures: [String] = []
        var fatal: [String] = []
        var reviews: [String] = []
    }

    /// Verifies every output and audits them together; reads files, writes nothing.
    public func assess(now: Date = Date()) -> ReleaseSummary {
        var found = outputs.map(verify)
        let audited = found.indices.compactMap { i in found[i].audit.map { (i, $0) } }
        for (i, reasons) in ReleaseDifferencing(threshold: threshold).flags(audited.map { (Self.name(found[$0.0].path), $0.1) }) {
            let k = audited[i].0
            found[k].failures += reasons
            found[k].checks += reasons.map {
                OutputCheck(rule: "differencing", subject: "output", status: .fail, evidence: $0)
            }
        }
        let entries = found.map { f -> ReleaseEntry in
            let exception = exceptions.first { $0.file == f.path || $0.file == Self.name(f.path) }?.reason
            var status: OutputCheck.Status = .pass
            var reasons = f.fatal + f.failures + f.reviews
            if !f.fatal.isEmpty {
                status = .fail
            } else if !f.failures.isEmpty {
                status = exception == nil ? .fail : .review
            } else if !f.reviews.isEmpty {
                status = .review
            }
            if let exception, status == .review, !f.failures.isEmpty { reasons.append("exception: \(exception)") }
            return ReleaseEntry(
                file: Self.name(f.path), status: status, command: f.audit.map { Self.commandLine($0.command) },
                rules: f.audit?.rules, checks: f.checks, reasons: reasons, sha256: f.sha256, exception: exception)
        }
        return ReleaseSummary(
            outputs: entries, researcher: researcher, project: project, created: OutputAudit.timestamp(now))
    }

    private func verify(_ path: String) -> Found {
        var f = Found(path: path)
        guard let data = FileManager.default.contents(atPath: path) else {
            f.fatal.append("the output cannot be read")
            return f
        }
        f.sha256 = SHA256.hex([UInt8](data))
        if PartialFile.isPartial(data) {  // no exception releases it
            f.fatal.append("a partial result of microdata tabulate --partial is intermediate, not for release: "
                + "give the partial results to microdata combine and release its output")
        }
        if String(decoding: data, as: UTF8.self).contains(OutputAudit.notControlled) {
            f.failures.append("the output is stamped \(OutputAudit.notControlled)")
        }
        let sidecar = OutputAudit.sidecarPath(of: path)
        guard FileManager.default.fileExists(atPath: sidecar) else {
            f.failures.append("no audit: \(Self.name(sidecar)) is missing, so no check is on record")
            return f
        }
        let audit: OutputAudit
        do { audit = try OutputAudit.load(sidecar) } catch {
            f.failures.append("the audit cannot be read: \(error)")
            return f
        }
        f.audit = audit
        f.checks = audit.checks
        if audit.sha256 != f.sha256 {
            f.fatal.append("the output does not match its audit (SHA-256 \(f.sha256!) found, \(audit.sha256) audited): "
                + "it was changed after it was checked")
            f.checks.append(OutputCheck(rule: "sha256", subject: "output", status: .fail, evidence: "hash differs from the audit"))
        } else {
            f.checks.append(OutputCheck(rule: "sha256", subject: "output", status: .pass, evidence: "hash matches the audit"))
        }
        if !audit.controlled, !f.failures.contains(where: { $0.contains(OutputAudit.notControlled) }) {
            f.failures.append("written without disclosure control (\(audit.stamp ?? OutputAudit.notControlled))")
        }
        for c in audit.checks where c.effect == .fail {
            f.failures.append("\(c.rule) failed on \(c.subject): \(c.evidence)")
        }
        for c in audit.checks where c.effect == .review {
            f.reviews.append("\(c.rule) on \(c.subject) needs review: \(c.evidence)")
        }
        return f
    }

    /// A command line as one shell-quoted line.
    static func commandLine(_ words: [String]) -> String {
        words.map { w in
            w.isEmpty || w.contains(where: { !($0.isLetter || $0.isNumber || "-_./=:,+@%".contains($0)) })
                ? "'" + w.replacingOccurrences(of: "'", with: "'\\''") + "'" : w
        }.joined(separator: " ")
    }

    /// Writes the bundle: the outputs that may leave (`pass`, `review`) with their audits, `summary.json`
    /// and `index.html`, each through ``OutputFile`` (temporary file and rename).
    public func write(_ summary: ReleaseSummary, to bundle: String) throws {
        try OutputTarget.createFolder(bundle)
        let folder = URL(fileURLWithPath: bundle)
        let copied = zip(outputs, summary.outputs).filter { $0.1.status != .fail }
        try OutputTarget.check(
            outputs: copied.flatMap { [folder.appendingPathComponent($0.1.file).path,
                                       folder.appendingPathComponent($0.1.file + ".audit.json").path] }
                + ["summary.json", "index.html"].map { folder.appendingPathComponent($0).path },
            inputs: outputs + outputs.map(OutputAudit.sidecarPath))
        for (path, entry) in copied {
            guard let data = FileManager.default.contents(atPath: path) else {
                throw OutputAuditError.unreadable(path: path, reason: "changed while the bundle was written")
            }
            guard SHA256.hex([UInt8](data)) == entry.sha256 else {
                throw OutputAuditError.unreadable(path: path, reason: "changed while the bundle was written")
            }
            try OutputFile.write(data, to: folder.appendingPathComponent(entry.file).path)
            if let audit = FileManager.default.contents(atPath: OutputAudit.sidecarPath(of: path)) {
                try OutputFile.write(audit, to: folder.appendingPathComponent(entry.file + ".audit.json").path)
            }
        }
        try OutputFile.write(summary.json(), to: folder.appendingPathComponent("summary.json").path)
        try OutputFile.write(ReleasePage.html(summary), to: folder.appendingPathComponent("index.html").path)
    }
}
