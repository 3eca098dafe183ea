import Foundation

/// One output check: a rule applied to one part of an output (a cell, a coefficient, the whole file), its
/// outcome, whether that part was withheld, and the evidence. Evidence never holds a number the output
/// itself withholds. A failed rule on a withheld part is safe: only a failure on a published part (or on
/// the whole output) stops it.
public struct OutputCheck: Sendable, Codable, Equatable {
    /// The rule's outcome: `pass`, `fail`, or `review` (a human decides).
    public enum Status: String, Sendable, Codable, Equatable, Comparable {
        case pass, review, fail

        private var rank: Int { self == .pass ? 0 : self == .review ? 1 : 2 }
        public static func < (a: Status, b: Status) -> Bool { a.rank < b.rank }
    }

    /// The rule's name, as in the rules file or the status column (`threshold`, `nk`, `p%`,
    /// `quantile-sides`, `subpop-complement`, `residual-df`, ...).
    public var rule: String
    /// What the rule was applied to (`region=A mean income`, `coefficient factor(sex)2`, `output`).
    public var subject: String
    public var status: Status
    /// Whether the subject was withheld (shown as the marker, or not written at all).
    public var withheld: Bool
    public var evidence: String

    public init(rule: String, subject: String, status: Status, withheld: Bool = false, evidence: String) {
        self.rule = rule
        self.subject = subject
        self.status = status
        self.withheld = withheld
        self.evidence = evidence
    }

    /// What the check means for the output: a failure on a withheld part is a pass.
    public var effect: Status { withheld && status == .fail ? .pass : status }
}

/// One published (or withheld) cell, as `microdata release` compares outputs against each other for
/// differencing: its domain, statistic and unit count (`nil` when the cell is withheld).
public struct AuditedCell: Sendable, Codable, Equatable, Hashable {
    /// `VAR=VALUE` for each by-variable, in order.
    public var domain: [String]
    public var statistic: String
    public var variable: String
    public var level: String?
    /// Unweighted units behind the cell as published; `nil` for a withheld cell.
    public var units: Int?

    public init(domain: [String], statistic: String, variable: String, level: String?, units: Int?) {
        self.domain = domain
        self.statistic = statistic
        self.variable = variable
        self.level = level
        self.units = units
    }

    /// The cell's identity without its count: two outputs publishing the same identity publish the same cell.
    public var identity: String {
        (domain + [statistic, variable, level ?? ""]).joined(separator: "\u{1f}")
    }

    /// The units the cell rests on, whatever the statistic: a mean, a total or a quantile of one variable in
    /// one domain count the same rows (the level is kept only where it is a category).
    public var unitsIdentity: String {
        let category = ["proportion", "total", "mean"].contains(statistic) ? level ?? "" : ""
        return (domain + [variable, category]).joined(separator: "\u{1f}")
    }
}

/// The population an output describes: the data file and any row filter (`--subpop`). Outputs on the same
/// data with different filters can be differenced.
public struct AuditedPopulation: Sendable, Codable, Equatable {
    /// The data file as an absolute path.
    public var data: String
    /// The `--subpop` expression, `nil` for every row.
    public var filter: String?

    public init(data: String, filter: String?) {
        self.data = URL(fileURLWithPath: data).standardizedFileURL.path
        self.filter = filter
    }
}

/// The audit sidecar written beside every output as `<output>.audit.json`: the command line, the rules in
/// force, each check with its evidence, and the SHA-256 of the output's bytes, so that `microdata release`
/// can tell an edited output from the one the checks were run on.
public struct OutputAudit: Sendable, Codable, Equatable {
    /// The document type and version.
    public static let formatName = "microdata output audit 1"
    /// What an output without disclosure control carries, in its stamp and here.
    public static let notControlled = "NOT DISCLOSURE CONTROLLED"

    public var format: String
    public var tool: String
    /// The output's file name (the sidecar sits beside it).
    public var file: String
    public var sha256: String
    public var bytes: Int
    /// When the output was written (ISO 8601, UTC).
    public var created: String
    /// The command line, program name first.
    public var command: [String]
    /// Whether disclosure control ran on this output.
    public var controlled: Bool
    /// The stamp printed on an output without disclosure control.
    public var stamp: String?
    /// The rules in force, in words (`nil` when none apply).
    public var rules: String?
    /// The threshold of units the rules set (for the cross-output differencing of `release`).
    public var threshold: Int?
    public var checks: [OutputCheck]
    public var population: AuditedPopulation?
    public var cells: [AuditedCell]?

    public init(
        tool: String, file: String, sha256: String, bytes: Int, created: Date = Date(), command: [String],
        controlled: Bool, stamp: String?, rules: String?, threshold: Int? = nil, checks: [OutputCheck],
        population: AuditedPopulation? = nil, cells: [AuditedCell]? = nil
    ) {
        format = Self.formatName
        self.tool = tool
        self.file = file
        self.sha256 = sha256
        self.bytes = bytes
        self.created = Self.timestamp(created)
        self.command = command
        self.controlled = controlled
        self.stamp = stamp
        self.rules = rules
        self.threshold = threshold
        self.checks = checks
        self.population = population
        self.cells = cells
    }

    /// The worst effect among the checks (`pass` when there are none).
    public var status: OutputCheck.Status { checks.map(\.effect).max() ?? .pass }

    /// Where the sidecar of `output` is.
    public static func sidecarPath(of output: String) -> String { output + ".audit.json" }

    /// The sidecar `write(for:...)` will write for `output`, for the up-front output checks: `nil` for
    /// standard output, a FIFO or a device (no sidecar), or a path that cannot be a target at all.
    public static func sidecar(for output: String?) -> String? {
        guard let output, let target = try? OutputTarget(output), case .file = target.kind else { return nil }
        return sidecarPath(of: output)
    }

    /// An ISO 8601 UTC timestamp to the second (`2026-12-05T01:02:03Z`), as `ISO8601DateFormatter` writes it
    /// with `.withInternetDateTime`, without loading ICU's calendar data.
    public static func timestamp(_ date: Date) -> String {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var t = tm()
        gmtime_r(&seconds, &t)
        func two(_ v: Int32) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(t.tm_year + 1900)-\(two(t.tm_mon + 1))-\(two(t.tm_mday))T\(two(t.tm_hour)):\(two(t.tm_min)):\(two(t.tm_sec))Z"
    }

    /// The sidecar as pretty-printed JSON with sorted keys.
    public func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }

    /// Reads a sidecar.
    /// - Throws: `OutputAuditError.unreadable` when the file is missing or is not an output audit.
    public static func load(_ path: String) throws -> OutputAudit {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw OutputAuditError.unreadable(path: path, reason: "no such file")
        }
        do {
            let audit = try JSONDecoder().decode(OutputAudit.self, from: data)
            guard audit.format == formatName else {
                throw OutputAuditError.unreadable(path: path, reason: "format '\(audit.format)', expected '\(formatName)'")
            }
            return audit
        } catch let error as OutputAuditError {
            throw error
        } catch {
            throw OutputAuditError.unreadable(path: path, reason: "not an output audit: \(error)")
        }
    }

    /// Writes the sidecar of the file just written at `output` (through ``OutputFile``: temporary file and
    /// rename), hashing the bytes on disk. Nothing is written for standard output, a FIFO or a device.
    ///
    /// - Parameters:
    ///   - tool: the program and version.
    ///   - command: the command line (default: this process's).
    ///   - stamp: the NOT DISCLOSURE CONTROLLED stamp, when the output carries it.
    @discardableResult
    public static func write(
        for output: String?, tool: String, command: [String] = CommandLine.arguments, stamp: String?, rules: String?,
        threshold: Int? = nil, checks: [OutputCheck], population: AuditedPopulation? = nil, cells: [AuditedCell]? = nil
    ) throws -> OutputAudit? {
        guard let output, case .file = try OutputTarget(output).kind else { return nil }
        guard let data = FileManager.default.contents(atPath: output) else {
            throw OutputAuditError.unreadable(path: output, reason: "cannot read back the output to hash it")
        }
        var command = command
        if !command.isEmpty { command[0] = URL(fileURLWithPath: command[0]).lastPathComponent }
        let audit = OutputAudit(
            tool: tool, file: URL(fileURLWithPath: output).lastPathComponent, sha256: SHA256.hex([UInt8](data)),
            bytes: data.count, command: command, controlled: stamp == nil, stamp: stamp, rules: rules,
            threshold: threshold, checks: checks,
            population: population, cells: cells)
        try OutputFile.write(audit.json(), to: sidecarPath(of: output))
        return audit
    }
}

extension OutputAudit {
    /// Writes the sidecar of an output no disclosure control applies to (microdata rows from `extract`,
    /// `harmonise` or `link`, a codebook) or that was written with it turned off: one failing check, so
    /// `release` refuses the output unless the researcher gives an exception.
    @discardableResult
    public static func uncontrolled(
        for output: String?, stamp: String, tool: String, command: [String] = CommandLine.arguments
    ) throws -> OutputAudit? {
        try write(
            for: output, tool: tool, command: command, stamp: stamp, rules: nil,
            checks: [OutputCheck(rule: "disclosure-control", subject: "output", status: .fail, evidence: stamp)])
    }

    /// The stamp of an output of microdata rows or metadata (not statistics), which no output check covers.
    public static let microdataStamp = "\(notControlled): microdata rows, not a statistical output"
    public static let metadataStamp = "\(notControlled): metadata, not a statistical output"
}

/// A sidecar or output that cannot be read back.
public enum OutputAuditError: Error, Equatable, CustomStringConvertible {
    case unreadable(path: String, reason: String)

    public var description: String {
        switch self {
        case let .unreadable(path, reason): "cannot read \(path): \(reason)"
        }
    }
}
