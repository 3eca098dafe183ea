/// The disclosure status of one cell, written in the `status` column.
public enum CellStatus: Sendable, Hashable, Codable {
    /// Published.
    case safe
    /// Suppressed because a primary rule failed (`threshold`, `nk`, `p%`, joined by `+`).
    case primary(String)
    /// Suppressed to protect primary cells.
    case secondary
    /// Published but needs an output checker's review (`zero`, `class-disclosure`, `negative`).
    case review(String)

    /// The label written in the `status` column: `safe`, `primary:<rule>`, `secondary`, `review:<reason>`.
    public var label: String {
        switch self {
        case .safe: "safe"
        case let .primary(rule): "primary:\(rule)"
        case .secondary: "secondary"
        case let .review(reason): "review:\(reason)"
        }
    }

    /// Whether the cell's value is replaced by a marker.
    public var isSuppressed: Bool {
        switch self {
        case .primary, .secondary: true
        case .safe, .review: false
        }
    }

    public var isPrimary: Bool { if case .primary = self { true } else { false } }
}
