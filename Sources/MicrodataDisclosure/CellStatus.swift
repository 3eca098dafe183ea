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
    /// Published rounded to the nearest multiple of the base (rounding instead of suppression).
    case rounded(Int)
    /// Not published because a rule failed before rounding (`threshold`); shown as the marker.
    case redacted(String)
    /// A margin published as the sum of the published rounded cells beneath it, not the true total.
    case totalOfPublished(Int)

    /// The label written in the `status` column: `safe`, `primary:<rule>`, `secondary`, `review:<reason>`,
    /// and for rounded publications `rounded:<base>`, `redacted:<rule>`, `total-of-published:<base>`.
    public var label: String {
        switch self {
        case .safe: "safe"
        case let .primary(rule): "primary:\(rule)"
        case .secondary: "secondary"
        case let .review(reason): "review:\(reason)"
        case let .rounded(base): "rounded:\(base)"
        case let .redacted(rule): "redacted:\(rule)"
        case let .totalOfPublished(base): "total-of-published:\(base)"
        }
    }

    /// Whether the cell's value is replaced by a marker.
    public var isSuppressed: Bool {
        switch self {
        case .primary, .secondary, .redacted: true
        case .safe, .review, .rounded, .totalOfPublished: false
        }
    }

    public var isPrimary: Bool { if case .primary = self { true } else { false } }
}
