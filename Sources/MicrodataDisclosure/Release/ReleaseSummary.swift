import Foundation
import MicrodataWrite

/// What `microdata release` decided for one output.
public struct ReleaseEntry: Sendable, Codable, Equatable {
    /// The output's file name (as copied into the bundle).
    public var file: String
    /// `pass` (copied), `review` (copied, for a human decision) or `fail` (not copied).
    public var status: OutputCheck.Status
    /// The command line that wrote it, as one line (`nil` without an audit).
    public var command: String?
    /// The rules in force when it was written.
    public var rules: String?
    /// The checks from its audit, then the release's own (hash, stamp, differencing).
    public var checks: [OutputCheck]
    /// Why the output is not a plain pass, one sentence each.
    public var reasons: [String]
    /// The SHA-256 of the output as found (not as the audit says).
    public var sha256: String?
    /// The researcher's exception text, when one was given.
    public var exception: String?

    public init(
        file: String, status: OutputCheck.Status, command: String?, rules: String?, checks: [OutputCheck],
        reasons: [String], sha256: String?, exception: String?
    ) {
        self.file = file
        self.status = status
        self.command = command
        self.rules = rules
        self.checks = checks
        self.reasons = reasons
        self.sha256 = sha256
        self.exception = exception
    }

    private enum CodingKeys: String, CodingKey { case file, status, command, rules, checks, reasons, sha256, exception }

    /// Every key is written, `null` when absent, so the checker's tools see the same shape for each output.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(file, forKey: .file)
        try c.encode(status, forKey: .status)
        try c.encode(command, forKey: .command)
        try c.encode(rules, forKey: .rules)
        try c.encode(checks, forKey: .checks)
        try c.encode(reasons, forKey: .reasons)
        try c.encode(sha256, forKey: .sha256)
        try c.encode(exception, forKey: .exception)
    }
}

/// `BUNDLE/summary.json`: every output's status, checks and reasons, and who asked for the release.
public struct ReleaseSummary: Sendable, Codable, Equatable {
    public var outputs: [ReleaseEntry]
    public var researcher: String?
    public var project: String?
    /// When the bundle was made (ISO 8601, UTC).
    public var created: String

    public init(outputs: [ReleaseEntry], researcher: String?, project: String?, created: String) {
        self.outputs = outputs
        self.researcher = researcher
        self.project = project
        self.created = created
    }

    /// One line per output for the terminal: status, file and the first reason.
    public var consoleLines: [String] {
        outputs.map { e in "\(e.status.rawValue) \(e.file)" + (e.reasons.first.map { ": " + $0 } ?? "") }
    }

    /// Whether every output passed (exit status 0; otherwise 3).
    public var allPass: Bool { outputs.allSatisfy { $0.status == .pass } }

    private enum CodingKeys: String, CodingKey { case outputs, researcher, project, created }

    /// Absent researcher and project are written as `null`.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(outputs, forKey: .outputs)
        try c.encode(researcher, forKey: .researcher)
        try c.encode(project, forKey: .project)
        try c.encode(created, forKey: .created)
    }

    /// The summary as pretty-printed JSON with sorted keys.
    public func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }
}

/// A researcher's exception: `FILE: reason`. An output that would fail for lack of an audit, for its NOT
/// DISCLOSURE CONTROLLED stamp, for a failed check or for differencing goes to `review` instead, with the
/// reason shown to the output checker. An output whose bytes do not match its audit fails regardless.
public struct ReleaseException: Sendable, Equatable {
    /// The output as given on the command line, or its file name.
    public var file: String
    public var reason: String

    /// Parses `FILE: reason` (the first `: ` separates them).
    /// - Throws: ``ReleaseError/badException(_:)`` without a file or a reason.
    public init(parsing text: String) throws {
        guard let colon = text.range(of: ": ") ?? text.range(of: ":") else { throw ReleaseError.badException(text) }
        file = text[..<colon.lowerBound].trimmingCharacters(in: .whitespaces)
        reason = text[colon.upperBound...].trimmingCharacters(in: .whitespaces)
        guard !file.isEmpty, !reason.isEmpty else { throw ReleaseError.badException(text) }
    }
}

/// Why a release cannot be made at all (nothing is written).
public enum ReleaseError: Error, Equatable, CustomStringConvertible {
    case badException(String)
    /// An exception names no output of the release.
    case unknownException(file: String, outputs: [String])
    /// Two outputs have the same file name, so the bundle cannot hold both.
    case duplicateName(String)
    case noOutputs

    public var description: String {
        switch self {
        case let .badException(text): "--exception '\(text)': expected 'FILE: reason'"
        case let .unknownException(file, outputs):
            "--exception names \(file), which is not one of the outputs (\(outputs.joined(separator: ", ")))"
        case let .duplicateName(name): "two outputs are named \(name): the bundle cannot hold both; rename one"
        case .noOutputs: "give at least one output"
        }
    }
}

