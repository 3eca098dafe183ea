/// Errors of the disclosure layer, each carrying the context needed to fix the input.
public enum DisclosureError: Error, Equatable, CustomStringConvertible {
    /// The rules file could not be read or parsed.
    case rules(file: String, reason: String)
    /// The table handed to the disclosure layer is inconsistent (a margin that is not the sum of its parts,
    /// an unknown category in a hierarchy, a duplicate cell, ...).
    case table(source: String, line: Int?, reason: String)
    /// The LP solver failed.
    case solver(String)
    /// Exact arithmetic overflowed; the check cannot be completed (fail closed).
    case arithmeticOverflow(String)
    /// Secondary suppression could not protect a primary cell.
    case unprotectable(cell: String, reason: String)
    /// The rendered artefact does not match the suppression mask.
    case artefactMismatch(cell: String, expected: String, found: String)
    /// The audit found a recoverable suppressed cell; nothing may be written.
    case auditFailed(AuditReport)

    public var description: String {
        switch self {
        case let .rules(file, reason): "rules file \(file): \(reason)"
        case let .table(source, line, reason): "\(source)\(line.map { ":\($0)" } ?? ""): \(reason)"
        case let .solver(message): "LP solver: \(message)"
        case let .arithmeticOverflow(message): "exact arithmetic overflow: \(message)"
        case let .unprotectable(cell, reason): "cannot protect cell \(cell): \(reason)"
        case let .artefactMismatch(cell, expected, found):
            "rendered table does not match the mask at \(cell): expected \(expected), found \(found)"
        case let .auditFailed(report): "disclosure audit failed: \(report.summary)"
        }
    }
}
